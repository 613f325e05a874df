// Linking kept messages into threads. Two messages belong together when they share an account and
// a reason: the same topic in a burst (closer than the account's own rhythm on it), the same two
// accounts on the same topic within weeks, two threat alerts within a week, or the same identifier
// (a container, an IBAN, a wallet) named by different senders. Sums of money link nothing: "5k"
// and "10k" recur in every crew's talk, and linking on them glued hit plans to drug deals. Linking
// neighbours in time per key gives the same groups as linking every pair, in n log n.

import { identifierKey, IDENTIFIER_TYPES } from './scan.ts';
import type { KeptMessage, ScanResult } from './scan.ts';

export type LinkOptions = {
  /** A topic's messages link at most burstFactor x (period / their number) apart: a burst for that account. */
  burstFactor: number;
  accountGapMs: number;
  pairGapMs: number;
  threatGapMs: number;
  entityGapMs: number;
};

/** Union-find over message indices, with path halving and union by size. */
export class DisjointSets {
  readonly parent: Int32Array;
  readonly size: Int32Array;
  constructor(count: number) {
    this.parent = Int32Array.from({ length: count }, (_, i) => i);
    this.size = new Int32Array(count).fill(1);
  }
  find(x: number): number {
    const parent = this.parent;
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]!]!;
      x = parent[x]!;
    }
    return x;
  }
  union(a: number, b: number): void {
    let ra = this.find(a);
    let rb = this.find(b);
    if (ra === rb) return;
    if (this.size[ra]! < this.size[rb]!) [ra, rb] = [rb, ra];
    this.parent[rb] = ra;
    this.size[ra]! += this.size[rb]!;
  }
}

/** Keys under which messages are listed; messages of one list link to their neighbours in time. */
type Lists = Map<string, number[]>;

function add(lists: Lists, key: string, index: number): void {
  const list = lists.get(key);
  if (list) list.push(index);
  else lists.set(key, [index]);
}

const VIOLENT_TOPICS: ReadonlySet<string> = new Set(['violence', 'weapons']);
// Talk within the hour is one exchange, however busy the account.
const MIN_BURST_GAP_MS = 3_600_000;
// Links through one account look this many messages back, for one in the same circle.
const LOOK_BACK = 4;

/**
 * Groups of kept messages (indices into `scan.kept`) restricted to `members` when given, so the
 * same rules can run again inside one community of a split group.
 */
