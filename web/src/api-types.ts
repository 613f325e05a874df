// The answers of /api/v1 as the workbench reads them: hand-written mirrors of the zod schemas in
// src/server/routes/*.ts (the browser bundle must not import server code). Fields the views do
// not use are left out; fields a route may omit are optional here too.

export const ROLES = ['admin', 'analyst', 'investigator', 'privilege-reviewer', 'auditor', 'campaign-officer'] as const;
export type Role = (typeof ROLES)[number];

export type Me = { user: { name: string; role: Role }; grants: { kind: 'dataset' | 'case'; target: string; grantedBy: string; grantedAt: string }[] };
export type LoginAnswer = { csrfToken: string; expiresAt: string; user: { name: string; role: Role } };

export type Bucket = { value: string; count: number };
export type Facets = { sampled: boolean; sampleSize: number; sender: Bucket[]; dataset: Bucket[]; platform: Bucket[]; language: Bucket[]; day: Bucket[] };

export type SearchHit = {
  id: string; ref?: string; dataset: string; platform: string; kind: 'message' | 'note';
  ts?: string; from: string; to: string[]; body: string;
  /** HTML-escaped text with matches in <mark>: rendered by parsing, never as HTML. */
  snippet: string; score?: number;
};

export type SearchAnswer = {
  total: number; took_ms: number; sort: SearchSort; notice?: string;
  expansions?: Record<string, string[]>; hits: SearchHit[]; facets?: Facets; days?: Bucket[];
};
export const SEARCH_SORTS = ['newest', 'oldest', 'relevance'] as const;
export type SearchSort = (typeof SEARCH_SORTS)[number];

export type EntitySpan = { type: string; value: string; start: number; end: number };

export type Item = {
  id: string; ref?: string; kind: 'message' | 'note'; dataset: string; platform: string;
  ts?: string; from: string; to: string[]; group?: string; body: string; lang?: string;
  attachments: { name?: string; mime?: string; sha256?: string; sizeBytes?: number }[];
  extra?: Record<string, unknown>;
  provenance: { sourcePath: string; sourceSha256: string; line: number; offset: number; format?: string };
  entities?: EntitySpan[];
  flags?: string[];
};
export type ItemAnswer = { item: Item; conversation: Item[] };

export type DatasetSummary = {
  name: string; sources: number; messages: number; notes: number; accounts: number; contacts: number;
  events: number; exposures: number; quarantined: number; firstTs?: string; lastTs?: string;
};

export type EntityRow = { type: string; value: string; count: number; dataset: string };

export type AccountRef = { dataset: string; platform: string; handle: string };
export type AccountLink = {
  id: number; a: AccountRef; b: AccountRef; kind: string; score: number;
  evidence: { what: string; value: string; a: string; b: string }[];
  status: 'proposed' | 'confirmed' | 'rejected'; decidedBy?: string; decidedAt?: string; note?: string;
};
export type Profile = AccountRef & {
  name?: string;
  realName?: { name: string; support: number; writings: string[] };
  aliases: { alias: string; count: number; savedBy: string[] }[];
  entities: { type: string; value: string; count: number }[];
  devices?: { imei?: string; model?: string; since?: string }[];
  sent: number; received: number; firstSeen?: string; lastSeen?: string;
  contacts: { handle: string; platform: string; sent: number; received: number }[];
  activity?: { byHour: number[]; byWeekday: number[]; byWeekdayHour: number[][] };
  person?: { id: number; name?: string; accounts: AccountRef[] };
  links?: AccountLink[];
};

export type KeyPlayer = {
  account: string; community: number; degree: number; messages: number; sent: number; received: number;
  pagerank: number; betweenness: number; bridging: number; score: number;
};
export type Group = { id: number; size: number; members: string[]; internalTies: number; internalMessages: number; externalMessages: number };
/** A tie between two accounts; /graph lists them when it has them (`ties`), else the view gathers them. */
export type Tie = { from: string; to: string; messages: number };
export type GraphAnswer = {
  totals: { accounts: number; ties: number; messages: number; communities: number; modularity: number };
  took_ms: number; keyPlayers: KeyPlayer[]; groups: Group[]; ties: Tie[];
};

export type PathAnswer = {
  from: string; to: string; found: boolean; accounts?: string[]; hops?: number;
  steps?: { from: string; to: string; messages: number; sentForward: number; sentBack: number; weight: number }[];
};

export type Source = {
  id: number; dataset: string; path: string; sha256: string; sizeBytes: number; format: string;
  status: 'ingesting' | 'complete'; records: number; quarantined: number;
  checkpoint: { line: number; offset: number }; startedAt: string; finishedAt?: string;
};
export type StatusAnswer = { store?: string; datasets: DatasetSummary[]; sources: Source[] };
export type QuarantineEntry = { id: number; dataset: string; sourcePath: string; sourceSha256: string; line: number; offset: number; reason: string; excerpt: string };

