// Read-side queries of the SQLite store for entities, accounts and the network. Functions of the
// database handle, so sqlite-store.ts stays the writer and these stay plain SQL.
//
// Whatever here is drawn from messages takes `hidden`: the legal-scope and privilege conditions
// on `m` (messages) that scope.ts's visibilityConditions gives for the viewer, ANDed with the
// query, so counts, contacts, edges and examples leave out what search would hide. Empty when
// nothing is scoped or privileged: then the queries are exactly what they were.
import type { DatabaseSync, SQLInputValue } from 'node:sqlite';
import type { CommunicationEdge, EntityCount, EntityQuery } from '../../model/entities.ts';
import type { AccountLink, AccountRef, LinkEvidence, LinkKind, LinkStatus } from '../../model/attribution.ts';
import { topContacts } from '../row-models.ts';

type Row = Record<string, unknown>;

export type EdgeQuery = { dataset?: string; fromMs?: number; toMs?: number };

/** Condition text to append to a WHERE clause (empty when nothing is hidden). */
function andAll(hidden: readonly string[]): string {
  return hidden.map((w) => ` AND ${w}`).join('');
}

export function listEntities(db: DatabaseSync, query: EntityQuery, hidden: readonly string[] = []): { total: number; entities: EntityCount[] } {
  const where: string[] = [];
  const params: SQLInputValue[] = [];
  if (query.dataset) {
    where.push('d.name = ?');
    params.push(query.dataset);
  }
  if (query.type) {
    where.push('e.type = ?');
    params.push(query.type);
  }
  if (hidden.length > 0) {
    // entities.mentions counts every mention: with something hidden, count the visible ones, so an
    // entity only a hidden message holds is not listed at all
    const from = `FROM entities e JOIN datasets d ON d.id = e.dataset_id JOIN mentions mn ON mn.entity_id = e.id JOIN messages m ON m.rowid = mn.item_key
                  WHERE ${[...where, ...hidden].join(' AND ')} GROUP BY e.id`;
    const total = Number(db.prepare(`SELECT count(*) AS n FROM (SELECT e.id ${from})`).get(...params)?.n ?? 0);
    const rows = db.prepare(`SELECT d.name AS dataset, e.type, e.value, count(*) AS mentions ${from}
                             ORDER BY mentions DESC, e.type, e.value LIMIT ? OFFSET ?`).all(...params, query.limit, query.offset);
    return { total, entities: rows.map((r) => ({ dataset: String(r.dataset), type: String(r.type), value: String(r.value), mentions: Number(r.mentions) })) };
  }
  const clause = `WHERE ${['e.mentions > 0', ...where].join(' AND ')}`;
  const total = Number(db.prepare(`SELECT count(*) AS n FROM entities e JOIN datasets d ON d.id = e.dataset_id ${clause}`).get(...params)?.n ?? 0);
  const rows = db.prepare(`SELECT d.name AS dataset, e.type, e.value, e.mentions FROM entities e JOIN datasets d ON d.id = e.dataset_id
                           ${clause} ORDER BY e.mentions DESC, e.type, e.value LIMIT ? OFFSET ?`).all(...params, query.limit, query.offset);
  return { total, entities: rows.map((r) => ({ dataset: String(r.dataset), type: String(r.type), value: String(r.value), mentions: Number(r.mentions) })) };
}

/** Mentions of one entity value across datasets: how many items, where, when, and a few of them. */
export function entityOccurrences(db: DatabaseSync, types: readonly string[], value: string, dataset: string | undefined, examples: number, hidden: readonly string[] = []) {
  const params: SQLInputValue[] = [...types, value];
  const datasetClause = dataset ? 'AND d.name = ?' : '';
  if (dataset) params.push(dataset);
  const from = `FROM entities e JOIN datasets d ON d.id = e.dataset_id JOIN mentions mn ON mn.entity_id = e.id JOIN messages m ON m.rowid = mn.item_key
                WHERE e.type IN (${types.map(() => '?').join(', ')}) AND e.value = ? ${datasetClause}${andAll(hidden)}`;
  const summary = db.prepare(`SELECT count(DISTINCT mn.item_key) AS n, min(m.ts_ms) AS first, max(m.ts_ms) AS last, group_concat(DISTINCT d.name) AS datasets ${from}`).get(...params)!;
  const ids = db.prepare(`SELECT DISTINCT m.uid, m.rowid ${from} ORDER BY m.rowid DESC LIMIT ?`).all(...params, examples).map((r) => String(r.uid));
  return occurrence(summary, ids);
}

