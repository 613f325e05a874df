// Cases and discovery candidates in the PostgreSQL store, as the SQLite store's cases.ts. A case
// links to evidence by reference and never copies or changes it; annotations and tags live beside
// the evidence. Message ids given by callers are located once, in one query, as (dataset_id, key).
//
// Names and timestamps (ISO 8601 text) are ordered COLLATE "C", bytewise as SQLite orders them,
// whatever the database's locale.
import type { Viewer } from '../../model/security.ts';
import type { Alert } from '../../model/triage.ts';
import type { Annotation, Case, CaseItem, CaseItemKind, CaseQuery, CaseStatus } from '../../model/cases.ts';
import type { DiscoveryMessage } from '../../model/discovery.ts';
import type { NewCase } from '../store.ts';
import type { Queryable, Row } from './db.ts';
import type { PostgresStore } from './pg-store.ts';
import { accountIdsOf, optional } from './rows.ts';
import { andAll, visibilityConditions } from './scope.ts';
import { alertsOnMessages, datasetIdOf } from './triage.ts';

type S = PostgresStore;
type Located = { datasetId: number; key: number };

function toCase(r: Row): Case {
  return {
    id: Number(r.id), name: String(r.name), title: optional(r.title), description: optional(r.description),
    status: String(r.status) as CaseStatus, candidate: optional(r.candidate), createdBy: String(r.created_by), createdAt: String(r.created_at),
  };
}

async function caseId(db: Queryable, name: string): Promise<number | undefined> {
  const row = await db.one<{ id: number }>('SELECT id FROM cases WHERE name = $1', [name]);
  return row === undefined ? undefined : Number(row.id);
}

/** Where these message ids are stored, in the order given; unknown ids are left out (as the SQLite store's rowidsOf). */
async function locateAll(db: Queryable, ids: readonly string[]): Promise<Located[]> {
  if (ids.length === 0) return [];
  const rows = await db.query('SELECT DISTINCT ON (uid) uid, dataset_id, key FROM messages WHERE uid = ANY($1::text[]) ORDER BY uid, dataset_id, key', [[...new Set(ids)]]);
  const at = new Map(rows.map((r) => [String(r.uid), { datasetId: Number(r.dataset_id), key: Number(r.key) }]));
  return ids.flatMap((id) => at.get(id) ?? []);
}

export async function createCase(s: S, c: NewCase, createdBy: string): Promise<Case | undefined> {
  // a look first: an INSERT that meets a conflict would still spend an id (ids are the SQLite store's)
  if (await findCase(s, c.name)) return undefined;
  const added = await s.db.run('INSERT INTO cases (name, title, description, candidate, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (name) DO NOTHING',
    [c.name, c.title ?? null, c.description ?? null, c.candidate ?? null, createdBy, new Date().toISOString()]);
  return added === 0 ? undefined : findCase(s, c.name);
}

export async function findCase(s: S, name: string): Promise<Case | undefined> {
  const row = await s.db.one('SELECT * FROM cases WHERE name = $1', [name]);
  return row ? toCase(row) : undefined;
}

export async function cases(s: S, names?: readonly string[]): Promise<(Case & { items: number })[]> {
  if (names !== undefined && names.length === 0) return [];
  const filter = names === undefined ? '' : ' WHERE c.name = ANY($1::text[])';
  return (await s.db.query(`SELECT c.*, (SELECT count(*) FROM case_items i WHERE i.case_id = c.id) AS items FROM cases c${filter}
                            ORDER BY c.created_at COLLATE "C" DESC, c.id DESC`, names === undefined ? [] : [names]))
    .map((r) => ({ ...toCase(r), items: Number(r.items) }));
}

export async function setCaseStatus(s: S, name: string, status: CaseStatus): Promise<boolean> {
  return (await s.db.run('UPDATE cases SET status = $1 WHERE name = $2', [status, name])) > 0;
}

