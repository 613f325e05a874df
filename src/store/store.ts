// The boundary between Lode and its databases. Commands and domain code talk to this interface
// only; `sqlite/` implements it on node:sqlite, and a PostgreSQL store implements the same
// promises so callers never change. Differences between stores live behind it, not around it.
import type { ExposureRecord, Location } from '../model/records.ts';
import type { Dataset, DatasetSummary, QuarantineEntry, Source, StoredMessage } from '../model/items.ts';
import type { QueryNode } from '../search/ast.ts';
import type { SearchResult, SearchSort } from '../model/search.ts';
import type { PreparedItem } from '../ingest/prepare.ts';
import type { MessageColumns } from '../ingest/message-columns.ts';
import type { DuplicateCandidate } from '../ingest/duplicates.ts';
import type { CommunicationEdge, EntityCount, EntityQuery } from '../model/entities.ts';
import type { AccountLink, AccountRef, LinkStatus, ProposedLink } from '../model/attribution.ts';
import type { FoundEntity } from '../ingest/prepare.ts';
import type { Alert, AlertKind, AlertStatus, TriageFinding, Watchlist } from '../model/triage.ts';
import type { Annotation, Case, CaseItem, CaseItemKind, CaseQuery, CaseStatus } from '../model/cases.ts';
import type { DiscoveryMessage } from '../model/discovery.ts';
import type {
  Campaign, CampaignCriteria, CampaignPerson, CampaignSettings, CampaignSummary, EmailRecord, LetterRecord, Recipient, RecipientAccount, RecipientHistoryEntry, RecipientStatus,
} from '../model/campaigns.ts';
import type {
  AuditEvent, AuditVerification, Grant, LegalScope, PrivilegeDecision, PrivilegedIdentifier, PrivilegedKind, Role, Session, User, UserWithSecret, Viewer,
} from '../model/security.ts';

export type SourceDescription = {
  datasetId: number;
  path: string;
  sha256: string;
  sizeBytes: number;
  format: string;
  /** For a file read out of an archive: the archive's SHA-256 and the member's path inside it. */
  container?: { sha256: string; member: string };
};

/** One transaction's worth of ingest: items, quarantined pieces, and where the reader now stands. */
export type IngestBatch = {
  /** Messages and notes, as columns. */
  messages: MessageColumns;
  /** Accounts, contacts, groups, events and credential exposures. */
  items: PreparedItem[];
  quarantined: { location: Location; reason: string; excerpt: string }[];
  /** Folded words not seen before in this run, for fuzzy expansion. */
  newTerms: string[];
  /** The location of the batch's last record: a resumed run continues after it. */
  checkpoint: Location;
  /** Records read in this batch (items plus those skipped as duplicates). */
  records: number;
  /** What found the messages' entities: recorded with every mention. */
  extractor?: { component: string; version: string };
  /** What scored the messages' threats and leaks: recorded with every finding and alert. */
  triage?: { component: string; version: string };
};

export type BatchCounts = {
  messages: number;
  notes: number;
  accounts: number;
  contacts: number;
  groups: number;
  events: number;
  exposures: number;
  mentions: number;
  alerts: number;
  devices: number;
  duplicates: number;
  quarantined: number;
};

export type StoredSearch = {
  ast: QueryNode;
  dataset?: string;
  /**
   * The datasets the asker may see; absent means all. Enforced in the store's own query, so no
   * caller can forget it: a `dataset:` field or `dataset` outside the list finds nothing.
   */
  datasets?: readonly string[];
  /**
   * Who asks: outside a dataset's legal scope only admins see messages, and privileged messages
   * only privilege reviewers. Absent: the local operator (LOCAL_OPERATOR), who sees beyond the
   * scope but not privileged messages.
   */
  viewer?: Viewer;
  limit: number;
  offset: number;
  sort: SearchSort;
  facets: boolean;
  /** Also count every hit per day (SearchResult.days): one pass over the hits. */
  days?: boolean;
};

export type QuarantineQuery = { dataset?: string; limit: number; offset: number };

export interface Store {
  readonly description: string;
  close(): Promise<void>;

