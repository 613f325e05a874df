// The streaming pass: one look at every message, keeping only what can be evidence of a case
// (topic terms, a threat alert, an identifier such as a container or IBAN) and, for those, the short replies
// that follow them between the same two accounts. Everything else is forgotten as it passes, so a
// store of a million messages costs the memory of its telling tenth.

import { findTopics, findVolumes } from '../../extract/topics/topics.ts';
import type { Volume } from '../../extract/topics/topics.ts';
import type { DiscoveryMessage } from './types.ts';

/** A message worth keeping, reduced to what linking and ranking need. */
export type KeptMessage = {
  index: number;
  id: string;
  tsMs: number;
  dataset: string;
  from: string;
  to: readonly string[];
  body: string;
  /** Account keys (dataset + handle) that link this message to others: sender and recipients. */
  parties: readonly string[];
  /** Topics with the terms that named them, in text order. */
  hits: readonly { topic: string; term: string }[];
  topics: readonly string[];
  entities: readonly { type: string; value: string }[];
  isThreat: boolean;
  volumes: readonly Volume[];
  /** Ids and times of the short replies that followed it. */
  replies: { id: string; tsMs: number; from: string }[];
};

export type ScanResult = {
  kept: KeptMessage[];
  /** How many kept messages mention each identifier, and whether more than one sender did. */
  identifiers: Map<string, { count: number; firstSender: string; hasSeveralSenders: boolean }>;
  scanned: number;
  replies: number;
  /** Time of the first and last kept message: the period an account's rhythm is measured over. */
  firstMs: number;
  lastMs: number;
  /** Whether two accounts (keys as in `parties`) ever wrote to each other, about anything. */
  areInContact(a: string, b: string): boolean;
};

export type ScanOptions = { replyGapMs: number; threatThreshold: number };

/** Identifiers that tie messages together wherever they occur: a container is one container. */
export const IDENTIFIER_TYPES: ReadonlySet<string> = new Set([
  'container', 'iban', 'btc', 'eth', 'xmr', 'plate', 'coordinates', 'phone', 'imei', 'email',
]);
/**
 * Entities that make a message worth keeping without a topic term: identifiers that can tie it to
 * others. A sum alone ties nothing (see link.ts); with a topic it still counts for severity.
 */
const TELLING_TYPES: ReadonlySet<string> = new Set(['container', 'iban', 'btc', 'eth', 'xmr', 'plate', 'coordinates']);
/**
 * What an identifier says on its own: a shipping container number in this kind of chat is an
 * import, a crypto wallet is money on the move. (An IBAN is also rent and car payments: no topic.)
 */
const TOPIC_OF_ENTITY: Readonly<Record<string, string>> = { container: 'cocaine-import', btc: 'money-laundering', eth: 'money-laundering', xmr: 'money-laundering' };
const NO_VOLUMES: readonly Volume[] = Object.freeze([]);
const DRUG_TOPICS: ReadonlySet<string> = new Set(['drug-trade', 'cocaine-import', 'synthetic-lab', 'cannabis']);
// A group message reaches everyone in the group; linking through all of them would make one case
// of everything a busy group says, so beyond a few recipients only the sender links.
const MAX_LINKING_RECIPIENTS = 4;
// Replies are acknowledgements ("ok", "komt goed"); a whole conversation after a topical line is not.
const MAX_REPLIES = 3;
// Pair numbers stay exact doubles for up to 2^26 accounts.
const PAIR_BASE = 2 ** 26;

type PairState = { kept: KeptMessage; lastMs: number };

export function accountKey(dataset: string, handle: string): string {
  return dataset + '\u0000' + handle;
}


/** An identifier within one dataset: two seized sets are two worlds until an analyst links them. */
export function identifierKey(dataset: string, type: string, value: string): string {
  return dataset + '\u0000' + type + ':' + value;
}

/** The pass as an object, for sources that hand messages over one by one (an async store cursor). */
export class Scanner {
  private readonly options: ScanOptions;
  private readonly kept: KeptMessage[] = [];
  private readonly identifiers: ScanResult['identifiers'] = new Map();
  /** The last telling message of each pair of accounts, for the replies that follow it. */
  private readonly pairs = new Map<number, PairState>();
  private scanned = 0;
  private replies = 0;
  // Accounts by dataset and handle, numbered, so that every pair that ever talked is one number:
  // a million pairs fit in a few tens of megabytes, and no message builds a key string.
  private readonly accounts = new Map<string, Map<string, Account>>();
  private readonly numberOfKey = new Map<string, number>();
  private readonly contacts = new Set<number>();

  constructor(options: ScanOptions) {
    this.options = options;
  }