export function linkMessages(scan: ScanResult, options: LinkOptions, members?: readonly number[], accountsAllowed?: ReadonlySet<string>): number[][] {
  const kept = scan.kept;
  const indices = members ?? kept.map((m) => m.index);
  const local = new Map<number, number>();
  indices.forEach((index, i) => local.set(index, i));
  const sets = new DisjointSets(indices.length);
  const byAccountTopic: Lists = new Map();
  const byPairTopic: Lists = new Map();
  const threatsByAccount: Lists = new Map();
  const byIdentifier: Lists = new Map();
  const partiesOf = (m: KeptMessage): readonly string[] => (accountsAllowed ? m.parties.filter((p) => accountsAllowed.has(p)) : m.parties);

  for (const index of indices) {
    const m = kept[index]!;
    const parties = partiesOf(m);
    const sender = parties.includes(m.parties[0]!) ? m.parties[0]! : undefined;
    // A threat alert links through threats and purely violent talk only, under keys of their own:
    // "brander en jerrycan" in a hit plan does not make the plotters' lab talk the same matter,
    // nor does a "scorpion" logo on a brick make a drug deal part of a hit plan.
    const isPurelyViolent = m.topics.length > 0 && m.topics.every((t) => VIOLENT_TOPICS.has(t));
    for (const topic of m.topics) {
      const keys: string[] = [];
      if (!m.isThreat) keys.push(topic);
      if ((m.isThreat || isPurelyViolent) && VIOLENT_TOPICS.has(topic)) keys.push(topic + '#threat');
      for (const key of keys) {
        for (const p of parties) add(byAccountTopic, p + '\u0001' + key, index);
        if (sender !== undefined) for (const p of parties) if (p !== sender) add(byPairTopic, pairOf(sender, p) + '\u0001' + key, index);
      }
    }
    if (m.isThreat) for (const p of parties) add(threatsByAccount, p, index);
    for (const e of m.entities) {
      if (IDENTIFIER_TYPES.has(e.type)) {
        const key = identifierKey(m.dataset, e.type, e.value);
        const seen = scan.identifiers.get(key);
        // An identifier only its owner ever writes (their own IBAN given to every contact) ties
        // that owner's unrelated chats together; one that several senders use ties a matter.
        if (seen && seen.count > 1 && seen.hasSeveralSenders) add(byIdentifier, key, index);
      }
    }
  }

  const periodMs = Math.max(scan.lastMs - scan.firstMs, 1);
  // Closer than the account's (or pair's) own rhythm on this topic: a burst, not the background.
  const burstGap = (count: number, maxGapMs: number): number => Math.min(maxGapMs, Math.max(MIN_BURST_GAP_MS, (options.burstFactor * periodMs) / count));
  const linkNeighbours = (lists: Lists, maxGapMs: number, adaptive = false): void => {
    for (const list of lists.values()) {
      if (list.length < 2) continue;
      list.sort((a, b) => kept[a]!.tsMs - kept[b]!.tsMs || a - b);
      const gapMs = adaptive ? burstGap(list.length, maxGapMs) : maxGapMs;
      for (let i = 1; i < list.length; i++) {
        const a = list[i - 1]!;
        const b = list[i]!;
        if (kept[b]!.tsMs - kept[a]!.tsMs <= gapMs) sets.union(local.get(a)!, local.get(b)!);
      }
    }
  };
  // Through one shared account only when the others are in one circle: a broker who talks
  // business with two crews that never talk to each other does not make them one plot.
  for (const [key, list] of byAccountTopic) {
    if (list.length < 2) continue;
    const account = key.slice(0, key.indexOf('\u0001'));
    list.sort((a, b) => kept[a]!.tsMs - kept[b]!.tsMs || a - b);
    const gapMs = burstGap(list.length, options.accountGapMs);
    for (let i = 1; i < list.length; i++) {
      const b = kept[list[i]!]!;
      for (let j = i - 1; j >= 0 && j >= i - LOOK_BACK; j--) {
        const a = kept[list[j]!]!;
        if (b.tsMs - a.tsMs > gapMs) break;
        if (isOneCircle(scan, a, b, account)) sets.union(local.get(a.index)!, local.get(b.index)!);
      }
    }
  }
  linkNeighbours(byPairTopic, options.pairGapMs, true);
  linkNeighbours(threatsByAccount, options.threatGapMs);
  linkNeighbours(byIdentifier, options.entityGapMs);

  const groups = new Map<number, number[]>();
  indices.forEach((index, i) => {
    const root = sets.find(i);
    const group = groups.get(root);
    if (group) group.push(index);
    else groups.set(root, [index]);
  });
  return [...groups.values()];
}

/** Whether the other parties of two messages that share `account` know each other (or are the same). */
export function isOneCircle(scan: ScanResult, a: KeptMessage, b: KeptMessage, account: string): boolean {
  let hasOthers = false;
  for (const x of a.parties) {
    if (x === account) continue;
    hasOthers = true;
    for (const y of b.parties) {
      if (y === account) continue;
      if (x === y || scan.areInContact(x, y)) return true;
    }
  }
  // A message whose recipients do not link (a large group) has no circle to compare.
  return !hasOthers || b.parties.every((y) => y === account);
}

function pairOf(a: string, b: string): string {
  return a < b ? a + '\u0002' + b : b + '\u0002' + a;
}
