// Moves a whole SQLite store into an empty PostgreSQL store (`lode migrate`): every table, with
// the same ids and keys, through COPY; then each table is verified by its row count and a
// SHA-256 over its rows read back from both sides in the same order. The audit log moves with its
// hashes and its genesis, so `lode audit verify` still holds on the new store.
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import type { DatabaseSync } from 'node:sqlite';
import { textForPostgres, type PgDatabase } from './postgres/db.ts';
import { termsOf } from './postgres/terms.ts';
import { FTS_WORDS_FUNCTION } from './sqlite/fts-words.ts';

/** One table: how to read it from SQLite in PostgreSQL's columns, and its order for verifying. */
type TableCopy = {
  table: string;
  columns: readonly string[];
  /** A SELECT on the SQLite store giving `columns` in order. */
  select: string;
  /** Columns both sides are ordered by (a key of the table). */
  order: readonly string[];
  /** Columns left out of the verification hash (derived on the way: the full-text terms). */
  derived?: readonly string[];
  /** Turns a SQLite row into PostgreSQL values, column by column. */
  convert?: (row: Record<string, unknown>) => Record<string, unknown>;
};

const id = (table: string, columns: string) => ({ select: `SELECT ${columns} FROM ${table}`, order: ['id'] });
const cols = (list: string) => list.split(',').map((c) => c.trim());

