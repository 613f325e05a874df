// Case discovery: "the evidence looks for the case". One streaming pass keeps the telling messages
// (topic terms, threat alerts, identifiers, sums) with their short replies; linking turns them into
// threads (the same people on the same topic in a burst, threat alerts close together, the same
// container or IBAN named by several people); threads that grew across crews are split by
// communication community, and those that last longer than a case by their silences; threads of
// the same accounts and topic close in time are merged up to the size of a case; what remains is
// described and ranked by severity and size. Pure: messages in, candidates out.

import { linkMessages } from './link.ts';
import { mergeThreads } from './merge.ts';
import { describeCandidate } from './rank.ts';
import { Scanner } from './scan.ts';
import type { ScanResult } from './scan.ts';
import { splitLongGroups, splitWideGroups } from './split.ts';
import type { CandidateCase, DiscoveryMessage, DiscoveryOptions } from './types.ts';

export type { CandidateCase, DiscoveryMessage, DiscoveryOptions } from './types.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export const DISCOVERY_DEFAULTS = {
  burstFactor: 0.5,
  accountGapMs: 4 * DAY,
  pairGapMs: 14 * DAY,
  threatGapMs: 7 * DAY,
  entityGapMs: 45 * DAY,
  mergeGapMs: 14 * DAY,
  maxSpanMs: 45 * DAY,
  replyGapMs: 15 * 60_000,
  threatThreshold: 0.5,
  minMessages: 5,
  maxAccounts: 8,
  evidence: 5,
  seed: 1,
} as const;

/** Recorded with every candidate list so a court can be told which rules made it. */
export const DISCOVERY_COMPONENT = 'lode-discover';
export const DISCOVERY_VERSION = '1.0.0';

/**
 * Candidate cases in `messages`, best first. Messages should come in time order (as the store
 * lists them): replies are recognised by what they follow. Only telling messages are held.
 */
export function discoverCases(messages: Iterable<DiscoveryMessage>, options: DiscoveryOptions = {}): CandidateCase[] {
  const o = settle(options);
  const scanner = new Scanner(o);
  for (const message of messages) scanner.add(message);
  return candidatesOf(scanner.result(), o, options);
}

/** The same over an asynchronous source, such as the store's cursor over a dataset. */
export async function discoverCasesAsync(messages: AsyncIterable<DiscoveryMessage> | Iterable<DiscoveryMessage>, options: DiscoveryOptions = {}): Promise<CandidateCase[]> {
  const o = settle(options);
  const scanner = new Scanner(o);
  for await (const message of messages) scanner.add(message);
  return candidatesOf(scanner.result(), o, options);
}

type Settled = { -readonly [K in keyof typeof DISCOVERY_DEFAULTS]: number };

function settle(options: DiscoveryOptions): Settled {
  return { ...DISCOVERY_DEFAULTS, ...definedOnly(options) };
}

function candidatesOf(scan: ScanResult, o: Settled, options: DiscoveryOptions): CandidateCase[] {
  const counts = (groups: number): { messages: number; kept: number; groups: number } => ({ messages: scan.scanned, kept: scan.kept.length, groups });
  options.onPhase?.('scanned', counts(0));
  const linkOptions = { burstFactor: o.burstFactor, accountGapMs: o.accountGapMs, pairGapMs: o.pairGapMs, threatGapMs: o.threatGapMs, entityGapMs: o.entityGapMs };
  const threads = linkMessages(scan, linkOptions);
  options.onPhase?.('linked', counts(threads.length));
  const narrow = splitWideGroups(scan, threads, { ...linkOptions, maxAccounts: o.maxAccounts, seed: o.seed });
  const short = splitLongGroups(scan, narrow, o.maxSpanMs);
  const merged = mergeThreads(scan, short, { mergeGapMs: o.mergeGapMs, threatGapMs: o.threatGapMs, maxAccounts: o.maxAccounts, maxSpanMs: o.maxSpanMs });
  options.onPhase?.('merged', counts(merged.length));
  const candidates: CandidateCase[] = [];
  for (const group of merged) {
    const kept = group.map((i) => scan.kept[i]!);
    const size = kept.reduce((n, m) => n + 1 + m.replies.length, 0);
    if (size < o.minMessages) continue;
    const candidate = describeCandidate(kept, { evidence: o.evidence });
    if (candidate.accounts.length < 2) continue;
    candidates.push(candidate);
  }
  candidates.sort((a, b) => b.score - a.score || b.severity - a.severity || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return options.limit === undefined ? candidates : candidates.slice(0, options.limit);
}

function definedOnly(options: DiscoveryOptions): Partial<Settled> {
  const out: Partial<Settled> = {};
  for (const key of Object.keys(DISCOVERY_DEFAULTS) as (keyof Settled)[]) {
    const value = options[key];
    if (typeof value === 'number' && Number.isFinite(value)) out[key] = value;
  }
  return out;
}
