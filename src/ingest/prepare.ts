// Turns reader records into what a store writes: stable ids, epoch times, language, and the
// words for the fuzzy vocabulary. Pure: no I/O, so it can run beside the database writer.
import type { AccountRecord, ContactRecord, EventRecord, ExposureRecord, GroupRecord, Location, LodeRecord } from '../model/records.ts';
import type { AttachmentRef } from '../model/records.ts';
import { detectLanguage } from '../extract/language.ts';
import { isVocabularyWord, tokenize } from '../extract/tokens.ts';
import { conversationKey, messageId, stableId } from './ids.ts';
import { contextForLanguage, extractEntities } from '../extract/entities/extract.ts';
import type { CountryCode } from '../extract/entities/types.ts';
import { hasExplicitZone, isoToEpochMs } from './timestamps.ts';
import type { TriageFinding, TriageMessage } from '../model/triage.ts';

export type PreparedMessage = {
  kind: 'message' | 'note';
  uid: string;
  ref?: string;
  platform: string;
  ts?: string;
  tsMs?: number;
  from: string;
  to: string[];
  group?: string;
  conversation: string;
  body: string;
  lang?: string;
  attachments: AttachmentRef[];
  extra?: Record<string, unknown>;
  flags: string[];
  /** A hash of the folded words: equal for near-duplicates (case, accents, punctuation, spacing); NaN without words. */
  fingerprint: number;
  /** Entities found in the body, with their spans. */
  entities: FoundEntity[];
  /** What triage found (threat, leak) and whether it raises an alert. */
  findings: { finding: TriageFinding; alert: boolean }[];
  location: Location;
};

/**
 * Scores messages in the order they are read; it may remember recent ones (a preparation message
 * counts more after a threat from the same account), so one instance serves one stream.
 */
export type MessageTriage = {
  score(message: TriageMessage): { finding: TriageFinding; alert: boolean }[];
};

/** An entity as extraction found it: normalised value and where it sits in the body. */
export type FoundEntity = { type: string; value: string; start: number; end: number };

export type PreparedEvent = Omit<EventRecord, 'kind'> & { kind: 'event'; uid: string; tsMs?: number; location: Location };
export type PreparedAccount = AccountRecord & { location: Location };
export type PreparedContact = ContactRecord & { location: Location };
export type PreparedGroup = GroupRecord & { location: Location };
export type PreparedExposure = ExposureRecord & { uid: string; location: Location };

export type PreparedItem = PreparedEvent | PreparedAccount | PreparedContact | PreparedGroup | PreparedExposure;

export type PrepareContext = {
  dataset: string;
  sourceSha256: string;
  seenTerms: Set<string>;
  newTerms: string[];
  /** Extract entities from bodies (on unless a bulk load defers it to `lode reindex --entities`). */
  extractEntities: boolean;
  /** The dataset's country, for national writings ("06..." is Dutch in NL). */
  region?: CountryCode;
  /** Scores threats to life and insider leaks (absent: no triage at ingest). */
  triage?: MessageTriage;
};

export function isPreparedMessage(item: PreparedItem | PreparedMessage): item is PreparedMessage {
  return item.kind === 'message' || item.kind === 'note';
}

// Forgetting only means a word is offered to the store again (which ignores it); remembering
// every typo of 20M messages would hold a good part of the worker's memory.
const MAX_SEEN_TERMS = 200_000;

export function prepareRecord(record: LodeRecord, location: Location, context: PrepareContext): PreparedItem | PreparedMessage {
  switch (record.kind) {
    case 'message':
    case 'note': {
      const isNote = record.kind === 'note';
      const from = isNote ? record.owner : record.from;
      const to = isNote ? [] : record.to;
      const group = isNote ? undefined : record.group;
      const identity = record.ref !== undefined
        ? [context.dataset, record.platform, record.kind, record.ref]
        : [context.dataset, context.sourceSha256, String(location.line), String(location.offset)];
      const tokens = tokenize(record.body);
      const lang = record.lang ?? detectLanguage(tokens);
      collectTerms(tokens, context);
      const flags: string[] = isNote ? [] : [...(record.flags ?? [])];
      let tsMs: number | undefined;
      if (record.ts !== undefined) {
        tsMs = isoToEpochMs(record.ts);
        if (!hasExplicitZone(record.ts)) flags.push('timezone-assumed-utc');
      }
      const uid = messageId(isNote ? 'n' : 'm', tsMs, ...identity);
      const attachments = isNote ? [] : (record.attachments ?? []);
      return {
        kind: record.kind,
        uid,
        ref: record.ref,
        platform: record.platform,
        ts: record.ts,
        tsMs,
        from,
        to,
        group,
        conversation: isNote ? `notes:${from}` : conversationKey(from, to, group),
        body: record.body,
        lang,
        attachments,
        extra: record.extra,
        flags,
        // bodies without words (an emoji, an empty media message) are not evidence of duplication
        fingerprint: tokens.length > 0 ? fingerprintOf(tokens) : Number.NaN,
        entities: context.extractEntities ? extractEntities(record.body, contextForLanguage(lang, context.region)) : [],
        findings: context.triage ? context.triage.score({ id: uid, tsMs, from, to, body: record.body, lang, attachments }) : [],
        location,
      };
    }
    case 'event': {
      const identity = record.ref !== undefined
        ? [context.dataset, record.platform, 'event', record.ref]
        : [context.dataset, context.sourceSha256, String(location.line), String(location.offset)];
      return { ...record, uid: stableId('v', ...identity), tsMs: record.ts ? isoToEpochMs(record.ts) : undefined, location };
    }
    case 'exposure': {
      // the same identifier with the same password in two leaks of one dataset is one exposure
      const secret = record.passwordSha1 ?? record.hashType ?? '';
      return { ...record, uid: stableId('x', context.dataset, record.platform, record.identifierType, record.identifier, secret), location };
    }
    case 'account':
    case 'contact':
    case 'group':
      return { ...record, location };
  }
}

/** Two 32-bit FNV-1a hashes of the folded words, joined into 52 bits (exact in SQLite and JS). */
export function fingerprintOf(tokens: readonly string[]): number {
  let a = 0x811c9dc5;
  let b = 0x01000193;
  for (const token of tokens) {
    for (let i = 0; i < token.length; i++) {
      const c = token.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x050c5d1f);
    }
    a = Math.imul(a ^ 32, 0x01000193);
    b = Math.imul(b ^ 32, 0x050c5d1f);
  }
  return (a >>> 0) * 2 ** 20 + ((b >>> 0) >>> 12);
}

function collectTerms(tokens: readonly string[], context: PrepareContext): void {
  for (const token of tokens) {
    if (context.seenTerms.has(token) || !isVocabularyWord(token)) continue;
    if (context.seenTerms.size >= MAX_SEEN_TERMS) context.seenTerms.clear();
    context.seenTerms.add(token);
    context.newTerms.push(token);
  }
}
