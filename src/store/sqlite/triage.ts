// Triage in the SQLite store: findings and alerts written with each ingest batch, the alert
// queue, watchlists that run over what was stored since they last ran, and re-scoring.
// Alerts are evidence reads: the queue obeys dataset grants, legal scope and privilege like
// search does (the conditions are in the query, so counts never include hidden alerts).
import type { Alert, AlertKind, AlertReason, AlertStatus, TriageFinding, Watchlist } from '../../model/triage.ts';
import type { Viewer } from '../../model/security.ts';
import type { MessageColumns } from '../../ingest/message-columns.ts';
import type { QueryNode } from '../../search/ast.ts';
import { compileSqlite } from '../../search/compile-sqlite.ts';
import type { AlertChange, AlertQuery, NewWatchlist, RescoreChunk, TriageRow, WatchlistRun } from '../store.ts';
import { toAlert, toAlertNote, toWatchlist } from '../row-models.ts';
import { buildFrom, expandFuzzy } from './search.ts';
import { visibilityConditions } from './scope.ts';
import { MESSAGE_SELECT, type SqliteStore } from './sqlite-store.ts';

type Row = Record<string, unknown>;

/** Findings of message `index` of a batch (flat columns from..to), stored at `key`; returns alerts raised. */
export function insertFindings(
  s: SqliteStore, datasetId: number, key: number, findings: MessageColumns['findings'], from: number, to: number, toolrun: number, at: string,
): number {
  let alerts = 0;
  for (let j = from; j < to; j++) {
    const f = findings.finding[j]!;
    writeFinding(s, datasetId, key, f, toolrun);
    if (findings.alert[j] === 1) alerts += raiseAlert(s, datasetId, key, f.kind, 0, f.score, f.category, f.reasons, toolrun, at);
  }
  return alerts;
}

function writeFinding(s: SqliteStore, datasetId: number, key: number, f: TriageFinding, toolrun: number): void {
  s.sql(`INSERT INTO findings (item_key, kind, dataset_id, score, category, reasons, toolrun_id) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (item_key, kind) DO UPDATE SET score = excluded.score, category = excluded.category, reasons = excluded.reasons, toolrun_id = excluded.toolrun_id`)
    .run(key, f.kind, datasetId, f.score, f.category ?? null, JSON.stringify(f.reasons), toolrun);
}

/**
 * Raises an alert, or refreshes the score and reasons of the one already raised for this message,
 * kind and watchlist: its status, assignee and notes (the analyst's work) stay. 1 when new.
 */
function raiseAlert(
  s: SqliteStore, datasetId: number, key: number, kind: AlertKind, watchlist: number, score: number, category: string | undefined,
  reasons: readonly AlertReason[], toolrun: number, at: string,
): number {
  const changes = s.sql(`INSERT INTO alerts (kind, item_key, dataset_id, watchlist_id, score, category, reasons, toolrun_id, created_at, updated_at)
                         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (kind, item_key, watchlist_id) DO NOTHING`)
    .run(kind, key, datasetId, watchlist, score, category ?? null, JSON.stringify(reasons), toolrun, at, at).changes;
  if (changes === 1) return 1;
  s.sql(`UPDATE alerts SET score = ?, category = ?, reasons = ?, toolrun_id = ? WHERE kind = ? AND item_key = ? AND watchlist_id = ?
         AND (score IS NOT ? OR reasons IS NOT ?)`)
    .run(score, category ?? null, JSON.stringify(reasons), toolrun, kind, key, watchlist, score, JSON.stringify(reasons));
  return 0;
}

/** Remembers new messages for the watchlists, only while there are any. */
export function queueForWatchlists(s: SqliteStore, keys: readonly number[]): void {
  if (keys.length === 0 || !s.sql('SELECT 1 AS x FROM watchlists LIMIT 1').get()) return;
  const insert = s.sql('INSERT INTO watch_queue (item_key) VALUES (?) ON CONFLICT DO NOTHING');
  for (const key of keys) insert.run(key);
}

// ---- the alert queue

function alertConditions(s: SqliteStore, query: { kind?: AlertKind; status?: AlertStatus | readonly AlertStatus[]; dataset?: string; datasets?: readonly string[]; assignee?: string; viewer?: Viewer }): { where: string[]; params: (string | number)[] } {
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (query.kind) { where.push('al.kind = ?'); params.push(query.kind); }
  if (query.status !== undefined) {
    const statuses = typeof query.status === 'string' ? [query.status] : query.status;
    where.push(statuses.length === 0 ? '0' : `al.status IN (${statuses.map(() => '?').join(', ')})`);
    params.push(...statuses);
  }
  if (query.assignee) { where.push('al.assignee = ?'); params.push(query.assignee); }
  if (query.dataset) { where.push('al.dataset_id IN (SELECT id FROM datasets WHERE name = ?)'); params.push(query.dataset); }
  if (query.datasets) {
    if (query.datasets.length === 0) where.push('0');
    else {
      where.push(`al.dataset_id IN (SELECT id FROM datasets WHERE name IN (${query.datasets.map(() => '?').join(', ')}))`);
      params.push(...query.datasets);
    }
  }
  where.push(...visibilityConditions(s, query.viewer));
  return { where, params };
}

