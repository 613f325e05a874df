// Derived views in the PostgreSQL store (as the SQLite store's analysis.ts and the derived views
// in its sqlite-store.ts): entities and occurrences, account facts, the communication graph,
// links and persons, duplicates, and reindexing entities.
//
// Whatever here is drawn from messages ANDs scope.ts's visibilityConditions for the viewer on `m`,
// so counts, contacts, edges and examples leave out what search would hide; with nothing scoped or
// privileged there are none and the queries are plain.
//
// Both stores must answer alike, row order included. Three things differ underneath:
// - SQLite compares text byte by byte; PostgreSQL by the database's collation. Every text ORDER
//   BY and max() is COLLATE "C", which is byte order for UTF-8 whatever locale the server has.
// - SQLite puts NULLs first in ascending order, PostgreSQL last: NULLS FIRST where it can matter.
// - Where the SQLite query has no ORDER BY, its rows come in the order of the index its plan
//   walks; the same order is asked for here explicitly (noted at each query).
import { LOCAL_OPERATOR, type Viewer } from '../../model/security.ts';
import type { CommunicationEdge, EntityCount, EntityQuery } from '../../model/entities.ts';
import type { AccountLink, AccountRef, LinkEvidence, LinkKind, LinkStatus, ProposedLink } from '../../model/attribution.ts';
import type { DuplicateCandidate } from '../../ingest/duplicates.ts';
import { personsFromLinks } from '../../analyze/links.ts';
import { nameHypotheses } from '../../analyze/aliases.ts';
import { foldText } from '../../extract/tokens.ts';
import type { AccountFacts, LinkEvidenceRows, Occurrence, ReindexOptions } from '../store.ts';
import { Params, type PgClient, type Queryable, type Row } from './db.ts';
import { insertMentions } from './ingest.ts';
import { optional } from './rows.ts';
import { andAll, visibilityConditions } from './scope.ts';
import type { PostgresStore } from './pg-store.ts';
import { topContacts } from '../row-models.ts';

type S = PostgresStore;
type AccountRow = AccountRef & { id: number; name?: string };

// byte order, as SQLite's BINARY collation
const C = 'COLLATE "C"';
/** Messages read and committed per reindex transaction (as in the SQLite store). */
const REINDEX_CHUNK = 5000;

// ---------------------------------------------------------------------------------------------
// Entities and occurrences

export async function entities(s: S, query: EntityQuery, viewer?: Viewer): Promise<{ total: number; entities: EntityCount[] }> {
  const hidden = await visibilityConditions(s.db, viewer);
  const p = new Params();
  const where: string[] = [];
  if (query.dataset) where.push(`d.name = ${p.add(query.dataset)}`);
  if (query.type) where.push(`e.type = ${p.add(query.type)}`);
  const toCount = (r: Row): EntityCount => ({ dataset: String(r.dataset), type: String(r.type), value: String(r.value), mentions: Number(r.mentions) });
  // ties of count, type and value are one value in several datasets: the older entity first, as
  // SQLite's stable sort over its rowid order gives (entity ids grow in the same order in both)
  const order = `ORDER BY mentions DESC, e.type ${C}, e.value ${C}, e.id`;
  if (hidden.length > 0) {
    // entities.mentions counts every mention: with something hidden, count the visible ones, so an
    // entity only a hidden message holds is not listed at all
    const from = `FROM entities e JOIN datasets d ON d.id = e.dataset_id
                  JOIN mentions mn ON mn.dataset_id = e.dataset_id AND mn.entity_id = e.id
                  JOIN messages m ON m.dataset_id = mn.dataset_id AND m.key = mn.item_key
                  WHERE ${[...where, ...hidden].join(' AND ')} GROUP BY e.dataset_id, e.id, d.name`;
    const total = Number((await s.db.one(`SELECT count(*) AS n FROM (SELECT e.id ${from}) x`, p.values))?.n ?? 0);
    const rows = await s.db.query(`SELECT d.name AS dataset, e.type, e.value, count(*) AS mentions ${from}
                                   ${order} LIMIT ${p.add(query.limit)} OFFSET ${p.add(query.offset)}`, p.values);
    return { total, entities: rows.map(toCount) };
  }
  const clause = `WHERE ${['e.mentions > 0', ...where].join(' AND ')}`;
  const from = `FROM entities e JOIN datasets d ON d.id = e.dataset_id ${clause}`;
  const total = Number((await s.db.one(`SELECT count(*) AS n ${from}`, p.values))?.n ?? 0);
  const rows = await s.db.query(`SELECT d.name AS dataset, e.type, e.value, e.mentions ${from} ${order} LIMIT ${p.add(query.limit)} OFFSET ${p.add(query.offset)}`, p.values);
  return { total, entities: rows.map(toCount) };
}

// SQLite's keys are unique across datasets (a clash probes the next one), ours within a dataset:
// newest first is the key, then the dataset, for the one-in-a-million equal key
const NEWEST_FIRST = 'ORDER BY m.key DESC, m.dataset_id DESC';

