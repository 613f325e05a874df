// Findings, alerts and watchlists in the PostgreSQL store, as the SQLite store's triage.ts (the
// findings and alerts of new messages are written by ingest.ts). Alerts are evidence reads: the
// queue carries the dataset grants and the viewer's scope and privilege conditions, so totals
// never count hidden alerts. A message is (dataset_id, key); alert ids are unique over the store
// (alerts_by_id), so an alert is found by its id alone.
//
// Names are ordered COLLATE "C" (bytewise, as SQLite orders them) whatever the database's locale.
import type { Alert, AlertKind, AlertNote, AlertReason, AlertStatus, TriageFinding, Watchlist } from '../../model/triage.ts';
import type { Viewer } from '../../model/security.ts';
import type { QueryNode } from '../../search/ast.ts';
import { compilePostgres } from '../../search/compile-postgres.ts';
import type { AlertChange, AlertQuery, NewWatchlist, RescoreChunk, TriageRow, WatchlistRun } from '../store.ts';
import { Params, type Queryable, type Row } from './db.ts';
import type { PostgresStore } from './pg-store.ts';
import { MESSAGE_SELECT, accountIdsOf, optional, toStoredMessage } from './rows.ts';
import { visibilityConditions } from './scope.ts';
import { expandFuzzy } from './search.ts';
import { toAlert, toAlertNote, toWatchlist } from '../row-models.ts';

type S = PostgresStore;

export const WATCHLIST_TOOLRUN = { component: 'lode-watchlists', version: '1.0.0' };

// an alert explains itself with its first reasons; a message with hundreds of hits needs no more
const MAX_REASONS = 20;
// a backfill may raise an alert on every message: its alerts travel in parts of this many
const RAISE_CHUNK = 10_000;

export async function datasetIdOf(db: Queryable, name: string): Promise<number | undefined> {
  const row = await db.one<{ id: number }>('SELECT id FROM datasets WHERE name = $1', [name]);
  return row === undefined ? undefined : Number(row.id);
}

// ---- raising alerts

/** An alert to raise (or refresh) on the message at (datasetId, key). */
type Raise = { datasetId: number; key: number; kind: AlertKind; watchlist: number; score: number; category?: string; reasons: readonly AlertReason[] };

/**
 * Raises alerts, or refreshes the score and reasons of those already raised for the same message,
 * kind and watchlist: their status, assignee and notes (the analyst's work) stay. Returns how many
 * are new. Set-based: one INSERT and one UPDATE per RAISE_CHUNK, ids given in the order raised.
 */
async function raiseAlerts(c: Queryable, raises: readonly Raise[], toolrun: number, at: string): Promise<number> {
  let added = 0;
  for (let from = 0; from < raises.length; from += RAISE_CHUNK) {
    const part = raises.slice(from, from + RAISE_CHUNK);
    const columns = [
      part.map((r) => r.kind), part.map((r) => r.datasetId), part.map((r) => r.key), part.map((r) => r.watchlist),
      part.map((r) => r.score), part.map((r) => r.category ?? null), part.map((r) => JSON.stringify(r.reasons)),
    ];
    const rowsFrom = (first: number) => `unnest($${first}::text[], $${first + 1}::bigint[], $${first + 2}::bigint[], $${first + 3}::bigint[], $${first + 4}::float8[],
      $${first + 5}::text[], $${first + 6}::text[]) WITH ORDINALITY AS x(t, d, k, w, s, g, r, n)`;
    // only the new ones reach the INSERT: one that meets a conflict would still spend an id (ids are the SQLite store's)
    added += await c.run(`INSERT INTO alerts (kind, dataset_id, item_key, watchlist_id, score, category, reasons, toolrun_id, created_at, updated_at)
                          SELECT t, d, k, w, s, g, r, $1, $2, $2 FROM ${rowsFrom(3)}
                          WHERE NOT EXISTS (SELECT 1 FROM alerts al WHERE al.dataset_id = x.d AND al.kind = x.t AND al.item_key = x.k AND al.watchlist_id = x.w)
                          ORDER BY n
                          ON CONFLICT (dataset_id, kind, item_key, watchlist_id) DO NOTHING`, [toolrun, at, ...columns]);
    // the ones just inserted already carry these values, so only older alerts are refreshed
    await c.run(`UPDATE alerts al SET score = x.s, category = x.g, reasons = x.r, toolrun_id = $1 FROM ${rowsFrom(2)}
                 WHERE al.dataset_id = x.d AND al.kind = x.t AND al.item_key = x.k AND al.watchlist_id = x.w
                   AND (al.score IS DISTINCT FROM x.s OR al.reasons IS DISTINCT FROM x.r)`, [toolrun, ...columns]);
  }
  return added;
}

