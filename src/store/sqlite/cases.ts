// Cases and discovery candidates in the SQLite store. A case links to evidence by reference and
// never copies or changes it; annotations and tags live beside the evidence.
import type { Annotation, Case, CaseItem, CaseItemKind, CaseQuery, CaseStatus } from '../../model/cases.ts';
import type { Viewer } from '../../model/security.ts';
import type { Alert } from '../../model/triage.ts';
import type { NewCase } from '../store.ts';
import type { DiscoveryMessage } from '../../model/discovery.ts';
import { alert } from './triage.ts';
import { visibilityConditions } from './scope.ts';
import type { SqliteStore } from './sqlite-store.ts';

const SEES_EVERYTHING: Viewer = { isAdmin: true, mayReviewPrivilege: true };

type Row = Record<string, unknown>;

function optional(value: unknown): string | undefined {
  return value === null || value === undefined ? undefined : String(value);
}

function toCase(r: Row): Case {
  return {
    id: Number(r.id), name: String(r.name), title: optional(r.title), description: optional(r.description),
    status: String(r.status) as CaseStatus, candidate: optional(r.candidate), createdBy: String(r.created_by), createdAt: String(r.created_at),
  };
}

function caseId(s: SqliteStore, name: string): number | undefined {
  const row = s.sql('SELECT id FROM cases WHERE name = ?').get(name);
  return row ? Number(row.id) : undefined;
}

export function createCase(s: SqliteStore, c: NewCase, createdBy: string): Case | undefined {
  const changes = s.sql(`INSERT INTO cases (name, title, description, candidate, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING`)
    .run(c.name, c.title ?? null, c.description ?? null, c.candidate ?? null, createdBy, new Date().toISOString()).changes;
  return changes === 0 ? undefined : findCase(s, c.name);
}

export function findCase(s: SqliteStore, name: string): Case | undefined {
  const row = s.sql('SELECT * FROM cases WHERE name = ?').get(name);
  return row ? toCase(row) : undefined;
}

export function cases(s: SqliteStore, names?: readonly string[]): (Case & { items: number })[] {
  const filter = names === undefined ? '' : names.length === 0 ? ' WHERE 0' : ` WHERE c.name IN (${names.map(() => '?').join(', ')})`;
  return s.db.prepare(`SELECT c.*, (SELECT count(*) FROM case_items i WHERE i.case_id = c.id) AS items FROM cases c${filter} ORDER BY c.created_at DESC, c.id DESC`)
    .all(...(names ?? [])).map((r) => ({ ...toCase(r), items: Number(r.items) }));
}

export function setCaseStatus(s: SqliteStore, name: string, status: CaseStatus): boolean {
  return s.sql('UPDATE cases SET status = ? WHERE name = ?').run(status, name).changes > 0;
}

