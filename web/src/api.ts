// A small typed client of /api/v1 over fetch. The browser authenticates with the session cookie
// (HttpOnly, SameSite=Strict) that login sets; the bearer token in the login answer is dropped,
// so no script can leak a credential. Writes echo the readable CSRF cookie in X-CSRF-Token, as
// src/server/session.ts requires of cookie-authenticated POST/PATCH/DELETE.
import type {
  Alert, AlertsAnswer, AuditEvent, AuditVerdict, CaseDetail, CaseExport, CaseSummary, DatasetSummary, DiscoverCandidate,
  EntityRow, GraphAnswer, ItemAnswer, PathAnswer, LoginAnswer, ManagedUser, Me, Profile, QuarantineEntry, Role, SearchAnswer, SearchSort,
  Source, StatusAnswer, Watchlist, CampaignsAnswer, CampaignCriteriaInput, CampaignPreview, Campaign, CampaignBoard, SendingState, RecipientView,
  RecipientHistoryEntry, SettingsChange, MarkStep, LetterRun, SendPlan, SendStarted, RecipientStatus,
} from './api-types.ts';

export const API = '/api/v1';

/** An answer with the API's error shape `{"error":{"code","message","position?"}}`, or a failed connection. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  /** For a query syntax error: the 0-based offset of the problem in the query. */
  readonly position: number | undefined;

  constructor(status: number, code: string, message: string, position?: number) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.position = position;
  }
}

/** Fired when a request comes back 401: the shell shows the login screen. */
export const UNAUTHENTICATED_EVENT = 'lode:unauthenticated';

type Query = Record<string, string | number | boolean | undefined>;

// secure deployments use the __Host- name (session.ts csrfCookieName)
function csrfToken(): string | undefined {
  for (const part of document.cookie.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === 'lode_csrf' || name === '__Host-lode_csrf') return decodeURIComponent(rest.join('='));
  }
  return undefined;
}

export function queryString(query: Query): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== '') params.set(key, String(value));
  const text = params.toString();
  return text ? `?${text}` : '';
}