const ALERT_SELECT = `SELECT al.*, w.name AS watchlist_name, t.component, t.version FROM alerts al
  JOIN messages m ON m.rowid = al.item_key
  LEFT JOIN watchlists w ON w.id = al.watchlist_id
  JOIN toolruns t ON t.id = al.toolrun_id`;

export function alerts(s: SqliteStore, query: AlertQuery): { total: number; alerts: Alert[] } {
  const { where, params } = alertConditions(s, query);
  const clause = where.length > 0 ? ` WHERE ${where.join(' AND ')}` : '';
  const total = Number(s.db.prepare(`SELECT count(*) AS n FROM alerts al JOIN messages m ON m.rowid = al.item_key${clause}`).get(...params)!.n);
  // highest first; among equal scores the newest message first (a fresh threat before an old one)
  const rows = s.db.prepare(`${ALERT_SELECT}${clause} ORDER BY al.score DESC, al.item_key DESC, al.id LIMIT ? OFFSET ?`).all(...params, query.limit, query.offset);
  return { total, alerts: rows.map((r) => alertOf(s, r)) };
}

export function alert(s: SqliteStore, id: number, viewer?: Viewer, datasets?: readonly string[]): Alert | undefined {
  const { where, params } = alertConditions(s, { viewer, datasets });
  const row = s.db.prepare(`${ALERT_SELECT} WHERE al.id = ?${where.map((w) => ` AND ${w}`).join('')}`).get(id, ...params);
  return row ? alertOf(s, row) : undefined;
}

export function updateAlert(s: SqliteStore, id: number, change: AlertChange, actor: string, viewer?: Viewer): Alert | undefined {
  const at = new Date().toISOString();
  s.db.exec('BEGIN IMMEDIATE');
  try {
    // an alert the viewer may not see (a privileged party's, one outside a warrant) is not changed
    if (!alert(s, id, viewer)) {
      s.db.exec('ROLLBACK');
      return undefined;
    }
    if (change.status) s.sql('UPDATE alerts SET status = ?, updated_at = ? WHERE id = ?').run(change.status, at, id);
    if (change.assignee !== undefined) s.sql('UPDATE alerts SET assignee = ?, updated_at = ? WHERE id = ?').run(change.assignee, at, id);
    if (change.note) {
      s.sql('INSERT INTO alert_notes (alert_id, author, at, text) VALUES (?, ?, ?, ?)').run(id, actor, at, change.note);
      s.sql('UPDATE alerts SET updated_at = ? WHERE id = ?').run(at, id);
    }
    s.db.exec('COMMIT');
  } catch (error) {
    s.db.exec('ROLLBACK');
    throw error;
  }
  return alert(s, id, viewer);
}

function alertOf(s: SqliteStore, row: Row): Alert {
  const message = s.toStoredMessage(s.sql(`${MESSAGE_SELECT} WHERE m.rowid = ?`).get(Number(row.item_key))!);
  const notes = s.sql('SELECT author, at, text FROM alert_notes WHERE alert_id = ? ORDER BY id').all(Number(row.id)).map(toAlertNote);
  return toAlert(row, message, notes);
}

// ---- findings: what discovery and case bundles read

/** Threat and leak scores of messages, by message id (only those with findings). */
export function findingsOf(s: SqliteStore, keys: readonly number[]): Map<number, { kind: string; score: number }[]> {
  const out = new Map<number, { kind: string; score: number }[]>();
  const statement = s.sql('SELECT kind, score FROM findings WHERE item_key = ?');
  for (const key of keys) {
    const rows = statement.all(key);
    if (rows.length > 0) out.set(key, rows.map((r) => ({ kind: String(r.kind), score: Number(r.score) })));
  }
  return out;
}

// ---- re-scoring stored messages

