// The embedded store: one SQLite file (WAL, FTS5) through node:sqlite. Everything here is
// synchronous underneath; the Store promises keep callers identical for a server database.
import { optional, toStoredMessage as toMessageModel } from '../row-models.ts';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Dataset, DatasetSummary, QuarantineEntry, Source, StoredMessage } from '../../model/items.ts';
import type { PreparedAccount, PreparedContact, PreparedEvent, PreparedExposure, PreparedGroup } from '../../ingest/prepare.ts';
import { RECIPIENT_SEPARATOR, type MessageColumns } from '../../ingest/message-columns.ts';
import { foldText } from '../../extract/tokens.ts';
import { EMPTY_COUNTS, type BatchCounts, type IngestBatch, type QuarantineQuery, type ReindexOptions, type SourceDescription, type Store, type StoredSearch, type AuditEventQuery, type NewAuditEvent, type NewLegalScope, type WithheldQuery } from '../store.ts';
import { DEFERRABLE_INDEXES, MIGRATIONS } from './schema.ts';
import { FTS_WORDS_FUNCTION, ftsWordsOf } from './fts-words.ts';
import type { DuplicateCandidate } from '../../ingest/duplicates.ts';
import type { EntityQuery } from '../../model/entities.ts';
import type { LinkStatus, ProposedLink } from '../../model/attribution.ts';
import { personsFromLinks } from '../../analyze/links.ts';
import { nameHypotheses } from '../../analyze/aliases.ts';
import * as analysis from './analysis.ts';
import { runSqliteSearch } from './search.ts';
import { messageTimeKey, naturalKeyOfId } from '../time-key.ts';
import * as security from './security.ts';
import * as scope from './scope.ts';
import * as triage from './triage.ts';
import * as casework from './cases.ts';
import * as campaigning from './campaigns.ts';
import type { QueryNode } from '../../search/ast.ts';
import type { AlertChange, AlertQuery, SiteAccountQuery, NewCampaign, NewCase, NewWatchlist, RecipientChange, ReoffenceFound, RescoreChunk } from '../store.ts';
import type { CampaignPerson, CampaignSettings, RecipientStatus } from '../../model/campaigns.ts';
import type { ExposureRecord } from '../../model/records.ts';
import type { Annotation, CaseItemKind, CaseQuery, CaseStatus } from '../../model/cases.ts';
import { LOCAL_OPERATOR, type Grant, type PrivilegedKind, type Role, type Session, type Viewer } from '../../model/security.ts';

type Row = Record<string, unknown>;

export type SqliteStoreOptions = {
  path: string;
  cacheMiB?: number;
  /**
   * Memory-map the file for reads. Searches read rows at random (one per hit to filter on
   * sender or language); through a map that costs no copy of a 16 KiB page: measured 2.5x
   * faster warm and 40x faster cold on 5M messages. Off for bulk ingest, whose reads are few
   * and whose resident memory we keep bounded.
   */
  mmapMiB?: number;
};

export function openSqliteStore(options: SqliteStoreOptions): SqliteStore {
  if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
  const db = new DatabaseSync(options.path);
  // larger pages (on a new file): fewer splits, a third faster appends of rows and FTS segments
  db.exec(`
    PRAGMA page_size = 16384;
    PRAGMA journal_mode = WAL;
    PRAGMA synchronous = NORMAL;
    PRAGMA busy_timeout = 10000;
    PRAGMA cache_size = -${(options.cacheMiB ?? 64) * 1024};
    PRAGMA mmap_size = ${(options.mmapMiB ?? 0) * 1024 * 1024};
  `);
  migrate(db);
  ensureIndexes(db);
  return new SqliteStore(db, options.path);
}

const BULK_MIN_BYTES = 32 << 20;
const SORTER_CACHE_MIB = 24;