/** Mentions of one entity value across datasets: how many items, where, when, and a few of them. */
export async function entityOccurrences(s: S, types: readonly string[], value: string, dataset: string | undefined, examples: number, viewer?: Viewer): Promise<Occurrence> {
  const hidden = await visibilityConditions(s.db, viewer);
  const p = new Params();
  const from = `FROM entities e JOIN datasets d ON d.id = e.dataset_id
                JOIN mentions mn ON mn.dataset_id = e.dataset_id AND mn.entity_id = e.id
                JOIN messages m ON m.dataset_id = mn.dataset_id AND m.key = mn.item_key
                WHERE e.type = ANY(${p.add(types)}::text[]) AND e.value = ${p.add(value)}${dataset ? ` AND d.name = ${p.add(dataset)}` : ''}${andAll(hidden)}`;
  const summary = await s.db.one(`SELECT count(DISTINCT (m.dataset_id, m.key)) AS n, min(m.ts_ms) AS first, max(m.ts_ms) AS last,
                                    array_agg(DISTINCT d.name) AS datasets ${from}`, p.values);
  const ids = (await s.db.query(`SELECT DISTINCT m.uid, m.key, m.dataset_id ${from} ${NEWEST_FIRST} LIMIT ${p.add(examples)}`, p.values)).map((r) => String(r.uid));
  return occurrence(summary, ids);
}

/**
 * Messages an account sent, across the datasets that have it (or the one named). With something
 * hidden, the datasets are those of the visible messages: that a handle is an account of a
 * dataset at all can come from hidden messages alone (a lawyer's number, a party outside the scope).
 */
export async function handleOccurrences(s: S, handle: string, dataset: string | undefined, examples: number, viewer?: Viewer): Promise<Occurrence> {
  const hidden = await visibilityConditions(s.db, viewer);
  const p = new Params();
  const accountFilter = `a.handle_folded = ${p.add(foldText(handle))}${dataset ? ` AND d.name = ${p.add(dataset)}` : ''}`;
  const accounts = `SELECT a.dataset_id, a.id FROM accounts a JOIN datasets d ON d.id = a.dataset_id WHERE ${accountFilter}`;
  const sent = `(m.dataset_id, m.sender_id) IN (${accounts})${andAll(hidden)}`;
  const datasets = hidden.length === 0
    ? `(SELECT array_agg(DISTINCT d.name) FROM accounts a JOIN datasets d ON d.id = a.dataset_id WHERE ${accountFilter})`
    : `(SELECT array_agg(DISTINCT d.name) FROM messages m JOIN datasets d ON d.id = m.dataset_id WHERE ${sent})`;
  const summary = await s.db.one(`SELECT count(*) AS n, min(m.ts_ms) AS first, max(m.ts_ms) AS last, ${datasets} AS datasets FROM messages m WHERE ${sent}`, p.values);
  const ids = (await s.db.query(`SELECT m.uid FROM messages m WHERE ${sent} ${NEWEST_FIRST} LIMIT ${p.add(examples)}`, p.values)).map((r) => String(r.uid));
  return occurrence(summary, ids);
}

function occurrence(summary: Row | undefined, examples: string[]): Occurrence {
  return {
    messages: Number(summary?.n ?? 0),
    // sorted here as the SQLite store sorts its list: by UTF-16 code units
    datasets: ((summary?.datasets as string[] | null | undefined) ?? []).map(String).sort(),
    firstSeen: iso(summary?.first),
    lastSeen: iso(summary?.last),
    examples,
  };
}

function iso(ms: unknown): string | undefined {
  return ms === null || ms === undefined ? undefined : new Date(Number(ms)).toISOString();
}

/**
 * Runs the entity extractor over the messages its tool run has not seen, in committed chunks:
 * each chunk's mentions, fingerprints and progress mark are one transaction, so an interrupted
 * run continues after the last committed chunk. Mentions are written as ingest writes them.
 */
