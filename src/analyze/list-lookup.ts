// `lode search --list FILE`: thousands of numbers, addresses, wallets or handles, one a line.
// Each line is read as the most specific thing it can be, normalised as extraction normalises,
// and looked up: which appear, where, how often.
import { normaliseEntityQuery } from '../extract/entities/extract.ts';
import type { EntityType } from '../extract/entities/types.ts';
import { queryContext } from '../extract/entities/region.ts';
import type { ListMatch } from '../model/entities.ts';
import type { Viewer } from '../model/security.ts';
import type { Occurrence, Store } from '../store/store.ts';

/** Tried in this order: checksummed and unmistakable writings first, phone numbers late, handles last. */
const LOOKUP_ORDER: readonly EntityType[] = ['email', 'iban', 'btc', 'eth', 'xmr', 'imei', 'container', 'ipv4', 'ipv6', 'url', 'phone'];

const CONTEXT = queryContext();

export type ListLine = { input: string; as: string; types: string[]; value: string };

/** What one line of a list is: an entity of some type (normalised), or an account handle. */
export function classifyListLine(input: string): ListLine | undefined {
  const text = input.trim();
  if (text === '' || text.startsWith('#')) return undefined;
  const prefixed = /^(phone|iban|email|btc|eth|xmr|imei|ip|url|container|handle):(.+)$/i.exec(text);
  if (prefixed) {
    const type = prefixed[1]!.toLowerCase();
    const rest = prefixed[2]!.trim();
    if (type === 'handle') return { input, as: 'handle', types: [], value: rest };
    const types: EntityType[] = type === 'ip' ? ['ipv4', 'ipv6'] : [type as EntityType];
    for (const t of types) {
      const value = normaliseEntityQuery(t, rest, CONTEXT);
      if (value) return { input, as: t, types, value };
    }
    return { input, as: `invalid ${type}`, types: [], value: rest };
  }
  for (const type of LOOKUP_ORDER) {
    const value = normaliseEntityQuery(type, text, CONTEXT);
    if (value) return { input, as: type, types: [type], value };
  }
  return { input, as: 'handle', types: [], value: text };
}

/** `viewer`: who asks (absent: the local operator); messages they may not see are not counted or shown. */
export async function lookupList(store: Store, lines: readonly string[], dataset: string | undefined, viewer?: Viewer, examples = 3): Promise<ListMatch[]> {
  return lookupEach(lines, (item) => occurrencesOf(store, item, dataset, examples, viewer));
}

/**
 * Like lookupList, limited to these datasets (the ones a user is granted): each dataset is asked
 * on its own and the answers are merged, so nothing of another dataset is counted or shown.
 */
export async function lookupListWithin(store: Store, lines: readonly string[], datasets: readonly string[], viewer?: Viewer, examples = 3): Promise<ListMatch[]> {
  return lookupEach(lines, async (item) => mergeOccurrences(await Promise.all(datasets.map((d) => occurrencesOf(store, item, d, examples, viewer))), examples));
}

async function lookupEach(lines: readonly string[], occurrences: (item: ListLine) => Promise<Occurrence>): Promise<ListMatch[]> {
  const matches: ListMatch[] = [];
  for (const line of lines) {
    const item = classifyListLine(line);
    if (!item) continue;
    if (item.as.startsWith('invalid ')) {
      matches.push({ input: item.input.trim(), as: item.as, value: item.value, found: false, messages: 0, datasets: [], examples: [] });
      continue;
    }
    const found = await occurrences(item);
    matches.push({ input: item.input.trim(), as: item.as, value: item.value, found: found.messages > 0 || found.datasets.length > 0, ...found });
  }
  return matches;
}

function occurrencesOf(store: Store, item: ListLine, dataset: string | undefined, examples: number, viewer: Viewer | undefined): Promise<Occurrence> {
  return item.as === 'handle' ? store.handleOccurrences(item.value, dataset, examples, viewer) : store.entityOccurrences(item.types, item.value, dataset, examples, viewer);
}

function mergeOccurrences(parts: readonly Occurrence[], examples: number): Occurrence {
  const firsts = parts.flatMap((p) => (p.firstSeen === undefined ? [] : [p.firstSeen])).sort();
  const lasts = parts.flatMap((p) => (p.lastSeen === undefined ? [] : [p.lastSeen])).sort();
  return {
    messages: parts.reduce((sum, p) => sum + p.messages, 0),
    datasets: [...new Set(parts.flatMap((p) => p.datasets))].sort(),
    ...(firsts.length > 0 ? { firstSeen: firsts[0] } : {}),
    ...(lasts.length > 0 ? { lastSeen: lasts[lasts.length - 1] } : {}),
    examples: parts.flatMap((p) => p.examples).slice(0, examples),
  };
}