/** Messages of a dataset in time order, in chunks after `afterKey`, for a scorer to read again. */
export function triageRows(s: SqliteStore, dataset: string, afterKey: number, limit: number): TriageRow[] {
  return s.db.prepare(`SELECT m.rowid, m.uid, m.ts_ms, m.sender_id, m.recipients, m.body, m.lang, m.attachments FROM messages m
                       WHERE m.dataset_id = (SELECT id FROM datasets WHERE name = ?) AND m.kind = 0 AND m.rowid > ? ORDER BY m.rowid LIMIT ?`)
    .all(dataset, afterKey, limit)
    .map((r) => {
      const recipients: number[] = r.recipients ? JSON.parse(String(r.recipients)) : [];
      const handles = s.handles([Number(r.sender_id), ...recipients]);
      return {
        key: Number(r.rowid), id: String(r.uid), tsMs: r.ts_ms == null ? undefined : Number(r.ts_ms),
        from: handles.get(Number(r.sender_id))!, to: recipients.map((x) => handles.get(x)!),
        body: String(r.body), lang: r.lang == null ? undefined : String(r.lang),
        attachments: r.attachments ? JSON.parse(String(r.attachments)) as { mime?: string; name?: string }[] : [],
      };
    });
}

/**
 * Replaces what an older scoring found in these messages with what the new one finds: findings are
 * rewritten; alerts are raised or refreshed; an alert the new scoring no longer raises is removed
 * only while nobody worked on it (status new, no assignee, no notes), so no analyst's work is lost.
 */
export function applyRescore(s: SqliteStore, dataset: string, chunk: RescoreChunk, toolrun: { component: string; version: string }): { alerts: number; removed: number } {
  const datasetId = Number(s.sql('SELECT id FROM datasets WHERE name = ?').get(dataset)!.id);
  const run = s.toolrunId(toolrun.component, toolrun.version);
  const at = new Date().toISOString();
  let raised = 0;
  let removed = 0;
  s.db.exec('BEGIN IMMEDIATE');
  try {
    for (const { key, findings } of chunk) {
      s.sql('DELETE FROM findings WHERE item_key = ?').run(key);
      const alerting = new Set<string>();
      for (const { finding, alert } of findings) {
        writeFinding(s, datasetId, key, finding, run);
        if (!alert) continue;
        alerting.add(finding.kind);
        raised += raiseAlert(s, datasetId, key, finding.kind, 0, finding.score, finding.category, finding.reasons, run, at);
      }
      for (const kind of ['threat', 'leak'] as const) {
        if (alerting.has(kind)) continue;
        removed += Number(s.sql(`DELETE FROM alerts WHERE kind = ? AND item_key = ? AND watchlist_id = 0 AND status = 'new' AND assignee IS NULL
                                 AND NOT EXISTS (SELECT 1 FROM alert_notes n WHERE n.alert_id = alerts.id)`).run(kind, key).changes);
      }
    }
    s.db.exec('COMMIT');
  } catch (error) {
    s.db.exec('ROLLBACK');
    throw error;
  }
  return { alerts: raised, removed };
}

// ---- watchlists

export function addWatchlist(s: SqliteStore, w: NewWatchlist): Watchlist | undefined {
  const dataset = w.dataset === undefined ? null : s.sql('SELECT id FROM datasets WHERE name = ?').get(w.dataset);
  if (w.dataset !== undefined && !dataset) throw new Error(`no dataset ${w.dataset}`);
  // the id is past every id an alert still names: a removed watchlist's alerts stay, and SQLite
  // would give its id (when it was the highest) to the next watchlist, which would then show them as its own
  const changes = s.sql(`INSERT INTO watchlists (id, name, query, entities, dataset_id, priority, created_by, created_at)
                         VALUES (max(coalesce((SELECT max(id) FROM watchlists), 0), coalesce((SELECT max(watchlist_id) FROM alerts), 0)) + 1, ?, ?, ?, ?, ?, ?, ?)
                         ON CONFLICT (name) DO NOTHING`)
    .run(w.name, w.query ?? null, w.entities ? JSON.stringify(w.entities) : null, dataset ? Number(dataset.id) : null, w.priority, w.createdBy, new Date().toISOString()).changes;
  if (changes === 0) return undefined;
  return watchlists(s).find((x) => x.name === w.name);
}

export function watchlists(s: SqliteStore): Watchlist[] {
  return s.sql(`SELECT w.*, d.name AS dataset, (SELECT count(*) FROM alerts a WHERE a.watchlist_id = w.id) AS raised
                FROM watchlists w LEFT JOIN datasets d ON d.id = w.dataset_id ORDER BY w.name`).all().map(toWatchlist);
}

export function removeWatchlist(s: SqliteStore, name: string): boolean {
  const row = s.sql('SELECT id FROM watchlists WHERE name = ?').get(name);
  if (!row) return false;
  // its alerts stay (they may be worked on); they keep the id but lose the name
  s.sql('DELETE FROM watchlists WHERE id = ?').run(Number(row.id));
  if (!s.sql('SELECT 1 AS x FROM watchlists LIMIT 1').get()) s.sql('DELETE FROM watch_queue').run();
  return true;
}