export async function reindexEntities(s: S, options: ReindexOptions): Promise<{ messages: number; mentions: number }> {
  const toolrun = await s.toolrunId(options.toolrun.component, options.toolrun.version);
  const datasets = (options.dataset
    ? await s.db.query('SELECT id FROM datasets WHERE name = $1', [options.dataset])
    : await s.db.query('SELECT id FROM datasets ORDER BY id')).map((r) => Number(r.id));
  const starts: number[] = [];
  let total = 0;
  for (const d of datasets) {
    const done = await s.db.one('SELECT done_below_key FROM entity_progress WHERE dataset_id = $1 AND toolrun_id = $2', [d, toolrun]);
    const start = done ? Number(done.done_below_key) : Number.MIN_SAFE_INTEGER;
    starts.push(start);
    total += Number((await s.db.one('SELECT count(*) AS n FROM messages WHERE dataset_id = $1 AND key >= $2', [d, start]))?.n ?? 0);
  }
  let messages = 0;
  let mentions = 0;
  for (const [i, d] of datasets.entries()) {
    let from = starts[i]!;
    for (;;) {
      if (options.signal?.aborted) return { messages, mentions };
      const rows = await s.db.query('SELECT key, body, lang, fingerprint FROM messages WHERE dataset_id = $1 AND key >= $2 ORDER BY key LIMIT $3', [d, from, REINDEX_CHUNK]);
      if (rows.length === 0) break;
      const next = Number(rows.at(-1)!.key) + 1;
      mentions += await s.db.tx(async (c) => {
        // messages stored before fingerprints existed get theirs, so lode duplicates sees them
        const fingerprints: [number, number][] = [];
        if (options.fingerprint) {
          for (const row of rows) {
            if (row.fingerprint !== null) continue;
            const fingerprint = options.fingerprint(String(row.body));
            if (fingerprint !== undefined) fingerprints.push([Number(row.key), fingerprint]);
          }
        }
        if (fingerprints.length > 0) {
          await c.run(`UPDATE messages m SET fingerprint = x.f FROM unnest($2::bigint[], $3::bigint[]) AS x(k, f) WHERE m.dataset_id = $1 AND m.key = x.k`,
            [d, fingerprints.map((f) => f[0]), fingerprints.map((f) => f[1])]);
        }
        const found = { item: [] as number[], type: [] as string[], value: [] as string[], start: [] as number[], end: [] as number[] };
        const stored = new Map<number, number>();
        rows.forEach((row, index) => {
          stored.set(index, Number(row.key));
          for (const f of options.extract(String(row.body), row.lang === null ? undefined : String(row.lang))) {
            found.item.push(index);
            found.type.push(f.type);
            found.value.push(f.value);
            found.start.push(f.start);
            found.end.push(f.end);
          }
        });
        const added = found.item.length === 0 ? 0 : await insertMentions(c, d, {
          item: Uint32Array.from(found.item), type: found.type, value: found.value, start: Uint32Array.from(found.start), end: Uint32Array.from(found.end),
        }, stored, toolrun);
        await c.run(`INSERT INTO entity_progress (dataset_id, toolrun_id, done_below_key) VALUES ($1, $2, $3)
                     ON CONFLICT (dataset_id, toolrun_id) DO UPDATE SET done_below_key = excluded.done_below_key`, [d, toolrun, next]);
        return added;
      });
      from = next;
      messages += rows.length;
      options.onProgress?.(messages, total);
    }
  }
  return { messages, mentions };
}

// ---------------------------------------------------------------------------------------------
// The communication network and accounts

/** Who wrote to whom, aggregated per ordered pair of accounts (keys `platform:handle`). */
export async function communicationEdges(s: S, query: { dataset?: string; fromMs?: number; toMs?: number }, viewer?: Viewer): Promise<CommunicationEdge[]> {
  const p = new Params();
  const where = ['m.kind = 0', 'm.recipients IS NOT NULL', ...(await visibilityConditions(s.db, viewer))];
  if (query.dataset) where.push(`m.dataset_id = (SELECT id FROM datasets WHERE name = ${p.add(query.dataset)})`);
  if (query.fromMs !== undefined) where.push(`m.ts_ms >= ${p.add(query.fromMs)}`);
  if (query.toMs !== undefined) where.push(`m.ts_ms < ${p.add(query.toMs)}`);
  // ORDER BY: SQLite's GROUP BY hands its groups out in key order
  const rows = await s.db.query(`SELECT m.sender_id AS s, r AS t, count(*) AS n, min(m.ts_ms) AS f, max(m.ts_ms) AS l
                                 FROM messages m, unnest(m.recipients) AS r WHERE ${where.join(' AND ')} GROUP BY m.sender_id, r ORDER BY m.sender_id, r`, p.values);
  // only the accounts the edges name (the SQLite store reads them all)
  const ids = [...new Set(rows.flatMap((r) => [Number(r.s), Number(r.t)]))];
  const keys = new Map<number, string>();
  if (ids.length > 0) {
    for (const a of await s.db.query('SELECT id, platform, handle FROM accounts WHERE id = ANY($1::bigint[])', [ids])) keys.set(Number(a.id), `${a.platform}:${a.handle}`);
  }
  return rows.map((r) => ({
    from: keys.get(Number(r.s)) ?? `#${r.s}`,
    to: keys.get(Number(r.t)) ?? `#${r.t}`,
    messages: Number(r.n),
    firstMs: r.f === null ? undefined : Number(r.f),
    lastMs: r.l === null ? undefined : Number(r.l),
  }));
}

// A privileged party's (a lawyer's) own account: that it is an account of a dataset at all comes
// from the privileged messages, so lookups and link evidence leave it out (see findAccounts).
const NOT_PRIVILEGED = (dataset: string, account: string) =>
  `NOT EXISTS (SELECT 1 FROM privileged_accounts pa WHERE pa.dataset_id = ${dataset} AND pa.account_id = ${account})`;