/**
 * Messages an account sent, across the datasets that have it (or the one named). With something
 * hidden, the datasets are those of the visible messages: that a handle is an account of a
 * dataset at all can come from hidden messages alone (a lawyer's number, a party outside the scope).
 */
export function handleOccurrences(db: DatabaseSync, handleFolded: string, dataset: string | undefined, examples: number, hidden: readonly string[] = []) {
  const params: SQLInputValue[] = [handleFolded];
  const datasetClause = dataset ? 'AND d.name = ?' : '';
  if (dataset) params.push(dataset);
  const accounts = `SELECT a.id FROM accounts a JOIN datasets d ON d.id = a.dataset_id WHERE a.handle_folded = ? ${datasetClause}`;
  const datasets = hidden.length === 0
    ? `(SELECT group_concat(DISTINCT d.name) FROM accounts a JOIN datasets d ON d.id = a.dataset_id WHERE a.handle_folded = ? ${datasetClause})`
    : `(SELECT group_concat(DISTINCT d.name) FROM messages m JOIN datasets d ON d.id = m.dataset_id WHERE m.sender_id IN (${accounts})${andAll(hidden)})`;
  const summary = db.prepare(`SELECT count(*) AS n, min(m.ts_ms) AS first, max(m.ts_ms) AS last, ${datasets} AS datasets
                              FROM messages m WHERE m.sender_id IN (${accounts})${andAll(hidden)}`).get(...params, ...params)!;
  const ids = db.prepare(`SELECT m.uid FROM messages m WHERE m.sender_id IN (${accounts})${andAll(hidden)} ORDER BY m.rowid DESC LIMIT ?`)
    .all(...params, examples).map((r) => String(r.uid));
  return occurrence(summary, ids);
}

function occurrence(summary: Row, examples: string[]) {
  const iso = (ms: unknown) => (ms === null || ms === undefined ? undefined : new Date(Number(ms)).toISOString());
  return {
    messages: Number(summary.n ?? 0),
    datasets: summary.datasets ? String(summary.datasets).split(',').sort() : [],
    firstSeen: iso(summary.first),
    lastSeen: iso(summary.last),
    examples,
  };
}

/** Who wrote to whom, aggregated per ordered pair of accounts (keys `platform:handle`). */
export function communicationEdges(db: DatabaseSync, query: EdgeQuery, hidden: readonly string[] = []): CommunicationEdge[] {
  const where = ['m.kind = 0', 'm.recipients IS NOT NULL', ...hidden];
  const params: SQLInputValue[] = [];
  if (query.dataset) {
    where.push('m.dataset_id = (SELECT id FROM datasets WHERE name = ?)');
    params.push(query.dataset);
  }
  if (query.fromMs !== undefined) {
    where.push('m.ts_ms >= ?');
    params.push(query.fromMs);
  }
  if (query.toMs !== undefined) {
    where.push('m.ts_ms < ?');
    params.push(query.toMs);
  }
  const rows = db.prepare(`SELECT m.sender_id AS s, r.value AS t, count(*) AS n, min(m.ts_ms) AS f, max(m.ts_ms) AS l
                           FROM messages m, json_each(m.recipients) r WHERE ${where.join(' AND ')} GROUP BY s, t`).all(...params);
  const keys = new Map<number, string>();
  for (const a of db.prepare('SELECT id, platform, handle FROM accounts').iterate()) keys.set(Number(a.id), `${a.platform}:${a.handle}`);
  return rows.map((r) => ({
    from: keys.get(Number(r.s)) ?? `#${r.s}`,
    to: keys.get(Number(r.t)) ?? `#${r.t}`,
    messages: Number(r.n),
    firstMs: r.f === null ? undefined : Number(r.f),
    lastMs: r.l === null ? undefined : Number(r.l),
  }));
}