export const TABLES: readonly TableCopy[] = [
  { table: 'settings', columns: cols('key, value'), select: `SELECT key, value FROM settings WHERE key <> 'bulk_load_pid'`, order: ['key'] },
  { table: 'datasets', columns: cols('id, name, kind, legal_basis, created_at'), ...id('datasets', 'id, name, kind, legal_basis, created_at') },
  {
    table: 'sources', columns: cols('id, dataset_id, path, sha256, size_bytes, format, status, records, quarantined, checkpoint_line, checkpoint_offset, started_at, finished_at, container_sha256, member_path'),
    ...id('sources', 'id, dataset_id, path, sha256, size_bytes, format, status, records, quarantined, checkpoint_line, checkpoint_offset, started_at, finished_at, container_sha256, member_path'),
  },
  { table: 'accounts', columns: cols('id, dataset_id, platform, handle, handle_folded, name, extra, source_id, line'), ...id('accounts', 'id, dataset_id, platform, handle, handle_folded, name, extra, source_id, line') },
  { table: 'devices', columns: cols('id, dataset_id, imei, model'), ...id('devices', `id, dataset_id, coalesce(imei, '') AS imei, coalesce(model, '') AS model`) },
  {
    table: 'account_devices', columns: cols('dataset_id, account_id, device_id, since, source_id, line'), order: ['account_id', 'device_id'],
    select: 'SELECT a.dataset_id, ad.account_id, ad.device_id, ad.since, ad.source_id, ad.line FROM account_devices ad JOIN accounts a ON a.id = ad.account_id',
  },
  { table: 'conversations', columns: cols('id, dataset_id, platform, key, is_group, name, members'), ...id('conversations', 'id, dataset_id, platform, key, is_group, name, members') },
  {
    table: 'conversation_members', columns: cols('dataset_id, account_id, conversation_id'), order: ['account_id', 'conversation_id'],
    select: 'SELECT c.dataset_id, cm.account_id, cm.conversation_id FROM conversation_members cm JOIN conversations c ON c.id = cm.conversation_id',
  },
  { table: 'contacts', columns: cols('id, dataset_id, owner_id, contact_id, alias, alias_folded, extra, source_id, line'), ...id('contacts', 'id, dataset_id, owner_id, contact_id, alias, alias_folded, extra, source_id, line') },
  {
    table: 'messages',
    columns: cols('dataset_id, key, uid, kind, source_id, line, byte_offset, ref, platform, conversation_id, sender_id, recipients, ts, ts_ms, body, terms, lang, has_attachment, attachments, extra, flags, fingerprint'),
    select: `SELECT dataset_id, rowid AS key, uid, kind, source_id, line, byte_offset, ref, platform, conversation_id, sender_id, recipients, ts, ts_ms, body,
             NULL AS terms, lang, has_attachment, attachments, extra, flags, fingerprint FROM messages`,
    order: ['key'], derived: ['terms'],
    convert: (row) => ({
      ...row,
      recipients: row.recipients == null ? null : `{${(JSON.parse(String(row.recipients)) as number[]).join(',')}}`,
      terms: termsOf(String(row.body)),
    }),
  },
  {
    table: 'events', columns: cols('id, dataset_id, uid, source_id, line, byte_offset, ref, platform, account_id, type, ts, ts_ms, fields, flags'),
    ...id('events', 'id, dataset_id, uid, source_id, line, byte_offset, ref, platform, account_id, type, ts, ts_ms, fields, flags'),
  },
  {
    table: 'exposures', columns: cols('id, dataset_id, uid, source_id, line, byte_offset, platform, identifier, identifier_type, data_classes, password_sha1, password_ntlm, hash_type, account_id, extra'),
    ...id('exposures', 'id, dataset_id, uid, source_id, line, byte_offset, platform, identifier, identifier_type, data_classes, password_sha1, password_ntlm, hash_type, account_id, extra'),
  },
  { table: 'quarantine', columns: cols('id, dataset_id, source_id, line, byte_offset, reason, excerpt'), ...id('quarantine', 'id, dataset_id, source_id, line, byte_offset, reason, excerpt') },
  { table: 'vocabulary', columns: cols('length, term'), select: 'SELECT length, term FROM vocabulary', order: ['length', 'term'] },
  { table: 'toolruns', columns: cols('id, component, version'), ...id('toolruns', 'id, component, version') },
  { table: 'entities', columns: cols('id, dataset_id, type, value, mentions'), ...id('entities', 'id, dataset_id, type, value, mentions') },
  {
    table: 'mentions', columns: cols('dataset_id, entity_id, item_key, start, end, toolrun_id'), order: ['entity_id', 'item_key', 'start'],
    select: 'SELECT e.dataset_id, mn.entity_id, mn.item_key, mn.start, mn."end" AS "end", mn.toolrun_id FROM mentions mn JOIN entities e ON e.id = mn.entity_id',
  },
  { table: 'entity_progress', columns: cols('dataset_id, toolrun_id, done_below_key'), select: 'SELECT dataset_id, toolrun_id, done_below_key FROM entity_progress', order: ['dataset_id', 'toolrun_id'] },
  {
    table: 'account_links', columns: cols('id, a_id, b_id, kind, score, evidence, status, decided_by, decided_at, note, toolrun_id, updated_at'),
    ...id('account_links', 'id, a_id, b_id, kind, score, evidence, status, decided_by, decided_at, note, toolrun_id, updated_at'),
  },
  { table: 'persons', columns: cols('id, name, created_at'), ...id('persons', 'id, name, created_at') },
  { table: 'person_accounts', columns: cols('account_id, person_id'), select: 'SELECT account_id, person_id FROM person_accounts', order: ['account_id'] },
  { table: 'users', columns: cols('id, name, role, password_hash, created_at, disabled'), ...id('users', 'id, name, role, password_hash, created_at, disabled') },
  { table: 'grants', columns: cols('user_id, kind, target, granted_by, granted_at'), select: 'SELECT user_id, kind, target, granted_by, granted_at FROM grants', order: ['user_id', 'kind', 'target'] },
  {
    table: 'sessions', columns: cols('token_sha256, user_id, kind, created_at, expires_at, last_used_at'),
    select: 'SELECT token_sha256, user_id, kind, created_at, expires_at, last_used_at FROM sessions', order: ['token_sha256'],
  },
  { table: 'audit_events', columns: cols('seq, at, actor, action, target, details, prev_hash, hash'), select: 'SELECT seq, at, actor, action, target, details, prev_hash, hash FROM audit_events', order: ['seq'] },
  {
    table: 'dataset_scopes', columns: cols('dataset_id, handles, from_ms, to_ms, warrant, set_by, set_at'),
    select: 'SELECT dataset_id, handles, from_ms, to_ms, warrant, set_by, set_at FROM dataset_scopes', order: ['dataset_id'],
  },
  { table: 'scope_accounts', columns: cols('dataset_id, account_id'), select: 'SELECT dataset_id, account_id FROM scope_accounts', order: ['account_id'] },
  { table: 'privileged_identifiers', columns: cols('id, kind, value, label, added_by, added_at'), ...id('privileged_identifiers', 'id, kind, value, label, added_by, added_at') },
  {
    table: 'privileged_accounts', columns: cols('dataset_id, account_id, identifier_id'), order: ['account_id', 'identifier_id'],
    select: 'SELECT a.dataset_id, pa.account_id, pa.identifier_id FROM privileged_accounts pa JOIN accounts a ON a.id = pa.account_id',
  },
  {
    table: 'privilege_decisions', columns: cols('dataset_id, item_key, uid, status, decided_by, decided_at, note'), order: ['item_key'],
    select: 'SELECT m.dataset_id, p.item_key, p.uid, p.status, p.decided_by, p.decided_at, p.note FROM privilege_decisions p JOIN messages m ON m.rowid = p.item_key',
  },
  {
    table: 'findings', columns: cols('dataset_id, item_key, kind, score, category, reasons, toolrun_id'),
    select: 'SELECT dataset_id, item_key, kind, score, category, reasons, toolrun_id FROM findings', order: ['item_key', 'kind'],
  },
  { table: 'watchlists', columns: cols('id, name, query, entities, dataset_id, priority, created_by, created_at'), ...id('watchlists', 'id, name, query, entities, dataset_id, priority, created_by, created_at') },
  { table: 'watch_queue', columns: cols('dataset_id, item_key'), select: 'SELECT m.dataset_id, q.item_key FROM watch_queue q JOIN messages m ON m.rowid = q.item_key', order: ['item_key'] },
  {
    table: 'alerts', columns: cols('id, kind, dataset_id, item_key, watchlist_id, score, category, reasons, status, assignee, toolrun_id, created_at, updated_at'),
    ...id('alerts', 'id, kind, dataset_id, item_key, watchlist_id, score, category, reasons, status, assignee, toolrun_id, created_at, updated_at'),
  },
  {
    table: 'alert_notes', columns: cols('id, dataset_id, alert_id, author, at, text'), order: ['id'],
    select: 'SELECT n.id, al.dataset_id, n.alert_id, n.author, n.at, n.text FROM alert_notes n JOIN alerts al ON al.id = n.alert_id',
  },
  { table: 'cases', columns: cols('id, name, title, description, status, candidate, created_by, created_at'), ...id('cases', 'id, name, title, description, status, candidate, created_by, created_at') },
  { table: 'case_items', columns: cols('case_id, kind, ref, tags, added_by, added_at'), select: 'SELECT case_id, kind, ref, tags, added_by, added_at FROM case_items', order: ['case_id', 'kind', 'ref'] },
  { table: 'case_annotations', columns: cols('id, case_id, target_kind, target_ref, kind, text, author, at'), ...id('case_annotations', 'id, case_id, target_kind, target_ref, kind, text, author, at') },
  { table: 'case_queries', columns: cols('id, case_id, kind, text, dataset, hits, added_by, at'), ...id('case_queries', 'id, case_id, kind, text, dataset, hits, added_by, at') },
  {
    table: 'case_candidates', columns: cols('dataset_id, id, view, rank, score, candidate, toolrun_id, found_at'),
    select: 'SELECT dataset_id, id, view, rank, score, candidate, toolrun_id, found_at FROM case_candidates', order: ['id', 'view'],
  },
  {
    table: 'campaigns', columns: cols('id, name, title, dataset_id, criteria, language, settings, code, toolrun_id, created_by, created_at'),
    ...id('campaigns', 'id, name, title, dataset_id, criteria, language, settings, code, toolrun_id, created_by, created_at'),
  },
  {
    table: 'campaign_recipients',
    columns: cols('id, campaign_id, seq, reference, person, status, status_at, talk_at, talk_place, letter, email_to, email_state, email_attempts, email_message_id, email_error, email_sent_at, email_bounced_at, email_bounce_reason'),
    ...id('campaign_recipients', 'id, campaign_id, seq, reference, person, status, status_at, talk_at, talk_place, letter, email_to, email_state, email_attempts, email_message_id, email_error, email_sent_at, email_bounced_at, email_bounce_reason'),
  },
  {
    table: 'campaign_recipient_accounts', columns: cols('recipient_id, account_id'),
    select: 'SELECT recipient_id, account_id FROM campaign_recipient_accounts', order: ['recipient_id', 'account_id'],
  },
  { table: 'campaign_history', columns: cols('id, recipient_id, status, at, actor, note, details'), ...id('campaign_history', 'id, recipient_id, status, at, actor, note, details') },
  {
    table: 'campaign_reoffences', columns: cols('recipient_id, account_id, dataset_id, matched, last_active, found_at'),
    select: 'SELECT recipient_id, account_id, dataset_id, matched, last_active, found_at FROM campaign_reoffences', order: ['recipient_id', 'account_id'],
  },
  { table: 'campaign_scans', columns: cols('campaign_id, dataset_id, sources'), select: 'SELECT campaign_id, dataset_id, sources FROM campaign_scans', order: ['campaign_id', 'dataset_id'] },
  {
    // FTS5 keeps these figures inside its index; counted here from the words it was given
    table: 'word_totals', columns: cols('dataset_id, messages, words'), order: ['dataset_id'],
    select: `SELECT dataset_id, count(*) AS messages, coalesce(sum(CASE w WHEN '' THEN 0 ELSE length(w) - length(replace(w, ' ', '')) + 1 END), 0) AS words
             FROM (SELECT dataset_id, ${FTS_WORDS_FUNCTION}(body) AS w FROM messages) GROUP BY dataset_id`,
  },
];