const ACCOUNT_SELECT = 'SELECT a.id, d.name AS dataset, a.platform, a.handle, a.name FROM accounts a JOIN datasets d ON d.id = a.dataset_id';

/**
 * Accounts with this handle (exactly, else case- and accent-folded), optionally in one dataset or
 * platform. A privileged party's own account is found by privilege reviewers only (like their messages).
 */
export async function findAccounts(s: S, handle: string, dataset?: string, platform?: string, viewer: Viewer = LOCAL_OPERATOR): Promise<AccountRow[]> {
  const lookup = async (column: 'handle' | 'handle_folded', value: string) => {
    const p = new Params();
    const where = [`a.${column} = ${p.add(value)}`];
    if (!viewer.mayReviewPrivilege) where.push(NOT_PRIVILEGED('a.dataset_id', 'a.id'));
    if (dataset) where.push(`d.name = ${p.add(dataset)}`);
    if (platform) where.push(`a.platform = ${p.add(platform)}`);
    // a.id: SQLite's stable sort keeps the index's rowid order among equal names
    return s.db.query(`${ACCOUNT_SELECT} WHERE ${where.join(' AND ')} ORDER BY d.name ${C}, a.platform ${C}, a.id`, p.values);
  };
  let rows = await lookup('handle', handle);
  if (rows.length === 0) rows = await lookup('handle_folded', foldText(handle));
  return rows.map(toAccountRow);
}

async function accountsById(q: Queryable, ids: readonly number[]): Promise<Map<number, AccountRow>> {
  const out = new Map<number, AccountRow>();
  if (ids.length === 0) return out;
  for (const row of await q.query(`${ACCOUNT_SELECT} WHERE a.id = ANY($1::bigint[])`, [[...new Set(ids)]])) out.set(Number(row.id), toAccountRow(row));
  return out;
}

function toAccountRow(r: Row): AccountRow {
  return { id: Number(r.id), dataset: String(r.dataset), platform: String(r.platform), handle: String(r.handle), name: r.name === null ? undefined : String(r.name) };
}

export async function describeAccount(s: S, id: number): Promise<AccountRef | undefined> {
  const row = (await accountsById(s.db, [id])).get(id);
  return row && { dataset: row.dataset, platform: row.platform, handle: row.handle };
}

/** Names other owners saved for an account, in the order they were stored (SQLite walks contacts_by_contact). */
async function savedAliasesOf(q: Queryable, datasetId: number, id: number): Promise<{ alias: string; owner: string }[]> {
  return (await q.query(`SELECT c.alias, o.handle AS owner FROM contacts c JOIN accounts o ON o.dataset_id = c.dataset_id AND o.id = c.owner_id
                         WHERE c.dataset_id = $1 AND c.contact_id = $2 AND c.alias <> '' ORDER BY c.id`, [datasetId, id]))
    .map((r) => ({ alias: String(r.alias), owner: String(r.owner) }));
}