// ---- the alert queue

type AlertFilter = Pick<AlertQuery, 'kind' | 'status' | 'assignee' | 'dataset' | 'datasets' | 'viewer'>;

async function alertConditions(db: Queryable, p: Params, query: AlertFilter): Promise<string[]> {
  const where: string[] = [];
  if (query.kind) where.push(`al.kind = ${p.add(query.kind)}`);
  if (query.status !== undefined) {
    const statuses: readonly AlertStatus[] = typeof query.status === 'string' ? [query.status] : query.status;
    where.push(statuses.length === 0 ? 'FALSE' : `al.status = ANY(${p.add(statuses)}::text[])`);
  }
  if (query.assignee) where.push(`al.assignee = ${p.add(query.assignee)}`);
  if (query.dataset) where.push(`al.dataset_id IN (SELECT id FROM datasets WHERE name = ${p.add(query.dataset)})`);
  if (query.datasets) {
    where.push(query.datasets.length === 0 ? 'FALSE' : `al.dataset_id IN (SELECT id FROM datasets WHERE name = ANY(${p.add(query.datasets)}::text[]))`);
  }
  where.push(...(await visibilityConditions(db, query.viewer)));
  return where;
}

// the message is joined even where nothing is hidden: an alert is shown with its message
const ALERT_FROM = 'FROM alerts al JOIN messages m ON m.dataset_id = al.dataset_id AND m.key = al.item_key';
const ALERT_SELECT = `SELECT al.id, al.kind, al.dataset_id, al.item_key, al.score, al.category, al.reasons, al.status, al.assignee, al.created_at, al.updated_at,
    w.name AS watchlist_name, t.component, t.version
  ${ALERT_FROM}
  LEFT JOIN watchlists w ON w.id = al.watchlist_id
  JOIN toolruns t ON t.id = al.toolrun_id`;

export async function alerts(s: S, query: AlertQuery): Promise<{ total: number; alerts: Alert[] }> {
  const p = new Params();
  const where = await alertConditions(s.db, p, query);
  const clause = where.length > 0 ? ` WHERE ${where.join(' AND ')}` : '';
  const total = Number((await s.db.one(`SELECT count(*) AS n ${ALERT_FROM}${clause}`, p.values))?.n ?? 0);
  // highest first; among equal scores the newest message first (a fresh threat before an old one)
  const rows = await s.db.query(`${ALERT_SELECT}${clause} ORDER BY al.score DESC, al.item_key DESC, al.id LIMIT ${p.add(query.limit)} OFFSET ${p.add(query.offset)}`, p.values);
  return { total, alerts: await toAlerts(s, rows) };
}

export async function alert(s: S, id: number, viewer?: Viewer, datasets?: readonly string[]): Promise<Alert | undefined> {
  const p = new Params();
  const where = [`al.id = ${p.add(id)}`, ...(await alertConditions(s.db, p, { viewer, datasets }))];
  const row = await s.db.one(`${ALERT_SELECT} WHERE ${where.join(' AND ')}`, p.values);
  return row ? (await toAlerts(s, [row]))[0] : undefined;
}

