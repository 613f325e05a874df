// Signal finding: one pass over a message's tokens with Map lookups of lexicon terms, then a few
// built-in patterns (clock times, sums of money, coordinates, an image attachment) and, around a
// violent intent, words that name a person. This runs on every message at ingest, so the common
// case (no term at all) costs a tokenisation and one Map probe per token.

import { foldText } from '../extract/tokens.ts';
import { builtinLexicon, probeKey } from './lexicon.ts';
import type { CompiledLexicon, CompiledTerm, SignalKind, TermPart } from './lexicon.ts';

/** One piece of evidence in a message. */
export type Signal = {
  kind: SignalKind;
  /** intent: kill/kidnap/torture/assault; target: person/name/handle; prep: weapon, vehicle, ...; leak: sector or role. */
  category: string;
  /** The lexicon term (or built-in pattern) that matched. */
  term: string;
  /** The lexicon's language ('shared' or 'builtin' for language-free evidence). */
  lang: string;
  /** UTF-16 span in the body; absent for evidence outside the text (an attachment). */
  start?: number;
  end?: number;
  weight: number;
  /** The matched words name the person aimed at ("leg hem om"). */
  hasTarget: boolean;
  /** For an intent of ordinary words: the preparation kinds it needs to count. */
  needs?: readonly string[];
  /** First and last token index of the match (-1 outside the text). */
  first: number;
  last: number;
  /** Tokens inside the match that a gap (`*`, `_`) stood for: not the term's own words. */
  gaps?: readonly number[];
};

export type AttachmentLike = { mime?: string; name?: string };

export type FindSignalOptions = {
  lexicon?: CompiledLexicon;
  /** Whether a folded word is a known account handle (the scorer learns them from the stream). */
  isHandle?: (word: string) => boolean;
};

/** Weights of the built-in evidence; lexicon weights live in the lexicon files. */
export const BUILTIN_WEIGHTS = {
  imageAttachment: 0.05,
  imageOfSomeone: 0.2,
  clockTime: 0.05,
  money: 0.1,
  coordinates: 0.05,
  /** A container number: the port sector, weaker than naming a terminal. */
  container: 0.25,
  /** A capitalised unknown word, a word with digits like a handle, or a known handle. */
  name: 0.3,
  /** An ordinary-looking unknown word right next to an intent: probably a nickname or handle. */
  unknownNextToIntent: 0.2,
  /** An unknown word after "die", "that", "ce" near an intent: someone pointed at ("die mocro"). */
  demonstrativeName: 0.25,
} as const;

// Scratch token buffers reused across calls: findSignals is synchronous and not re-entrant.
let tokenText: string[] = [];
let tokenStart = new Int32Array(256);
let tokenEnd = new Int32Array(256);
let tokenIsCapital = new Uint8Array(256);
let tokenCount = 0;
let hasDigit = false;

const NON_ASCII = /[^\x00-\x7f]/;
const WORD = /[\p{L}\p{N}\p{M}]+/gu;
const UPPER = /\p{Lu}/u;

function grow(): void {
  const size = tokenStart.length * 2;
  const start = new Int32Array(size);
  start.set(tokenStart);
  tokenStart = start;
  const end = new Int32Array(size);
  end.set(tokenEnd);
  tokenEnd = end;
  const capital = new Uint8Array(size);
  capital.set(tokenIsCapital);
  tokenIsCapital = capital;
}

function push(text: string, start: number, end: number, isCapital: boolean): void {
  if (tokenCount === tokenStart.length) grow();
  tokenText[tokenCount] = text;
  tokenStart[tokenCount] = start;
  tokenEnd[tokenCount] = end;
  tokenIsCapital[tokenCount] = isCapital ? 1 : 0;
  tokenCount++;
}