/** The facts of an account's profile that SQL answers; aliases and names are reconciled by the caller. */
export async function accountFacts(s: S, id: number, contactLimit: number, viewer?: Viewer): Promise<AccountFacts> {
  const visible = andAll(await visibilityConditions(s.db, viewer));
  const byHour = Array.from({ length: 24 }, () => 0);
  const byWeekday = Array.from({ length: 7 }, () => 0);
  const byWeekdayHour = Array.from({ length: 7 }, () => Array.from({ length: 24 }, () => 0));
  const account = await s.db.one<{ dataset_id: number }>('SELECT dataset_id FROM accounts WHERE id = $1', [id]);
  if (!account) {
    return { savedAliases: [], devices: [], entities: [], sent: 0, received: 0, contacts: [], activity: { byHour, byWeekday, byWeekdayHour } };
  }
  // everything of an account lives in its dataset: every query below is keyed by (dataset, account)
  const d = Number(account.dataset_id);
  const savedAliases = await savedAliasesOf(s.db, d, id);
  // ties in `since` keep the primary key's device order, as SQLite's stable sort does
  const devices = (await s.db.query(`SELECT dv.imei, dv.model, ad.since FROM account_devices ad JOIN devices dv ON dv.dataset_id = ad.dataset_id AND dv.id = ad.device_id
                                     WHERE ad.dataset_id = $1 AND ad.account_id = $2 ORDER BY ad.since ${C} NULLS FIRST, ad.device_id`, [d, id]))
    .map((r) => ({ imei: optional(r.imei), model: optional(r.model), since: optional(r.since) }));
  const sent = (await s.db.one(`SELECT count(*) AS n, min(m.ts_ms) AS first, max(m.ts_ms) AS last FROM messages m
                                WHERE m.dataset_id = $1 AND m.sender_id = $2${visible}`, [d, id]))!;
  // a conversation's messages reach all its members: groups included
  const inConversations = 'SELECT conversation_id FROM conversation_members WHERE dataset_id = $1 AND account_id = $2';
  const receivedWhere = `m.dataset_id = $1 AND m.conversation_id IN (${inConversations}) AND m.sender_id <> $2${visible}`;
  const received = (await s.db.one(`SELECT count(*) AS n, min(m.ts_ms) AS first, max(m.ts_ms) AS last FROM messages m WHERE ${receivedWhere}`, [d, id]))!;
  // ORDER BY: the order of SQLite's GROUP BY, which the contacts' ties keep
  const sentTo = await s.db.query(`SELECT r AS other, count(*) AS n FROM messages m, unnest(m.recipients) AS r
                                   WHERE m.dataset_id = $1 AND m.sender_id = $2${visible} GROUP BY r ORDER BY r`, [d, id]);
  const receivedFrom = await s.db.query(`SELECT m.sender_id AS other, count(*) AS n FROM messages m WHERE ${receivedWhere} GROUP BY m.sender_id ORDER BY m.sender_id`, [d, id]);
  const top = topContacts(sentTo, receivedFrom, id, contactLimit);
  const names = await accountsById(s.db, top.map(([other]) => other));
  for (const r of await s.db.query(`SELECT (m.ts_ms / 3600000) % 24 AS h, ((m.ts_ms / 86400000) + 4) % 7 AS w, count(*) AS n FROM messages m
                                    WHERE m.dataset_id = $1 AND m.sender_id = $2 AND m.ts_ms IS NOT NULL${visible} GROUP BY h, w`, [d, id])) {
    byHour[Number(r.h)]! += Number(r.n);
    byWeekday[Number(r.w)]! += Number(r.n);
    byWeekdayHour[Number(r.w)]![Number(r.h)]! += Number(r.n);
  }
  const entityRows = await s.db.query(`SELECT e.type, e.value, count(*) AS n FROM messages m
                                       JOIN mentions mn ON mn.dataset_id = m.dataset_id AND mn.item_key = m.key
                                       JOIN entities e ON e.dataset_id = mn.dataset_id AND e.id = mn.entity_id
                                       WHERE m.dataset_id = $1 AND m.sender_id = $2${visible} GROUP BY e.dataset_id, e.id
                                       ORDER BY n DESC, e.type ${C}, e.value ${C} LIMIT 200`, [d, id]);
  const firsts = [sent.first, received.first].filter((v) => v !== null).map(Number);
  const lasts = [sent.last, received.last].filter((v) => v !== null).map(Number);
  return {
    savedAliases,
    devices,
    entities: entityRows.map((r) => ({ type: String(r.type), value: String(r.value), count: Number(r.n) })),
    sent: Number(sent.n),
    received: Number(received.n),
    firstSeen: firsts.length > 0 ? new Date(Math.min(...firsts)).toISOString() : undefined,
    lastSeen: lasts.length > 0 ? new Date(Math.max(...lasts)).toISOString() : undefined,
    contacts: top.map(([other, c]) => ({ handle: names.get(other)?.handle ?? `#${other}`, platform: names.get(other)?.platform ?? '', sent: c.sent, received: c.received })),
    activity: { byHour, byWeekday, byWeekdayHour },
  };
}

// ---------------------------------------------------------------------------------------------
// Evidence for links between accounts