  add(message: DiscoveryMessage): void {
    const { options, kept, identifiers, pairs } = this;
    this.scanned++;
    // A case is a period: a message without a time cannot be placed in one.
    if (!Number.isFinite(message.tsMs)) return;
    const sender = this.accountOf(message.dataset, message.from);
    const single = message.to.length === 1 ? this.accountOf(message.dataset, message.to[0]!) : undefined;
    this.noteContacts(message, sender);
    const hits = findTopics(message.body, message.lang);
    const isThreat = (message.threat ?? 0) >= options.threatThreshold;
    const isTelling = hits.length > 0 || isThreat || message.entities.some((e) => TELLING_TYPES.has(e.type));
    if (!isTelling) {
      if (single === undefined) return;
      const key = pairNumber(sender.n, single.n);
      const state = pairs.get(key);
      if (!state) return;
      const isReply = message.tsMs >= state.lastMs && message.tsMs - state.lastMs <= options.replyGapMs && state.kept.replies.length < MAX_REPLIES;
      if (isReply) {
        state.kept.replies.push({ id: message.id, tsMs: message.tsMs, from: message.from });
        state.lastMs = message.tsMs;
        this.replies++;
      } else if (message.tsMs - state.lastMs > options.replyGapMs) pairs.delete(key);
      return;
    }
    const found = hits.map((h) => ({ topic: h.topic, term: h.term }));
    for (const e of message.entities) {
      const topic = TOPIC_OF_ENTITY[e.type];
      if (topic !== undefined && !found.some((h) => h.topic === topic && h.term === e.type)) found.push({ topic, term: e.type });
    }
    const topics = [...new Set(found.map((h) => h.topic))];
    const recipients = message.to.length <= MAX_LINKING_RECIPIENTS ? message.to : [];
    const entities = dedupeEntities(message.entities);
    const keptMessage: KeptMessage = {
      index: kept.length,
      id: message.id,
      tsMs: message.tsMs,
      dataset: message.dataset,
      from: message.from,
      to: message.to,
      body: message.body,
      parties: [...new Set([message.from, ...recipients])].map((h) => this.accountOf(message.dataset, h).key),
      hits: found,
      topics,
      entities,
      isThreat,
      volumes: topics.some((t) => DRUG_TOPICS.has(t)) ? findVolumes(message.body) : NO_VOLUMES,
      replies: [],
    };
    kept.push(keptMessage);
    for (const e of entities) {
      if (!IDENTIFIER_TYPES.has(e.type)) continue;
      const key = identifierKey(message.dataset, e.type, e.value);
      const seen = identifiers.get(key);
      if (!seen) identifiers.set(key, { count: 1, firstSender: sender.key, hasSeveralSenders: false });
      else {
        seen.count++;
        if (seen.firstSender !== sender.key) seen.hasSeveralSenders = true;
      }
    }
    if (single !== undefined) pairs.set(pairNumber(sender.n, single.n), { kept: keptMessage, lastMs: message.tsMs });
  }

  result(): ScanResult {
    const { numberOfKey, contacts } = this;
    const areInContact = (a: string, b: string): boolean => {
      const x = numberOfKey.get(a);
      const y = numberOfKey.get(b);
      return x !== undefined && y !== undefined && contacts.has(pairNumber(x, y));
    };
    let firstMs = Number.POSITIVE_INFINITY;
    let lastMs = Number.NEGATIVE_INFINITY;
    for (const m of this.kept) {
      if (m.tsMs < firstMs) firstMs = m.tsMs;
      if (m.tsMs > lastMs) lastMs = m.tsMs;
    }
    return { kept: this.kept, identifiers: this.identifiers, scanned: this.scanned, replies: this.replies, firstMs, lastMs, areInContact };
  }

  private accountOf(dataset: string, handle: string): Account {
    let byHandle = this.accounts.get(dataset);
    if (!byHandle) this.accounts.set(dataset, (byHandle = new Map()));
    let account = byHandle.get(handle);
    if (!account) {
      account = { key: accountKey(dataset, handle), n: this.numberOfKey.size };
      byHandle.set(handle, account);
      this.numberOfKey.set(account.key, account.n);
    }
    return account;
  }

  private noteContacts(message: DiscoveryMessage, sender: Account): void {
    if (message.to.length > MAX_LINKING_RECIPIENTS) return;
    for (const to of message.to) {
      const n = this.accountOf(message.dataset, to).n;
      if (n !== sender.n) this.contacts.add(pairNumber(sender.n, n));
    }
  }
}

/** An account as the scan numbers it; `key` is what messages' `parties` hold. */
type Account = { key: string; n: number };

function pairNumber(x: number, y: number): number {
  return x < y ? x * PAIR_BASE + y : y * PAIR_BASE + x;
}

function dedupeEntities(entities: readonly { type: string; value: string }[]): { type: string; value: string }[] {
  if (entities.length < 2) return entities.map((e) => ({ type: e.type, value: e.value }));
  const seen = new Set<string>();
  const out: { type: string; value: string }[] = [];
  for (const e of entities) {
    const key = e.type + ':' + e.value;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ type: e.type, value: e.value });
  }
  return out;
}