/** Builds indexes a bulk load deferred, unless a bulk load is still running in another process. */
export function ensureIndexes(db: DatabaseSync): void {
  const existing = new Set(db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'index'`).all().map((r) => String(r.name)));
  const missing = DEFERRABLE_INDEXES.filter((i) => !existing.has(i.name));
  if (missing.length === 0) return;
  const bulk = db.prepare(`SELECT value FROM settings WHERE key = 'bulk_load_pid'`).get();
  if (bulk && isProcessAlive(Number(bulk.value)) && Number(bulk.value) !== process.pid) return;
  for (const index of missing) db.exec(index.sql);
  db.exec(`DELETE FROM settings WHERE key = 'bulk_load_pid'`);
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function migrate(db: DatabaseSync): number {
  db.function(FTS_WORDS_FUNCTION, { deterministic: true }, (body) => ftsWordsOf(String(body ?? '')));
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
  const applied = new Set(db.prepare('SELECT version FROM schema_migrations').all().map((r) => Number(r.version)));
  let count = 0;
  for (const migration of MIGRATIONS) {
    if (applied.has(migration.version)) continue;
    db.exec('BEGIN IMMEDIATE');
    try {
      db.exec(migration.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(migration.version, migration.name, new Date().toISOString());
      db.exec('COMMIT');
      count += 1;
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    }
  }
  return count;
}

export class SqliteStore implements Store {
  readonly db: DatabaseSync;
  readonly description: string;
  private readonly statements = new Map<string, StatementSync>();
  /** Ids already looked up, per dataset and platform (the hot path asks once or more per message). */
  private readonly scopes = new Map<string, IdScope>();
  private lastScope: { datasetId: number; platform: string; scope: IdScope } | undefined;
  /** Accounts created in the current batch, including those only named as sender or recipient. */
  private accountsCreated = 0;
  /** Entity ids by dataset, type and value (bounded like the account ids). */
  private readonly entityIds = new Map<string, number>();
  /** Handles by account id for what reads show (see handles()). */
  private readonly handleCache = new Map<number, string>();

  constructor(db: DatabaseSync, path: string) {
    this.db = db;
    this.description = `sqlite:${path}`;
  }

  /** Prepared statements are cached: preparing costs more than running for short rows. */
  sql(text: string): StatementSync {
    let statement = this.statements.get(text);
    if (!statement) {
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  }

  async close(): Promise<void> {
    if (this.db.isOpen) {
      this.db.exec('PRAGMA optimize');
      this.db.close();
    }
  }

  async ensureDataset(name: string): Promise<Dataset> {
    this.sql('INSERT INTO datasets (name, created_at) VALUES (?, ?) ON CONFLICT (name) DO NOTHING').run(name, new Date().toISOString());
    return (await this.findDataset(name))!;
  }

  async findDataset(name: string): Promise<Dataset | undefined> {
    const row = this.sql('SELECT id, name, kind, legal_basis, created_at FROM datasets WHERE name = ?').get(name);
    if (!row) return undefined;
    return { id: Number(row.id), name: String(row.name), kind: optional(row.kind), legalBasis: optional(row.legal_basis), createdAt: String(row.created_at) };
  }

  async summarise(viewer?: Viewer): Promise<DatasetSummary[]> {
    const datasets = this.sql('SELECT id, name FROM datasets ORDER BY name').all();
    // with something hidden from the viewer, messages, notes and the time range are those of the
    // visible messages (one pass per dataset); otherwise the index-only counts as before
    const hidden = scope.visibilityConditions(this, viewer);
    const visible = hidden.length === 0 ? undefined
      : this.sql(`SELECT coalesce(sum(m.kind = 0), 0) AS messages, coalesce(sum(m.kind = 1), 0) AS notes, min(m.ts_ms) AS first, max(m.ts_ms) AS last
                  FROM messages m WHERE m.dataset_id = ? AND ${hidden.join(' AND ')}`);
    return datasets.map((d) => {
      const id = Number(d.id);
      const count = (sql: string) => Number(this.sql(sql).get(id)?.n ?? 0);
      const seen = visible?.get(id);
      const range = seen ?? this.sql('SELECT min(ts_ms) AS first, max(ts_ms) AS last FROM messages WHERE dataset_id = ?').get(id);
      return {
        name: String(d.name),
        sources: count('SELECT count(*) AS n FROM sources WHERE dataset_id = ?'),
        messages: seen ? Number(seen.messages) : count('SELECT count(*) AS n FROM messages WHERE dataset_id = ? AND kind = 0'),
        notes: seen ? Number(seen.notes) : count('SELECT count(*) AS n FROM messages WHERE dataset_id = ? AND kind = 1'),
        ...this.accountCounts(id, viewer ?? LOCAL_OPERATOR),
        quarantined: count('SELECT count(*) AS n FROM quarantine WHERE dataset_id = ?'),
        firstTs: range?.first == null ? undefined : new Date(Number(range.first)).toISOString(),
        lastTs: range?.last == null ? undefined : new Date(Number(range.last)).toISOString(),
      };
    });
  }

  /**
   * Accounts, contact entries, events and exposures of a dataset as the viewer may see them: a
   * privileged party's account (and what hangs on it) only for privilege reviewers; under a
   * warrant that names handles, only the named accounts for anyone but admins, and under a time
   * window only the events inside it.
   */
  private accountCounts(datasetId: number, viewer: Viewer): Pick<DatasetSummary, 'accounts' | 'contacts' | 'events' | 'exposures'> {
    const { shown, window, namedHandlesOnly } = scope.accountConditions(this, datasetId, viewer);
    const count = (sql: string) => Number(this.db.prepare(sql).get(datasetId)?.n ?? 0);
    return {
      accounts: count(`SELECT count(*) AS n FROM accounts WHERE dataset_id = ?${shown('id')}`),
      contacts: count(`SELECT count(*) AS n FROM contacts WHERE dataset_id = ?${shown('owner_id')}${shown('contact_id')}`),
      events: count(`SELECT count(*) AS n FROM events WHERE dataset_id = ?${shown('account_id')}${window('ts_ms')}`),
      // an exposure without an account is an identifier the warrant's handles cannot name
      exposures: count(`SELECT count(*) AS n FROM exposures WHERE dataset_id = ?${namedHandlesOnly ? ' AND account_id IS NOT NULL' : ''}${shown('account_id')}`),
    };
  }

  async beginBulkLoad(incomingBytes: number): Promise<boolean> {
    const pageCount = Number(this.db.prepare('PRAGMA page_count').get()?.page_count ?? 0);
    const pageSize = Number(this.db.prepare('PRAGMA page_size').get()?.page_size ?? 4096);
    // small additions to a big store are cheaper with the indexes kept
    if (incomingBytes < BULK_MIN_BYTES || incomingBytes < 0.25 * pageCount * pageSize) return false;
    this.db.prepare(`INSERT INTO settings (key, value) VALUES ('bulk_load_pid', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`).run(String(process.pid));
    for (const index of DEFERRABLE_INDEXES) this.db.exec(`DROP INDEX IF EXISTS ${index.name}`);
    this.statements.clear();
    return true;
  }

  async endBulkLoad(): Promise<void> {
    // Sorter threads build the deferred indexes about a fifth faster (measured at 5M messages).
    // Each sorter may hold a page cache's worth of memory, so the cache shrinks meanwhile.
    const cache = this.db.prepare('PRAGMA cache_size').get()?.cache_size;
    this.db.exec(`PRAGMA threads = 2; PRAGMA cache_size = -${SORTER_CACHE_MIB * 1024}`);
    try {
      ensureIndexes(this.db);
    } finally {
      this.db.exec(`PRAGMA threads = 0; PRAGMA cache_size = ${Number(cache)}`);
    }
    this.statements.clear();
  }

  async sources(): Promise<(Source & { dataset: string })[]> {
    return this.sql('SELECT s.*, d.name AS dataset FROM sources s JOIN datasets d ON d.id = s.dataset_id ORDER BY d.name, s.id')
      .all()
      .map((row) => ({ ...toSource(row), dataset: String(row.dataset) }));
  }

  async openSource(source: SourceDescription): Promise<Source> {
    this.sql(`INSERT INTO sources (dataset_id, path, sha256, size_bytes, format, status, started_at, container_sha256, member_path)
              VALUES (?, ?, ?, ?, ?, 'ingesting', ?, ?, ?) ON CONFLICT (dataset_id, sha256) DO NOTHING`)
      .run(source.datasetId, source.path, source.sha256, source.sizeBytes, source.format, new Date().toISOString(),
        source.container?.sha256 ?? null, source.container?.member ?? null);
    const row = this.sql('SELECT * FROM sources WHERE dataset_id = ? AND sha256 = ?').get(source.datasetId, source.sha256)!;
    return toSource(row);
  }

  async completeSource(sourceId: number): Promise<Source> {
    this.sql(`UPDATE sources SET status = 'complete', finished_at = ? WHERE id = ?`).run(new Date().toISOString(), sourceId);
    return toSource(this.sql('SELECT * FROM sources WHERE id = ?').get(sourceId)!);
  }

  async writeBatch(sourceId: number, batch: IngestBatch): Promise<BatchCounts> {
    const source = this.sql('SELECT dataset_id FROM sources WHERE id = ?').get(sourceId);
    if (!source) throw new Error(`unknown source ${sourceId}`);
    const datasetId = Number(source.dataset_id);
    const counts = { ...EMPTY_COUNTS };
    this.accountsCreated = 0;
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const accountsBefore = scope.lastAccountId(this);
      for (const item of batch.items) {
        switch (item.kind) {
          case 'account':
            this.upsertAccount(datasetId, sourceId, item);
            counts.devices += this.linkDevices(datasetId, sourceId, item);
            break;
          case 'contact':
            counts.contacts += this.insertContact(datasetId, sourceId, item);
            break;
          case 'group':
            counts.groups += this.upsertGroup(datasetId, item);
            break;
          case 'event':
            counts.events += this.insertEvent(datasetId, sourceId, item);
            break;
          case 'exposure':
            counts.exposures += this.insertExposure(datasetId, sourceId, item);
            break;
        }
      }
      const m = batch.messages;
      const toolrun = batch.extractor ? this.toolrunId(batch.extractor.component, batch.extractor.version) : 0;
      const triageRun = batch.triage ? this.toolrunId(batch.triage.component, batch.triage.version) : 0;
      const at = new Date().toISOString();
      const stored: number[] = [];
      let mention = 0;
      let finding = 0;
      for (let i = 0; i < m.count; i++) {
        const key = this.insertMessage(datasetId, sourceId, m, i);
        if (key !== undefined) {
          counts[m.kind[i] === 1 ? 'notes' : 'messages'] += 1;
          stored.push(key);
        } else counts.duplicates += 1;
        const first = mention;
        while (mention < m.mentions.item.length && m.mentions.item[mention] === i) mention += 1;
        // a message stored before kept the mentions it got then
        if (key !== undefined && mention > first) counts.mentions += this.insertMentions(datasetId, key, m.mentions, first, mention, toolrun);
        const firstFinding = finding;
        while (finding < m.findings.item.length && m.findings.item[finding] === i) finding += 1;
        if (key !== undefined && finding > firstFinding) counts.alerts += triage.insertFindings(this, datasetId, key, m.findings, firstFinding, finding, triageRun, at);
      }
      triage.queueForWatchlists(this, stored);
      const quarantine = this.sql(`INSERT INTO quarantine (dataset_id, source_id, line, byte_offset, reason, excerpt)
                                   VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (source_id, line, byte_offset) DO NOTHING`);
      for (const q of batch.quarantined) {
        counts.quarantined += Number(quarantine.run(datasetId, sourceId, q.location.line, q.location.offset, q.reason, q.excerpt).changes);
      }
      const vocabulary = this.sql('INSERT INTO vocabulary (length, term) VALUES (?, ?) ON CONFLICT DO NOTHING');
      for (const term of batch.newTerms) vocabulary.run(term.length, term);
      counts.accounts = this.accountsCreated;
      // in the batch's transaction: a lawyer's message is never readable before its sender is known to be one
      if (this.accountsCreated > 0) scope.markNewAccounts(this, accountsBefore);
      this.sql(`UPDATE sources SET checkpoint_line = ?, checkpoint_offset = ?, records = records + ?, quarantined = quarantined + ? WHERE id = ?`)
        .run(batch.checkpoint.line, batch.checkpoint.offset, batch.records, batch.quarantined.length, sourceId);
      this.db.exec('COMMIT');
    } catch (error) {
      this.db.exec('ROLLBACK');
      // ids cached during the failed transaction may not exist any more (and may be given out again)
      this.forgetIds();
      this.entityIds.clear();
      this.handleCache.clear();
      throw error;
    }
    return counts;
  }

  private scope(datasetId: number, platform: string): IdScope {
    const last = this.lastScope;
    if (last && last.datasetId === datasetId && last.platform === platform) return last.scope;
    const key = `${datasetId}\u0000${platform}`;
    let scope = this.scopes.get(key);
    if (!scope) this.scopes.set(key, (scope = { accounts: new Map(), conversations: new Map(), members: new Map(), size: 0 }));
    this.lastScope = { datasetId, platform, scope };
    return scope;
  }

  private forgetIds(): void {
    this.scopes.clear();
    this.lastScope = undefined;
  }

  /** Bounded memory: a store of millions of accounts is looked up again rather than held. */
  private remember(scope: IdScope): void {
    scope.size += 1;
    if (scope.size > MAX_CACHED_IDS) this.forgetIds();
  }

  private accountId(datasetId: number, sourceId: number, line: number, platform: string, handle: string): number {
    const scope = this.scope(datasetId, platform);
    const cached = scope.accounts.get(handle);
    if (cached !== undefined) return cached;
    const row = this.sql('SELECT id FROM accounts WHERE dataset_id = ? AND platform = ? AND handle = ?').get(datasetId, platform, handle);
    let id: number;
    if (row) id = Number(row.id);
    else {
      // run() and lastInsertRowid: RETURNING costs five times a plain insert in node:sqlite
      id = Number(this.sql(`INSERT INTO accounts (dataset_id, platform, handle, handle_folded, source_id, line) VALUES (?, ?, ?, ?, ?, ?)`)
        .run(datasetId, platform, handle, foldText(handle), sourceId, line).lastInsertRowid);
      this.accountsCreated += 1;
    }
    scope.accounts.set(handle, id);
    this.remember(scope);
    return id;
  }

  private upsertAccount(datasetId: number, sourceId: number, item: PreparedAccount): void {
    const existing = this.sql('SELECT id, name, extra FROM accounts WHERE dataset_id = ? AND platform = ? AND handle = ?').get(datasetId, item.platform, item.handle);
    const extra = item.extra ? JSON.stringify(item.extra) : null;
    if (existing) {
      if ((item.name && existing.name !== item.name) || (extra && existing.extra !== extra)) {
        this.sql('UPDATE accounts SET name = coalesce(?, name), extra = coalesce(?, extra) WHERE id = ?').run(item.name ?? null, extra, existing.id as number);
      }
      return;
    }
    const row = this.sql(`INSERT INTO accounts (dataset_id, platform, handle, handle_folded, name, extra, source_id, line)
                          VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`)
      .get(datasetId, item.platform, item.handle, foldText(item.handle), item.name ?? null, extra, sourceId, item.location.line)!;
    const scope = this.scope(datasetId, item.platform);
    scope.accounts.set(item.handle, Number(row.id));
    this.remember(scope);
    this.accountsCreated += 1;
  }

  /** Links the account to its current device and to every device of its history. */
  private linkDevices(datasetId: number, sourceId: number, item: PreparedAccount): number {
    const devices = [...(item.devices ?? []), ...(item.device ? [item.device] : [])].filter((d) => d.imei || d.model);
    let inserted = 0;
    for (const d of devices) {
      const imei = d.imei ?? '';
      const model = d.model ?? '';
      inserted += Number(this.sql('INSERT INTO devices (dataset_id, imei, model) VALUES (?, ?, ?) ON CONFLICT DO NOTHING').run(datasetId, imei, model).changes);
      const device = this.sql('SELECT id FROM devices WHERE dataset_id = ? AND imei = ? AND model = ?').get(datasetId, imei, model)!;
      const account = this.accountId(datasetId, sourceId, item.location.line, item.platform, item.handle);
      this.sql(`INSERT INTO account_devices (account_id, device_id, source_id, line, since) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT DO UPDATE SET since = coalesce(account_devices.since, excluded.since)`)
        .run(account, device.id as number, sourceId, item.location.line, d.since ?? null);
    }
    return inserted;
  }

  private insertContact(datasetId: number, sourceId: number, item: PreparedContact): number {
    const owner = this.accountId(datasetId, sourceId, item.location.line, item.platform, item.owner);
    const contact = this.accountId(datasetId, sourceId, item.location.line, item.platform, item.handle);
    const alias = item.alias ?? '';
    return Number(this.sql(`INSERT INTO contacts (dataset_id, owner_id, contact_id, alias, alias_folded, extra, source_id, line)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`)
      .run(datasetId, owner, contact, alias, foldText(alias), item.extra ? JSON.stringify(item.extra) : null, sourceId, item.location.line).changes);
  }

  private upsertGroup(datasetId: number, item: PreparedGroup): number {
    const members = JSON.stringify(item.members);
    const result = this.sql(`INSERT INTO conversations (dataset_id, platform, key, is_group, name, members) VALUES (?, ?, ?, 1, ?, ?)
                             ON CONFLICT (dataset_id, platform, key) DO UPDATE SET name = coalesce(excluded.name, name), members = excluded.members
                             WHERE coalesce(name, '') IS NOT coalesce(excluded.name, '') OR coalesce(members, '') IS NOT excluded.members`)
      .run(datasetId, item.platform, `group:${item.ref}`, item.name ?? null, members);
    return Number(result.changes);
  }

  private conversationId(datasetId: number, platform: string, key: string): number {
    const scope = this.scope(datasetId, platform);
    const cached = scope.conversations.get(key);
    if (cached !== undefined) return cached;
    const row = this.sql('SELECT id FROM conversations WHERE dataset_id = ? AND platform = ? AND key = ?').get(datasetId, platform, key);
    const id = row ? Number(row.id) : Number(this.sql('INSERT INTO conversations (dataset_id, platform, key, is_group) VALUES (?, ?, ?, ?)')
      .run(datasetId, platform, key, key.startsWith('group:') ? 1 : 0).lastInsertRowid);
    scope.conversations.set(key, id);
    this.remember(scope);
    return id;
  }

  /** Inserts message `i` of the columns unless it is already stored; false for a duplicate. */
  /** The message's time key when it was stored now, undefined when it was already there. */
  private insertMessage(datasetId: number, sourceId: number, m: MessageColumns, i: number): number | undefined {
    const platform = m.platform[i]!;
    const line = m.line[i]!;
    const uid = m.uid[i]!;
    const sender = this.accountId(datasetId, sourceId, line, platform, m.from[i]!);
    const recipients = m.to[i] === '' ? [] : m.to[i]!.split(RECIPIENT_SEPARATOR).map((handle) => this.accountId(datasetId, sourceId, line, platform, handle));
    const conversation = this.conversationId(datasetId, platform, m.conversation[i]!);
    const tsMs = Number.isNaN(m.tsMs[i]!) ? null : m.tsMs[i]!;
    const attachments = m.attachments[i]!;
    this.addMembers(datasetId, platform, conversation, sender, recipients);
    const insert = this.sql(`INSERT INTO messages (rowid, uid, kind, dataset_id, source_id, line, byte_offset, ref, platform, conversation_id,
                               sender_id, recipients, ts, ts_ms, body, lang, has_attachment, attachments, extra, flags, fingerprint)
                             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`);
    // Duplicates are found through the time key rather than an index on uid: the same item
    // always starts probing at the same key, and its id says which key that is.
    let rowid = messageTimeKey(tsMs ?? undefined, uid);
    const occupant = this.sql('SELECT uid FROM messages WHERE rowid = ?');
    for (;;) {
      const changes = insert.run(
        rowid, uid, m.kind[i]!, datasetId, sourceId, line, m.offset[i]!, m.ref[i]!, platform, conversation, sender,
        recipients.length > 0 ? JSON.stringify(recipients) : null, m.ts[i]!, tsMs, m.body[i]!, m.lang[i]!, attachments === null ? 0 : 1,
        attachments, m.extra[i]!, m.flags[i]!, Number.isNaN(m.fingerprint[i]!) ? null : m.fingerprint[i]!,
      ).changes;
      if (changes === 1) break;
      if (occupant.get(rowid)?.uid === uid) return undefined;
      // another item took this time slot: the next one keeps the time order
      rowid += 1;
    }
    this.sql('INSERT INTO message_fts (rowid, words) VALUES (?, ?)').run(rowid, ftsWordsOf(m.body[i]!));
    return rowid;
  }

  /** Mentions from..to of the batch's flat mention columns, all of the message stored at `key`. */
  private insertMentions(datasetId: number, key: number, mentions: MessageColumns['mentions'], from: number, to: number, toolrun: number): number {
    const insert = this.sql('INSERT INTO mentions (entity_id, item_key, start, end, toolrun_id) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING');
    const counted = this.sql('UPDATE entities SET mentions = mentions + 1 WHERE id = ?');
    let added = 0;
    for (let j = from; j < to; j++) {
      const entity = this.entityId(datasetId, mentions.type[j]!, mentions.value[j]!);
      if (insert.run(entity, key, mentions.start[j]!, mentions.end[j]!, toolrun).changes === 0) continue;
      counted.run(entity);
      added += 1;
    }
    return added;
  }

  private entityId(datasetId: number, type: string, value: string): number {
    const key = `${datasetId}\u0000${type}\u0000${value}`;
    const cached = this.entityIds.get(key);
    if (cached !== undefined) return cached;
    const row = this.sql('SELECT id FROM entities WHERE dataset_id = ? AND type = ? AND value = ?').get(datasetId, type, value);
    const id = row ? Number(row.id) : Number(this.sql('INSERT INTO entities (dataset_id, type, value) VALUES (?, ?, ?)').run(datasetId, type, value).lastInsertRowid);
    if (this.entityIds.size >= MAX_CACHED_IDS) this.entityIds.clear();
    this.entityIds.set(key, id);
    return id;
  }

  /** The id of a tool run (component and version), created on first use. */
  toolrunId(component: string, version: string): number {
    const row = this.sql('INSERT INTO toolruns (component, version) VALUES (?, ?) ON CONFLICT DO NOTHING RETURNING id').get(component, version)
      ?? this.sql('SELECT id FROM toolruns WHERE component = ? AND version = ?').get(component, version)!;
    return Number(row.id);
  }

  private addMembers(datasetId: number, platform: string, conversation: number, sender: number, recipients: readonly number[]): void {
    const scope = this.scope(datasetId, platform);
    let known = scope.members.get(conversation);
    if (!known) scope.members.set(conversation, (known = new Set()));
    const add = (account: number) => {
      if (known.has(account)) return;
      known.add(account);
      this.remember(scope);
      this.sql('INSERT INTO conversation_members (account_id, conversation_id) VALUES (?, ?) ON CONFLICT DO NOTHING').run(account, conversation);
    };
    add(sender);
    for (const r of recipients) add(r);
  }

  private insertEvent(datasetId: number, sourceId: number, item: PreparedEvent): number {
    const account = this.accountId(datasetId, sourceId, item.location.line, item.platform, item.account);
    return Number(this.sql(`INSERT INTO events (uid, dataset_id, source_id, line, byte_offset, ref, platform, account_id, type, ts, ts_ms, fields, flags)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (uid) DO NOTHING`)
      .run(item.uid, datasetId, sourceId, item.location.line, item.location.offset, item.ref ?? null, item.platform, account, item.type,
        item.ts ?? null, item.tsMs ?? null, JSON.stringify(item.fields), item.flags && item.flags.length > 0 ? JSON.stringify(item.flags) : null).changes);
  }

  private insertExposure(datasetId: number, sourceId: number, item: PreparedExposure): number {
    const account = item.account === undefined ? null : this.accountId(datasetId, sourceId, item.location.line, item.platform, item.account);
    return Number(this.sql(`INSERT INTO exposures (uid, dataset_id, source_id, line, byte_offset, platform, identifier, identifier_type, data_classes,
                              password_sha1, password_ntlm, hash_type, account_id, extra)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (uid) DO NOTHING`)
      .run(item.uid, datasetId, sourceId, item.location.line, item.location.offset, item.platform, item.identifier, item.identifierType,
        JSON.stringify(item.dataClasses), item.passwordSha1 ?? null, item.passwordNtlm ?? null, item.hashType ?? null, account,
        item.extra ? JSON.stringify(item.extra) : null).changes);
  }

  // Views drawn from messages take the viewer like search does: scope.ts's conditions on `m`
  // leave out what the viewer may not see (no viewer: the local operator, privileged hidden).
  async entities(query: EntityQuery, viewer?: Viewer) {
    return analysis.listEntities(this.db, query, scope.visibilityConditions(this, viewer));
  }

  async entityOccurrences(types: readonly string[], value: string, dataset: string | undefined, examples: number, viewer?: Viewer) {
    return analysis.entityOccurrences(this.db, types, value, dataset, examples, scope.visibilityConditions(this, viewer));
  }

  async handleOccurrences(handle: string, dataset: string | undefined, examples: number, viewer?: Viewer) {
    return analysis.handleOccurrences(this.db, foldText(handle), dataset, examples, scope.visibilityConditions(this, viewer));
  }

  async communicationEdges(query: analysis.EdgeQuery, viewer?: Viewer) {
    return analysis.communicationEdges(this.db, query, scope.visibilityConditions(this, viewer));
  }

  async findAccounts(handle: string, dataset?: string, platform?: string, viewer: Viewer = LOCAL_OPERATOR) {
    // a lawyer's own account is found by privilege reviewers only (like their messages)
    return analysis.findAccounts(this.db, handle, foldText(handle), dataset, platform, !viewer.mayReviewPrivilege);
  }

  async accountFacts(id: number, contactLimit: number, viewer?: Viewer) {
    return analysis.accountFacts(this.db, id, contactLimit, scope.visibilityConditions(this, viewer));
  }

  async describeAccount(id: number) {
    const row = analysis.accountById(this.db, id);
    return row && { dataset: row.dataset, platform: row.platform, handle: row.handle };
  }

  async linkEvidence() {
    return {
      sharedDevices: analysis.sharedDevices(this.db),
      handles: analysis.identifierLikeHandles(this.db),
      exposures: analysis.exposureIdentifiers(this.db),
      ...analysis.namesOfAccounts(this.db),
    };
  }

  async sendersMentioning(type: string, value: string, viewer?: Viewer) {
    return analysis.sendersMentioning(this.db, type, value, scope.visibilityConditions(this, viewer));
  }

  async saveLinks(links: readonly ProposedLink[], toolrun: { component: string; version: string }) {
    const run = this.toolrunId(toolrun.component, toolrun.version);
    const now = new Date().toISOString();
    const existing = this.sql('SELECT score, evidence FROM account_links WHERE a_id = ? AND b_id = ? AND kind = ?');
    const insert = this.sql(`INSERT INTO account_links (a_id, b_id, kind, score, evidence, toolrun_id, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`);
    const update = this.sql(`UPDATE account_links SET score = ?, evidence = ?, toolrun_id = ?, updated_at = ? WHERE a_id = ? AND b_id = ? AND kind = ?`);
    let added = 0;
    let updated = 0;
    this.db.exec('BEGIN IMMEDIATE');
    try {
      for (const link of links) {
        const evidence = JSON.stringify(link.evidence);
        const row = existing.get(link.aId, link.bId, link.kind);
        if (!row) {
          insert.run(link.aId, link.bId, link.kind, link.score, evidence, run, now);
          added += 1;
        } else if (Number(row.score) !== link.score || String(row.evidence) !== evidence) {
          update.run(link.score, evidence, run, now, link.aId, link.bId, link.kind);
          updated += 1;
        }
      }
      this.db.exec('COMMIT');
    } catch (error) {
      this.db.exec('ROLLBACK');
      throw error;
    }
    return { added, updated };
  }

  async links(query: analysis.LinkQuery) {
    return analysis.listLinks(this.db, query);
  }

  async link(id: number) {
    return analysis.linkById(this.db, id);
  }

  async decideLink(id: number, status: LinkStatus, decidedBy: string, note?: string) {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const changed = this.sql(`UPDATE account_links SET status = ?, decided_by = ?, decided_at = ?, note = coalesce(?, note) WHERE id = ?`)
        .run(status, decidedBy, new Date().toISOString(), note ?? null, id).changes;
      if (changed === 0) {
        this.db.exec('ROLLBACK');
        return undefined;
      }
      this.regroupPersons();
      this.db.exec('COMMIT');
    } catch (error) {
      this.db.exec('ROLLBACK');
      throw error;
    }
    return analysis.linkById(this.db, id);
  }

  /** Persons are the groups that confirmed links make; a group keeps the lowest person id it had. */
  private regroupPersons(): void {
    const confirmed = this.sql(`SELECT a_id, b_id FROM account_links WHERE status = 'confirmed'`).all().map((r) => ({ aId: Number(r.a_id), bId: Number(r.b_id) }));
    const groups = personsFromLinks(confirmed);
    const current = new Map(this.sql('SELECT account_id, person_id FROM person_accounts').all().map((r) => [Number(r.account_id), Number(r.person_id)]));
    this.db.exec('DELETE FROM person_accounts');
    const used = new Set<number>();
    for (const accounts of groups) {
      const previous = accounts.map((a) => current.get(a)).filter((p): p is number => p !== undefined && !used.has(p));
      const person = previous.length > 0 ? Math.min(...previous) : Number(this.sql('INSERT INTO persons (created_at) VALUES (?) RETURNING id').get(new Date().toISOString())!.id);
      used.add(person);
      const aliases = accounts.flatMap((a) => analysis.accountFacts(this.db, a, 0).savedAliases);
      this.sql('UPDATE persons SET name = ? WHERE id = ?').run(nameHypotheses(aliases)[0]?.name ?? null, person);
      for (const account of accounts) this.sql('INSERT INTO person_accounts (account_id, person_id) VALUES (?, ?)').run(account, person);
    }
    this.db.exec('DELETE FROM persons WHERE id NOT IN (SELECT person_id FROM person_accounts)');
  }

  async personOf(accountId: number) {
    const row = this.sql('SELECT person_id FROM person_accounts WHERE account_id = ?').get(accountId);
    return row ? this.person(Number(row.person_id)) : undefined;
  }

  async person(id: number) {
    const row = this.sql('SELECT id, name FROM persons WHERE id = ?').get(id);
    if (!row) return undefined;
    const accounts = this.sql('SELECT account_id FROM person_accounts WHERE person_id = ? ORDER BY account_id').all(Number(row.id))
      .map((r) => analysis.accountById(this.db, Number(r.account_id))!)
      .map((a) => ({ dataset: a.dataset, platform: a.platform, handle: a.handle }));
    return { id: Number(row.id), name: row.name === null ? undefined : String(row.name), accounts };
  }

  async reindexEntities(options: ReindexOptions): Promise<{ messages: number; mentions: number }> {
    const toolrun = this.toolrunId(options.toolrun.component, options.toolrun.version);
    const datasets = this.sql(options.dataset ? 'SELECT id FROM datasets WHERE name = ?' : 'SELECT id FROM datasets').all(...(options.dataset ? [options.dataset] : []))
      .map((r) => Number(r.id));
    const progress = this.sql('SELECT done_below_key FROM entity_progress WHERE dataset_id = ? AND toolrun_id = ?');
    const save = this.sql(`INSERT INTO entity_progress (dataset_id, toolrun_id, done_below_key) VALUES (?, ?, ?)
                           ON CONFLICT (dataset_id, toolrun_id) DO UPDATE SET done_below_key = excluded.done_below_key`);
    const starts = datasets.map((d) => Number(progress.get(d, toolrun)?.done_below_key ?? Number.MIN_SAFE_INTEGER));
    let total = 0;
    datasets.forEach((d, i) => (total += Number(this.sql('SELECT count(*) AS n FROM messages WHERE dataset_id = ? AND rowid >= ?').get(d, starts[i]!)!.n)));
    let messages = 0;
    let mentions = 0;
    for (const [i, datasetId] of datasets.entries()) {
      let from = starts[i]!;
      for (;;) {
        if (options.signal?.aborted) return { messages, mentions };
        const rows = this.db.prepare('SELECT rowid, body, lang, fingerprint FROM messages WHERE dataset_id = ? AND rowid >= ? ORDER BY rowid LIMIT 5000').all(datasetId, from);
        if (rows.length === 0) break;
        this.db.exec('BEGIN IMMEDIATE');
        try {
          const setFingerprint = this.sql('UPDATE messages SET fingerprint = ? WHERE rowid = ?');
          for (const row of rows) {
            // messages stored before fingerprints existed get theirs, so lode duplicates sees them
            if (row.fingerprint === null && options.fingerprint) {
              const fingerprint = options.fingerprint(String(row.body));
              if (fingerprint !== undefined) setFingerprint.run(fingerprint, Number(row.rowid));
            }
            const found = options.extract(String(row.body), row.lang === null ? undefined : String(row.lang));
            if (found.length === 0) continue;
            const columns = { item: new Uint32Array(found.length), type: found.map((f) => f.type), value: found.map((f) => f.value), start: Uint32Array.from(found.map((f) => f.start)), end: Uint32Array.from(found.map((f) => f.end)) };
            mentions += this.insertMentions(datasetId, Number(row.rowid), columns, 0, found.length, toolrun);
          }
          from = Number(rows.at(-1)!.rowid) + 1;
          save.run(datasetId, toolrun, from);
          this.db.exec('COMMIT');
        } catch (error) {
          this.db.exec('ROLLBACK');
          this.entityIds.clear();
          throw error;
        }
        messages += rows.length;
        options.onProgress?.(messages, total);
      }
    }
    return { messages, mentions };
  }

  async duplicateCandidates(dataset?: string, viewer?: Viewer): Promise<DuplicateCandidate[]> {
    const filter = dataset ? 'AND m.dataset_id = (SELECT id FROM datasets WHERE name = ?)' : '';
    const params = dataset ? [dataset] : [];
    // hidden copies count neither in the group nor as candidates: one visible copy is no duplicate
    const visible = scope.visibilityConditions(this, viewer).map((w) => ` AND ${w}`).join('');
    const rows = this.db.prepare(`
      WITH repeated AS (
        SELECT m.dataset_id, m.sender_id, m.fingerprint FROM messages m
        WHERE m.fingerprint IS NOT NULL ${filter}${visible}
        GROUP BY m.dataset_id, m.sender_id, m.fingerprint HAVING count(*) > 1)
      SELECT m.uid, d.name AS dataset, a.handle AS sender, m.fingerprint, m.ts_ms, m.body, s.path, m.line
      FROM repeated r
      JOIN messages m ON m.dataset_id = r.dataset_id AND m.sender_id = r.sender_id AND m.fingerprint = r.fingerprint
      JOIN datasets d ON d.id = m.dataset_id JOIN accounts a ON a.id = m.sender_id JOIN sources s ON s.id = m.source_id
      WHERE 1${visible}
      ORDER BY m.dataset_id, m.sender_id, m.fingerprint, m.ts_ms, m.rowid`).all(...params);
    return rows.map((r) => ({
      id: String(r.uid), dataset: String(r.dataset), sender: String(r.sender), fingerprint: Number(r.fingerprint),
      tsMs: r.ts_ms === null ? undefined : Number(r.ts_ms), body: String(r.body), source: String(r.path), line: Number(r.line),
    }));
  }

  async quarantine(query: QuarantineQuery): Promise<{ total: number; entries: QuarantineEntry[] }> {
    const where = query.dataset ? 'WHERE d.name = ?' : '';
    const params = query.dataset ? [query.dataset] : [];
    const total = Number(this.db.prepare(`SELECT count(*) AS n FROM quarantine q JOIN datasets d ON d.id = q.dataset_id ${where}`).get(...params)?.n ?? 0);
    const rows = this.db.prepare(`SELECT q.id, d.name AS dataset, s.path, s.sha256, q.line, q.byte_offset, q.reason, q.excerpt
                                  FROM quarantine q JOIN datasets d ON d.id = q.dataset_id JOIN sources s ON s.id = q.source_id
                                  ${where} ORDER BY q.source_id, q.line LIMIT ? OFFSET ?`).all(...params, query.limit, query.offset);
    return {
      total,
      entries: rows.map((r) => ({
        id: Number(r.id), dataset: String(r.dataset), sourcePath: String(r.path), sourceSha256: String(r.sha256),
        line: Number(r.line), offset: Number(r.byte_offset), reason: String(r.reason), excerpt: String(r.excerpt),
      })),
    };
  }

  async search(request: StoredSearch) {
    return runSqliteSearch(this, request);
  }

  async message(id: string, viewer?: Viewer): Promise<StoredMessage | undefined> {
    const rowid = this.findRowid(id);
    if (rowid === undefined || !scope.isVisible(this, rowid, viewer)) return undefined;
    const entities = this.sql(`SELECT e.type, e.value, mn.start, mn.end FROM mentions mn JOIN entities e ON e.id = mn.entity_id
                               WHERE mn.item_key = ? ORDER BY mn.start`).all(rowid)
      .map((r) => ({ type: String(r.type), value: String(r.value), start: Number(r.start), end: Number(r.end) }));
    return { ...this.toStoredMessage(this.sql(`${MESSAGE_SELECT} WHERE m.rowid = ?`).get(rowid)!), entities };
  }

  async conversationAround(id: string, before: number, after: number, viewer?: Viewer): Promise<StoredMessage[]> {
    const rowid = this.findRowid(id);
    if (rowid === undefined || !scope.isVisible(this, rowid, viewer)) return [];
    const anchor = this.sql('SELECT rowid, conversation_id FROM messages WHERE rowid = ?').get(rowid)!;
    // hidden items are left out before the limit, so the context is the visible neighbours
    const visible = scope.visibilityConditions(this, viewer).map((w) => ` AND ${w}`).join('');
    const earlier = this.db.prepare(`${MESSAGE_SELECT} WHERE m.conversation_id = ? AND m.rowid < ?${visible} ORDER BY m.rowid DESC LIMIT ?`)
      .all(anchor.conversation_id as number, anchor.rowid as number, before).reverse();
    const later = this.db.prepare(`${MESSAGE_SELECT} WHERE m.conversation_id = ? AND m.rowid >= ?${visible} ORDER BY m.rowid ASC LIMIT ?`)
      .all(anchor.conversation_id as number, anchor.rowid as number, after + 1);
    return [...earlier, ...later].map((r) => this.toStoredMessage(r));
  }

  /** Walks the probe path an insert took from the id's natural key: consecutive keys only. */
  private findRowid(id: string): number | undefined {
    const start = naturalKeyOfId(id);
    if (start === undefined) return undefined;
    let expected = start;
    for (const row of this.sql('SELECT rowid, uid FROM messages WHERE rowid >= ? ORDER BY rowid LIMIT 1024').iterate(start)) {
      if (Number(row.rowid) !== expected) return undefined;
      if (row.uid === id) return expected;
      expected += 1;
    }
    return undefined;
  }

  // users, grants, sessions and the audit log: see security.ts
  async createUser(name: string, role: Role, passwordHash: string) { return security.createUser(this, name, role, passwordHash); }
  async findUser(name: string) { return security.findUser(this, name); }
  async users() { return security.users(this); }
  async setPassword(name: string, passwordHash: string) { return security.setPassword(this, name, passwordHash); }
  async setDisabled(name: string, disabled: boolean) { return security.setDisabled(this, name, disabled); }
  async grant(userName: string, kind: Grant['kind'], target: string, grantedBy: string) { return security.grant(this, userName, kind, target, grantedBy); }
  async revoke(userName: string, kind: Grant['kind'], target: string) { return security.revoke(this, userName, kind, target); }
  async grantsOf(userName: string) { return security.grantsOf(this, userName); }
  async createSession(digest: string, userId: number, kind: Session['kind'], expiresAt: string) { return security.createSession(this, digest, userId, kind, expiresAt); }
  async findSession(digest: string) { return security.findSession(this, digest); }
  async deleteSession(digest: string) { return security.deleteSession(this, digest); }
  async appendAudit(event: NewAuditEvent) { return security.appendAudit(this, event); }
  async auditEvents(query: AuditEventQuery) { return security.auditEvents(this, query); }
  async verifyAudit() { return security.verifyAudit(this); }

  // triage: see triage.ts
  async alerts(query: AlertQuery) { return triage.alerts(this, query); }
  async alert(id: number, viewer?: Viewer, datasets?: readonly string[]) { return triage.alert(this, id, viewer, datasets); }
  async updateAlert(id: number, change: AlertChange, actor: string, viewer?: Viewer) { return triage.updateAlert(this, id, change, actor, viewer); }
  async triageRows(dataset: string, afterKey: number, limit: number) { return triage.triageRows(this, dataset, afterKey, limit); }
  async applyRescore(dataset: string, chunk: RescoreChunk, toolrun: { component: string; version: string }) { return triage.applyRescore(this, dataset, chunk, toolrun); }
  async addWatchlist(watchlist: NewWatchlist) { return triage.addWatchlist(this, watchlist); }
  async watchlists() { return triage.watchlists(this); }
  async removeWatchlist(name: string) { return triage.removeWatchlist(this, name); }
  async runWatchlists(parse: (query: string) => QueryNode, backfill?: string) { return triage.runWatchlists(this, parse, backfill); }

  // cases and discovery: see cases.ts
  async createCase(newCase: NewCase, createdBy: string) { return casework.createCase(this, newCase, createdBy); }
  async cases(names?: readonly string[]) { return casework.cases(this, names); }
  async findCase(name: string) { return casework.findCase(this, name); }
  async setCaseStatus(name: string, status: CaseStatus) { return casework.setCaseStatus(this, name, status); }
  async addCaseItems(name: string, items: readonly { kind: CaseItemKind; ref: string; tags?: readonly string[] }[], addedBy: string) {
    return casework.addCaseItems(this, name, items, addedBy);
  }
  async caseItems(name: string) { return casework.caseItems(this, name); }
  async addAnnotation(name: string, annotation: Omit<Annotation, 'id' | 'at'>) { return casework.addAnnotation(this, name, annotation); }
  async annotations(name: string) { return casework.annotations(this, name); }
  async addCaseQuery(name: string, query: Omit<CaseQuery, 'at'>) { return casework.addCaseQuery(this, name, query); }
  async caseQueries(name: string) { return casework.caseQueries(this, name); }
  async alertsOfMessages(ids: readonly string[]) { return casework.alertsOfMessages(this, this.rowidsOf(ids)); }
  async caseAccount(id: number) { return casework.caseAccount(this, id); }
  async entityCounts(ids: readonly string[]) { return casework.entityCounts(this, this.rowidsOf(ids)); }
  async toolrunsOf(ids: readonly string[]) { return casework.toolrunsOf(this, this.rowidsOf(ids)); }
  discoveryMessages(dataset: string, viewer?: Viewer) { return casework.discoveryRows(this, dataset, viewer); }
  async saveCandidates(dataset: string, view: string, candidates: readonly { id: string; score: number; candidate: unknown }[], toolrun: { component: string; version: string }) {
    return casework.saveCandidates(this, dataset, view, candidates, toolrun);
  }
  async candidates(view: string, datasets?: readonly string[]) { return casework.candidates(this, view, datasets); }

  // intervention campaigns: see campaigns.ts
  async siteAccounts(query: SiteAccountQuery) { return campaigning.siteAccounts(this, query); }
  async createCampaign(campaign: NewCampaign, people: readonly (CampaignPerson & { reference: string })[]) { return campaigning.createCampaign(this, campaign, people); }
  async campaigns(datasets?: readonly string[]) { return campaigning.campaigns(this, datasets); }
  async findCampaign(name: string) { return campaigning.findCampaign(this, name); }
  async configureCampaign(name: string, change: { title?: string; language?: string; settings: CampaignSettings }) { return campaigning.configureCampaign(this, name, change); }
  async recipients(campaign: string, query?: { status?: RecipientStatus; reference?: string }) { return campaigning.recipients(this, campaign, query); }
  async updateRecipient(campaign: string, reference: string, change: RecipientChange, actor: string) { return campaigning.updateRecipient(this, campaign, reference, change, actor); }
  async recipientHistory(campaign: string, reference: string) { return campaigning.recipientHistory(this, campaign, reference); }
  async recipientByMessageId(messageId: string) { return campaigning.recipientByMessageId(this, messageId); }
  async reoffenceScans(campaign: string) { return campaigning.reoffenceScans(this, campaign); }
  async saveReoffences(campaign: string, scanned: readonly { dataset: string; sources: number }[], found: readonly ReoffenceFound[]) {
    return campaigning.saveReoffences(this, campaign, scanned, found);
  }

  async exposurePage(dataset: string, afterId: number, limit: number): Promise<(ExposureRecord & { id: number })[]> {
    return this.sql(`SELECT e.id, e.platform, e.identifier, e.identifier_type, e.data_classes, e.password_sha1, e.password_ntlm, e.hash_type
                     FROM exposures e JOIN datasets d ON d.id = e.dataset_id WHERE d.name = ? AND e.id > ? ORDER BY e.id LIMIT ?`)
      .all(dataset, afterId, limit).map((r) => ({
        id: Number(r.id), kind: 'exposure' as const, platform: String(r.platform), identifier: String(r.identifier),
        identifierType: String(r.identifier_type) as ExposureRecord['identifierType'], dataClasses: JSON.parse(String(r.data_classes)) as string[],
        ...(r.password_sha1 === null ? {} : { passwordSha1: String(r.password_sha1) }),
        ...(r.password_ntlm === null ? {} : { passwordNtlm: String(r.password_ntlm) }),
        ...(r.hash_type === null ? {} : { hashType: String(r.hash_type) }),
      }));
  }

  private rowidsOf(ids: readonly string[]): number[] {
    return ids.map((id) => this.findRowid(id)).filter((key): key is number => key !== undefined);
  }

  // legal scope and privilege screening: see scope.ts
  async setScope(dataset: string, legalScope: NewLegalScope, setBy: string) { return scope.setScope(this, dataset, legalScope, setBy); }
  async scopeOf(dataset: string) { return scope.scopeOf(this, dataset); }
  async clearScope(dataset: string) { return scope.clearScope(this, dataset); }
  async addPrivileged(kind: PrivilegedKind, value: string, label: string | undefined, addedBy: string) { return scope.addPrivileged(this, kind, value, label, addedBy); }
  async privilegedIdentifiers() { return scope.privilegedIdentifiers(this); }
  async withheldMessages(query: WithheldQuery) { return scope.withheldMessages(this, query); }
  async decidePrivilege(id: string, status: 'released' | 'destroyed', decidedBy: string, note?: string, datasets?: readonly string[]) {
    return scope.decidePrivilege(this, id, this.findRowid(id), status, decidedBy, note, datasets);
  }
  async purgeDestroyed(actor: string) { return scope.purgeDestroyed(this, actor); }

  /** Handles of accounts by id, cached for the life of the store (accounts never change handle). */
  handles(ids: readonly number[]): Map<number, string> {
    const out = new Map<number, string>();
    const statement = this.sql('SELECT handle FROM accounts WHERE id = ?');
    for (const id of ids) {
      if (out.has(id)) continue;
      let handle = this.handleCache.get(id);
      if (handle === undefined) {
        const row = statement.get(id);
        if (!row) {
          out.set(id, `#${id}`);
          continue;
        }
        handle = String(row.handle);
        // bounded: a search over millions of senders must not hold them all
        if (this.handleCache.size >= MAX_CACHED_HANDLES) this.handleCache.clear();
        this.handleCache.set(id, handle);
      }
      out.set(id, handle);
    }
    return out;
  }

  toStoredMessage(row: Row): StoredMessage {
    const recipients: number[] = row.recipients ? JSON.parse(String(row.recipients)) : [];
    return toMessageModel(row, recipients, this.handles([Number(row.sender_id), ...recipients]));
  }
}

