// Derived views in the PostgreSQL store (as the SQLite store's analysis.ts and the derived views
// in its sqlite-store.ts): entities and occurrences, account facts, the communication graph,
// links and persons, duplicates, and reindexing entities.
import type { Viewer } from '../../model/security.ts';
import type { CommunicationEdge, EntityCount, EntityQuery } from '../../model/entities.ts';
import type { AccountLink, AccountRef, LinkStatus, ProposedLink } from '../../model/attribution.ts';
import type { DuplicateCandidate } from '../../ingest/duplicates.ts';
import type { AccountFacts, LinkEvidenceRows, Occurrence, ReindexOptions } from '../store.ts';
import type { PostgresStore } from './pg-store.ts';

const TODO = (what: string): never => {
  throw new Error(`the PostgreSQL store's ${what} is not written yet`);
};
type S = PostgresStore;

export async function entities(s: S, query: EntityQuery, viewer?: Viewer): Promise<{ total: number; entities: EntityCount[] }> { return TODO(`entities ${s.description}${query.limit}${viewer}`); }
export async function entityOccurrences(s: S, types: readonly string[], value: string, dataset: string | undefined, examples: number, viewer?: Viewer): Promise<Occurrence> { return TODO(`entityOccurrences ${s}${types}${value}${dataset}${examples}${viewer}`); }
export async function handleOccurrences(s: S, handle: string, dataset: string | undefined, examples: number, viewer?: Viewer): Promise<Occurrence> { return TODO(`handleOccurrences ${s}${handle}${dataset}${examples}${viewer}`); }
export async function reindexEntities(s: S, options: ReindexOptions): Promise<{ messages: number; mentions: number }> { return TODO(`reindexEntities ${s}${options}`); }
export async function communicationEdges(s: S, query: { dataset?: string; fromMs?: number; toMs?: number }, viewer?: Viewer): Promise<CommunicationEdge[]> { return TODO(`communicationEdges ${s}${query}${viewer}`); }
export async function findAccounts(s: S, handle: string, dataset?: string, platform?: string, viewer?: Viewer): Promise<(AccountRef & { id: number; name?: string })[]> { return TODO(`findAccounts ${s}${handle}${dataset}${platform}${viewer}`); }
export async function accountFacts(s: S, id: number, contactLimit: number, viewer?: Viewer): Promise<AccountFacts> { return TODO(`accountFacts ${s}${id}${contactLimit}${viewer}`); }
export async function linkEvidence(s: S): Promise<LinkEvidenceRows> { return TODO(`linkEvidence ${s}`); }
export async function sendersMentioning(s: S, type: string, value: string, viewer?: Viewer): Promise<{ account: number; messages: number; example: string }[]> { return TODO(`sendersMentioning ${s}${type}${value}${viewer}`); }
export async function describeAccount(s: S, id: number): Promise<AccountRef | undefined> { return TODO(`describeAccount ${s}${id}`); }
export async function saveLinks(s: S, links: readonly ProposedLink[], toolrun: { component: string; version: string }): Promise<{ added: number; updated: number }> { return TODO(`saveLinks ${s}${links}${toolrun}`); }
export async function links(s: S, query: { account?: number; status?: LinkStatus; datasets?: readonly string[]; limit: number; offset: number }): Promise<{ total: number; links: AccountLink[] }> { return TODO(`links ${s}${query}`); }
export async function link(s: S, id: number): Promise<AccountLink | undefined> { return TODO(`link ${s}${id}`); }
export async function decideLink(s: S, id: number, status: LinkStatus, decidedBy: string, note?: string): Promise<AccountLink | undefined> { return TODO(`decideLink ${s}${id}${status}${decidedBy}${note}`); }
export async function personOf(s: S, accountId: number): Promise<{ id: number; name?: string; accounts: AccountRef[] } | undefined> { return TODO(`personOf ${s}${accountId}`); }
export async function person(s: S, id: number): Promise<{ id: number; name?: string; accounts: AccountRef[] } | undefined> { return TODO(`person ${s}${id}`); }
export async function duplicateCandidates(s: S, dataset?: string, viewer?: Viewer): Promise<DuplicateCandidate[]> { return TODO(`duplicateCandidates ${s}${dataset}${viewer}`); }