export type AccountRow = AccountRef & { id: number; name?: string };

// A privileged party's (a lawyer's) own account: that it is an account of a dataset at all comes
// from the privileged messages, so lookups and link evidence leave it out (see findAccounts).
const NOT_PRIVILEGED = (column: string) => `${column} NOT IN (SELECT account_id FROM privileged_accounts)`;

/**
 * Accounts with this handle (exactly, else case- and accent-folded), optionally in one dataset or
 * platform. `hidePrivileged`: leave out privileged parties' own accounts (for all but reviewers).
 */
export function findAccounts(db: DatabaseSync, handle: string, folded: string, dataset?: string, platform?: string, hidePrivileged = false): AccountRow[] {
  const filters: string[] = hidePrivileged ? [NOT_PRIVILEGED('a.id')] : [];
  const params: SQLInputValue[] = [];
  if (dataset) {
    filters.push('d.name = ?');
    params.push(dataset);
  }
  if (platform) {
    filters.push('a.platform = ?');
    params.push(platform);
  }
  const extra = filters.length > 0 ? `AND ${filters.join(' AND ')}` : '';
  const select = `SELECT a.id, d.name AS dataset, a.platform, a.handle, a.name FROM accounts a JOIN datasets d ON d.id = a.dataset_id`;
  let rows = db.prepare(`${select} WHERE a.handle = ? ${extra} ORDER BY d.name, a.platform`).all(handle, ...params);
  if (rows.length === 0) rows = db.prepare(`${select} WHERE a.handle_folded = ? ${extra} ORDER BY d.name, a.platform`).all(folded, ...params);
  return rows.map(toAccountRow);
}

export function accountById(db: DatabaseSync, id: number): AccountRow | undefined {
  const row = db.prepare('SELECT a.id, d.name AS dataset, a.platform, a.handle, a.name FROM accounts a JOIN datasets d ON d.id = a.dataset_id WHERE a.id = ?').get(id);
  return row ? toAccountRow(row) : undefined;
}

function toAccountRow(r: Row): AccountRow {
  return { id: Number(r.id), dataset: String(r.dataset), platform: String(r.platform), handle: String(r.handle), name: r.name === null ? undefined : String(r.name) };
}

