// Cases and discovery candidates in the PostgreSQL store (as the SQLite store's cases.ts).
import type { Viewer } from '../../model/security.ts';
import type { Alert } from '../../model/triage.ts';
import type { Annotation, Case, CaseItem, CaseItemKind, CaseQuery, CaseStatus } from '../../model/cases.ts';
import type { DiscoveryMessage } from '../../model/discovery.ts';
import type { NewCase } from '../store.ts';
import type { PostgresStore } from './pg-store.ts';

const TODO = (what: string): never => {
  throw new Error(`the PostgreSQL store's ${what} is not written yet`);
};
type S = PostgresStore;

export async function createCase(s: S, c: NewCase, createdBy: string): Promise<Case | undefined> { return TODO(`createCase ${s}${c}${createdBy}`); }
export async function cases(s: S, names?: readonly string[]): Promise<(Case & { items: number })[]> { return TODO(`cases ${s}${names}`); }
export async function findCase(s: S, name: string): Promise<Case | undefined> { return TODO(`findCase ${s}${name}`); }
export async function setCaseStatus(s: S, name: string, status: CaseStatus): Promise<boolean> { return TODO(`setCaseStatus ${s}${name}${status}`); }
export async function addCaseItems(s: S, name: string, items: readonly { kind: CaseItemKind; ref: string; tags?: readonly string[] }[], addedBy: string): Promise<number> { return TODO(`addCaseItems ${s}${name}${items}${addedBy}`); }
export async function caseItems(s: S, name: string): Promise<CaseItem[]> { return TODO(`caseItems ${s}${name}`); }
export async function addAnnotation(s: S, name: string, annotation: Omit<Annotation, 'id' | 'at'>): Promise<Annotation | undefined> { return TODO(`addAnnotation ${s}${name}${annotation}`); }
export async function annotations(s: S, name: string): Promise<Annotation[]> { return TODO(`annotations ${s}${name}`); }
export async function addCaseQuery(s: S, name: string, query: Omit<CaseQuery, 'at'>): Promise<void> { return TODO(`addCaseQuery ${s}${name}${query}`); }
export async function caseQueries(s: S, name: string): Promise<CaseQuery[]> { return TODO(`caseQueries ${s}${name}`); }
export async function alertsOfMessages(s: S, ids: readonly string[]): Promise<Alert[]> { return TODO(`alertsOfMessages ${s}${ids}`); }
export async function caseAccount(s: S, id: number): Promise<{ id: number; dataset: string; platform: string; handle: string; name?: string; aliases: string[]; messages: number } | undefined> { return TODO(`caseAccount ${s}${id}`); }
export async function entityCounts(s: S, ids: readonly string[]): Promise<{ type: string; value: string; mentions: number }[]> { return TODO(`entityCounts ${s}${ids}`); }
export async function toolrunsOf(s: S, ids: readonly string[]): Promise<{ component: string; version: string }[]> { return TODO(`toolrunsOf ${s}${ids}`); }
export function discoveryMessages(s: S, dataset: string, viewer?: Viewer): AsyncIterable<DiscoveryMessage> { return TODO(`discoveryMessages ${s}${dataset}${viewer}`); }
export async function saveCandidates(s: S, dataset: string, view: string, candidates: readonly { id: string; score: number; candidate: unknown }[], toolrun: { component: string; version: string }): Promise<void> { return TODO(`saveCandidates ${s}${dataset}${view}${candidates}${toolrun}`); }
export async function candidates(s: S, view: string, datasets?: readonly string[]): Promise<{ id: string; dataset: string; rank: number; candidate: unknown; foundAt: string }[]> { return TODO(`candidates ${s}${view}${datasets}`); }