export type AuditEvent = { seq: number; at: string; actor: string; action: string; target?: string; details: Record<string, unknown>; prevHash: string; hash: string };
export type AuditVerdict = { ok: boolean; events: number; firstBadSeq?: number; reason?: string };

export type ManagedUser = { name: string; role: Role; createdAt: string; disabled: boolean; grants: { kind: 'dataset' | 'case'; target: string; grantedBy: string; grantedAt: string }[] };

// Triage and cases (issue 5): the shapes agreed for /alerts, /cases and /discover.
export const ALERT_KINDS = ['threat', 'leak', 'watchlist'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];
export const ALERT_STATUSES = ['new', 'acknowledged', 'escalated', 'dismissed'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];
export type AlertReason = { signal: string; text: string; start?: number; end?: number; weight: number; item?: string };
export type Alert = {
  id: number; kind: AlertKind; score: number;
  item: { id: string; ref?: string; dataset: string; ts?: string; from: string; to: string[]; body: string };
  reasons: AlertReason[]; category?: string; watchlist?: string; status: AlertStatus; assignee?: string;
  notes: { author: string; at: string; text: string }[]; createdAt: string; updatedAt: string;
};
export type Watchlist = { id: number; name: string; query?: string; entities?: Record<string, string[]>; dataset?: string; priority?: number; createdBy: string; createdAt: string; alerts: number };
export type AlertsAnswer = { total: number; alerts: Alert[] };

export type CaseSummary = { id?: number; name: string; title?: string; description?: string; status?: 'open' | 'closed'; candidate?: string; createdBy?: string; createdAt?: string; items?: number };
export type CaseItem = { kind: string; ref: string; addedBy?: string; addedAt?: string; tags?: string[] };
export type Annotation = { id?: number; target?: { kind: string; ref: string }; kind?: string; text: string; author?: string; at?: string };
/** GET /cases/{name}: the case bundle as an export would hold it, read under the caller's access. */
export type CaseDetail = {
  case: CaseSummary; items: CaseItem[]; messages: Item[];
  accounts: (AccountRef & { id?: number; name?: string; messages?: number; aliases?: string[] })[];
  entities: { type: string; value: string; mentions?: number }[];
  persons?: { id: number; name?: string; accounts: AccountRef[] }[];
  annotations: Annotation[];
  queries: { kind: string; text: string; dataset?: string; hits?: number }[];
  alerts?: { id: number; kind: string; score: number; item: string; status: string; reasons: string[] }[];
  timeline: { ts: string; kind: string; ref: string; summary: string }[];
  /** Messages of the case the caller may not see (privileged, outside a legal scope). */
  withheld?: number;
};
/** POST /cases/{name}/export: `download` is the folder URL the file names are appended to. */
export type CaseExport = { export?: string; files: { path: string; sha256: string; bytes: number }[]; manifestSha256: string; withheld?: number; download?: string };
export type DiscoverCandidate = {
  id: string; dataset?: string; title?: string; score?: number; severity?: number;
  topics?: (string | { topic: string; count?: number; terms?: string[] })[];
  accounts?: (string | { handle: string; messages?: number })[];
  messages?: number; from?: string; to?: string; reasons?: string[];
};

// Campaigns (issue 7): mirrors of src/model/campaigns.ts and the answers of routes/campaigns.ts.
export const RECIPIENT_STATUSES = ['selected', 'letter-generated', 'letter-sent', 'email-sent', 'talk-scheduled', 'talk-held', 'no-response'] as const;
export type RecipientStatus = (typeof RECIPIENT_STATUSES)[number];
/** The statuses an officer sets by hand (src/campaigns/tracking.ts MANUAL_STATUSES). */
export const MANUAL_STATUSES = ['letter-sent', 'email-sent', 'talk-scheduled', 'talk-held', 'no-response'] as const;
export type ManualStatus = (typeof MANUAL_STATUSES)[number];
export const EMAIL_STATES = ['queued', 'sending', 'sent', 'failed', 'bounced'] as const;
export type EmailState = (typeof EMAIL_STATES)[number];

