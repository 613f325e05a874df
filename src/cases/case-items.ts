// What an analyst adds to a case, turned into the references the store keeps: a message id, an
// account (by id, or dataset and handle), an entity (normalised as extraction normalises it),
// a person, the message of an alert, or every hit of a query or word list (recorded with the
// case as used, with its hit count, so the court sees how the evidence was selected).
import type { CaseItemKind } from '../model/cases.ts';
import type { Viewer } from '../model/security.ts';
import { normaliseEntityQuery } from '../extract/entities/extract.ts';
import { queryContext } from '../extract/entities/region.ts';
import type { EntityType } from '../extract/entities/types.ts';
import { parseQuery } from '../search/parse.ts';
import type { Store } from '../store/store.ts';

export type ItemRef = { kind: CaseItemKind; ref: string };

export class CaseItemError extends Error {}

const ENTITY_TYPES: readonly string[] = ['phone', 'iban', 'bic', 'email', 'url', 'ipv4', 'ipv6', 'btc', 'eth', 'xmr', 'imei', 'plate', 'coordinates', 'container', 'amount'];
/** Enough for a case; a query with more hits should be narrowed rather than linked wholesale. */
export const MAX_QUERY_ITEMS = 5000;

/**
 * `m…`/`n…` (a message id), `account:ID`, `account:DATASET/HANDLE`, `entity:TYPE:VALUE`,
 * `person:ID`, `alert:ID`. Throws CaseItemError with the reason for anything else.
 */
export async function resolveItem(store: Store, text: string, viewer?: Viewer, datasets?: readonly string[]): Promise<ItemRef> {
  const input = text.trim();
  if (/^[mn][0-9a-f]{29}$/.test(input)) {
    const message = await store.message(input, viewer);
    if (!message || (datasets && !datasets.includes(message.dataset))) throw new CaseItemError(`no message ${input}`);
    return { kind: 'message', ref: input };
  }
  const colon = input.indexOf(':');
  const prefix = colon > 0 ? input.slice(0, colon).toLowerCase() : '';
  const rest = input.slice(colon + 1).trim();
  switch (prefix) {
    case 'account': {
      if (/^\d+$/.test(rest)) {
        const account = await store.caseAccount(Number(rest));
        if (!account || (datasets && !datasets.includes(account.dataset))) throw new CaseItemError(`no account ${rest}`);
        return { kind: 'account', ref: rest };
      }
      const slash = rest.indexOf('/');
      const dataset = slash > 0 ? rest.slice(0, slash) : undefined;
      const handle = slash > 0 ? rest.slice(slash + 1) : rest;
      const found = (await store.findAccounts(handle, dataset, undefined, viewer)).filter((a) => !datasets || datasets.includes(a.dataset));
      if (found.length === 0) throw new CaseItemError(`no account ${handle}${dataset ? ` in ${dataset}` : ''}`);
      if (found.length > 1) throw new CaseItemError(`${found.length} accounts are called ${handle} (${found.map((a) => `${a.dataset}/${a.platform}`).join(', ')}): use account:DATASET/HANDLE or account:ID (${found.map((a) => a.id).join(', ')})`);
      return { kind: 'account', ref: String(found[0]!.id) };
    }
    case 'entity': {
      const second = rest.indexOf(':');
      const type = second > 0 ? rest.slice(0, second).toLowerCase() : '';
      if (!ENTITY_TYPES.includes(type)) throw new CaseItemError(`entity:TYPE:VALUE takes a type of ${ENTITY_TYPES.join(', ')}; got "${input}"`);
      const raw = rest.slice(second + 1);
      const value = type === 'amount' ? raw.trim() : normaliseEntityQuery(type as EntityType, raw, queryContext());
      if (!value) throw new CaseItemError(`"${raw}" is not a valid ${type}`);
      return { kind: 'entity', ref: `${type}:${value}` };
    }
    case 'person': {
      if (!/^\d+$/.test(rest) || !(await store.person(Number(rest)))) throw new CaseItemError(`no person ${rest}`);
      return { kind: 'person', ref: rest };
    }
    case 'alert': {
      const alert = /^\d+$/.test(rest) ? await store.alert(Number(rest), viewer, datasets) : undefined;
      if (!alert) throw new CaseItemError(`no alert ${rest}`);
      return { kind: 'message', ref: alert.item.id };
    }
    default:
      throw new CaseItemError(`"${input}" is not a message id, account:…, entity:TYPE:VALUE, person:ID or alert:ID`);
  }
}

/** The hits of a query (all of them up to MAX_QUERY_ITEMS) as message references. */
export async function queryItems(store: Store, query: string, dataset: string | undefined, viewer?: Viewer, datasets?: readonly string[]): Promise<{ refs: ItemRef[]; total: number }> {
  const ast = parseQuery(query);
  const refs: ItemRef[] = [];
  let total = 0;
  for (let offset = 0; offset < MAX_QUERY_ITEMS; offset += 500) {
    const page = await store.search({ ast, dataset, datasets, viewer, limit: Math.min(500, MAX_QUERY_ITEMS - offset), offset, sort: 'oldest', facets: false });
    total = page.total;
    refs.push(...page.hits.map((h) => ({ kind: 'message' as const, ref: h.id })));
    if (page.hits.length === 0 || refs.length >= total) break;
  }
  return { refs, total };
}

/** A word list (one word or phrase a line, `#` comments) as the query that finds any of them. */
export function wordListQuery(lines: readonly string[]): string {
  const words = lines.map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
  if (words.length === 0) throw new CaseItemError('the word list is empty');
  return words.map(asQueryTerm).join(' OR ');
}

/** A word as itself (a trailing * keeps its prefix meaning), anything else as a phrase. */
function asQueryTerm(word: string): string {
  if (/^[\p{L}\p{N}]+\*?$/u.test(word) && !/^(AND|OR|NOT)$/.test(word)) return word;
  return `"${word.replaceAll('"', ' ').replaceAll('\\', ' ')}"`;
}