/**
 * Runs every watchlist over the queued messages (or, for `backfill`, one watchlist over all
 * messages) and empties the queue. `parse` turns a watchlist's query text into a query tree.
 */
export function runWatchlists(s: SqliteStore, parse: (query: string) => QueryNode, backfill?: string): WatchlistRun {
  const lists = watchlists(s).filter((w) => backfill === undefined || w.name === backfill);
  const queued = backfill === undefined ? Number(s.sql('SELECT count(*) AS n FROM watch_queue').get()!.n) : Number(s.sql('SELECT count(*) AS n FROM messages').get()!.n);
  const toolrun = s.toolrunId(WATCHLIST_TOOLRUN.component, WATCHLIST_TOOLRUN.version);
  const at = new Date().toISOString();
  const perList: WatchlistRun['watchlists'] = [];
  let raised = 0;
  s.db.exec('BEGIN IMMEDIATE');
  try {
    for (const w of lists) {
      const hits = new Map<number, AlertReason[]>();
      const add = (key: number, reason: AlertReason) => {
        const reasons = hits.get(key) ?? [];
        if (reasons.length < 20) reasons.push(reason);
        hits.set(key, reasons);
      };
      const scope = backfill === undefined ? 'IN (SELECT item_key FROM watch_queue)' : 'IS NOT NULL';
      const datasetFilter = w.dataset === undefined ? '' : ' AND m.dataset_id = (SELECT id FROM datasets WHERE name = ?)';
      const datasetParams = w.dataset === undefined ? [] : [w.dataset];
      if (w.query !== undefined) {
        const plan = compileSqlite(parse(w.query), { expandFuzzy: (term, distance) => expandFuzzy(s, term, distance) });
        plan.where.push(`@key ${scope}`);
        if (w.dataset !== undefined) {
          plan.where.push('m.dataset_id = (SELECT id FROM datasets WHERE name = ?)');
          plan.params.push(w.dataset);
        }
        const from = buildFrom(plan);
        for (const row of s.db.prepare(`SELECT ${from.key} AS key ${from.from}`).iterate(...from.params)) {
          add(Number(row.key), { signal: 'watchlist:query', text: `matches the query ${w.query}`, weight: w.priority });
        }
      }
      for (const [type, values] of Object.entries(w.entities ?? {})) {
        for (const value of values) {
          if (type === 'handle') {
            const rows = s.db.prepare(`SELECT m.rowid AS key FROM messages m JOIN accounts a ON a.id = m.sender_id
                                       WHERE a.handle_folded = ? AND m.rowid ${scope}${datasetFilter}
                                       UNION SELECT m.rowid FROM messages m, json_each(m.recipients) j JOIN accounts a ON a.id = j.value
                                       WHERE a.handle_folded = ? AND m.rowid ${scope}${datasetFilter}`)
              .all(value, ...datasetParams, value, ...datasetParams);
            for (const r of rows) add(Number(r.key), { signal: 'watchlist:handle', text: `involves the handle ${value}`, weight: w.priority });
            continue;
          }
          const rows = s.db.prepare(`SELECT mn.item_key AS key, mn.start, mn.end FROM entities e JOIN mentions mn ON mn.entity_id = e.id
                                     JOIN messages m ON m.rowid = mn.item_key
                                     WHERE e.type = ? AND e.value = ? AND mn.item_key ${scope}${datasetFilter}`).all(type, value, ...datasetParams);
          for (const r of rows) {
            add(Number(r.key), { signal: `watchlist:${type}`, text: `mentions the ${type} ${value}`, start: Number(r.start), end: Number(r.end), weight: w.priority });
          }
        }
      }
      let listRaised = 0;
      for (const [key, reasons] of hits) {
        const datasetId = Number(s.sql('SELECT dataset_id FROM messages WHERE rowid = ?').get(key)!.dataset_id);
        listRaised += raiseAlert(s, datasetId, key, 'watchlist', w.id, w.priority, undefined, reasons, toolrun, at);
      }
      perList.push({ name: w.name, matched: hits.size, raised: listRaised });
      raised += listRaised;
    }
    if (backfill === undefined) s.sql('DELETE FROM watch_queue').run();
    s.db.exec('COMMIT');
  } catch (error) {
    s.db.exec('ROLLBACK');
    throw error;
  }
  return { checked: queued, raised, watchlists: perList };
}

export const WATCHLIST_TOOLRUN = { component: 'lode-watchlists', version: '1.0.0' };