/** Splits and folds like src/extract/tokens.ts (the index's folding), keeping each word's span in the body. */
function tokenise(body: string): void {
  tokenCount = 0;
  hasDigit = false;
  if (tokenText.length > 4096) tokenText = [];
  if (!NON_ASCII.test(body)) {
    const lower = body.toLowerCase();
    let start = -1;
    for (let i = 0; i <= body.length; i++) {
      const c = i < body.length ? body.charCodeAt(i) : 32;
      const isDigit = c >= 48 && c <= 57;
      const isWordChar = isDigit || (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
      if (isDigit) hasDigit = true;
      if (isWordChar) {
        if (start < 0) start = i;
      } else if (start >= 0) {
        const first = body.charCodeAt(start);
        const second = start + 1 < i ? body.charCodeAt(start + 1) : 97;
        // Title case ("Rico") marks a name; SHOUTED words do not
        push(lower.slice(start, i), start, i, first >= 65 && first <= 90 && !(second >= 65 && second <= 90));
        start = -1;
      }
    }
    return;
  }
  WORD.lastIndex = 0;
  for (let m = WORD.exec(body); m !== null; m = WORD.exec(body)) {
    const raw = m[0];
    const folded = NON_ASCII.test(raw) ? foldText(raw) : raw.toLowerCase();
    if (folded.length === 0) continue;
    if (!hasDigit && /\d/.test(folded)) hasDigit = true;
    push(folded, m.index, m.index + raw.length, UPPER.test(raw.charAt(0)) && !UPPER.test(raw.charAt(1)));
  }
}

/**
 * Every signal in a message. `lang` is the detected language when there is one; all lexicons
 * apply regardless, because these chats switch language mid-sentence and short lines have no
 * detectable language, and a reason records which lexicon a term came from.
 */
export function findSignals(body: string, lang: string | undefined, attachments: readonly AttachmentLike[], options: FindSignalOptions = {}): Signal[] {
  void lang;
  const lexicon = options.lexicon ?? builtinLexicon();
  const signals: Signal[] = [];
  tokenise(body);
  const hasPrefixes = lexicon.prefix.size > 0;
  for (let i = 0; i < tokenCount; i++) {
    const token = tokenText[i]!;
    const entry = lexicon.exact.get(token);
    if (entry !== undefined) {
      for (const term of entry.whole) pushMatch(term, i, i, signals);
      if (i + 1 < tokenCount && entry.bySecond.size > 0) {
        const next = entry.bySecond.get(tokenText[i + 1]!);
        if (next !== undefined) for (const term of next) matchTerm(term, i, signals);
      }
      for (const term of entry.other) matchTerm(term, i, signals);
    }
    if (hasPrefixes) {
      const candidates = lexicon.prefix.get(probeKey(token));
      if (candidates !== undefined) for (const { text, term } of candidates) if (token.startsWith(text)) matchTerm(term, i, signals);
    }
  }
  if (hasDigit) findPatterns(body, signals);
  if (attachments.length > 0 && attachments.some(isImage)) {
    // chat is full of pictures: one counts when the words point at a person or a place
    let isAboutSomeone = false;
    for (const s of signals) if ((s.kind === 'target' && s.category === 'relative') || (s.kind === 'prep' && (s.category === 'photo' || s.category === 'location'))) isAboutSomeone = true;
    const weight = isAboutSomeone ? BUILTIN_WEIGHTS.imageOfSomeone : BUILTIN_WEIGHTS.imageAttachment;
    signals.push({ kind: 'prep', category: 'photo', term: isAboutSomeone ? 'image attachment about a person or place' : 'image attachment', lang: 'builtin', weight, hasTarget: false, first: -1, last: -1 });
  }
  let hasIntent = false;
  for (const s of signals) if (s.kind === 'intent') hasIntent = true;
  if (hasIntent) {
    findTypoDecoys(signals, lexicon);
    findNames(body, signals, lexicon, options.isHandle);
  }
  return settle(signals);
}

function isImage(attachment: AttachmentLike): boolean {
  if (attachment.mime !== undefined) return attachment.mime.startsWith('image/');
  return attachment.name !== undefined && /\.(jpe?g|png|heic|gif|webp)$/i.test(attachment.name);
}

// Token positions a gap of the current match skipped over (a target's name often stands there).
const gapTokens: number[] = [];

/** Matches the rest of a term after its first token at `at`; records the shortest match. */
function matchTerm(term: CompiledTerm, at: number, signals: Signal[]): void {
  gapTokens.length = 0;
  const end = matchParts(term.rest, 0, at + 1);
  if (end >= 0) pushMatch(term, at, end - 1, signals);
}

function pushMatch(term: CompiledTerm, first: number, last: number, signals: Signal[]): void {
  signals.push({
    kind: term.kind, category: term.category, term: term.term, lang: term.lang, start: tokenStart[first]!, end: tokenEnd[last]!,
    weight: term.weight, hasTarget: term.hasTarget, first, last, ...(term.needs !== undefined ? { needs: term.needs } : {}),
    ...(gapTokens.length > 0 && last > first ? { gaps: [...gapTokens] } : {}),
  });
}

/** Index after the match of parts[k..] starting at token `pos`, or -1. */
function matchParts(parts: readonly TermPart[], k: number, pos: number): number {
  if (k === parts.length) return pos;
  const part = parts[k]!;
  if (part.type === 'gap') {
    for (let skip = part.min; skip <= part.max && pos + skip <= tokenCount; skip++) {
      for (let g = 0; g < skip; g++) gapTokens.push(pos + g);
      const end = matchParts(parts, k + 1, pos + skip);
      if (end >= 0) return end;
      gapTokens.length -= skip;
    }
    return -1;
  }
  if (pos >= tokenCount) return -1;
  const token = tokenText[pos]!;
  const isMatch = part.type === 'word' ? token === part.text : token.startsWith(part.text);
  return isMatch ? matchParts(parts, k + 1, pos + 1) : -1;
}

// Built-in patterns, only run on bodies with digits: lexicons cannot spell numbers.
const CLOCK = /(?<![\d.,:])(?:[01]?\d|2[0-3])(?:[:.h][0-5]\d|\s?(?:uur|u|h)\b)(?![\d,])/g;
const MONEY = /(?:[€£$]\s?\d[\d.,]*\s?[km]?|\b\d[\d.,]*\s?(?:k|m|mil|mille|euro|euros|eur|ruggen|barkies|grand|quid|pounds|balles|briques|bags)\b\s?€?)/gi;
const COORDINATES = /-?\d{1,3}\.\d{3,},\s?-?\d{1,3}\.\d{3,}|\d{1,3}°\s?\d{1,2}'/g;

// An ISO 6346 container number (owner code ending in U, serial, check digit) places a message in a port.
const CONTAINER = /\b[A-Za-z]{3}[Uu]\s?\d{6}[\s-]?\d\b/g;

function findPatterns(body: string, signals: Signal[]): void {
  patternSignals(body, CLOCK, 'prep', 'time', 'clock time', BUILTIN_WEIGHTS.clockTime, signals);
  patternSignals(body, MONEY, 'prep', 'payment', 'sum of money', BUILTIN_WEIGHTS.money, signals);
  patternSignals(body, COORDINATES, 'prep', 'location', 'coordinates', BUILTIN_WEIGHTS.coordinates, signals);
  patternSignals(body, CONTAINER, 'leak', 'port', 'container number', BUILTIN_WEIGHTS.container, signals);
}

function patternSignals(body: string, pattern: RegExp, kind: SignalKind, category: string, term: string, weight: number, signals: Signal[]): void {
  pattern.lastIndex = 0;
  const m = pattern.exec(body);
  if (m === null) return;
  const start = m.index;
  const end = m.index + m[0].trimEnd().length;
  signals.push({ kind, category, term, lang: 'builtin', start, end, weight, hasTarget: false, first: tokenAt(start), last: tokenAt(end - 1) });
}

function tokenAt(offset: number): number {
  for (let i = 0; i < tokenCount; i++) if (tokenEnd[i]! > offset) return i;
  return tokenCount - 1;
}

/**
 * Look-alike cues with one typo ("hij moet weg uit de griep"): only next to an intent, where a
 * missed cue costs a false alert, so the scan over cue words stays rare.
 */
function findTypoDecoys(signals: Signal[], lexicon: CompiledLexicon): void {
  const covered = new Uint8Array(tokenCount);
  for (const s of signals) for (let t = Math.max(0, s.first); t <= s.last; t++) covered[t] = 1;
  for (let t = 0; t < tokenCount; t++) {
    const word = tokenText[t]!;
    // known words too ("griep" is a word, but in "moet weg uit de griep" it was "groep"); not the evidence itself ("pak slaag")
    // a word with digits is a handle ("burrito7"), not a typo
    if (word.length < 5 || covered[t] === 1 || hasDigitIn(word)) continue;
    let match: CompiledTerm | undefined;
    for (let length = word.length - 1; length <= word.length + 1 && match === undefined; length++) {
      for (const { word: cue, term } of lexicon.decoyWords.get(length) ?? []) {
        if (cue.charCodeAt(0) === word.charCodeAt(0) && withinOneEdit(word, cue)) {
          match = term;
          break;
        }
      }
    }
    if (match === undefined) continue;
    signals.push({ kind: 'decoy', category: match.category, term: match.term, lang: match.lang, start: tokenStart[t]!, end: tokenEnd[t]!, weight: match.weight, hasTarget: false, first: t, last: t });
  }
}

/** How far from an intent a person's name may stand and still be its target. */
export const TARGET_WINDOW = 7;

/**
 * Names around an intent: a known handle, a capitalised word the lexicons do not know, a word
 * with letters and digits (how handles look), or an unknown word right next to the intent
 * ("condor moet weg"): nicknames and handles are not in any dictionary.
 */
function findNames(body: string, signals: Signal[], lexicon: CompiledLexicon, isHandle: ((word: string) => boolean) | undefined): void {
  const covered = new Uint8Array(tokenCount);
  for (const s of signals) {
    for (let t = Math.max(0, s.first); t <= s.last; t++) covered[t] = 1;
    if (s.gaps !== undefined) for (const t of s.gaps) covered[t] = 0;
  }
  const intents = signals.filter((s) => s.kind === 'intent');
  const named = new Set<number>();
  for (const intent of intents) {
    const from = Math.max(0, intent.first - TARGET_WINDOW);
    const to = Math.min(tokenCount - 1, intent.last + TARGET_WINDOW);
    for (let t = from; t <= to; t++) {
      if (covered[t] === 1 || named.has(t) || isAcrossClause(body, t, intent)) continue;
      const word = tokenText[t]!;
      if (word.length < 2 || isNumber(word)) continue;
      const isKnownWord = lexicon.known.has(word);
      let term: string | undefined;
      let weight: number = BUILTIN_WEIGHTS.name;
      // an ordinary word is an ordinary word, even when someone took it as a handle ("afval")
      if (isKnownWord) continue;
      if (isHandle?.(word) === true) term = 'known handle';
      else if (hasLettersAndDigits(word)) term = 'handle-like word';
      else if (isTypoOfKnown(word, lexicon)) continue;
      else if (tokenIsCapital[t] === 1 && !isSentenceStart(t)) term = 'capitalised name';
      else if (DEMONSTRATIVES.has(tokenText[t - 1] ?? '')) {
        // "die mocro", "that geezer": pointing at someone by an unknown noun
        term = 'unknown word after a demonstrative';
        weight = BUILTIN_WEIGHTS.demonstrativeName;
      } else if (isNextToIntent(t, intent)) {
        term = 'unknown word next to the intent';
        weight = BUILTIN_WEIGHTS.unknownNextToIntent;
      }
      if (term === undefined) continue;
      named.add(t);
      signals.push({ kind: 'target', category: 'name', term, lang: 'builtin', start: tokenStart[t]!, end: tokenEnd[t]!, weight, hasTarget: false, first: t, last: t });
    }
  }
}

const CLAUSE_BREAK = /[,.;:!?\n]/;

/** A name in another clause ("afval moet weg, tiger king is ziek") is not the intent's target. */
function isAcrossClause(body: string, t: number, intent: Signal): boolean {
  if (t < intent.first) return CLAUSE_BREAK.test(body.slice(tokenEnd[t]!, tokenStart[intent.first]!));
  if (t > intent.last) return CLAUSE_BREAK.test(body.slice(tokenEnd[intent.last]!, tokenStart[t]!));
  return false;
}

/** Right next to it, inside its gap, or its subject before an auxiliary ("condor is getting clipped"). */
function isNextToIntent(t: number, intent: Signal): boolean {
  if (t === intent.first - 1 || t === intent.last + 1 || intent.gaps?.includes(t) === true) return true;
  return t === intent.first - 2 && AUXILIARIES.has(tokenText[t + 1]!);
}

const AUXILIARIES = new Set(['is', 'moet', 'gaat', 'wordt', 'zal', 'will', 'gets', 'must', 'doit', 'va', 'est', 'sera']);

// "die condor", "that snake", "ce bouffon": a demonstrative before an unknown word points at a person.
const DEMONSTRATIVES = new Set(['die', 'deze', 'that', 'this', 'ce', 'cet', 'cette']);

function isSentenceStart(t: number): boolean {
  return t === 0;
}

function hasDigitIn(word: string): boolean {
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    if (c >= 48 && c <= 57) return true;
  }
  return false;
}