/** Alerts on these messages, whatever their status, each message's highest first (for a case bundle). */
export async function alertsOnMessages(s: S, messages: readonly { datasetId: number; key: number }[]): Promise<Alert[]> {
  if (messages.length === 0) return [];
  const rows = await s.db.query(`${ALERT_SELECT} WHERE (al.dataset_id, al.item_key) IN (SELECT * FROM unnest($1::bigint[], $2::bigint[]))
                                 ORDER BY al.score DESC, al.id`, [messages.map((m) => m.datasetId), messages.map((m) => m.key)]);
  const found = await toAlerts(s, rows);
  const byMessage = new Map<string, Alert[]>();
  rows.forEach((row, i) => {
    const at = `${row.dataset_id}:${row.item_key}`;
    byMessage.set(at, [...(byMessage.get(at) ?? []), found[i]!]);
  });
  return messages.flatMap((m) => byMessage.get(`${m.datasetId}:${m.key}`) ?? []);
}

export async function updateAlert(s: S, id: number, change: AlertChange, actor: string, viewer?: Viewer): Promise<Alert | undefined> {
  // an alert the viewer may not see (a privileged party's, one outside a warrant) is not changed
  if (!(await alert(s, id, viewer))) return undefined;
  const at = new Date().toISOString();
  const found = await s.db.tx(async (c) => {
    const row = await c.one<{ dataset_id: number }>('SELECT dataset_id FROM alerts WHERE id = $1 FOR UPDATE', [id]);
    if (!row) return false;
    const p = new Params();
    const sets: string[] = [];
    if (change.status) sets.push(`status = ${p.add(change.status)}`);
    if (change.assignee !== undefined) sets.push(`assignee = ${p.add(change.assignee)}`);
    if (change.note) {
      await c.run('INSERT INTO alert_notes (dataset_id, alert_id, author, at, text) VALUES ($1, $2, $3, $4, $5)', [Number(row.dataset_id), id, actor, at, change.note]);
    }
    // a change of nothing leaves updated_at as it was
    if (sets.length > 0 || change.note) {
      sets.push(`updated_at = ${p.add(at)}`);
      await c.run(`UPDATE alerts SET ${sets.join(', ')} WHERE dataset_id = ${p.add(Number(row.dataset_id))} AND id = ${p.add(id)}`, p.values);
    }
    return true;
  });
  return found ? alert(s, id, viewer) : undefined;
}

/** Alert rows (ALERT_SELECT) with their messages and notes, read in one query each. */
async function toAlerts(s: S, rows: readonly Row[]): Promise<Alert[]> {
  if (rows.length === 0) return [];
  const datasetIds = rows.map((r) => Number(r.dataset_id));
  const messages = await s.db.query(`${MESSAGE_SELECT} WHERE (m.dataset_id, m.key) IN (SELECT * FROM unnest($1::bigint[], $2::bigint[]))`,
    [datasetIds, rows.map((r) => Number(r.item_key))]);
  const byKey = new Map(messages.map((r) => [`${r.dataset_id}:${r.key}`, r]));
  const names = await s.handles(accountIdsOf(messages));
  const notes = new Map<string, AlertNote[]>();
  for (const n of await s.db.query(`SELECT dataset_id, alert_id, author, at, text FROM alert_notes
                                    WHERE (dataset_id, alert_id) IN (SELECT * FROM unnest($1::bigint[], $2::bigint[])) ORDER BY id`,
  [datasetIds, rows.map((r) => Number(r.id))])) {
    const of = `${n.dataset_id}:${n.alert_id}`;
    notes.set(of, [...(notes.get(of) ?? []), toAlertNote(n)]);
  }
  return rows.map((row) => toAlert(row, toStoredMessage(byKey.get(`${row.dataset_id}:${row.item_key}`)!, names), notes.get(`${row.dataset_id}:${row.id}`) ?? []));
}

// ---- re-scoring stored messages

