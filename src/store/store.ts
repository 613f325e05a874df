// The boundary between Lode and its databases. Commands and domain code talk to this interface
// only; `sqlite/` implements it on node:sqlite, and a PostgreSQL store implements the same
// promises so callers never change. Differences between stores live behind it, not around it.
import type { Location } from '../model/records.ts';
import type { Dataset, DatasetSummary, QuarantineEntry, Source, StoredMessage } from '../model/items.ts';
import type { QueryNode } from '../search/ast.ts';
import type { SearchResult, SearchSort } from '../model/search.ts';
import type { PreparedItem } from '../ingest/prepare.ts';
import type { MessageColumns } from '../ingest/message-columns.ts';
import type { DuplicateCandidate } from '../ingest/duplicates.ts';
import type { CommunicationEdge, EntityCount, EntityQuery } from '../model/entities.ts';
import type { AccountLink, AccountRef, LinkStatus, ProposedLink } from '../model/attribution.ts';
import type { FoundEntity } from '../ingest/prepare.ts';
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
  activity: { byHour: number[]; byWeekday: number[] };
};

export type LinkEvidenceRows = {
  sharedDevices: { a: number; b: number; imei: string; sinceA?: string; sinceB?: string }[];
  handles: { id: number; handle: string }[];
  exposures: { id: number; type: string; value: string }[];
  aliases: { account: number; alias: string; owner: string }[];
  names: { account: number; name: string }[];
};

export const EMPTY_COUNTS: BatchCounts = {
  messages: 0, notes: 0, accounts: 0, contacts: 0, groups: 0, events: 0, exposures: 0, mentions: 0, devices: 0, duplicates: 0, quarantined: 0,
};

export function addCounts(a: BatchCounts, b: BatchCounts): BatchCounts {
  const sum = { ...a };
  for (const key of Object.keys(sum) as (keyof BatchCounts)[]) sum[key] += b[key];
  return sum;
}