  ensureDataset(name: string): Promise<Dataset>;
  findDataset(name: string): Promise<Dataset | undefined>;
  /**
   * Counts and first/last timestamps per dataset. Messages, notes and the time range count only
   * what `viewer` may see (absent: the local operator, privileged messages left out).
   */
  summarise(viewer?: Viewer): Promise<DatasetSummary[]>;
  /** Every source of every dataset, with its status and checkpoint. */
  sources(): Promise<(Source & { dataset: string })[]>;

  /** The source for this file in this dataset: a new one, or the one a previous run left. */
  openSource(source: SourceDescription): Promise<Source>;
  /** Writes a batch and moves the source's checkpoint in the same transaction. */
  writeBatch(sourceId: number, batch: IngestBatch): Promise<BatchCounts>;
  completeSource(sourceId: number): Promise<Source>;
  /**
   * A hint before a large load: the store may defer index maintenance until endBulkLoad.
   * Returns whether it did. Reads stay correct meanwhile, only slower.
   */
  beginBulkLoad(incomingBytes: number): Promise<boolean>;
  endBulkLoad(): Promise<void>;

  /**
   * Excerpts are raw lines that could not be read, so nothing says whose they are: they may hold
   * privileged or out-of-scope text. The API shows them to admins only; the CLI to the operator.
   */
  quarantine(query: QuarantineQuery): Promise<{ total: number; entries: QuarantineEntry[] }>;

  /** Runs a parsed query. Throws QueryCompileError for a query the store cannot answer. */
  search(request: StoredSearch): Promise<Omit<SearchResult, 'took_ms'>>;
  /** Undefined also when the viewer may not see it (see StoredSearch.viewer). */
  message(id: string, viewer?: Viewer): Promise<StoredMessage | undefined>;
  // The views below that are drawn from messages take the `viewer` as search does
  // (StoredSearch.viewer): what it may not see is neither counted nor shown, and an entity,
  // contact or tie that only hidden messages hold does not appear. Absent: the local operator.

  /**
   * Messages that share their sender and folded words with another visible message of the same
   * dataset, sorted by dataset, sender, fingerprint and time (for groupDuplicates).
   */
  duplicateCandidates(dataset?: string, viewer?: Viewer): Promise<DuplicateCandidate[]>;
  /** Entities with their mention counts (in visible messages), most mentioned first. */
  entities(query: EntityQuery, viewer?: Viewer): Promise<{ total: number; entities: EntityCount[] }>;
  /** Where an entity value (of any of the types) is mentioned. */
  entityOccurrences(types: readonly string[], value: string, dataset: string | undefined, examples: number, viewer?: Viewer): Promise<Occurrence>;
  /** What accounts with this (folded) handle sent. */
  handleOccurrences(handle: string, dataset: string | undefined, examples: number, viewer?: Viewer): Promise<Occurrence>;
  /**
   * Runs the entity extractor over stored messages that its tool run has not seen yet, in
   * committed chunks: an interrupted run continues where it stopped.
   */
  reindexEntities(options: ReindexOptions): Promise<{ messages: number; mentions: number }>;

  communicationEdges(query: { dataset?: string; fromMs?: number; toMs?: number }, viewer?: Viewer): Promise<CommunicationEdge[]>;
  /**
   * Accounts with this handle. A privileged party's own account (a registered lawyer's identifier)
   * is found only by privilege reviewers: for anyone else, the local operator included (no
   * viewer), it is like an unknown handle.
   */
  findAccounts(handle: string, dataset?: string, platform?: string, viewer?: Viewer): Promise<(AccountRef & { id: number; name?: string })[]>;
  /** Counts, contacts, activity, disclosed entities and first/last seen come from visible messages only. */
  accountFacts(id: number, contactLimit: number, viewer?: Viewer): Promise<AccountFacts>;
  linkEvidence(): Promise<LinkEvidenceRows>;
  sendersMentioning(type: string, value: string, viewer?: Viewer): Promise<{ account: number; messages: number; example: string }[]>;
  describeAccount(id: number): Promise<AccountRef | undefined>;
  /** Stores proposals; links an analyst decided keep their decision, their evidence is refreshed. */
  saveLinks(links: readonly ProposedLink[], toolrun: { component: string; version: string }): Promise<{ added: number; updated: number }>;
  /** Links, strongest first; with `datasets`, only links whose two accounts are both in those datasets. */
  links(query: { account?: number; status?: LinkStatus; datasets?: readonly string[]; limit: number; offset: number }): Promise<{ total: number; links: AccountLink[] }>;
  /** One link by id. */
  link(id: number): Promise<AccountLink | undefined>;
  /** Confirms or rejects a link and regroups persons from the confirmed links. */
  decideLink(id: number, status: LinkStatus, decidedBy: string, note?: string): Promise<AccountLink | undefined>;
  personOf(accountId: number): Promise<{ id: number; name?: string; accounts: AccountRef[] } | undefined>;
  /** A person (a group of confirmed-linked accounts) by id. */
  person(id: number): Promise<{ id: number; name?: string; accounts: AccountRef[] } | undefined>;