/** Messages of a dataset in time order, in chunks after `afterKey`, for a scorer to read again. */
export async function triageRows(s: S, dataset: string, afterKey: number, limit: number): Promise<TriageRow[]> {
  const rows = await s.db.query(`SELECT m.key, m.uid, m.ts_ms, m.sender_id, m.recipients, m.body, m.lang, m.attachments FROM messages m
                                 WHERE m.dataset_id = (SELECT id FROM datasets WHERE name = $1) AND m.kind = 0 AND m.key > $2 ORDER BY m.key LIMIT $3`,
  [dataset, afterKey, limit]);
  const handles = await s.handles(accountIdsOf(rows));
  return rows.map((r) => {
    const recipients = ((r.recipients as unknown[] | null) ?? []).map(Number);
    return {
      key: Number(r.key), id: String(r.uid), tsMs: r.ts_ms == null ? undefined : Number(r.ts_ms),
      from: handles.get(Number(r.sender_id))!, to: recipients.map((x) => handles.get(x)!),
      body: String(r.body), lang: optional(r.lang),
      attachments: r.attachments ? JSON.parse(String(r.attachments)) as { mime?: string; name?: string }[] : [],
    };
  });
}

/**
 * Replaces what an older scoring found in these messages with what the new one finds: findings are
 * rewritten; alerts are raised or refreshed; an alert the new scoring no longer raises is removed
 * only while nobody worked on it (status new, no assignee, no notes), so no analyst's work is lost.
 */
export async function applyRescore(s: S, dataset: string, chunk: RescoreChunk, toolrun: { component: string; version: string }): Promise<{ alerts: number; removed: number }> {
  const datasetId = await datasetIdOf(s.db, dataset);
  if (datasetId === undefined) throw new Error(`no dataset ${dataset}`);
  const run = await s.toolrunId(toolrun.component, toolrun.version);
  const at = new Date().toISOString();
  // one finding per message and kind, the last one given winning, as upserts one after another leave it
  const findings = new Map<string, { key: number; finding: TriageFinding }>();
  const raises = new Map<string, Raise>();
  const withdrawn: { key: number; kind: AlertKind }[] = [];
  for (const { key, findings: found } of chunk) {
    const alerting = new Set<string>();
    for (const { finding, alert: isAlert } of found) {
      findings.set(`${key}:${finding.kind}`, { key, finding });
      if (!isAlert) continue;
      alerting.add(finding.kind);
      raises.set(`${key}:${finding.kind}`, { datasetId, key, kind: finding.kind, watchlist: 0, score: finding.score, category: finding.category, reasons: finding.reasons });
    }
    for (const kind of ['threat', 'leak'] as const) if (!alerting.has(kind)) withdrawn.push({ key, kind });
  }
  const written = [...findings.values()];
  return s.db.tx(async (c) => {
    await c.run('DELETE FROM findings WHERE dataset_id = $1 AND item_key = ANY($2::bigint[])', [datasetId, chunk.map((x) => x.key)]);
    if (written.length > 0) {
      await c.run(`INSERT INTO findings (dataset_id, item_key, kind, score, category, reasons, toolrun_id)
                   SELECT $1, k, t, s, g, r, $2 FROM unnest($3::bigint[], $4::text[], $5::float8[], $6::text[], $7::text[]) AS x(k, t, s, g, r)`,
      [datasetId, run, written.map((f) => f.key), written.map((f) => f.finding.kind), written.map((f) => f.finding.score),
        written.map((f) => f.finding.category ?? null), written.map((f) => JSON.stringify(f.finding.reasons))]);
    }
    const raised = await raiseAlerts(c, [...raises.values()], run, at);
    const removed = withdrawn.length === 0 ? 0 : await c.run(`
      DELETE FROM alerts al USING unnest($2::bigint[], $3::text[]) AS x(k, t)
      WHERE al.dataset_id = $1 AND al.item_key = x.k AND al.kind = x.t AND al.watchlist_id = 0 AND al.status = 'new' AND al.assignee IS NULL
        AND NOT EXISTS (SELECT 1 FROM alert_notes n WHERE n.dataset_id = al.dataset_id AND n.alert_id = al.id)`,
    [datasetId, withdrawn.map((w) => w.key), withdrawn.map((w) => w.kind)]);
    return { alerts: raised, removed };
  });
}