function isNumber(word: string): boolean {
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** How handles look ("kogel34", "prince77"); road and model codes ("m25", "a45", "ps4") have fewer letters. */
function hasLettersAndDigits(word: string): boolean {
  let letters = 0;
  let digits = 0;
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
    else letters++;
  }
  return letters >= 3 && digits > 0;
}

/** A would-be name one typo away from an ordinary word is the ordinary word ("kapslon"). */
function isTypoOfKnown(word: string, lexicon: CompiledLexicon): boolean {
  if (word.length < 4) return false;
  for (let length = word.length - 1; length <= word.length + 1; length++) {
    // thumbs slip inside a word: the first letter is nearly always right, and it prunes the scan
    for (const known of lexicon.knownByLength.get(length) ?? []) if (known.charCodeAt(0) === word.charCodeAt(0) && withinOneEdit(word, known)) return true;
  }
  return false;
}

/** Damerau distance ≤ 1 (one insertion, deletion, substitution or swap of neighbours). */
export function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > 1) return false;
  let i = 0;
  while (i < la && i < lb && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  if (la === lb) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true;
    return i + 1 < la && a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

/** Of overlapping matches of one kind and category, the heaviest (then longest) stays. */
function settle(signals: Signal[]): Signal[] {
  if (signals.length < 2) return signals;
  const kept: Signal[] = [];
  for (const s of signals) {
    let isCovered = false;
    for (let k = 0; k < kept.length; k++) {
      const other = kept[k]!;
      // the same word twice ("motor is in the garage. motor is in the garage") is one piece of evidence
      if (other.kind === s.kind && other.term === s.term && other.category === s.category && s.lang !== 'builtin') {
        isCovered = true;
        break;
      }
      if (other.kind !== s.kind || other.category !== s.category || s.first < 0 || other.first < 0) continue;
      if (s.last < other.first || other.last < s.first) continue;
      const sValue = valueOf(s);
      const otherValue = valueOf(other);
      if (sValue > otherValue || (sValue === otherValue && s.last - s.first > other.last - other.first)) kept[k] = s;
      isCovered = true;
      break;
    }
    if (!isCovered) kept.push(s);
  }
  return kept;
}

/** What a match is worth when overlapping matches compete: a term naming its target is worth its target too. */
function valueOf(s: Signal): number {
  return Math.abs(s.weight) + (s.hasTarget ? 0.3 : 0);
}
