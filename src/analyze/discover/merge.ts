// Merging threads into candidate cases. A plot is rarely one thread: the leader tells one member
// about the container, another member reports the pick-up a week later, a third is paid. Threads
// that share an account and a topic and lie close in time are merged, tightest first (single
// linkage), but never beyond a case's size: at most `maxAccounts` accounts and `maxSpanMs` of time.
// Without those caps a crew that talks business every day would become one case of everything.

import { DisjointSets } from './link.ts';
import type { ScanResult } from './scan.ts';

export type MergeOptions = {
  mergeGapMs: number;
  /** What joins a threat thread lies at most this far from its alerts. */
  threatGapMs: number;
  maxAccounts: number;
  maxSpanMs: number;
};

/** `topics` are the thread's main topics: those of at least MAIN_SHARE of its topical messages. */
type Thread = {
  accounts: Set<string>;
  topics: Set<string>;
  startMs: number;
  endMs: number;
  hasThreat: boolean;
  /** When its threat alerts were written (NaN without alerts). */
  threatStartMs: number;
  threatEndMs: number;
};

// A thread is about what a good part of it says: one "cash" in a plot about weapons is not its topic.
const MAIN_SHARE = 0.4;
const VIOLENT = new Set(['violence', 'weapons']);

export function mergeThreads(scan: ScanResult, threads: readonly number[][], options: MergeOptions): number[][] {
  const summaries = threads.map((t) => summarise(scan, t));
  const byAccount = new Map<string, number[]>();
  summaries.forEach((s, i) => {
    for (const a of s.accounts) {
      const list = byAccount.get(a);
      if (list) list.push(i);
      else byAccount.set(a, [i]);
    }
  });
  const pairs: { a: number; b: number; gapMs: number; shared: number }[] = [];
  const seen = new Set<number>();
  for (const list of byAccount.values()) {
    list.sort((x, y) => summaries[x]!.startMs - summaries[y]!.startMs || x - y);
    for (let i = 0; i < list.length; i++) {
      const a = summaries[list[i]!]!;
      for (let j = i + 1; j < list.length; j++) {
        const b = summaries[list[j]!]!;
        // The list is sorted by start: every later thread starts further away from a's end.
        if (b.startMs - a.endMs > options.mergeGapMs) break;
        if (!areCompatible(a, b)) continue;
        const gapMs = Math.max(0, b.startMs - a.endMs, a.startMs - b.endMs);
        const x = Math.min(list[i]!, list[j]!);
        const y = Math.max(list[i]!, list[j]!);
        const key = x * threads.length + y;
        if (seen.has(key)) continue;
        seen.add(key);
        let shared = 0;
        for (const acc of a.accounts) if (b.accounts.has(acc)) shared++;
        if (shared < 2 && !areOneCircle(scan, a, b)) continue;
        pairs.push({ a: x, b: y, gapMs, shared });
      }
    }
  }
  pairs.sort((p, q) => p.gapMs - q.gapMs || q.shared - p.shared || p.a - q.a || p.b - q.b);

  const sets = new DisjointSets(threads.length);
  const merged = summaries.map((s) => ({ ...s, accounts: new Set(s.accounts) }));
  for (const { a, b } of pairs) {
    const ra = sets.find(a);
    const rb = sets.find(b);
    if (ra === rb) continue;
    const x = merged[ra]!;
    const y = merged[rb]!;
    const startMs = Math.min(x.startMs, y.startMs);
    const endMs = Math.max(x.endMs, y.endMs);
    if (endMs - startMs > options.maxSpanMs) continue;
    if (!isNearThreats(x, y, options.threatGapMs) || !isFitForThreat(x, y)) continue;
    let accounts = x.accounts.size;
    for (const acc of y.accounts) if (!x.accounts.has(acc)) accounts++;
    if (accounts > options.maxAccounts) continue;
    sets.union(ra, rb);
    const root = sets.find(ra);
    // The merged thread keeps both sets of main topics: compatibility is judged pair by pair.
    const union: Thread = {
      accounts: new Set([...x.accounts, ...y.accounts]), topics: new Set([...x.topics, ...y.topics]), startMs, endMs,
      hasThreat: x.hasThreat || y.hasThreat,
      threatStartMs: Math.min(finiteOr(x.threatStartMs, Infinity), finiteOr(y.threatStartMs, Infinity)),
      threatEndMs: Math.max(finiteOr(x.threatEndMs, -Infinity), finiteOr(y.threatEndMs, -Infinity)),
    };
    if (!union.hasThreat) union.threatStartMs = union.threatEndMs = Number.NaN;
    merged[root] = union;
  }
  const groups = new Map<number, number[]>();
  threads.forEach((t, i) => {
    const root = sets.find(i);
    const group = groups.get(root);
    if (group) group.push(...t);
    else groups.set(root, [...t]);
  });
  return [...groups.values()];
}