/** Links items to a case (idempotent; tags are merged into an item already linked); returns how many were new. */
export async function addCaseItems(s: S, name: string, items: readonly { kind: CaseItemKind; ref: string; tags?: readonly string[] }[], addedBy: string): Promise<number> {
  const at = new Date().toISOString();
  return s.db.tx(async (c) => {
    // the case row is locked: two analysts adding the same item at once merge their tags one after the other
    const row = await c.one<{ id: number }>('SELECT id FROM cases WHERE name = $1 FOR UPDATE', [name]);
    if (!row) throw new Error(`no case ${name}`);
    const id = Number(row.id);
    // an item named twice in one call is one item with both tag lists, as two calls would leave it
    const given = new Map<string, { kind: CaseItemKind; ref: string; tags: string[] }>();
    for (const item of items) {
      const at = `${item.kind}\u0000${item.ref}`;
      const before = given.get(at);
      given.set(at, { kind: item.kind, ref: item.ref, tags: [...new Set([...(before?.tags ?? []), ...(item.tags ?? [])])] });
    }
    const wanted = [...given.values()];
    if (wanted.length === 0) return 0;
    const existing = new Map((await c.query(`SELECT kind, ref, tags FROM case_items WHERE case_id = $1 AND (kind, ref) IN (SELECT * FROM unnest($2::text[], $3::text[]))`,
      [id, wanted.map((i) => i.kind), wanted.map((i) => i.ref)])).map((r) => [`${r.kind}\u0000${r.ref}`, JSON.parse(String(r.tags)) as string[]]));
    const fresh = wanted.filter((i) => !existing.has(`${i.kind}\u0000${i.ref}`));
    const merged = wanted.flatMap((i) => {
      const tags = existing.get(`${i.kind}\u0000${i.ref}`);
      return tags === undefined ? [] : [{ ...i, tags: [...new Set([...tags, ...i.tags])] }];
    });
    if (merged.length > 0) {
      await c.run(`UPDATE case_items ci SET tags = x.g FROM unnest($2::text[], $3::text[], $4::text[]) AS x(k, r, g) WHERE ci.case_id = $1 AND ci.kind = x.k AND ci.ref = x.r`,
        [id, merged.map((i) => i.kind), merged.map((i) => i.ref), merged.map((i) => JSON.stringify(i.tags))]);
    }
    if (fresh.length > 0) {
      await c.run(`INSERT INTO case_items (case_id, kind, ref, tags, added_by, added_at) SELECT $1, k, r, g, $2, $3 FROM unnest($4::text[], $5::text[], $6::text[]) AS x(k, r, g)`,
        [id, addedBy, at, fresh.map((i) => i.kind), fresh.map((i) => i.ref), fresh.map((i) => JSON.stringify(i.tags))]);
    }
    return fresh.length;
  });
}

export async function caseItems(s: S, name: string): Promise<CaseItem[]> {
  const id = await caseId(s.db, name);
  if (id === undefined) return [];
  return (await s.db.query('SELECT kind, ref, tags, added_by, added_at FROM case_items WHERE case_id = $1 ORDER BY added_at COLLATE "C", kind COLLATE "C", ref COLLATE "C"', [id]))
    .map((r) => ({
      kind: String(r.kind) as CaseItemKind, ref: String(r.ref), tags: JSON.parse(String(r.tags)) as string[], addedBy: String(r.added_by), addedAt: String(r.added_at),
    }));
}