/** The facts of an account's profile that SQL answers; aliases and names are reconciled by the caller. */
export function accountFacts(db: DatabaseSync, id: number, contactLimit: number, hidden: readonly string[] = []) {
  const visible = andAll(hidden);
  const savedAliases = db.prepare(`SELECT c.alias, o.handle AS owner FROM contacts c JOIN accounts o ON o.id = c.owner_id WHERE c.contact_id = ? AND c.alias != ''`)
    .all(id).map((r) => ({ alias: String(r.alias), owner: String(r.owner) }));
  const devices = db.prepare(`SELECT d.imei, d.model, ad.since FROM account_devices ad JOIN devices d ON d.id = ad.device_id WHERE ad.account_id = ? ORDER BY ad.since`)
    .all(id).map((r) => ({ imei: optional(r.imei), model: optional(r.model), since: optional(r.since) }));
  const sent = db.prepare(`SELECT count(*) AS n, min(m.ts_ms) AS first, max(m.ts_ms) AS last FROM messages m WHERE m.sender_id = ?${visible}`).get(id)!;
  // a conversation's messages reach all its members: groups included
  const inConversations = 'SELECT conversation_id FROM conversation_members WHERE account_id = ?';
  const received = db.prepare(`SELECT count(*) AS n, min(m.ts_ms) AS first, max(m.ts_ms) AS last FROM messages m
                               WHERE m.conversation_id IN (${inConversations}) AND m.sender_id != ?${visible}`).get(id, id)!;
  const sentTo = db.prepare(`SELECT CAST(r.value AS INTEGER) AS other, count(*) AS n FROM messages m, json_each(m.recipients) r
                             WHERE m.sender_id = ?${visible} GROUP BY other`).all(id);
  const receivedFrom = db.prepare(`SELECT m.sender_id AS other, count(*) AS n FROM messages m WHERE m.conversation_id IN (${inConversations}) AND m.sender_id != ?${visible}
                                   GROUP BY m.sender_id`).all(id, id);
  const top = topContacts(sentTo, receivedFrom, id, contactLimit);
  const names = new Map(top.map(([other]) => [other, accountById(db, other)]));
  const byHour = Array.from({ length: 24 }, () => 0);
  const byWeekday = Array.from({ length: 7 }, () => 0);
  const byWeekdayHour = Array.from({ length: 7 }, () => Array.from({ length: 24 }, () => 0));
  for (const r of db.prepare(`SELECT (m.ts_ms / 3600000) % 24 AS h, ((m.ts_ms / 86400000) + 4) % 7 AS w, count(*) AS n FROM messages m
                              WHERE m.sender_id = ? AND m.ts_ms IS NOT NULL${visible} GROUP BY h, w`).all(id)) {
    byHour[Number(r.h)]! += Number(r.n);
    byWeekday[Number(r.w)]! += Number(r.n);
    byWeekdayHour[Number(r.w)]![Number(r.h)]! += Number(r.n);
  }
  const entities = db.prepare(`SELECT e.type, e.value, count(*) AS n FROM messages m JOIN mentions mn ON mn.item_key = m.rowid JOIN entities e ON e.id = mn.entity_id
                               WHERE m.sender_id = ?${visible} GROUP BY e.id ORDER BY n DESC, e.type, e.value LIMIT 200`)
    .all(id).map((r) => ({ type: String(r.type), value: String(r.value), count: Number(r.n) }));
  const firsts = [sent.first, received.first].filter((v) => v !== null).map(Number);
  const lasts = [sent.last, received.last].filter((v) => v !== null).map(Number);
  return {
    savedAliases,
    devices,
    entities,
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
// privileged party's account: not its handle, its exposures, its devices or its names.

/** Accounts that used a handset with the same IMEI (in any dataset). */
export function sharedDevices(db: DatabaseSync): { a: number; b: number; imei: string; sinceA?: string; sinceB?: string }[] {
  return db.prepare(`SELECT a1.account_id AS a, a2.account_id AS b, d1.imei, a1.since AS sa, a2.since AS sb
                     FROM devices d1 JOIN devices d2 ON d2.imei = d1.imei
                     JOIN account_devices a1 ON a1.device_id = d1.id JOIN account_devices a2 ON a2.device_id = d2.id
                     WHERE d1.imei IS NOT NULL AND d1.imei != '' AND a1.account_id < a2.account_id
                     AND ${NOT_PRIVILEGED('a1.account_id')} AND ${NOT_PRIVILEGED('a2.account_id')}`).all()
    .map((r) => ({ a: Number(r.a), b: Number(r.b), imei: String(r.imei), sinceA: optional(r.sa), sinceB: optional(r.sb) }));
}

/** Handles that may be phone numbers or e-mail addresses themselves (WhatsApp, SMS, mail, site accounts). */
export function identifierLikeHandles(db: DatabaseSync): { id: number; handle: string }[] {
  return db.prepare(`SELECT id, handle FROM accounts WHERE (handle LIKE '%@%' OR handle GLOB '*[0-9][0-9][0-9][0-9][0-9][0-9]*') AND ${NOT_PRIVILEGED('id')}`).all()
    .map((r) => ({ id: Number(r.id), handle: String(r.handle) }));
}

/** Identifiers a site database gave its accounts (through their credential exposures). */
export function exposureIdentifiers(db: DatabaseSync): { id: number; type: string; value: string }[] {
  return db.prepare(`SELECT account_id, identifier_type, identifier FROM exposures WHERE account_id IS NOT NULL AND ${NOT_PRIVILEGED('account_id')}`).all()
    .map((r) => ({ id: Number(r.account_id), type: String(r.identifier_type), value: String(r.identifier) }));
}

/** Senders of messages that mention this entity, with how many such messages and the newest one. */
export function sendersMentioning(db: DatabaseSync, type: string, value: string, hidden: readonly string[] = []): { account: number; messages: number; example: string }[] {
  return db.prepare(`SELECT m.sender_id AS a, count(DISTINCT m.rowid) AS n, max(m.uid) AS example
                     FROM entities e JOIN mentions mn ON mn.entity_id = e.id JOIN messages m ON m.rowid = mn.item_key
                     WHERE e.type = ? AND e.value = ?${andAll(hidden)} GROUP BY m.sender_id`).all(type, value)
    .map((r) => ({ account: Number(r.a), messages: Number(r.n), example: String(r.example) }));
}

/** Every saved alias and every display name, for matching names across accounts. */
export function namesOfAccounts(db: DatabaseSync): { aliases: { account: number; alias: string; owner: string }[]; names: { account: number; name: string }[] } {
  const aliases = db.prepare(`SELECT c.contact_id AS a, c.alias, o.handle AS owner FROM contacts c JOIN accounts o ON o.id = c.owner_id WHERE c.alias != ''
                             AND ${NOT_PRIVILEGED('c.contact_id')} AND ${NOT_PRIVILEGED('c.owner_id')}`).all()
    .map((r) => ({ account: Number(r.a), alias: String(r.alias), owner: String(r.owner) }));
  const names = db.prepare(`SELECT id, name FROM accounts WHERE name IS NOT NULL AND name != '' AND ${NOT_PRIVILEGED('id')}`).all()
    .map((r) => ({ account: Number(r.id), name: String(r.name) }));
  return { aliases, names };
}

export type LinkQuery = { account?: number; status?: LinkStatus; datasets?: readonly string[]; limit: number; offset: number };

export function listLinks(db: DatabaseSync, query: LinkQuery): { total: number; links: AccountLink[] } {
  const where: string[] = [];
  const params: SQLInputValue[] = [];
  if (query.account !== undefined) {
    where.push('(l.a_id = ? OR l.b_id = ?)');
    params.push(query.account, query.account);
  }
  if (query.status) {
    where.push('l.status = ?');
    params.push(query.status);
  }
  if (query.datasets) {
    // both ends must be readable: a link also tells who the other account is
    const within = `(SELECT a.id FROM accounts a JOIN datasets d ON d.id = a.dataset_id WHERE d.name IN (${query.datasets.map(() => '?').join(', ') || 'NULL'}))`;
    where.push(`l.a_id IN ${within} AND l.b_id IN ${within}`);
    params.push(...query.datasets, ...query.datasets);
  }
  const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
  const total = Number(db.prepare(`SELECT count(*) AS n FROM account_links l ${clause}`).get(...params)?.n ?? 0);
  const rows = db.prepare(`SELECT l.* FROM account_links l ${clause} ORDER BY l.score DESC, l.id LIMIT ? OFFSET ?`).all(...params, query.limit, query.offset);
  return { total, links: rows.map((r) => toLink(db, r)) };
}

export function linkById(db: DatabaseSync, id: number): AccountLink | undefined {
  const row = db.prepare('SELECT * FROM account_links WHERE id = ?').get(id);
  return row ? toLink(db, row) : undefined;
}

function toLink(db: DatabaseSync, r: Row): AccountLink {
  const ref = (id: unknown): AccountRef => {
    const a = accountById(db, Number(id));
    return a ? { dataset: a.dataset, platform: a.platform, handle: a.handle } : { dataset: '', platform: '', handle: `#${id}` };
  };
  return {
    id: Number(r.id), a: ref(r.a_id), b: ref(r.b_id), kind: String(r.kind) as LinkKind, score: Number(r.score),
    evidence: JSON.parse(String(r.evidence)) as LinkEvidence[], status: String(r.status) as LinkStatus,
    decidedBy: optional(r.decided_by), decidedAt: optional(r.decided_at), note: optional(r.note),
  };
}

function optional(v: unknown): string | undefined {
  return v === null || v === undefined ? undefined : String(v);
}