/**
 * A hit plan is a matter of days: what joins it must lie within `threatGapMs` of its alerts, or
 * it would gather the crew's weapons talk of the whole spring. Two plans a week apart stay two.
 */
function isNearThreats(x: Thread, y: Thread, threatGapMs: number): boolean {
  if (!x.hasThreat && !y.hasThreat) return true;
  const [threat, other] = x.hasThreat ? [x, y] : [y, x];
  const otherStart = other.hasThreat ? other.threatStartMs : other.startMs;
  const otherEnd = other.hasThreat ? other.threatEndMs : other.endMs;
  return Math.max(0, otherStart - threat.threatEndMs, threat.threatStartMs - otherEnd) <= threatGapMs;
}

/** What joins a threat thread is violent talk or names things; a crew's other business stays out. */
function isFitForThreat(x: Thread, y: Thread): boolean {
  if (x.hasThreat === y.hasThreat) return true;
  const other = x.hasThreat ? y : x;
  return [...other.topics].every((t) => VIOLENT.has(t));
}

function finiteOr(n: number, fallback: number): number {
  return Number.isFinite(n) ? n : fallback;
}

/** Whether the accounts each thread has alone know each other: one shared broker is not enough. */
function areOneCircle(scan: ScanResult, a: Thread, b: Thread): boolean {
  const onlyA = [...a.accounts].filter((x) => !b.accounts.has(x));
  const onlyB = [...b.accounts].filter((y) => !a.accounts.has(y));
  if (onlyA.length === 0 || onlyB.length === 0) return true;
  for (const x of onlyA) for (const y of onlyB) if (scan.areInContact(x, y)) return true;
  return false;
}

/**
 * Threads about the same thing: a shared main topic; threat threads with threat threads or violent
 * talk; and a thread that only names things (a position, a plate, a sum) with anything.
 */
function areCompatible(a: Thread, b: Thread): boolean {
  if (a.topics.size === 0 && !a.hasThreat) return true;
  if (b.topics.size === 0 && !b.hasThreat) return true;
  if (a.hasThreat && b.hasThreat) return true;
  if (a.hasThreat) return [...b.topics].some((t) => VIOLENT.has(t));
  if (b.hasThreat) return [...a.topics].some((t) => VIOLENT.has(t));
  for (const t of a.topics) if (b.topics.has(t)) return true;
  return false;
}

function summarise(scan: ScanResult, thread: readonly number[]): Thread {
  const accounts = new Set<string>();
  const counts = new Map<string, number>();
  let topical = 0;
  let startMs = Number.POSITIVE_INFINITY;
  let endMs = Number.NEGATIVE_INFINITY;
  let hasThreat = false;
  let threatStartMs = Number.NaN;
  let threatEndMs = Number.NaN;
  for (const index of thread) {
    const m = scan.kept[index]!;
    for (const p of m.parties) accounts.add(p);
    if (m.topics.length > 0) topical++;
    for (const t of m.topics) counts.set(t, (counts.get(t) ?? 0) + 1);
    if (m.isThreat) {
      hasThreat = true;
      threatStartMs = Math.min(finiteOr(threatStartMs, Infinity), m.tsMs);
      threatEndMs = Math.max(finiteOr(threatEndMs, -Infinity), m.tsMs);
    }
    if (m.tsMs < startMs) startMs = m.tsMs;
    if (m.tsMs > endMs) endMs = m.tsMs;
  }
  const topics = new Set<string>();
  for (const [t, n] of counts) if (n >= MAIN_SHARE * topical) topics.add(t);
  return { accounts, topics, startMs, endMs, hasThreat, threatStartMs, threatEndMs };
}
