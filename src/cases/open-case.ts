// Opening a case, empty or from a discovery candidate. A candidate's messages, accounts and
// entities become the case's items, and the candidate itself is recorded as how the case was
// found (the court sees that the evidence looked for the case, and by which rule).
import type { Case } from '../model/cases.ts';
import type { Store } from '../store/store.ts';
import type { ItemRef } from './case-items.ts';

/** The part of a discovery candidate a case is opened from. */
export type CandidateSummary = {
  id: string;
  dataset: string;
  title: string;
  messageIds: string[];
  accounts: { handle: string }[];
  entities: { type: string; value: string }[];
  reasons?: string[];
};

export class OpenCaseError extends Error {}

export function isCandidateSummary(value: unknown): value is CandidateSummary {
  const v = value as CandidateSummary;
  return typeof v === 'object' && v !== null && typeof v.id === 'string' && typeof v.dataset === 'string' && typeof v.title === 'string'
    && Array.isArray(v.messageIds) && Array.isArray(v.accounts) && Array.isArray(v.entities);
}

export async function openCase(
  store: Store, name: string, by: string, options: { title?: string; description?: string; candidate?: CandidateSummary },
): Promise<{ case: Case; items: number }> {
  if (!/^[\p{L}\p{N}][\p{L}\p{N}._-]{0,99}$/u.test(name)) {
    throw new OpenCaseError(`a case name is 1 to 100 letters, digits, dots, dashes or underscores, starting with a letter or digit; got "${name}"`);
  }
  const candidate = options.candidate;
  const created = await store.createCase({
    name, title: options.title ?? candidate?.title, description: options.description, candidate: candidate?.id,
  }, by);
  if (!created) throw new OpenCaseError(`a case called ${name} exists already`);
  if (!candidate) return { case: created, items: 0 };
  const refs: ItemRef[] = candidate.messageIds.map((id) => ({ kind: 'message', ref: id }));
  for (const account of candidate.accounts) {
    for (const found of await store.findAccounts(account.handle, candidate.dataset)) {
      if (found.handle === account.handle) refs.push({ kind: 'account', ref: String(found.id) });
    }
  }
  for (const e of candidate.entities) refs.push({ kind: 'entity', ref: `${e.type}:${e.value}` });
  const items = await store.addCaseItems(name, refs.map((r) => ({ ...r, tags: ['from-candidate'] })), by);
  await store.addCaseQuery(name, {
    kind: 'candidate', dataset: candidate.dataset, hits: candidate.messageIds.length, addedBy: by,
    text: `discovery candidate ${candidate.id}: ${candidate.title}${candidate.reasons?.length ? ` (${candidate.reasons.join('; ')})` : ''}`,
  });
  return { case: created, items };
}