export async function addAnnotation(s: S, name: string, a: Omit<Annotation, 'id' | 'at'>): Promise<Annotation | undefined> {
  const id = await caseId(s.db, name);
  if (id === undefined) return undefined;
  const at = new Date().toISOString();
  const row = (await s.db.one<{ id: number }>(`INSERT INTO case_annotations (case_id, target_kind, target_ref, kind, text, author, at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [id, a.target?.kind ?? null, a.target?.ref ?? null, a.kind, a.text, a.author, at]))!;
  return { id: Number(row.id), ...(a.target ? { target: a.target } : {}), kind: a.kind, text: a.text, author: a.author, at };
}

export async function annotations(s: S, name: string): Promise<Annotation[]> {
  const id = await caseId(s.db, name);
  if (id === undefined) return [];
  return (await s.db.query('SELECT * FROM case_annotations WHERE case_id = $1 ORDER BY id', [id])).map((r) => ({
    id: Number(r.id),
    ...(r.target_kind == null ? {} : { target: { kind: String(r.target_kind) as CaseItemKind, ref: String(r.target_ref) } }),
    kind: String(r.kind) as Annotation['kind'], text: String(r.text), author: String(r.author), at: String(r.at),
  }));
}

export async function addCaseQuery(s: S, name: string, q: Omit<CaseQuery, 'at'>): Promise<void> {
  const id = await caseId(s.db, name);
  if (id === undefined) throw new Error(`no case ${name}`);
  await s.db.run('INSERT INTO case_queries (case_id, kind, text, dataset, hits, added_by, at) VALUES ($1, $2, $3, $4, $5, $6, $7)',
    [id, q.kind, q.text, q.dataset ?? null, q.hits ?? null, q.addedBy, new Date().toISOString()]);
}

export async function caseQueries(s: S, name: string): Promise<CaseQuery[]> {
  const id = await caseId(s.db, name);
  if (id === undefined) return [];
  return (await s.db.query('SELECT * FROM case_queries WHERE case_id = $1 ORDER BY id', [id])).map((r) => ({
    kind: String(r.kind) as CaseQuery['kind'], text: String(r.text), dataset: optional(r.dataset),
    ...(r.hits == null ? {} : { hits: Number(r.hits) }), addedBy: String(r.added_by), at: String(r.at),
  }));
}

/**
 * Alerts on the given messages, message by message in the order given, each one's highest first.
 * The ids are those of the case's messages as its reader sees them (bundle.ts), so no viewer
 * condition is added here: a privilege reviewer's bundle keeps the alerts of privileged messages.
 */
export async function alertsOfMessages(s: S, ids: readonly string[]): Promise<Alert[]> {
  return alertsOnMessages(s, await locateAll(s.db, ids));
}

export async function caseAccount(s: S, id: number): Promise<{ id: number; dataset: string; platform: string; handle: string; name?: string; aliases: string[]; messages: number } | undefined> {
  const row = await s.db.one(`SELECT a.id, a.dataset_id, a.platform, a.handle, a.name, d.name AS dataset,
                                (SELECT count(*) FROM messages m WHERE m.dataset_id = a.dataset_id AND m.sender_id = a.id) AS messages
                              FROM accounts a JOIN datasets d ON d.id = a.dataset_id WHERE a.id = $1`, [id]);
  if (!row) return undefined;
  const aliases = (await s.db.query(`SELECT alias, count(*) AS n FROM contacts WHERE dataset_id = $1 AND contact_id = $2 AND alias <> ''
                                     GROUP BY alias ORDER BY n DESC, alias COLLATE "C" LIMIT 20`, [Number(row.dataset_id), id]))
    .map((r) => String(r.alias));
  return {
    id: Number(row.id), dataset: String(row.dataset), platform: String(row.platform), handle: String(row.handle),
    ...(row.name == null ? {} : { name: String(row.name) }), aliases, messages: Number(row.messages),
  };
}

/** Mentions per entity within the given messages (a message named twice counts twice, as in the SQLite store). */
export async function entityCounts(s: S, ids: readonly string[]): Promise<{ type: string; value: string; mentions: number }[]> {
  const located = await locateAll(s.db, ids);
  if (located.length === 0) return [];
  const times = new Map<string, number>();
  for (const m of located) times.set(`${m.datasetId}:${m.key}`, (times.get(`${m.datasetId}:${m.key}`) ?? 0) + 1);
  const rows = await s.db.query(`SELECT mn.dataset_id, mn.item_key, e.type, e.value, count(*) AS n FROM mentions mn
                                 JOIN entities e ON e.dataset_id = mn.dataset_id AND e.id = mn.entity_id
                                 WHERE (mn.dataset_id, mn.item_key) IN (SELECT * FROM unnest($1::bigint[], $2::bigint[]))
                                 GROUP BY mn.dataset_id, mn.item_key, e.type, e.value`, [located.map((m) => m.datasetId), located.map((m) => m.key)]);
  const counts = new Map<string, { type: string; value: string; mentions: number }>();
  for (const r of rows) {
    const id = `${r.type}:${r.value}`;
    const entry = counts.get(id) ?? { type: String(r.type), value: String(r.value), mentions: 0 };
    entry.mentions += Number(r.n) * times.get(`${r.dataset_id}:${r.item_key}`)!;
    counts.set(id, entry);
  }
  return [...counts.values()].sort((a, b) => b.mentions - a.mentions || a.type.localeCompare(b.type) || a.value.localeCompare(b.value));
}

/** Tool runs that produced mentions, findings or alerts in the given messages, in the order they were first used. */
export async function toolrunsOf(s: S, ids: readonly string[]): Promise<{ component: string; version: string }[]> {
  const located = await locateAll(s.db, ids);
  if (located.length === 0) return [];
  const messages = 'SELECT * FROM unnest($1::bigint[], $2::bigint[])';
  return (await s.db.query(`SELECT t.component, t.version FROM toolruns t WHERE t.id IN (
                              SELECT toolrun_id FROM mentions WHERE (dataset_id, item_key) IN (${messages})
                              UNION SELECT toolrun_id FROM findings WHERE (dataset_id, item_key) IN (${messages})
                              UNION SELECT toolrun_id FROM alerts WHERE (dataset_id, item_key) IN (${messages}))
                            ORDER BY t.id`, [located.map((m) => m.datasetId), located.map((m) => m.key)]))
    .map((r) => ({ component: String(r.component), version: String(r.version) }));
}

// ---- discovery

const DISCOVERY_CHUNK = 20_000;

/** Messages (not notes) of a dataset in time order with their entities and threat score, read in chunks. */
export async function* discoveryMessages(s: S, dataset: string, viewer?: Viewer): AsyncGenerator<DiscoveryMessage> {
  const datasetId = await datasetIdOf(s.db, dataset);
  if (datasetId === undefined) return;
  const visible = andAll(await visibilityConditions(s.db, viewer));
  let after = Number.MIN_SAFE_INTEGER;
  for (;;) {
    const rows = await s.db.query(`SELECT m.key, m.uid, m.ts_ms, m.sender_id, m.recipients, m.body, m.lang,
                                     (SELECT f.score FROM findings f WHERE f.dataset_id = m.dataset_id AND f.item_key = m.key AND f.kind = 'threat') AS threat
                                   FROM messages m WHERE m.dataset_id = $1 AND m.kind = 0 AND m.ts_ms IS NOT NULL AND m.key > $2${visible}
                                   ORDER BY m.key LIMIT $3`, [datasetId, after, DISCOVERY_CHUNK]);
    if (rows.length === 0) return;
    const keys = rows.map((r) => Number(r.key));
    const handles = await s.handles(accountIdsOf(rows));
    // a message's entities by entity id, as the SQLite store's mentions_by_item index hands them
    // over (ingest numbers entities in the same order in both stores)
    const entities = new Map<number, { type: string; value: string }[]>();
    for (const e of await s.db.query(`SELECT mn.item_key, e.type, e.value FROM mentions mn JOIN entities e ON e.dataset_id = mn.dataset_id AND e.id = mn.entity_id
                                      WHERE mn.dataset_id = $1 AND mn.item_key = ANY($2::bigint[]) ORDER BY mn.item_key, mn.entity_id, mn.start`, [datasetId, keys])) {
      const key = Number(e.item_key);
      entities.set(key, [...(entities.get(key) ?? []), { type: String(e.type), value: String(e.value) }]);
    }
    for (const r of rows) {
      const recipients = ((r.recipients as unknown[] | null) ?? []).map(Number);
      yield {
        id: String(r.uid), tsMs: Number(r.ts_ms), dataset, from: handles.get(Number(r.sender_id))!, to: recipients.map((x) => handles.get(x)!),
        body: String(r.body), lang: optional(r.lang),
        entities: entities.get(Number(r.key)) ?? [],
        ...(r.threat == null ? {} : { threat: Number(r.threat) }),
      };
    }
    after = keys.at(-1)!;
  }
}

export async function saveCandidates(s: S, dataset: string, view: string, candidates: readonly { id: string; score: number; candidate: unknown }[], toolrun: { component: string; version: string }): Promise<void> {
  const datasetId = await datasetIdOf(s.db, dataset);
  if (datasetId === undefined) throw new Error(`no dataset ${dataset}`);
  const run = await s.toolrunId(toolrun.component, toolrun.version);
  const at = new Date().toISOString();
  // a candidate id given twice keeps its last place, as upserts one after another would leave it
  const ranked = new Map<string, { rank: number; score: number; candidate: string }>();
  candidates.forEach((c, i) => ranked.set(c.id, { rank: i + 1, score: c.score, candidate: JSON.stringify(c.candidate) }));
  const rows = [...ranked];
  await s.db.tx(async (c) => {
    // two runs saving the same dataset and view take turns: the later one's list replaces the
    // earlier's whole, instead of its inserts meeting rows its delete could not yet see
    await c.query(`SELECT pg_advisory_xact_lock(hashtextextended('lode:case_candidates:' || $1::text || ':' || $2::text, 0)) AS locked`, [datasetId, view]);
    await c.run('DELETE FROM case_candidates WHERE dataset_id = $1 AND view = $2', [datasetId, view]);
    if (rows.length === 0) return;
    await c.run(`INSERT INTO case_candidates (dataset_id, id, view, rank, score, candidate, toolrun_id, found_at)
                 SELECT $1, i, $2, r, s, c, $3, $4 FROM unnest($5::text[], $6::int[], $7::float8[], $8::text[]) AS x(i, r, s, c)`,
    [datasetId, view, run, at, rows.map(([id]) => id), rows.map(([, r]) => r.rank), rows.map(([, r]) => r.score), rows.map(([, r]) => r.candidate)]);
  });
}

export async function candidates(s: S, view: string, datasets?: readonly string[]): Promise<{ id: string; dataset: string; rank: number; candidate: unknown; foundAt: string }[]> {
  if (datasets !== undefined && datasets.length === 0) return [];
  const filter = datasets === undefined ? '' : ' AND d.name = ANY($2::text[])';
  return (await s.db.query(`SELECT c.id, d.name AS dataset, c.rank, c.candidate, c.found_at FROM case_candidates c JOIN datasets d ON d.id = c.dataset_id
                            WHERE c.view = $1${filter} ORDER BY c.score DESC, c.rank, d.name COLLATE "C", c.id COLLATE "C"`, datasets === undefined ? [view] : [view, datasets]))
    .map((r) => ({ id: String(r.id), dataset: String(r.dataset), rank: Number(r.rank), candidate: JSON.parse(String(r.candidate)) as unknown, foundAt: String(r.found_at) }));
}
