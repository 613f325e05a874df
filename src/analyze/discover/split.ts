// Splitting groups that grew too wide. A busy broker talks business with several crews, and a
// chain of "same topic, shared account, a few days later" runs through him from one crew's plot
// into the next. Louvain over the accounts of the group (weighted by the telling messages between
// them) finds the crews; each message goes to its sender's community and the linking rules run
// again inside each community, so a thread survives only where its own accounts carry it.

import { louvain, modularity } from '../network/louvain.ts';
import type { WeightedRows } from '../network/louvain.ts';
import { seededRandom } from '../network/seeded-random.ts';
import { linkMessages } from './link.ts';
import type { LinkOptions } from './link.ts';
import type { ScanResult } from './scan.ts';

export type SplitOptions = LinkOptions & { maxAccounts: number; seed: number };

// Newman and Girvan's rule of thumb: below this the "communities" are noise in one dense crew.
const MIN_SPLIT_MODULARITY = 0.3;
const MAX_DEPTH = 4;

export function splitWideGroups(scan: ScanResult, groups: readonly number[][], options: SplitOptions): number[][] {
  const out: number[][] = [];
  const random = seededRandom(options.seed);
  const visit = (group: readonly number[], depth: number): void => {
    const accounts = accountsOf(scan, group);
    if (accounts.size <= options.maxAccounts || depth >= MAX_DEPTH) {
      out.push([...group]);
      return;
    }
    const parts = communitiesOf(scan, group, accounts, random);
    if (parts === undefined) {
      out.push([...group]);
      return;
    }
    for (const part of parts) {
      for (const sub of linkMessages(scan, options, part.messages, part.accounts)) visit(sub, depth + 1);
    }
  };
  for (const group of groups) visit(group, 0);
  return out;
}

function accountsOf(scan: ScanResult, group: readonly number[]): Set<string> {
  const accounts = new Set<string>();
  for (const index of group) for (const p of scan.kept[index]!.parties) accounts.add(p);
  return accounts;
}

type Part = { accounts: Set<string>; messages: number[] };

/** The group's communities, or undefined when it has no community structure worth splitting on. */
function communitiesOf(scan: ScanResult, group: readonly number[], accounts: Set<string>, random: () => number): Part[] | undefined {
  const keys = [...accounts].sort();
  const node = new Map(keys.map((k, i) => [k, i]));
  const weights = new Map<number, Map<number, number>>();
  const bump = (a: number, b: number): void => {
    let row = weights.get(a);
    if (!row) weights.set(a, (row = new Map()));
    row.set(b, (row.get(b) ?? 0) + 1);
  };
  for (const index of group) {
    const m = scan.kept[index]!;
    const sender = node.get(m.parties[0]!)!;
    for (let i = 1; i < m.parties.length; i++) {
      const other = node.get(m.parties[i]!)!;
      if (other === sender) continue;
      bump(sender, other);
      bump(other, sender);
    }
  }
  const rows = toRows(keys.length, weights);
  const result = louvain(rows, { random });
  if (result.count < 2 || modularity(rows, result.communityOf, result.count) < MIN_SPLIT_MODULARITY) return undefined;
  const parts: Part[] = Array.from({ length: result.count }, () => ({ accounts: new Set<string>(), messages: [] }));
  keys.forEach((key, i) => parts[result.communityOf[i]!]!.accounts.add(key));
  // A message belongs where its sender belongs: what someone says is evidence of their own group.
  for (const index of group) parts[result.communityOf[node.get(scan.kept[index]!.parties[0]!)!]!]!.messages.push(index);
  return parts.filter((p) => p.messages.length > 0);
}

function toRows(nodeCount: number, weights: Map<number, Map<number, number>>): WeightedRows {
  const starts = new Int32Array(nodeCount + 1);
  for (let i = 0; i < nodeCount; i++) starts[i + 1] = starts[i]! + (weights.get(i)?.size ?? 0);
  const neighbours = new Int32Array(starts[nodeCount]!);
  const values = new Float64Array(starts[nodeCount]!);
  for (let i = 0; i < nodeCount; i++) {
    const row = [...(weights.get(i) ?? new Map<number, number>())].sort((a, b) => a[0] - b[0]);
    row.forEach(([j, w], k) => {
      neighbours[starts[i]! + k] = j;
      values[starts[i]! + k] = w;
    });
  }
  return { nodeCount, starts, neighbours, weights: values };
}

/**
 * Cuts a group that lasts longer than a case does at its widest silences until every piece fits
 * `maxSpanMs`: a crew that talks about the same thing all spring is several episodes, not one case.
 */
export function splitLongGroups(scan: ScanResult, groups: readonly number[][], maxSpanMs: number): number[][] {
  const out: number[][] = [];
  const cut = (sorted: readonly number[]): void => {
    const first = scan.kept[sorted[0]!]!.tsMs;
    const last = scan.kept[sorted[sorted.length - 1]!]!.tsMs;
    if (last - first <= maxSpanMs || sorted.length < 2) {
      out.push([...sorted]);
      return;
    }
    let at = 1;
    let widest = -1;
    for (let i = 1; i < sorted.length; i++) {
      const gap = scan.kept[sorted[i]!]!.tsMs - scan.kept[sorted[i - 1]!]!.tsMs;
      if (gap > widest) {
        widest = gap;
        at = i;
      }
    }
    cut(sorted.slice(0, at));
    cut(sorted.slice(at));
  };
  for (const group of groups) cut([...group].sort((a, b) => scan.kept[a]!.tsMs - scan.kept[b]!.tsMs || a - b));
  return out;
}