  /** Items of the same conversation around an item, oldest first, the item included. */
  conversationAround(id: string, before: number, after: number, viewer?: Viewer): Promise<StoredMessage[]>;

  /** Sets (replaces) a dataset's legal scope; undefined without such a dataset. */
  setScope(dataset: string, scope: NewLegalScope, setBy: string): Promise<LegalScope | undefined>;
  scopeOf(dataset: string): Promise<LegalScope | undefined>;
  /** False when the dataset had no scope. */
  clearScope(dataset: string): Promise<boolean>;
  /** Registers an identifier of a privileged party; its accounts' messages are withheld from then on. */
  addPrivileged(kind: PrivilegedKind, value: string, label: string | undefined, addedBy: string): Promise<PrivilegedAddOutcome>;
  privilegedIdentifiers(): Promise<PrivilegedIdentifier[]>;
  /** Privileged messages awaiting a reviewer's decision, within legal scope, newest first. */
  withheldMessages(query: WithheldQuery): Promise<{ total: number; messages: WithheldMessage[] }>;
  /**
   * A privilege reviewer releases or destroys a privileged message; the store appends the audit
   * event itself, so no destruction goes unlogged. `datasets`: those the reviewer may decide on.
   */
  decidePrivilege(id: string, status: 'released' | 'destroyed', decidedBy: string, note?: string, datasets?: readonly string[]): Promise<DecisionOutcome>;
  /**
   * Physically erases what destroyed messages said from the store's files: merges the full-text
   * index (dropping deleted postings), rewrites the file (VACUUM, secure_delete on) and empties
   * the write-ahead log. Slow on a big store (a full rewrite); appends a 'privilege.purge' audit
   * event as `actor`. Sizes are of the database file plus its WAL.
   */
  purgeDestroyed(actor: string): Promise<PurgeOutcome>;

  /** Adds a user with an encoded password hash; undefined when the name is taken. */
  createUser(name: string, role: Role, passwordHash: string): Promise<User | undefined>;
  /** The user with their password hash, for login only. */
  findUser(name: string): Promise<UserWithSecret | undefined>;
  /** Every user, by name, without password hashes. */
  users(): Promise<User[]>;
  /** Replaces the password hash and ends the user's sessions and tokens; false without such a user. */
  setPassword(name: string, passwordHash: string): Promise<boolean>;
  /** Disables (ending every session and token) or enables a user; false without such a user. */
  setDisabled(name: string, disabled: boolean): Promise<boolean>;
  /** Gives a user access to a dataset or a case (idempotent); undefined without such a user. */
  grant(userName: string, kind: Grant['kind'], target: string, grantedBy: string): Promise<Grant | undefined>;
  /** Takes a grant away; false when there was none. */
  revoke(userName: string, kind: Grant['kind'], target: string): Promise<boolean>;
  /** The datasets and cases a user may see. */
  grantsOf(userName: string): Promise<Grant[]>;
  /** Stores a session or token under the SHA-256 of its secret (never the secret). */
  createSession(digest: string, userId: number, kind: Session['kind'], expiresAt: string): Promise<Session>;
  /** The session with this digest and its user; undefined when expired, unknown or the user is disabled. Notes the use. */
  findSession(digest: string): Promise<{ user: User; session: Session } | undefined>;
  /** Ends a session or token; false when there was none. */
  deleteSession(digest: string): Promise<boolean>;
  // ---- triage (src/triage): alerts are evidence reads and obey grants, scope and privilege