async function request<T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, options: { query?: Query; body?: unknown; signal?: AbortSignal } = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET') {
    const token = csrfToken();
    if (token) headers['x-csrf-token'] = token;
  }
  let response: Response;
  try {
    response = await fetch(`${API}${path}${queryString(options.query ?? {})}`, {
      method, headers, credentials: 'same-origin', signal: options.signal,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, 'network', 'the server cannot be reached');
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (!response.ok) {
    const error = (body as { error?: { code?: string; message?: string; position?: number } } | undefined)?.error;
    const failure = new ApiError(response.status, error?.code ?? 'http', error?.message ?? `${response.status} ${response.statusText}`, error?.position);
    if (response.status === 401 && path !== '/auth/login') window.dispatchEvent(new CustomEvent(UNAUTHENTICATED_EVENT));
    throw failure;
  }
  return body as T;
}

const enc = encodeURIComponent;

export type SearchParams = { q: string; dataset?: string; limit?: number; offset?: number; sort?: SearchSort; facets?: boolean; days?: boolean };

export const api = {
  login: (username: string, password: string) => request<LoginAnswer>('POST', '/auth/login', { body: { username, password } }),
  logout: () => request<{ ok: true }>('POST', '/auth/logout'),
  me: () => request<Me>('GET', '/me'),

  search: (p: SearchParams, signal?: AbortSignal) =>
    request<SearchAnswer>('GET', '/search', { query: { q: p.q, dataset: p.dataset, limit: p.limit, offset: p.offset, sort: p.sort, facets: p.facets === undefined ? undefined : String(p.facets), days: p.days ? 'true' : undefined }, signal }),
  item: (id: string, context = 8) => request<ItemAnswer>('GET', `/items/${enc(id)}`, { query: { context } }),
  datasets: () => request<{ datasets: DatasetSummary[] }>('GET', '/datasets'),
  entities: (query: { type?: string; dataset?: string; limit?: number; offset?: number }) => request<{ total: number; entities: EntityRow[] }>('GET', '/entities', { query }),
  account: (handle: string, query: { dataset?: string; platform?: string } = {}) => request<Profile>('GET', `/accounts/${enc(handle)}`, { query }),
  path: (query: { a: string; b: string; dataset?: string }) => request<PathAnswer>('GET', '/path', { query }),
  graph: (query: { dataset?: string; from?: string; to?: string; limit?: number }, signal?: AbortSignal) => request<GraphAnswer>('GET', '/graph', { query, signal }),

  status: () => request<StatusAnswer>('GET', '/status'),
  sources: (dataset?: string) => request<{ sources: Source[] }>('GET', '/sources', { query: { dataset } }),
  quarantine: (query: { dataset?: string; limit?: number; offset?: number }) => request<{ total: number; entries: QuarantineEntry[] }>('GET', '/quarantine', { query }),

  audit: (query: { limit?: number; offset?: number; actor?: string; action?: string }) => request<{ total: number; events: AuditEvent[] }>('GET', '/audit', { query }),
  verifyAudit: () => request<AuditVerdict>('GET', '/audit/verify'),

  users: () => request<{ users: ManagedUser[] }>('GET', '/users'),
  addUser: (name: string, role: Role) => request<{ user: ManagedUser; password: string }>('POST', '/users', { body: { name, role } }),
  resetPassword: (name: string) => request<{ user: string; password: string }>('POST', `/users/${enc(name)}/password`),
  setDisabled: (name: string, disabled: boolean) => request<{ user: string; disabled: boolean }>('POST', `/users/${enc(name)}/${disabled ? 'disable' : 'enable'}`),
  grant: (name: string, kind: 'dataset' | 'case', target: string) => request<{ notice?: string }>('POST', `/users/${enc(name)}/grants`, { body: { kind, target } }),
  revoke: (name: string, kind: 'dataset' | 'case', target: string) => request<unknown>('DELETE', `/users/${enc(name)}/grants/${kind}/${enc(target)}`),

  alerts: (query: { kind?: string; status?: string; limit?: number; offset?: number }) => request<AlertsAnswer>('GET', '/alerts', { query }),
  updateAlert: (id: number, change: { status?: string; assignee?: string; note?: string }) => request<Alert>('PATCH', `/alerts/${id}`, { body: change }),

  watchlists: () => request<{ watchlists: Watchlist[] }>('GET', '/watchlists'),
  addWatchlist: (body: { name: string; query?: string; entries?: string[]; dataset?: string; backfill?: boolean }) =>
    request<{ watchlist: Watchlist; backfilled?: number }>('POST', '/watchlists', { body }),

  cases: () => request<{ cases: CaseSummary[] }>('GET', '/cases'),
  createCase: (body: { name: string; title?: string; description?: string; fromCandidate?: string }) => request<{ case: CaseSummary; items: number }>('POST', '/cases', { body }),
  caseDetail: (name: string) => request<CaseDetail>('GET', `/cases/${enc(name)}`),
  /** `items`: message ids, `account:DATASET/HANDLE`, `entity:TYPE:VALUE`, `alert:ID`; or every hit of `query`. */
  addCaseItems: (name: string, body: { items?: string[]; query?: string; dataset?: string; tags?: string[] }) => request<{ linked: number; added: number }>('POST', `/cases/${enc(name)}/items`, { body }),
  annotateCase: (name: string, body: { text: string; kind?: string; target?: { kind: string; ref: string } }) => request<unknown>('POST', `/cases/${enc(name)}/annotations`, { body }),
  exportCase: (name: string) => request<CaseExport>('POST', `/cases/${enc(name)}/export`),
  discover: () => request<{ total: number; candidates: DiscoverCandidate[] }>('GET', '/discover'),
  runDiscovery: (dataset: string) => request<{ total: number; candidates: DiscoverCandidate[] }>('POST', '/discover', { body: { dataset } }),

  campaigns: () => request<CampaignsAnswer>('GET', '/campaigns'),
  previewCampaign: (criteria: CampaignCriteriaInput, name?: string) => request<CampaignPreview>('POST', '/campaigns/preview', { body: { criteria, ...(name ? { name } : {}) } }),
  createCampaign: (body: { name: string; criteria: CampaignCriteriaInput; settings?: SettingsChange }) =>
    request<{ campaign: Campaign; recipients: number }>('POST', '/campaigns', { body }),
  campaign: (name: string, signal?: AbortSignal) => request<CampaignBoard>('GET', `/campaigns/${enc(name)}`, { signal }),
  campaignSending: (name: string) => request<{ sending: SendingState | null }>('GET', `/campaigns/${enc(name)}/sending`),
  recipient: (name: string, reference: string) => request<{ recipient: RecipientView; history: RecipientHistoryEntry[] }>('GET', `/campaigns/${enc(name)}/recipients/${enc(reference)}`),
  configureCampaign: (name: string, change: SettingsChange) => request<{ campaign: Campaign }>('PUT', `/campaigns/${enc(name)}/settings`, { body: change }),
  markRecipient: (name: string, reference: string, step: MarkStep) => request<{ recipient: RecipientView }>('POST', `/campaigns/${enc(name)}/recipients/${enc(reference)}/mark`, { body: step }),
  generateLetters: (name: string, body: { language?: 'nl' | 'en'; date?: string; status?: RecipientStatus }) => request<LetterRun>('POST', `/campaigns/${enc(name)}/letters`, { body }),
  planEmails: (name: string, body: { language?: 'nl' | 'en'; ratePerMinute: number; attachLetter: boolean }) =>
    request<SendPlan>('POST', `/campaigns/${enc(name)}/send`, { body: { ...body, dryRun: true } }),
  sendEmails: (name: string, body: { language?: 'nl' | 'en'; ratePerMinute: number; attachLetter: boolean }) =>
    request<SendStarted>('POST', `/campaigns/${enc(name)}/send`, { body: { ...body, dryRun: false } }),
};