export type TableResult = { table: string; rows: number; sha256: string; verified: boolean };
export type MigrationReport = { tables: TableResult[]; rows: number; verified: boolean };

export class MigrationError extends Error {}

const CHUNK_ROWS = 5000;

export async function migrateSqliteToPostgres(options: {
  source: DatabaseSync; target: PgDatabase; onProgress?(table: string, rows: number): void;
}): Promise<MigrationReport> {
  const { source, target } = options;
  await target.ready();
  const existing = await target.one<{ n: number }>(`SELECT (SELECT count(*) FROM datasets) + (SELECT count(*) FROM users) + (SELECT count(*) FROM audit_events) AS n`);
  if (Number(existing?.n ?? 0) > 0) throw new MigrationError('the PostgreSQL store is not empty: migrate into a new database (it holds datasets, users or an audit log)');
  // one transaction: a migration that fails halfway leaves the target empty
  await target.tx(async (c) => {
    for (const spec of TABLES) {
      const columns = spec.columns;
      const rows = source.prepare(spec.select).iterate() as Iterable<Record<string, unknown>>;
      let count = 0;
      const lines = (function* () {
        for (const raw of rows) {
          const row = spec.convert ? spec.convert(raw) : raw;
          count += 1;
          if (count % CHUNK_ROWS === 0) options.onProgress?.(spec.table, count);
          yield `${columns.map((column) => copyValue(row[column])).join('\t')}\n`;
        }
      })();
      await pipeline(Readable.from(lines), c.raw.query(copyFrom(`COPY ${spec.table} (${columns.map(quoteIdent).join(', ')}) FROM STDIN`)));
      options.onProgress?.(spec.table, count);
    }
    // the genesis is the SQLite store's, so the chain it starts verifies; the head is the highest seq it ever wrote
    const genesis = source.prepare('SELECT hash, created_at FROM audit_genesis WHERE id = 1').get();
    if (genesis) {
      await c.run('ALTER TABLE audit_genesis DISABLE TRIGGER audit_genesis_no_change');
      await c.run('UPDATE audit_genesis SET hash = $1, created_at = $2 WHERE id = 1', [String(genesis.hash), String(genesis.created_at)]);
      await c.run('ALTER TABLE audit_genesis ENABLE TRIGGER audit_genesis_no_change');
    }
    const head = source.prepare(`SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'audit_events'), 0), coalesce((SELECT max(seq) FROM audit_events), 0)) AS seq`).get();
    await c.run('UPDATE audit_head SET seq = $1 WHERE id = 1', [Number(head?.seq ?? 0)]);
    // identity columns continue after the ids copied
    for (const spec of TABLES) {
      if (!spec.columns.includes('id') || spec.table === 'case_candidates') continue;
      await c.run(`SELECT setval(pg_get_serial_sequence('${spec.table}', 'id'), greatest((SELECT max(id) FROM ${spec.table}), 1), (SELECT max(id) FROM ${spec.table}) IS NOT NULL)`);
    }
  });
  const tables: TableResult[] = [];
  for (const spec of TABLES) {
    const from = digestSqlite(source, spec);
    const to = await digestPostgres(target, spec);
    tables.push({ table: spec.table, rows: to.rows, sha256: to.sha256, verified: from.rows === to.rows && from.sha256 === to.sha256 });
  }
  return { tables, rows: tables.reduce((n, t) => n + t.rows, 0), verified: tables.every((t) => t.verified) };
}