  /** The alert queue, highest score first. */
  alerts(query: AlertQuery): Promise<{ total: number; alerts: Alert[] }>;
  /** One alert, undefined when the viewer may not see its message or it is outside `datasets`. */
  alert(id: number, viewer?: Viewer, datasets?: readonly string[]): Promise<Alert | undefined>;
  /** Changes status and/or assignee and/or adds a note by `actor`; undefined without such an alert. */
  /** Changes an alert the viewer may see (none: the default viewer, as `alert`); another is left as it is, as if missing. */
  updateAlert(id: number, change: AlertChange, actor: string, viewer?: Viewer): Promise<Alert | undefined>;
  /** Messages of a dataset in time order after a key, for re-scoring. */
  triageRows(dataset: string, afterKey: number, limit: number): Promise<TriageRow[]>;
  /** Replaces the findings of re-scored messages; keeps every alert an analyst worked on. */
  applyRescore(dataset: string, chunk: RescoreChunk, toolrun: { component: string; version: string }): Promise<{ alerts: number; removed: number }>;
  /** Undefined when the name is taken. */
  addWatchlist(watchlist: NewWatchlist): Promise<Watchlist | undefined>;
  watchlists(): Promise<Watchlist[]>;
  removeWatchlist(name: string): Promise<boolean>;
  /**
   * Runs the watchlists over the messages stored since they last ran and raises alerts; with
   * `backfill`, runs that one watchlist over everything stored.
   */
  runWatchlists(parse: (query: string) => QueryNode, backfill?: string): Promise<WatchlistRun>;

  // ---- cases (src/cases)

  /** Undefined when the name is taken. */
  createCase(newCase: NewCase, createdBy: string): Promise<Case | undefined>;
  /** Cases by name; with `names`, only those. Each with its number of items. */
  cases(names?: readonly string[]): Promise<(Case & { items: number })[]>;
  findCase(name: string): Promise<Case | undefined>;
  setCaseStatus(name: string, status: CaseStatus): Promise<boolean>;
  /** Links items to a case (idempotent; tags are merged); returns how many were new. */
  addCaseItems(name: string, items: readonly { kind: CaseItemKind; ref: string; tags?: readonly string[] }[], addedBy: string): Promise<number>;
  caseItems(name: string): Promise<CaseItem[]>;
  addAnnotation(name: string, annotation: Omit<Annotation, 'id' | 'at'>): Promise<Annotation | undefined>;
  annotations(name: string): Promise<Annotation[]>;
  addCaseQuery(name: string, query: Omit<CaseQuery, 'at'>): Promise<void>;
  caseQueries(name: string): Promise<CaseQuery[]>;
  /** Alerts on messages of the case (for its bundle), whatever their status. */
  alertsOfMessages(ids: readonly string[]): Promise<Alert[]>;
  /** An account by id with its dataset, name and the aliases others saved for it. */
  caseAccount(id: number): Promise<{ id: number; dataset: string; platform: string; handle: string; name?: string; aliases: string[]; messages: number } | undefined>;
  /** Mentions per entity within the given messages. */
  entityCounts(ids: readonly string[]): Promise<{ type: string; value: string; mentions: number }[]>;
  /** Tool runs that produced derived data (entities, findings, links) in the given messages. */
  toolrunsOf(ids: readonly string[]): Promise<{ component: string; version: string }[]>;

  // ---- case discovery (src/analyze/discover)

  /** Messages of a dataset in time order with entities and threat scores, streamed in chunks. */
  discoveryMessages(dataset: string, viewer?: Viewer): AsyncIterable<DiscoveryMessage>;
  /**
   * Replaces the stored candidates of a dataset for one view: 'all' for a run that saw the whole
   * dataset, a user's name for a run limited by what that user may see.
   */
  saveCandidates(dataset: string, view: string, candidates: readonly { id: string; score: number; candidate: unknown }[], toolrun: { component: string; version: string }): Promise<void>;
  /** Stored candidates of a view, best first; with `datasets`, only theirs. */
  candidates(view: string, datasets?: readonly string[]): Promise<{ id: string; dataset: string; rank: number; candidate: unknown; foundAt: string }[]>;

  // ---- intervention campaigns (src/campaigns)