// ---- watchlists

export async function addWatchlist(s: S, w: NewWatchlist): Promise<Watchlist | undefined> {
  const datasetId = w.dataset === undefined ? null : await datasetIdOf(s.db, w.dataset);
  if (datasetId === undefined) throw new Error(`no dataset ${w.dataset}`);
  // a look first: an INSERT that meets a conflict would still spend an id (ids are the SQLite store's)
  if (await s.db.one('SELECT 1 AS x FROM watchlists WHERE name = $1', [w.name])) return undefined;
  const added = await s.db.run(`INSERT INTO watchlists (name, query, entities, dataset_id, priority, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
                                ON CONFLICT (name) DO NOTHING`,
  [w.name, w.query ?? null, w.entities ? JSON.stringify(w.entities) : null, datasetId, w.priority, w.createdBy, new Date().toISOString()]);
  if (added === 0) return undefined;
  return (await watchlists(s)).find((x) => x.name === w.name);
}

export async function watchlists(s: S): Promise<Watchlist[]> {
  return (await s.db.query(`SELECT w.*, d.name AS dataset, (SELECT count(*) FROM alerts a WHERE a.watchlist_id = w.id) AS raised
                            FROM watchlists w LEFT JOIN datasets d ON d.id = w.dataset_id ORDER BY w.name COLLATE "C"`)).map(toWatchlist);
}

export async function removeWatchlist(s: S, name: string): Promise<boolean> {
  return s.db.tx(async (c) => {
    // its alerts stay (they may be worked on); they keep the id but lose the name
    if ((await c.run('DELETE FROM watchlists WHERE name = $1', [name])) === 0) return false;
    if (!(await c.one('SELECT 1 AS x FROM watchlists LIMIT 1'))) await c.run('DELETE FROM watch_queue');
    return true;
  });
}

/**
 * Runs every watchlist over the queued messages (or, for `backfill`, one watchlist over all
 * messages) and empties the queue. `parse` turns a watchlist's query text into a query tree.
 */