// Link evidence is stored once for every reader (links-update.ts), so none of it comes from a
// privileged party's account: not its handle, its exposures, its devices or its names. Proposals
// gather evidence in the order it comes, so each query asks for the order of SQLite's plan.
export async function linkEvidence(s: S): Promise<LinkEvidenceRows> {
  // accounts that used a handset with the same IMEI, in any dataset (SQLite: account_devices by key, then devices_by_imei)
  const sharedDevices = (await s.db.query(`
    SELECT a1.account_id AS a, a2.account_id AS b, d1.imei, a1.since AS sa, a2.since AS sb
    FROM devices d1 JOIN devices d2 ON d2.imei = d1.imei
    JOIN account_devices a1 ON a1.dataset_id = d1.dataset_id AND a1.device_id = d1.id
    JOIN account_devices a2 ON a2.dataset_id = d2.dataset_id AND a2.device_id = d2.id
    WHERE d1.imei <> '' AND a1.account_id < a2.account_id
      AND ${NOT_PRIVILEGED('a1.dataset_id', 'a1.account_id')} AND ${NOT_PRIVILEGED('a2.dataset_id', 'a2.account_id')}
    ORDER BY a1.account_id, a1.device_id, d2.id, a2.account_id`))
    .map((r) => ({ a: Number(r.a), b: Number(r.b), imei: String(r.imei), sinceA: optional(r.sa), sinceB: optional(r.sb) }));
  // handles that may be phone numbers or e-mail addresses themselves (SQLite: the accounts' unique index)
  const handles = (await s.db.query(`
    SELECT a.id, a.handle FROM accounts a WHERE (strpos(a.handle, '@') > 0 OR a.handle ~ '[0-9]{6}') AND ${NOT_PRIVILEGED('a.dataset_id', 'a.id')}
    ORDER BY a.dataset_id, a.platform ${C}, a.handle ${C}`))
    .map((r) => ({ id: Number(r.id), handle: String(r.handle) }));
  // identifiers a site database gave its accounts (SQLite: exposures_by_account)
  const exposures = (await s.db.query(`
    SELECT x.account_id, x.identifier_type, x.identifier FROM exposures x WHERE x.account_id IS NOT NULL AND ${NOT_PRIVILEGED('x.dataset_id', 'x.account_id')}
    ORDER BY x.account_id, x.id`))
    .map((r) => ({ id: Number(r.account_id), type: String(r.identifier_type), value: String(r.identifier) }));
  // every saved alias and display name, for matching names (SQLite: the contacts' unique index; accounts by id)
  const aliases = (await s.db.query(`
    SELECT c.contact_id AS a, c.alias, o.handle AS owner FROM contacts c JOIN accounts o ON o.dataset_id = c.dataset_id AND o.id = c.owner_id
    WHERE c.alias <> '' AND ${NOT_PRIVILEGED('c.dataset_id', 'c.contact_id')} AND ${NOT_PRIVILEGED('c.dataset_id', 'c.owner_id')}
    ORDER BY c.owner_id, c.contact_id, c.alias ${C}`))
    .map((r) => ({ account: Number(r.a), alias: String(r.alias), owner: String(r.owner) }));
  const names = (await s.db.query(`SELECT a.id, a.name FROM accounts a WHERE a.name IS NOT NULL AND a.name <> '' AND ${NOT_PRIVILEGED('a.dataset_id', 'a.id')} ORDER BY a.id`))
    .map((r) => ({ account: Number(r.id), name: String(r.name) }));
  return { sharedDevices, handles, exposures, aliases, names };
}

/** Senders of messages that mention this entity, with how many such messages and the newest one. */
export async function sendersMentioning(s: S, type: string, value: string, viewer?: Viewer): Promise<{ account: number; messages: number; example: string }[]> {
  const hidden = await visibilityConditions(s.db, viewer);
  // an account's messages are all in its dataset, so (dataset, key) is unique within a sender
  return (await s.db.query(`SELECT m.sender_id AS a, count(DISTINCT m.key) AS n, max(m.uid ${C}) AS example
                            FROM entities e JOIN mentions mn ON mn.dataset_id = e.dataset_id AND mn.entity_id = e.id
                            JOIN messages m ON m.dataset_id = mn.dataset_id AND m.key = mn.item_key
                            WHERE e.type = $1 AND e.value = $2${andAll(hidden)} GROUP BY m.sender_id ORDER BY m.sender_id`, [type, value]))
    .map((r) => ({ account: Number(r.a), messages: Number(r.n), example: String(r.example) }));
}

// ---------------------------------------------------------------------------------------------
// Links and persons

/** Stores proposals; links an analyst decided keep their decision, their evidence is refreshed. */
export async function saveLinks(s: S, links: readonly ProposedLink[], toolrun: { component: string; version: string }): Promise<{ added: number; updated: number }> {
  const run = await s.toolrunId(toolrun.component, toolrun.version);
  if (links.length === 0) return { added: 0, updated: 0 };
  const now = new Date().toISOString();
  return s.db.tx(async (c) => {
    // one update at a time (SQLite's BEGIN IMMEDIATE): two would both insert a proposal neither
    // saw stored; decisions wait for it, readers do not
    await c.run('LOCK TABLE account_links IN SHARE ROW EXCLUSIVE MODE');
    const key = (a: number, b: number, kind: string) => `${a}:${b}:${kind}`;
    const stored = new Map<string, { score: number; evidence: string }>();
    for (const row of await c.query(`SELECT l.a_id, l.b_id, l.kind, l.score, l.evidence FROM account_links l
                                      JOIN unnest($1::bigint[], $2::bigint[], $3::text[]) AS x(a, b, k) ON l.a_id = x.a AND l.b_id = x.b AND l.kind = x.k`,
    [links.map((l) => l.aId), links.map((l) => l.bId), links.map((l) => l.kind)])) {
      stored.set(key(Number(row.a_id), Number(row.b_id), String(row.kind)), { score: Number(row.score), evidence: String(row.evidence) });
    }
    // counted one proposal at a time, as the SQLite store writes them, then written in two statements
    const inserts = new Map<string, ProposedLink & { json: string }>();
    const updates = new Map<string, ProposedLink & { json: string }>();
    let added = 0;
    let updated = 0;
    for (const link of links) {
      const k = key(link.aId, link.bId, link.kind);
      const json = JSON.stringify(link.evidence);
      const known = stored.get(k);
      if (!known) added += 1;
      else if (known.score !== link.score || known.evidence !== json) updated += 1;
      else continue;
      stored.set(k, { score: link.score, evidence: json });
      (inserts.has(k) || !known ? inserts : updates).set(k, { ...link, json });
    }
    // in the proposals' order, so ids (the tie-break of equal scores) are given as SQLite gives them
    const fresh = [...inserts.values()];
    if (fresh.length > 0) {
      await c.run(`INSERT INTO account_links (a_id, b_id, kind, score, evidence, toolrun_id, updated_at)
                   SELECT x.a, x.b, x.k, x.s, x.e, $1, $2 FROM unnest($3::bigint[], $4::bigint[], $5::text[], $6::float8[], $7::text[]) WITH ORDINALITY AS x(a, b, k, s, e, n)
                   ORDER BY x.n`,
      [run, now, fresh.map((l) => l.aId), fresh.map((l) => l.bId), fresh.map((l) => l.kind), fresh.map((l) => l.score), fresh.map((l) => l.json)]);
    }
    const changed = [...updates.values()];
    if (changed.length > 0) {
      await c.run(`UPDATE account_links l SET score = x.s, evidence = x.e, toolrun_id = $1, updated_at = $2
                   FROM unnest($3::bigint[], $4::bigint[], $5::text[], $6::float8[], $7::text[]) AS x(a, b, k, s, e)
                   WHERE l.a_id = x.a AND l.b_id = x.b AND l.kind = x.k`,
      [run, now, changed.map((l) => l.aId), changed.map((l) => l.bId), changed.map((l) => l.kind), changed.map((l) => l.score), changed.map((l) => l.json)]);
    }
    return { added, updated };
  });
}