  /**
   * A page of a dataset's accounts (by id, after `afterId`) with their exposures' identifiers,
   * their person (confirmed links) and, with `events`, their events; what `viewer` may not see of
   * the dataset's accounts (privileged parties, a warrant's named handles and window) is left out.
   * `lastActiveMs`: the newest event or sent message. With `ids`, only those accounts.
   */
  siteAccounts(query: SiteAccountQuery): Promise<SiteAccount[]>;
  /** Stores a campaign with its recipients, in the given order; undefined when the name is taken. */
  createCampaign(campaign: NewCampaign, people: readonly (CampaignPerson & { reference: string })[]): Promise<Campaign | undefined>;
  /** Campaigns with their counts by status, newest first; with `datasets`, only campaigns on those. */
  campaigns(datasets?: readonly string[]): Promise<CampaignSummary[]>;
  findCampaign(name: string): Promise<Campaign | undefined>;
  /** Replaces a campaign's title and settings; undefined without such a campaign. */
  configureCampaign(name: string, change: { title?: string; language?: string; settings: CampaignSettings }): Promise<Campaign | undefined>;
  /** Recipients by reference order; filtered by status or reference. */
  recipients(campaign: string, query?: { status?: RecipientStatus; reference?: string }): Promise<Recipient[]>;
  /** Applies a change to one recipient and records it in its history in one transaction; undefined without such a recipient. */
  updateRecipient(campaign: string, reference: string, change: RecipientChange, actor: string): Promise<Recipient | undefined>;
  recipientHistory(campaign: string, reference: string): Promise<RecipientHistoryEntry[]>;
  /** The recipient whose e-mail had this Message-ID (for bounces). */
  recipientByMessageId(messageId: string): Promise<{ campaign: string; reference: string } | undefined>;
  /** Per dataset, how many of its sources the campaign's re-offending check has read. */
  reoffenceScans(campaign: string): Promise<Map<string, number>>;
  /** Records what a re-offending check found (new matches only) and which sources it read; returns how many were new. */
  saveReoffences(campaign: string, scanned: readonly { dataset: string; sources: number }[], found: readonly ReoffenceFound[]): Promise<number>;

  // ---- the public check (src/breachcheck)

  /** A page of a dataset's credential exposures by id, for publishing to the public check's own database. */
  exposurePage(dataset: string, afterId: number, limit: number): Promise<(ExposureRecord & { id: number })[]>;

  /** Appends an event to the hash-chained audit log, atomically with respect to other writers. */
  appendAudit(event: NewAuditEvent): Promise<AuditEvent>;
  /** Audit events, newest first, with the total matching the filters. */
  auditEvents(query: AuditEventQuery): Promise<{ total: number; events: AuditEvent[] }>;
  /** Checks the whole audit chain; reports the first event that does not fit. */
  verifyAudit(): Promise<AuditVerification>;
}

/** A warrant's scope as given: handles as written, a window in epoch ms (to exclusive). */
export type NewLegalScope = { handles?: readonly string[]; fromMs?: number; toMs?: number; warrant: string };

export type PrivilegedAddOutcome =
  | { kind: 'added' | 'exists'; identifier: PrivilegedIdentifier }
  | { kind: 'invalid'; reason: string };

export type WithheldQuery = { dataset?: string; datasets?: readonly string[]; limit: number; offset: number };

/** A withheld message with the parties that made it privileged. */
export type WithheldMessage = StoredMessage & { privilegedParties: { handle: string; identifier: string; label?: string }[] };

export type DecisionOutcome =
  | { kind: 'decided'; decision: PrivilegeDecision }
  | { kind: 'not-found' }
  | { kind: 'not-privileged' }
  | { kind: 'destroyed' };

/** How many messages are destroyed in all, and the store's size before and after the purge. */
export type PurgeOutcome = { destroyed: number; bytesBefore: number; bytesAfter: number };

/** What a caller says about an audited action; seq, time and hashes are the store's. */
export type NewAuditEvent = { actor: string; action: string; target?: string; details?: Record<string, unknown> };

export type AuditEventQuery = { limit: number; offset: number; actor?: string; action?: string };

export type AlertQuery = {
  kind?: AlertKind;
  /** One status or several (the open queue: new, acknowledged, escalated). */
  status?: AlertStatus | readonly AlertStatus[];
  assignee?: string;
  dataset?: string;
  /** The datasets the asker may see; absent: all. */
  datasets?: readonly string[];
  viewer?: Viewer;
  limit: number;
  offset: number;
};