export type CountryEvidence = { kind: 'email-domain' | 'phone' | 'iban' | 'ip'; value: string; country: string; method: string };
/** What the officer asks for; days are YYYY-MM-DD. */
export type CampaignCriteriaInput = {
  dataset: string; countries: string[]; paid?: boolean; minPayments?: number; minSearches?: number; minEvents?: number; minEvidence?: number;
  activeFrom?: string; activeTo?: string;
};
/** The criteria as stored: the period as ISO times (`from` inclusive, `to` exclusive). */
export type CampaignCriteria = {
  dataset: string; countries: string[]; paid?: boolean; minPayments?: number; minSearches?: number; minEvents?: number; minEvidence?: number;
  from?: string; to?: string;
};
export type RecipientActivity = {
  registered?: string; firstActive?: string; lastActive?: string;
  payments: number; paid: { currency: string; amount: number }[];
  searches: number; searchExamples: string[]; events: number; eventTypes: Record<string, number>;
};
export type RecipientAccount = { id: number; platform: string; handle: string };
export type CampaignPerson = {
  name?: string; accounts: RecipientAccount[]; emails: string[]; phones: string[]; addresses: string[]; ibans: string[]; ips: string[];
  countries: string[]; evidence: CountryEvidence[]; activity: RecipientActivity;
};
/** A generated letter as the API shows it: its file and, for letters made by the server, where to download it. */
export type LetterRecord = { file: string; sha256: string; template: string; language: string; generatedAt: string; download?: string };
export type EmailRecord = { to: string; state: EmailState; attempts: number; messageId?: string; lastError?: string; sentAt?: string; bouncedAt?: string; bounceReason?: string };
export type Reoffence = { dataset: string; account: RecipientAccount; matched: string; lastActive?: string; afterContact: boolean; foundAt: string };
/** A recipient as the board shows it: `id` is the reference. */
export type RecipientView = CampaignPerson & {
  id: string; reference: string; status: RecipientStatus; statusAt: string; talk?: { at: string; place?: string }; contactedAt?: string;
  letter?: LetterRecord; email?: EmailRecord; reoffences: Reoffence[]; reoffending: boolean;
};
export type RecipientHistoryEntry = { status: RecipientStatus | 'note' | 'bounced' | 'reoffended'; at: string; actor: string; note?: string; details?: Record<string, unknown> };

export type CampaignSender = { organisation: string; unit?: string; address?: string; phone?: string; email?: string; signatory?: string };
export type StoredTemplate = { name: string; format: 'markdown' | 'html'; text: string };
export type CampaignSettings = { site?: string; sender?: CampaignSender; legalText?: string; letterTemplate?: StoredTemplate; emailTemplate?: StoredTemplate };
export type Campaign = {
  id: number; name: string; title?: string; dataset: string; criteria: CampaignCriteria; language: string; code: string;
  settings: CampaignSettings; createdBy: string; createdAt: string;
};
export type CampaignSummary = Campaign & { recipients: number; byStatus: Partial<Record<RecipientStatus, number>>; reoffending: number };
/** A site dataset a campaign can be made from. */
export type CampaignDataset = { name: string; accounts: number; events: number; exposures: number };
export type CampaignsAnswer = { campaigns: CampaignSummary[]; datasets: CampaignDataset[]; canSend: boolean };

export type CampaignPreview = {
  recipients: number; accounts: number; peopleConsidered: number; ofCountry: number;
  /** By the first criterion a person of the countries failed: paid, min-payments, min-searches, min-events, period. */
  excluded: Record<string, number>;
  criteria: CampaignCriteria; people: (CampaignPerson & { id: string })[];
};
/** The background e-mail run of a campaign (routes/campaigns.ts SendJob). */
export type SendingState = { startedAt: string; by: string; finishedAt?: string; sent: number; bounced: number; retried: number; failed: number; error?: string; planned: number };
export type CampaignBoard = {
  campaign: Campaign; counts: Record<RecipientStatus, number>; reoffending: number;
  reoffendingCheck: { datasetsRead: string[]; accountsRead: number; found: number };
  canSend: boolean; sending: SendingState | null; recipients: RecipientView[];
};
export type SettingsChange = {
  title?: string; language?: 'nl' | 'en'; site?: string; sender?: CampaignSender; legalText?: string | null;
  letterTemplate?: StoredTemplate | null; emailTemplate?: StoredTemplate | null;
};
export type MarkStep = { status?: ManualStatus; at?: string; note?: string; talk?: { at: string; place?: string }; correction?: boolean };
export type LetterRun = {
  run: string; letters: { reference: string; file: string; sha256: string; hasAddress: boolean }[]; withoutAddress: number; manifest: string; download: string;
  /** The letters carry the legal paragraph shipped with Lode (no campaign text set). */
  defaultLegalText?: boolean;
};
export type SendPlan = {
  messages: { reference: string; to: string; subject: string; messageId: string }[];
  skipped: { noAddress: number; alreadySent: number; bounced: number; uncertain: number };
  defaultLegalText?: boolean;
};
export type SendStarted = { started: true; planned: number; skipped: SendPlan['skipped'] };