export function addCaseItems(s: SqliteStore, name: string, items: readonly { kind: CaseItemKind; ref: string; tags?: readonly string[] }[], addedBy: string): number {
  const id = caseId(s, name);
  if (id === undefined) throw new Error(`no case ${name}`);
  const at = new Date().toISOString();
  let added = 0;
  s.db.exec('BEGIN IMMEDIATE');
  try {
    for (const item of items) {
      const existing = s.sql('SELECT tags FROM case_items WHERE case_id = ? AND kind = ? AND ref = ?').get(id, item.kind, item.ref);
      if (existing) {
        const tags = [...new Set([...(JSON.parse(String(existing.tags)) as string[]), ...(item.tags ?? [])])];
        s.sql('UPDATE case_items SET tags = ? WHERE case_id = ? AND kind = ? AND ref = ?').run(JSON.stringify(tags), id, item.kind, item.ref);
        continue;
      }
      s.sql('INSERT INTO case_items (case_id, kind, ref, tags, added_by, added_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(id, item.kind, item.ref, JSON.stringify([...new Set(item.tags ?? [])]), addedBy, at);
      added += 1;
    }
    s.db.exec('COMMIT');
  } catch (error) {
    s.db.exec('ROLLBACK');
    throw error;
  }
  return added;
}

export function caseItems(s: SqliteStore, name: string): CaseItem[] {
  const id = caseId(s, name);
  if (id === undefined) return [];
  return s.sql('SELECT kind, ref, tags, added_by, added_at FROM case_items WHERE case_id = ? ORDER BY added_at, kind, ref').all(id).map((r) => ({
    kind: String(r.kind) as CaseItemKind, ref: String(r.ref), tags: JSON.parse(String(r.tags)) as string[], addedBy: String(r.added_by), addedAt: String(r.added_at),
  }));
}

export function addAnnotation(s: SqliteStore, name: string, a: Omit<Annotation, 'id' | 'at'>): Annotation | undefined {
  const id = caseId(s, name);
  if (id === undefined) return undefined;
  const at = new Date().toISOString();
  const row = s.sql(`INSERT INTO case_annotations (case_id, target_kind, target_ref, kind, text, author, at) VALUES (?, ?, ?, ?, ?, ?, ?)`)
    .run(id, a.target?.kind ?? null, a.target?.ref ?? null, a.kind, a.text, a.author, at);
  return { id: Number(row.lastInsertRowid), ...(a.target ? { target: a.target } : {}), kind: a.kind, text: a.text, author: a.author, at };
}

export function annotations(s: SqliteStore, name: string): Annotation[] {
  const id = caseId(s, name);
  if (id === undefined) return [];
  return s.sql('SELECT * FROM case_annotations WHERE case_id = ? ORDER BY id').all(id).map((r) => ({
    id: Number(r.id),
    ...(r.target_kind == null ? {} : { target: { kind: String(r.target_kind) as CaseItemKind, ref: String(r.target_ref) } }),
    kind: String(r.kind) as Annotation['kind'], text: String(r.text), author: String(r.author), at: String(r.at),
  }));
}

export function addCaseQuery(s: SqliteStore, name: string, q: Omit<CaseQuery, 'at'>): void {
  const id = caseId(s, name);
  if (id === undefined) throw new Error(`no case ${name}`);
  s.sql('INSERT INTO case_queries (case_id, kind, text, dataset, hits, added_by, at) VALUES (?, ?, ?, ?, ?, ?, ?)')
    .run(id, q.kind, q.text, q.dataset ?? null, q.hits ?? null, q.addedBy, new Date().toISOString());
}

export function caseQueries(s: SqliteStore, name: string): CaseQuery[] {
  const id = caseId(s, name);
  if (id === undefined) return [];
  return s.sql('SELECT * FROM case_queries WHERE case_id = ? ORDER BY id').all(id).map((r) => ({
    kind: String(r.kind) as CaseQuery['kind'], text: String(r.text), dataset: optional(r.dataset),
    ...(r.hits == null ? {} : { hits: Number(r.hits) }), addedBy: String(r.added_by), at: String(r.at),
  }));
}

/**
 * Alerts on the given messages. The keys are those of the case's messages as its reader sees them
 * (bundle.ts), so the alerts are read with no viewer condition: a privilege reviewer's bundle keeps
 * the alerts of privileged messages.
 */
export function alertsOfMessages(s: SqliteStore, keys: readonly number[]): Alert[] {
  const out: Alert[] = [];
  const statement = s.sql('SELECT id FROM alerts WHERE item_key = ? ORDER BY score DESC');
  for (const key of keys) for (const r of statement.all(key)) out.push(alert(s, Number(r.id), SEES_EVERYTHING)!);
  return out;
}

export function caseAccount(s: SqliteStore, id: number) {
  const row = s.sql(`SELECT a.id, a.platform, a.handle, a.name, d.name AS dataset,
                       (SELECT count(*) FROM messages m WHERE m.sender_id = a.id) AS messages
                     FROM accounts a JOIN datasets d ON d.id = a.dataset_id WHERE a.id = ?`).get(id);
  if (!row) return undefined;
  const aliases = s.sql(`SELECT alias, count(*) AS n FROM contacts WHERE contact_id = ? AND alias <> '' GROUP BY alias ORDER BY n DESC, alias LIMIT 20`).all(id)
    .map((r) => String(r.alias));
  return {
    id: Number(row.id), dataset: String(row.dataset), platform: String(row.platform), handle: String(row.handle),
    ...(row.name == null ? {} : { name: String(row.name) }), aliases, messages: Number(row.messages),
  };
}

export function entityCounts(s: SqliteStore, keys: readonly number[]): { type: string; value: string; mentions: number }[] {
  const counts = new Map<string, { type: string; value: string; mentions: number }>();
  const statement = s.sql('SELECT e.type, e.value FROM mentions mn JOIN entities e ON e.id = mn.entity_id WHERE mn.item_key = ?');
  for (const key of keys) {
    for (const r of statement.all(key)) {
      const id = `${r.type}:${r.value}`;
      const entry = counts.get(id) ?? { type: String(r.type), value: String(r.value), mentions: 0 };
      entry.mentions += 1;
      counts.set(id, entry);
    }
  }
  return [...counts.values()].sort((a, b) => b.mentions - a.mentions || a.type.localeCompare(b.type) || a.value.localeCompare(b.value));
}

export function toolrunsOf(s: SqliteStore, keys: readonly number[]): { component: string; version: string }[] {
  const ids = new Set<number>();
  for (const key of keys) {
    for (const r of s.sql('SELECT DISTINCT toolrun_id FROM mentions WHERE item_key = ?').all(key)) ids.add(Number(r.toolrun_id));
    for (const r of s.sql('SELECT toolrun_id FROM findings WHERE item_key = ?').all(key)) ids.add(Number(r.toolrun_id));
    for (const r of s.sql('SELECT toolrun_id FROM alerts WHERE item_key = ?').all(key)) ids.add(Number(r.toolrun_id));
  }
  return [...ids].sort((a, b) => a - b).map((id) => s.sql('SELECT component, version FROM toolruns WHERE id = ?').get(id)!)
    .map((r) => ({ component: String(r.component), version: String(r.version) }));
}

// ---- discovery

const DISCOVERY_CHUNK = 20_000;

/** Messages (not notes) of a dataset in time order with their entities and threat score, read in chunks. */
export async function* discoveryRows(s: SqliteStore, dataset: string, viewer?: Viewer): AsyncGenerator<DiscoveryMessage> {
  const datasetRow = s.sql('SELECT id FROM datasets WHERE name = ?').get(dataset);
  if (!datasetRow) return;
  const visible = visibilityConditions(s, viewer).map((w) => ` AND ${w}`).join('');
  const entities = s.sql('SELECT e.type, e.value FROM mentions mn JOIN entities e ON e.id = mn.entity_id WHERE mn.item_key = ?');
  let after = Number.MIN_SAFE_INTEGER;
  for (;;) {
    const rows = s.db.prepare(`SELECT m.rowid, m.uid, m.ts_ms, m.sender_id, m.recipients, m.body, m.lang,
                                 (SELECT f.score FROM findings f WHERE f.item_key = m.rowid AND f.kind = 'threat') AS threat
                               FROM messages m WHERE m.dataset_id = ? AND m.kind = 0 AND m.ts_ms IS NOT NULL AND m.rowid > ?${visible}
                               ORDER BY m.rowid LIMIT ?`).all(Number(datasetRow.id), after, DISCOVERY_CHUNK);
    if (rows.length === 0) return;
    for (const r of rows) {
      const recipients: number[] = r.recipients ? JSON.parse(String(r.recipients)) : [];
      const handles = s.handles([Number(r.sender_id), ...recipients]);
      yield {
        id: String(r.uid), tsMs: Number(r.ts_ms), dataset, from: handles.get(Number(r.sender_id))!, to: recipients.map((x) => handles.get(x)!),
        body: String(r.body), lang: optional(r.lang),
        entities: entities.all(Number(r.rowid)).map((e) => ({ type: String(e.type), value: String(e.value) })),
        ...(r.threat == null ? {} : { threat: Number(r.threat) }),
      };
    }
    after = Number(rows.at(-1)!.rowid);
    // let other work (a server's requests) run between chunks
    await new Promise((resolve) => setImmediate(resolve));
  }
}

export function saveCandidates(s: SqliteStore, dataset: string, view: string, candidates: readonly { id: string; score: number; candidate: unknown }[], toolrun: { component: string; version: string }): void {
  const datasetRow = s.sql('SELECT id FROM datasets WHERE name = ?').get(dataset);
  if (!datasetRow) throw new Error(`no dataset ${dataset}`);
  const run = s.toolrunId(toolrun.component, toolrun.version);
  const at = new Date().toISOString();
  s.db.exec('BEGIN IMMEDIATE');
  try {
    s.sql('DELETE FROM case_candidates WHERE dataset_id = ? AND view = ?').run(Number(datasetRow.id), view);
    const insert = s.sql(`INSERT INTO case_candidates (id, view, dataset_id, rank, score, candidate, toolrun_id, found_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                          ON CONFLICT (id, view) DO UPDATE SET dataset_id = excluded.dataset_id, rank = excluded.rank, score = excluded.score,
                          candidate = excluded.candidate, toolrun_id = excluded.toolrun_id, found_at = excluded.found_at`);
    candidates.forEach((c, i) => insert.run(c.id, view, Number(datasetRow.id), i + 1, c.score, JSON.stringify(c.candidate), run, at));
    s.db.exec('COMMIT');
  } catch (error) {
    s.db.exec('ROLLBACK');
    throw error;
  }
}

export function candidates(s: SqliteStore, view: string, datasets?: readonly string[]) {
  const filter = datasets === undefined ? '' : datasets.length === 0 ? ' AND 0' : ` AND d.name IN (${datasets.map(() => '?').join(', ')})`;
  return s.db.prepare(`SELECT c.id, d.name AS dataset, c.rank, c.candidate, c.found_at FROM case_candidates c JOIN datasets d ON d.id = c.dataset_id
                       WHERE c.view = ?${filter} ORDER BY c.score DESC, c.rank`).all(view, ...(datasets ?? []))
    .map((r) => ({ id: String(r.id), dataset: String(r.dataset), rank: Number(r.rank), candidate: JSON.parse(String(r.candidate)) as unknown, foundAt: String(r.found_at) }));
}