type IdScope = {
  accounts: Map<string, number>;
  conversations: Map<string, number>;
  /** Accounts known to be in conversation_members, per conversation. */
  members: Map<number, Set<number>>;
  size: number;
};

const MAX_CACHED_IDS = 1_000_000;
const MAX_CACHED_HANDLES = 200_000;

export const MESSAGE_SELECT = `
  SELECT m.rowid, m.uid, m.kind, m.ref, m.platform, m.sender_id, m.recipients, m.ts_ms, m.body, m.lang, m.attachments, m.extra,
         m.source_id, m.line, m.byte_offset, d.name AS dataset, s.sha256, s.path, c.key AS conversation_key
  FROM messages m
  JOIN datasets d ON d.id = m.dataset_id
  JOIN sources s ON s.id = m.source_id
  JOIN conversations c ON c.id = m.conversation_id`;

function toSource(row: Row): Source {
  return {
    id: Number(row.id), datasetId: Number(row.dataset_id), path: String(row.path), sha256: String(row.sha256),
    sizeBytes: Number(row.size_bytes), format: String(row.format), status: row.status === 'complete' ? 'complete' : 'ingesting',
    records: Number(row.records), quarantined: Number(row.quarantined),
    checkpoint: { line: Number(row.checkpoint_line), offset: Number(row.checkpoint_offset) },
    startedAt: String(row.started_at), finishedAt: optional(row.finished_at),
  };
}

export { optional };