export async function links(s: S, query: { account?: number; status?: LinkStatus; datasets?: readonly string[]; limit: number; offset: number }): Promise<{ total: number; links: AccountLink[] }> {
  const p = new Params();
  const where: string[] = [];
  if (query.account !== undefined) {
    const account = p.add(query.account);
    where.push(`(l.a_id = ${account} OR l.b_id = ${account})`);
  }
  if (query.status) where.push(`l.status = ${p.add(query.status)}`);
  if (query.datasets) {
    // both ends must be readable: a link also tells who the other account is
    const within = `(SELECT a.id FROM accounts a JOIN datasets d ON d.id = a.dataset_id WHERE d.name = ANY(${p.add(query.datasets)}::text[]))`;
    where.push(`l.a_id IN ${within} AND l.b_id IN ${within}`);
  }
  const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
  const total = Number((await s.db.one(`SELECT count(*) AS n FROM account_links l ${clause}`, p.values))?.n ?? 0);
  const rows = await s.db.query(`SELECT l.* FROM account_links l ${clause} ORDER BY l.score DESC, l.id LIMIT ${p.add(query.limit)} OFFSET ${p.add(query.offset)}`, p.values);
  return { total, links: await toLinks(s.db, rows) };
}

export async function link(s: S, id: number): Promise<AccountLink | undefined> {
  const row = await s.db.one('SELECT * FROM account_links WHERE id = $1', [id]);
  return row ? (await toLinks(s.db, [row]))[0] : undefined;
}

async function toLinks(q: Queryable, rows: readonly Row[]): Promise<AccountLink[]> {
  const accounts = await accountsById(q, rows.flatMap((r) => [Number(r.a_id), Number(r.b_id)]));
  const ref = (id: unknown): AccountRef => {
    const a = accounts.get(Number(id));
    return a ? { dataset: a.dataset, platform: a.platform, handle: a.handle } : { dataset: '', platform: '', handle: `#${id}` };
  };
  return rows.map((r) => ({
    id: Number(r.id), a: ref(r.a_id), b: ref(r.b_id), kind: String(r.kind) as LinkKind, score: Number(r.score),
    evidence: JSON.parse(String(r.evidence)) as LinkEvidence[], status: String(r.status) as LinkStatus,
    decidedBy: optional(r.decided_by), decidedAt: optional(r.decided_at), note: optional(r.note),
  }));
}

/** Confirms or rejects a link and regroups persons from the confirmed links, in one transaction. */
export async function decideLink(s: S, id: number, status: LinkStatus, decidedBy: string, note?: string): Promise<AccountLink | undefined> {
  const decided = await s.db.tx(async (c) => {
    // one regrouping at a time (SQLite's BEGIN IMMEDIATE): two decisions at once would each see
    // the other's link unconfirmed and write persons that leave it out; readers are not blocked
    await c.run('LOCK TABLE person_accounts IN EXCLUSIVE MODE');
    const changed = await c.run('UPDATE account_links SET status = $1, decided_by = $2, decided_at = $3, note = coalesce($4, note) WHERE id = $5',
      [status, decidedBy, new Date().toISOString(), note ?? null, id]);
    if (changed === 0) return false;
    await regroupPersons(c);
    return true;
  });
  return decided ? link(s, id) : undefined;
}