/** `assignee: null` takes the assignment away. */
export type AlertChange = { status?: AlertStatus; assignee?: string | null; note?: string };

export type TriageRow = {
  key: number; id: string; tsMs?: number; from: string; to: string[]; body: string; lang?: string;
  attachments: { mime?: string; name?: string }[];
};

export type RescoreChunk = readonly { key: number; findings: readonly { finding: TriageFinding; alert: boolean }[] }[];

export type NewWatchlist = { name: string; query?: string; entities?: Record<string, string[]>; dataset?: string; priority: number; createdBy: string };

export type WatchlistRun = { checked: number; raised: number; watchlists: { name: string; matched: number; raised: number }[] };

export type NewCase = { name: string; title?: string; description?: string; candidate?: string };

export type Occurrence = { messages: number; datasets: string[]; firstSeen?: string; lastSeen?: string; examples: string[] };

export type ReindexOptions = {
  dataset?: string;
  toolrun: { component: string; version: string };
  extract(body: string, lang: string | undefined): FoundEntity[];
  /** The near-duplicate fingerprint of a body, for messages stored before fingerprints existed. */
  fingerprint?(body: string): number | undefined;
  onProgress?(done: number, total: number): void;
  signal?: AbortSignal;
};

export type AccountFacts = {
  savedAliases: { alias: string; owner: string }[];
  devices: { imei?: string; model?: string; since?: string }[];
  entities: { type: string; value: string; count: number }[];
  sent: number;
  received: number;
  firstSeen?: string;
  lastSeen?: string;
  contacts: { handle: string; platform: string; sent: number; received: number }[];
  activity: { byHour: number[]; byWeekday: number[]; byWeekdayHour: number[][] };
};

export type LinkEvidenceRows = {
  sharedDevices: { a: number; b: number; imei: string; sinceA?: string; sinceB?: string }[];
  handles: { id: number; handle: string }[];
  exposures: { id: number; type: string; value: string }[];
  aliases: { account: number; alias: string; owner: string }[];
  names: { account: number; name: string }[];
};

export const EMPTY_COUNTS: BatchCounts = {
  messages: 0, notes: 0, accounts: 0, contacts: 0, groups: 0, events: 0, exposures: 0, mentions: 0, alerts: 0, devices: 0, duplicates: 0, quarantined: 0,
};

export function addCounts(a: BatchCounts, b: BatchCounts): BatchCounts {
  const sum = { ...a };
  for (const key of Object.keys(sum) as (keyof BatchCounts)[]) sum[key] += b[key];
  return sum;
}

export type SiteAccountQuery = { dataset: string; afterId: number; limit: number; events: boolean; ids?: readonly number[]; viewer?: Viewer };

/** A site account as campaigns read it (Store.siteAccounts). */
export type SiteAccount = {
  id: number;
  platform: string;
  handle: string;
  name?: string;
  extra: Record<string, unknown>;
  /** Identifiers of its credential exposures (mostly e-mail addresses), lower-cased. */
  exposures: { identifier: string; type: string }[];
  /** The person confirmed links put it in. */
  personId?: number;
  events: { type: string; tsMs?: number; fields: Record<string, unknown> }[];
  lastActiveMs?: number;
};

export type NewCampaign = {
  name: string; title?: string; dataset: string; criteria: CampaignCriteria; language: string; code: string; settings: CampaignSettings; createdBy: string;
  toolrun: { component: string; version: string };
};

/** A change to a recipient. Every change with a status, a history label or a note is written to its history. */
export type RecipientChange = {
  status?: RecipientStatus;
  /** When it happened (default: now). */
  at?: string;
  note?: string;
  /** A history entry without a status change: a note, a bounce, or a step taken again (an e-mail sent after a talk was scheduled). */
  label?: RecipientHistoryEntry['status'];
  talk?: { at: string; place?: string };
  letter?: LetterRecord;
  email?: Partial<EmailRecord>;
  details?: Record<string, unknown>;
};

export type ReoffenceFound = { recipientId: number; account: RecipientAccount; dataset: string; matched: string; lastActive?: string };
