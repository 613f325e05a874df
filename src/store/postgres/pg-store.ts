// The server store: PostgreSQL through node-postgres. The same Store as the SQLite store, table
// for table (schema.ts), so commands, the server and the tests do not know which one they have.
// This file holds the core (datasets, sources, ingest, messages, search); each other area lives
// in its own module, as in the SQLite store.
import type { Dataset, DatasetSummary, QuarantineEntry, Source, StoredMessage } from '../../model/items.ts';
import type { ExposureRecord } from '../../model/records.ts';
import { LOCAL_OPERATOR, type AuditEvent, type Grant, type PrivilegedKind, type Role, type Session, type Viewer } from '../../model/security.ts';
import type { CampaignPerson, CampaignSettings, RecipientStatus } from '../../model/campaigns.ts';
import type { Annotation, CaseItemKind, CaseQuery, CaseStatus } from '../../model/cases.ts';
import type { DiscoveryMessage } from '../../model/discovery.ts';
import type { EntityQuery } from '../../model/entities.ts';
import type { LinkStatus, ProposedLink } from '../../model/attribution.ts';
import type { QueryNode } from '../../search/ast.ts';
import type {
  AlertChange, AlertQuery, AuditEventQuery, BatchCounts, IngestBatch, NewAuditEvent, NewCampaign, NewCase, NewLegalScope, NewWatchlist, QuarantineQuery,
  RecipientChange, ReindexOptions, ReoffenceFound, RescoreChunk, SiteAccountQuery, SourceDescription, Store, StoredSearch, WithheldQuery,
} from '../store.ts';
import { PgDatabase, type PgClient } from './db.ts';
import { MESSAGE_SELECT, accountIdsOf, optional, toSource, toStoredMessage } from './rows.ts';
import { writeBatch } from './ingest.ts';
import { runPostgresSearch } from './search.ts';
import * as scope from './scope.ts';
import * as security from './security.ts';
import * as analysis from './analysis.ts';
import * as triage from './triage.ts';
import * as casework from './cases.ts';
import * as campaigning from './campaigns.ts';

/** Handles of account ids (looked up once, cached): what messages show as from and to. */
export type HandleLookup = (ids: readonly number[]) => Promise<Map<number, string>>;
export type AppendAudit = (event: NewAuditEvent) => Promise<AuditEvent>;

const MAX_CACHED_HANDLES = 200_000;

export type PostgresStoreOptions = { url: string; poolSize?: number };

/**
 * Connects and migrates at once, so a wrong address, password or database is said when the store
 * is opened, in words, rather than as the first query's stack trace.
 */
export async function openPostgresStore(options: PostgresStoreOptions): Promise<PostgresStore> {
  const db = new PgDatabase(options.url, { max: options.poolSize });
  try {
    await db.ready();
  } catch (error) {
    await db.pool.end();
    throw new Error(`cannot open the PostgreSQL store ${describeUrl(options.url)}: ${(error as Error).message}`);
  }
  return new PostgresStore(db, options.url);
}

export class PostgresStore implements Store {
  readonly db: PgDatabase;
  readonly description: string;
  private readonly handleCache = new Map<number, string>();
  private readonly toolruns = new Map<string, number>();

  constructor(db: PgDatabase, url: string) {
    this.db = db;
    this.description = describeUrl(url);
  }

  async close(): Promise<void> {
    await this.db.close();
  }

  /** Handles by account id, for what messages show; cached (bounded), since ids never change. */
  readonly handles: HandleLookup = async (ids) => {
    const out = new Map<number, string>();
    const missing = [...new Set(ids)].filter((id) => {
      const cached = this.handleCache.get(id);
      if (cached !== undefined) out.set(id, cached);
      return cached === undefined;
    });
    if (missing.length > 0) {
      for (const row of await this.db.query<{ id: number; handle: string }>('SELECT id, handle FROM accounts WHERE id = ANY($1::bigint[])', [missing])) {
        if (this.handleCache.size >= MAX_CACHED_HANDLES) this.handleCache.clear();
        this.handleCache.set(Number(row.id), row.handle);
        out.set(Number(row.id), row.handle);
      }
      for (const id of missing) if (!out.has(id)) out.set(id, `#${id}`);
    }
    return out;
  };