/** Persons are the groups that confirmed links make; a group keeps the lowest person id it had. */
async function regroupPersons(c: PgClient): Promise<void> {
  const confirmed = (await c.query(`SELECT a_id, b_id FROM account_links WHERE status = 'confirmed'`)).map((r) => ({ aId: Number(r.a_id), bId: Number(r.b_id) }));
  const groups = personsFromLinks(confirmed);
  const current = new Map((await c.query('SELECT account_id, person_id FROM person_accounts')).map((r) => [Number(r.account_id), Number(r.person_id)]));
  await c.run('DELETE FROM person_accounts');
  const datasets = new Map((await c.query('SELECT id, dataset_id FROM accounts WHERE id = ANY($1::bigint[])', [groups.flat()])).map((r) => [Number(r.id), Number(r.dataset_id)]));
  const used = new Set<number>();
  for (const accounts of groups) {
    const previous = accounts.map((a) => current.get(a)).filter((p): p is number => p !== undefined && !used.has(p));
    const person = previous.length > 0
      ? Math.min(...previous)
      : Number((await c.one<{ id: number }>('INSERT INTO persons (created_at) VALUES ($1) RETURNING id', [new Date().toISOString()]))!.id);
    used.add(person);
    const aliases: { alias: string; owner: string }[] = [];
    for (const a of accounts) {
      const d = datasets.get(a);
      if (d !== undefined) aliases.push(...(await savedAliasesOf(c, d, a)));
    }
    await c.run('UPDATE persons SET name = $1 WHERE id = $2', [nameHypotheses(aliases)[0]?.name ?? null, person]);
    await c.run('INSERT INTO person_accounts (account_id, person_id) SELECT a, $2 FROM unnest($1::bigint[]) AS x(a)', [accounts, person]);
  }
  await c.run('DELETE FROM persons p WHERE NOT EXISTS (SELECT 1 FROM person_accounts pa WHERE pa.person_id = p.id)');
}

export async function personOf(s: S, accountId: number): Promise<{ id: number; name?: string; accounts: AccountRef[] } | undefined> {
  const row = await s.db.one('SELECT person_id FROM person_accounts WHERE account_id = $1', [accountId]);
  return row ? person(s, Number(row.person_id)) : undefined;
}

/** A person (a group of confirmed-linked accounts) by id. */
export async function person(s: S, id: number): Promise<{ id: number; name?: string; accounts: AccountRef[] } | undefined> {
  const row = await s.db.one('SELECT id, name FROM persons WHERE id = $1', [id]);
  if (!row) return undefined;
  const accounts = (await s.db.query(`SELECT d.name AS dataset, a.platform, a.handle FROM person_accounts pa
                                      JOIN accounts a ON a.id = pa.account_id JOIN datasets d ON d.id = a.dataset_id
                                      WHERE pa.person_id = $1 ORDER BY pa.account_id`, [id]))
    .map((r) => ({ dataset: String(r.dataset), platform: String(r.platform), handle: String(r.handle) }));
  return { id: Number(row.id), name: optional(row.name), accounts };
}

// ---------------------------------------------------------------------------------------------
// Duplicates

/**
 * Messages that share their sender and folded words with another visible message of the same
 * dataset. Hidden copies count neither in the group nor as candidates: one visible copy is no duplicate.
 */
export async function duplicateCandidates(s: S, dataset?: string, viewer?: Viewer): Promise<DuplicateCandidate[]> {
  const p = new Params();
  const filter = dataset ? `AND m.dataset_id = (SELECT id FROM datasets WHERE name = ${p.add(dataset)})` : '';
  const visible = andAll(await visibilityConditions(s.db, viewer));
  const rows = await s.db.query(`
    WITH repeated AS (
      SELECT m.dataset_id, m.sender_id, m.fingerprint FROM messages m
      WHERE m.fingerprint IS NOT NULL ${filter}${visible}
      GROUP BY m.dataset_id, m.sender_id, m.fingerprint HAVING count(*) > 1)
    SELECT m.uid, d.name AS dataset, a.handle AS sender, m.fingerprint, m.ts_ms, m.body, src.path, m.line
    FROM repeated r
    JOIN messages m ON m.dataset_id = r.dataset_id AND m.sender_id = r.sender_id AND m.fingerprint = r.fingerprint
    JOIN datasets d ON d.id = m.dataset_id
    JOIN accounts a ON a.dataset_id = m.dataset_id AND a.id = m.sender_id
    JOIN sources src ON src.dataset_id = m.dataset_id AND src.id = m.source_id
    WHERE TRUE${visible}
    ORDER BY m.dataset_id, m.sender_id, m.fingerprint, m.ts_ms NULLS FIRST, m.key`, p.values);
  return rows.map((r) => ({
    id: String(r.uid), dataset: String(r.dataset), sender: String(r.sender), fingerprint: Number(r.fingerprint),
    tsMs: r.ts_ms === null ? undefined : Number(r.ts_ms), body: String(r.body), source: String(r.path), line: Number(r.line),
  }));
}