export async function runWatchlists(s: S, parse: (query: string) => QueryNode, backfill?: string): Promise<WatchlistRun> {
  if (!(await s.db.one('SELECT 1 AS x FROM watchlists LIMIT 1'))) {
    await s.db.run('DELETE FROM watch_queue');
    return { checked: 0, raised: 0, watchlists: [] };
  }
  const lists = (await watchlists(s)).filter((w) => backfill === undefined || w.name === backfill);
  const toolrun = await s.toolrunId(WATCHLIST_TOOLRUN.component, WATCHLIST_TOOLRUN.version);
  const at = new Date().toISOString();
  return s.db.tx(async (c) => {
    let checked: number;
    let among: (datasetId: string, key: string) => string;
    if (backfill === undefined) {
      // The queue is taken, not read and emptied at the end: a batch that commits while this runs
      // stays queued for the next run instead of being emptied unseen (SQLite's write lock does
      // that there). A second run at the same time waits for this one's rows and skips them.
      await c.run('CREATE TEMP TABLE watch_run (dataset_id BIGINT NOT NULL, item_key BIGINT NOT NULL, PRIMARY KEY (dataset_id, item_key)) ON COMMIT DROP');
      checked = await c.run('WITH taken AS (DELETE FROM watch_queue RETURNING dataset_id, item_key) INSERT INTO watch_run SELECT dataset_id, item_key FROM taken');
      // a temporary table has no statistics until analysed: without them a large queue is planned as a tiny one
      await c.run('ANALYZE watch_run');
      among = (datasetId, key) => ` AND (${datasetId}, ${key}) IN (SELECT dataset_id, item_key FROM watch_run)`;
    } else {
      checked = Number((await c.one('SELECT count(*) AS n FROM messages'))?.n ?? 0);
      among = () => '';
    }
    const perList: WatchlistRun['watchlists'] = [];
    let raised = 0;
    for (const w of lists) {
      const hits = new Map<string, { datasetId: number; key: number; reasons: AlertReason[] }>();
      const add = (row: Row, reason: AlertReason) => {
        const message = `${row.dataset_id}:${row.key}`;
        const hit = hits.get(message) ?? { datasetId: Number(row.dataset_id), key: Number(row.key), reasons: [] };
        if (hit.reasons.length < MAX_REASONS) hit.reasons.push(reason);
        hits.set(message, hit);
      };
      const inDataset = (p: Params, column: string) => (w.dataset === undefined ? '' : ` AND ${column} = (SELECT id FROM datasets WHERE name = ${p.add(w.dataset)})`);
      if (w.query !== undefined) {
        const p = new Params();
        const plan = await compilePostgres(parse(w.query), p, { expandFuzzy: (term, distance) => expandFuzzy(c, term, distance) });
        let where = `(${plan.where})${among('m.dataset_id', 'm.key')}${inDataset(p, 'm.dataset_id')}`;
        if (plan.minKey !== undefined) where += ` AND m.key >= ${p.add(plan.minKey)}`;
        if (plan.maxKeyExclusive !== undefined) where += ` AND m.key < ${p.add(plan.maxKeyExclusive)}`;
        for (const row of await c.query(`SELECT m.dataset_id, m.key FROM messages m WHERE ${where} ORDER BY m.key, m.dataset_id`, p.values)) {
          add(row, { signal: 'watchlist:query', text: `matches the query ${w.query}`, weight: w.priority });
        }
      }
      for (const [type, values] of Object.entries(w.entities ?? {})) {
        for (const value of values) {
          const p = new Params();
          if (type === 'handle') {
            const named = p.add(value);
            const rows = await c.query(`WITH named AS (SELECT dataset_id, id FROM accounts WHERE handle_folded = ${named})
              SELECT m.dataset_id, m.key FROM messages m JOIN named a ON a.dataset_id = m.dataset_id AND a.id = m.sender_id
              WHERE TRUE${among('m.dataset_id', 'm.key')}${inDataset(p, 'm.dataset_id')}
              UNION
              SELECT m.dataset_id, m.key FROM messages m JOIN named a ON a.dataset_id = m.dataset_id AND a.id = ANY(m.recipients)
              WHERE TRUE${among('m.dataset_id', 'm.key')}${inDataset(p, 'm.dataset_id')}
              ORDER BY 2, 1`, p.values);
            for (const row of rows) add(row, { signal: 'watchlist:handle', text: `involves the handle ${value}`, weight: w.priority });
            continue;
          }
          const rows = await c.query(`SELECT mn.dataset_id, mn.item_key AS key, mn.start, mn."end" FROM entities e
                                      JOIN mentions mn ON mn.dataset_id = e.dataset_id AND mn.entity_id = e.id
                                      WHERE e.type = ${p.add(type)} AND e.value = ${p.add(value)}${among('mn.dataset_id', 'mn.item_key')}${inDataset(p, 'mn.dataset_id')}
                                      ORDER BY mn.item_key, mn.dataset_id, mn.start`, p.values);
          for (const row of rows) {
            add(row, { signal: `watchlist:${type}`, text: `mentions the ${type} ${value}`, start: Number(row.start), end: Number(row.end), weight: w.priority });
          }
        }
      }
      const listRaised = await raiseAlerts(c, [...hits.values()].map((h) => ({ ...h, kind: 'watchlist', watchlist: w.id, score: w.priority })), toolrun, at);
      perList.push({ name: w.name, matched: hits.size, raised: listRaised });
      raised += listRaised;
    }
    return { checked, raised, watchlists: perList };
  });
}