  /** The id of a tool run (component and version), created on first use. */
  async toolrunId(component: string, version: string, client?: PgClient): Promise<number> {
    const key = `${component}\u0000${version}`;
    const cached = this.toolruns.get(key);
    if (cached !== undefined) return cached;
    const db = client ?? this.db;
    // a look first: an INSERT that meets a conflict would still spend an id (ids are the SQLite store's)
    const row = (await db.one<{ id: number }>('SELECT id FROM toolruns WHERE component = $1 AND version = $2', [component, version]))
      ?? (await db.one<{ id: number }>('INSERT INTO toolruns (component, version) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING id', [component, version]))
      ?? (await db.one<{ id: number }>('SELECT id FROM toolruns WHERE component = $1 AND version = $2', [component, version]))!;
    // inside a transaction that may still roll back, the id is not cached
    if (!client) this.toolruns.set(key, Number(row.id));
    return Number(row.id);
  }

  readonly appendAudit: AppendAudit = (event) => security.appendAudit(this.db, event);

  // ---- datasets and sources

  async ensureDataset(name: string): Promise<Dataset> {
    // a look first: an INSERT that meets a conflict would still spend an id (ids are the SQLite store's)
    const found = await this.findDataset(name);
    if (found) return found;
    await this.db.run('INSERT INTO datasets (name, created_at) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [name, new Date().toISOString()]);
    return (await this.findDataset(name))!;
  }

  async findDataset(name: string): Promise<Dataset | undefined> {
    const row = await this.db.one('SELECT id, name, kind, legal_basis, created_at FROM datasets WHERE name = $1', [name]);
    if (!row) return undefined;
    return { id: Number(row.id), name: String(row.name), kind: optional(row.kind), legalBasis: optional(row.legal_basis), createdAt: String(row.created_at) };
  }

  async summarise(viewer?: Viewer): Promise<DatasetSummary[]> {
    const hidden = await scope.visibilityConditions(this.db, viewer);
    const summaries: DatasetSummary[] = [];
    for (const d of await this.db.query('SELECT id, name FROM datasets ORDER BY name COLLATE "C"')) {
      const id = Number(d.id);
      const seen = await this.db.one(`SELECT count(*) FILTER (WHERE m.kind = 0) AS messages, count(*) FILTER (WHERE m.kind = 1) AS notes,
                                        min(m.ts_ms) AS first, max(m.ts_ms) AS last FROM messages m WHERE m.dataset_id = $1${scope.andAll(hidden)}`, [id]);
      const count = async (sql: string) => Number((await this.db.one(sql, [id]))?.n ?? 0);
      summaries.push({
        name: String(d.name),
        sources: await count('SELECT count(*) AS n FROM sources WHERE dataset_id = $1'),
        messages: Number(seen?.messages ?? 0),
        notes: Number(seen?.notes ?? 0),
        ...(await this.accountCounts(id, viewer ?? LOCAL_OPERATOR)),
        quarantined: await count('SELECT count(*) AS n FROM quarantine WHERE dataset_id = $1'),
        firstTs: seen?.first == null ? undefined : new Date(Number(seen.first)).toISOString(),
        lastTs: seen?.last == null ? undefined : new Date(Number(seen.last)).toISOString(),
      });
    }
    return summaries;
  }

  private async accountCounts(datasetId: number, viewer: Viewer): Promise<Pick<DatasetSummary, 'accounts' | 'contacts' | 'events' | 'exposures'>> {
    const { shown, window, namedHandlesOnly } = await scope.accountConditions(this.db, datasetId, viewer);
    const count = async (sql: string) => Number((await this.db.one(sql, [datasetId]))?.n ?? 0);
    return {
      accounts: await count(`SELECT count(*) AS n FROM accounts WHERE dataset_id = $1${shown('id')}`),
      contacts: await count(`SELECT count(*) AS n FROM contacts WHERE dataset_id = $1${shown('owner_id')}${shown('contact_id')}`),
      events: await count(`SELECT count(*) AS n FROM events WHERE dataset_id = $1${shown('account_id')}${window('ts_ms')}`),
      exposures: await count(`SELECT count(*) AS n FROM exposures WHERE dataset_id = $1${namedHandlesOnly ? ' AND account_id IS NOT NULL' : ''}${shown('account_id')}`),
    };
  }

  async sources(): Promise<(Source & { dataset: string })[]> {
    return (await this.db.query('SELECT s.*, d.name AS dataset FROM sources s JOIN datasets d ON d.id = s.dataset_id ORDER BY d.name COLLATE "C", s.id'))
      .map((row) => ({ ...toSource(row), dataset: String(row.dataset) }));
  }

  async openSource(source: SourceDescription): Promise<Source> {
    // a look first, as in ensureDataset: the same file ingested again must not spend a source id
    const found = await this.db.one('SELECT * FROM sources WHERE dataset_id = $1 AND sha256 = $2', [source.datasetId, source.sha256]);
    if (found) return toSource(found);
    await this.db.run(`INSERT INTO sources (dataset_id, path, sha256, size_bytes, format, status, started_at, container_sha256, member_path)
                       VALUES ($1, $2, $3, $4, $5, 'ingesting', $6, $7, $8) ON CONFLICT (dataset_id, sha256) DO NOTHING`,
    [source.datasetId, source.path, source.sha256, source.sizeBytes, source.format, new Date().toISOString(), source.container?.sha256 ?? null, source.container?.member ?? null]);
    return toSource((await this.db.one('SELECT * FROM sources WHERE dataset_id = $1 AND sha256 = $2', [source.datasetId, source.sha256]))!);
  }

  async completeSource(sourceId: number): Promise<Source> {
    await this.db.run(`UPDATE sources SET status = 'complete', finished_at = $1 WHERE id = $2`, [new Date().toISOString(), sourceId]);
    return toSource((await this.db.one('SELECT * FROM sources WHERE id = $1', [sourceId]))!);
  }

  async writeBatch(sourceId: number, batch: IngestBatch): Promise<BatchCounts> {
    return this.db.tx((c) => writeBatch(c, sourceId, batch, (component, version, client) => this.toolrunId(component, version, client)));
  }

  // PostgreSQL maintains its indexes during COPY at a cost that stays flat: nothing is deferred
  async beginBulkLoad(): Promise<boolean> {
    return false;
  }

  async endBulkLoad(): Promise<void> {}

  async quarantine(query: QuarantineQuery): Promise<{ total: number; entries: QuarantineEntry[] }> {
    const where = query.dataset ? 'WHERE d.name = $1' : '';
    const params = query.dataset ? [query.dataset] : [];
    const total = Number((await this.db.one(`SELECT count(*) AS n FROM quarantine q JOIN datasets d ON d.id = q.dataset_id ${where}`, params))?.n ?? 0);
    const rows = await this.db.query(`SELECT q.id, d.name AS dataset, s.path, s.sha256, q.line, q.byte_offset, q.reason, q.excerpt
                                      FROM quarantine q JOIN datasets d ON d.id = q.dataset_id JOIN sources s ON s.dataset_id = q.dataset_id AND s.id = q.source_id
                                      ${where} ORDER BY q.source_id, q.line LIMIT $${params.length + 1} OFFSET $${params.length + 2}`, [...params, query.limit, query.offset]);
    return {
      total,
      entries: rows.map((r) => ({
        id: Number(r.id), dataset: String(r.dataset), sourcePath: String(r.path), sourceSha256: String(r.sha256),
        line: Number(r.line), offset: Number(r.byte_offset), reason: String(r.reason), excerpt: String(r.excerpt),
      })),
    };
  }

  // ---- messages

  async search(request: StoredSearch) {
    return runPostgresSearch(this.db, request, this.handles);
  }

  /** Where a message id is stored; undefined for an id no message has. */
  async locate(id: string): Promise<{ datasetId: number; key: number } | undefined> {
    const row = await this.db.one<{ dataset_id: number; key: number }>('SELECT dataset_id, key FROM messages WHERE uid = $1 LIMIT 1', [id]);
    return row ? { datasetId: Number(row.dataset_id), key: Number(row.key) } : undefined;
  }

  async message(id: string, viewer?: Viewer): Promise<StoredMessage | undefined> {
    const at = await this.locate(id);
    if (!at || !(await scope.isVisible(this.db, at.datasetId, at.key, viewer))) return undefined;
    const row = (await this.db.one(`${MESSAGE_SELECT} WHERE m.dataset_id = $1 AND m.key = $2`, [at.datasetId, at.key]))!;
    const entities = (await this.db.query(`SELECT e.type, e.value, mn.start, mn."end" FROM mentions mn JOIN entities e ON e.dataset_id = mn.dataset_id AND e.id = mn.entity_id
                                           WHERE mn.dataset_id = $1 AND mn.item_key = $2 ORDER BY mn.start, e.id`, [at.datasetId, at.key]))
      .map((r) => ({ type: String(r.type), value: String(r.value), start: Number(r.start), end: Number(r.end) }));
    return { ...toStoredMessage(row, await this.handles(accountIdsOf([row]))), entities };
  }

  async conversationAround(id: string, before: number, after: number, viewer?: Viewer): Promise<StoredMessage[]> {
    const at = await this.locate(id);
    if (!at || !(await scope.isVisible(this.db, at.datasetId, at.key, viewer))) return [];
    const anchor = (await this.db.one<{ conversation_id: number }>('SELECT conversation_id FROM messages WHERE dataset_id = $1 AND key = $2', [at.datasetId, at.key]))!;
    // hidden items are left out before the limit, so the context is the visible neighbours
    const visible = scope.andAll(await scope.visibilityConditions(this.db, viewer));
    const earlier = (await this.db.query(`${MESSAGE_SELECT} WHERE m.dataset_id = $1 AND m.conversation_id = $2 AND m.key < $3${visible} ORDER BY m.key DESC LIMIT $4`,
      [at.datasetId, anchor.conversation_id, at.key, before])).reverse();
    const later = await this.db.query(`${MESSAGE_SELECT} WHERE m.dataset_id = $1 AND m.conversation_id = $2 AND m.key >= $3${visible} ORDER BY m.key ASC LIMIT $4`,
      [at.datasetId, anchor.conversation_id, at.key, after + 1]);
    const rows = [...earlier, ...later];
    const names = await this.handles(accountIdsOf(rows));
    return rows.map((r) => toStoredMessage(r, names));
  }

  async exposurePage(dataset: string, afterId: number, limit: number): Promise<(ExposureRecord & { id: number })[]> {
    return (await this.db.query(`SELECT e.id, e.platform, e.identifier, e.identifier_type, e.data_classes, e.password_sha1, e.password_ntlm, e.hash_type
                                 FROM exposures e JOIN datasets d ON d.id = e.dataset_id WHERE d.name = $1 AND e.id > $2 ORDER BY e.id LIMIT $3`, [dataset, afterId, limit]))
      .map((r) => ({
        id: Number(r.id), kind: 'exposure' as const, platform: String(r.platform), identifier: String(r.identifier),
        identifierType: String(r.identifier_type) as ExposureRecord['identifierType'], dataClasses: JSON.parse(String(r.data_classes)) as string[],
        ...(r.password_sha1 === null ? {} : { passwordSha1: String(r.password_sha1) }),
        ...(r.password_ntlm === null ? {} : { passwordNtlm: String(r.password_ntlm) }),
        ...(r.hash_type === null ? {} : { hashType: String(r.hash_type) }),
      }));
  }

  // ---- derived views: see analysis.ts
  async entities(query: EntityQuery, viewer?: Viewer) { return analysis.entities(this, query, viewer); }
  async entityOccurrences(types: readonly string[], value: string, dataset: string | undefined, examples: number, viewer?: Viewer) {
    return analysis.entityOccurrences(this, types, value, dataset, examples, viewer);
  }
  async handleOccurrences(handle: string, dataset: string | undefined, examples: number, viewer?: Viewer) { return analysis.handleOccurrences(this, handle, dataset, examples, viewer); }
  async reindexEntities(options: ReindexOptions) { return analysis.reindexEntities(this, options); }
  async communicationEdges(query: { dataset?: string; fromMs?: number; toMs?: number }, viewer?: Viewer) { return analysis.communicationEdges(this, query, viewer); }
  async findAccounts(handle: string, dataset?: string, platform?: string, viewer?: Viewer) { return analysis.findAccounts(this, handle, dataset, platform, viewer); }
  async accountFacts(id: number, contactLimit: number, viewer?: Viewer) { return analysis.accountFacts(this, id, contactLimit, viewer); }
  async linkEvidence() { return analysis.linkEvidence(this); }
  async sendersMentioning(type: string, value: string, viewer?: Viewer) { return analysis.sendersMentioning(this, type, value, viewer); }
  async describeAccount(id: number) { return analysis.describeAccount(this, id); }
  async saveLinks(links: readonly ProposedLink[], toolrun: { component: string; version: string }) { return analysis.saveLinks(this, links, toolrun); }
  async links(query: { account?: number; status?: LinkStatus; datasets?: readonly string[]; limit: number; offset: number }) { return analysis.links(this, query); }
  async link(id: number) { return analysis.link(this, id); }
  async decideLink(id: number, status: LinkStatus, decidedBy: string, note?: string) { return analysis.decideLink(this, id, status, decidedBy, note); }
  async personOf(accountId: number) { return analysis.personOf(this, accountId); }
  async person(id: number) { return analysis.person(this, id); }
  async duplicateCandidates(dataset?: string, viewer?: Viewer) { return analysis.duplicateCandidates(this, dataset, viewer); }

  // ---- legal scope and privilege: see scope.ts
  async setScope(dataset: string, legalScope: NewLegalScope, setBy: string) { return scope.setScope(this.db, dataset, legalScope, setBy); }
  async scopeOf(dataset: string) { return scope.scopeOf(this.db, dataset); }
  async clearScope(dataset: string) { return scope.clearScope(this.db, dataset); }
  async addPrivileged(kind: PrivilegedKind, value: string, label: string | undefined, addedBy: string) { return scope.addPrivileged(this.db, kind, value, label, addedBy); }
  async privilegedIdentifiers() { return scope.privilegedIdentifiers(this.db); }
  async withheldMessages(query: WithheldQuery) { return scope.withheldMessages(this.db, query, this.handles); }
  async decidePrivilege(id: string, status: 'released' | 'destroyed', decidedBy: string, note?: string, datasets?: readonly string[]) {
    return scope.decidePrivilege(this.db, id, await this.locate(id), status, decidedBy, note, datasets, this.appendAudit);
  }
  async purgeDestroyed(actor: string) { return scope.purgeDestroyed(this.db, actor, this.appendAudit); }

  // ---- users, grants, sessions and the audit log: see security.ts
  async createUser(name: string, role: Role, passwordHash: string) { return security.createUser(this.db, name, role, passwordHash); }
  async findUser(name: string) { return security.findUser(this.db, name); }
  async users() { return security.users(this.db); }
  async setPassword(name: string, passwordHash: string) { return security.setPassword(this.db, name, passwordHash); }
  async setDisabled(name: string, disabled: boolean) { return security.setDisabled(this.db, name, disabled); }
  async grant(userName: string, kind: Grant['kind'], target: string, grantedBy: string) { return security.grant(this.db, userName, kind, target, grantedBy); }
  async revoke(userName: string, kind: Grant['kind'], target: string) { return security.revoke(this.db, userName, kind, target); }
  async grantsOf(userName: string) { return security.grantsOf(this.db, userName); }
  async createSession(digest: string, userId: number, kind: Session['kind'], expiresAt: string) { return security.createSession(this.db, digest, userId, kind, expiresAt); }
  async findSession(digest: string) { return security.findSession(this.db, digest); }
  async deleteSession(digest: string) { return security.deleteSession(this.db, digest); }
  async auditEvents(query: AuditEventQuery) { return security.auditEvents(this.db, query); }
  async verifyAudit() { return security.verifyAudit(this.db); }

  // ---- triage: see triage.ts
  async alerts(query: AlertQuery) { return triage.alerts(this, query); }
  async alert(id: number, viewer?: Viewer, datasets?: readonly string[]) { return triage.alert(this, id, viewer, datasets); }
  async updateAlert(id: number, change: AlertChange, actor: string, viewer?: Viewer) { return triage.updateAlert(this, id, change, actor, viewer); }
  async triageRows(dataset: string, afterKey: number, limit: number) { return triage.triageRows(this, dataset, afterKey, limit); }
  async applyRescore(dataset: string, chunk: RescoreChunk, toolrun: { component: string; version: string }) { return triage.applyRescore(this, dataset, chunk, toolrun); }
  async addWatchlist(watchlist: NewWatchlist) { return triage.addWatchlist(this, watchlist); }
  async watchlists() { return triage.watchlists(this); }
  async removeWatchlist(name: string) { return triage.removeWatchlist(this, name); }
  async runWatchlists(parse: (query: string) => QueryNode, backfill?: string) { return triage.runWatchlists(this, parse, backfill); }

  // ---- cases and discovery: see cases.ts
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
  async alertsOfMessages(ids: readonly string[]) { return casework.alertsOfMessages(this, ids); }
  async caseAccount(id: number) { return casework.caseAccount(this, id); }
  async entityCounts(ids: readonly string[]) { return casework.entityCounts(this, ids); }
  async toolrunsOf(ids: readonly string[]) { return casework.toolrunsOf(this, ids); }
  discoveryMessages(dataset: string, viewer?: Viewer): AsyncIterable<DiscoveryMessage> { return casework.discoveryMessages(this, dataset, viewer); }
  async saveCandidates(dataset: string, view: string, candidates: readonly { id: string; score: number; candidate: unknown }[], toolrun: { component: string; version: string }) {
    return casework.saveCandidates(this, dataset, view, candidates, toolrun);
  }
  async candidates(view: string, datasets?: readonly string[]) { return casework.candidates(this, view, datasets); }

  // ---- campaigns: see campaigns.ts
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
}

/** The URL without its password, for logs and `lode status`. */
export function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.password = '';
    return parsed.toString();
  } catch {
    return 'postgres://(unreadable URL)';
  }
}
