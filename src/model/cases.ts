// Cases: what an investigation links to (evidence items, accounts, entities, persons), what the
// analysts wrote about it (annotations, tags: never altering evidence), and how it was built
// (the queries and word lists used). A court bundle is exported from a CaseBundle.
import type { StoredMessage } from './items.ts';
import type { AccountRef } from './attribution.ts';

export const CASE_STATUSES = ['open', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export type Case = {
  id: number;
  name: string;
  title?: string;
  description?: string;
  status: CaseStatus;
  /** The discovery candidate it was opened from. */
  candidate?: string;
  createdBy: string;
  createdAt: string;
};

export const CASE_ITEM_KINDS = ['message', 'account', 'entity', 'person'] as const;
export type CaseItemKind = (typeof CASE_ITEM_KINDS)[number];

/**
 * A link from a case to a piece of evidence. `ref`: a message id, an account id, `type:value`
 * for an entity, a person id.
 */
export type CaseItem = { kind: CaseItemKind; ref: string; addedBy: string; addedAt: string; tags: string[] };

/** An analyst's note on the case or on one of its items; a translation by hand is an annotation too. */
export type Annotation = {
  id: number;
  target?: { kind: CaseItemKind; ref: string };
  kind: 'note' | 'translation';
  text: string;
  author: string;
  at: string;
};

/** How the case was built: a query, a word list or a discovery candidate, recorded as used. */
export type CaseQuery = { kind: 'query' | 'wordlist' | 'candidate'; text: string; dataset?: string; hits?: number; addedBy: string; at: string };

export type TimelineEntry = { ts: string; kind: 'message' | 'annotation' | 'alert'; ref: string; summary: string };

export type CaseAccount = AccountRef & { id: number; dataset: string; name?: string; messages: number; aliases: string[] };
export type CaseEntity = { type: string; value: string; mentions: number };
export type CasePerson = { id: number; name?: string; accounts: AccountRef[] };
export type CaseAlert = { id: number; kind: string; score: number; item: string; status: string; reasons: string[] };

/** Everything an export needs, read from the store under the exporting user's access. */
export type CaseBundle = {
  case: Case;
  items: CaseItem[];
  messages: StoredMessage[];
  accounts: CaseAccount[];
  entities: CaseEntity[];
  persons: CasePerson[];
  annotations: Annotation[];
  queries: CaseQuery[];
  alerts: CaseAlert[];
  timeline: TimelineEntry[];
  /** The software and the tool runs that produced the derived data in the bundle. */
  producedBy: { lode: string; toolruns: { component: string; version: string }[] };
  exportedBy: string;
  exportedAt: string;
};

/** One file of an export with its digest, as listed in MANIFEST.sha256. */
export type ExportedFile = { path: string; sha256: string; bytes: number };