/** The hash both sides agree on: each row's verified columns as JSON, one line each, in key order. */
function digestSqlite(source: DatabaseSync, spec: TableCopy): { rows: number; sha256: string } {
  const hash = createHash('sha256');
  let rows = 0;
  const ordered = `SELECT * FROM (${spec.select}) ORDER BY ${spec.order.map(quoteIdent).join(', ')}`;
  for (const raw of source.prepare(ordered).iterate() as Iterable<Record<string, unknown>>) {
    const row = spec.convert ? spec.convert(raw) : raw;
    hash.update(`${canonical(spec, row)}\n`);
    rows += 1;
  }
  return { rows, sha256: hash.digest('hex') };
}

async function digestPostgres(target: PgDatabase, spec: TableCopy): Promise<{ rows: number; sha256: string }> {
  const hash = createHash('sha256');
  let rows = 0;
  const columns = spec.columns.filter((c) => !spec.derived?.includes(c));
  await target.tx(async (c) => {
    // recipients as the text SQLite's conversion gives: {1,2}
    const select = columns.map((column) => (column === 'recipients' ? `recipients::text AS recipients` : quoteIdent(column))).join(', ');
    await c.run(`DECLARE verify CURSOR FOR SELECT ${select} FROM ${spec.table} ORDER BY ${spec.order.map(quoteIdent).join(', ')}`);
    for (;;) {
      const batch = await c.query(`FETCH ${CHUNK_ROWS} FROM verify`);
      for (const row of batch) hash.update(`${canonical(spec, row)}\n`);
      rows += batch.length;
      if (batch.length < CHUNK_ROWS) break;
    }
    await c.run('CLOSE verify');
  });
  return { rows, sha256: hash.digest('hex') };
}

function canonical(spec: TableCopy, row: Record<string, unknown>): string {
  return JSON.stringify(spec.columns.filter((c) => !spec.derived?.includes(c)).map((c) => normalise(row[c])));
}

/** The same value whatever the side: numbers as their text (bigint, float), text as PostgreSQL can hold it, or null. */
function normalise(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'boolean') return value ? '1' : '0';
  return textForPostgres(String(value));
}

function copyValue(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  return textForPostgres(String(value)).replace(/[\\\n\r\t]/g, (ch) => (ch === '\\' ? '\\\\' : ch === '\n' ? '\\n' : ch === '\r' ? '\\r' : '\\t'));
}

function quoteIdent(name: string): string {
  return /^[a-z_][a-z0-9_]*$/.test(name) && name !== 'end' ? name : `"${name.replaceAll('"', '""')}"`;
}
