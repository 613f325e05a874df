// Topic terms: what a message is about, for case discovery. The lexicons are data files per
// language (nl.json, en.json, fr.json) that an analyst can extend without touching code. Matching
// is one pass over the message's tokens with Map lookups, because it runs over every message of a
// store: a term is a folded token, a token sequence, or a prefix (`uithal*`).

import en from './en.json' with { type: 'json' };
import fr from './fr.json' with { type: 'json' };
import nl from './nl.json' with { type: 'json' };

/** One language's lexicon as the data files hold it. */
export type TopicLexicon = {
  lang: string;
  about?: string;
  topics: Record<string, { severity: number; about?: string; terms: readonly string[] }>;
};

/** A term found in a text: `body.slice(start, end)` is what was written (UTF-16 offsets). */
export type TopicHit = { topic: string; term: string; start: number; end: number };

/** A quantity of goods: drugs by weight, pills, drums or pallets of chemicals. */
export type Volume = { quantity: number; unit: VolumeUnit; written: string; start: number; end: number };
export type VolumeUnit = 'kg' | 'pills' | 'drums' | 'pallets';

type Part = { text: string; isPrefix: boolean };
type Entry = { topic: string; term: string; rest: readonly Part[] };

/** A compiled lexicon: entries keyed by their first token (exact) or first token's prefix. */
export type TopicMatcher = {
  exact: Map<string, Entry[]>;
  prefix: Map<string, Entry[]>;
  /** Distinct prefix lengths, ascending, so a token is probed once per length. */
  prefixLengths: number[];
  /** The first PROBE characters of every prefix: a token that starts otherwise skips the probes. */
  probes: Set<string>;
};

const PROBE = 3;

export const DEFAULT_LEXICONS: readonly TopicLexicon[] = [nl, en, fr];

export function compileLexicons(lexicons: readonly TopicLexicon[]): TopicMatcher {
  const matcher: TopicMatcher = { exact: new Map(), prefix: new Map(), prefixLengths: [], probes: new Set() };
  const seen = new Set<string>();
  for (const lexicon of lexicons) {
    for (const [topic, { terms }] of Object.entries(lexicon.topics)) {
      for (const term of terms) {
        const parts = parseTerm(term);
        const [first, ...rest] = parts;
        if (!first) continue;
        const key = topic + '\u0000' + parts.map((p) => p.text + (p.isPrefix ? '*' : '')).join(' ');
        if (seen.has(key)) continue;
        seen.add(key);
        const entry: Entry = { topic, term: term.trim(), rest };
        const map = first.isPrefix ? matcher.prefix : matcher.exact;
        const list = map.get(first.text);
        if (list) list.push(entry);
        else map.set(first.text, [entry]);
        if (first.isPrefix) {
          if (!matcher.prefixLengths.includes(first.text.length)) matcher.prefixLengths.push(first.text.length);
          matcher.probes.add(first.text.slice(0, PROBE));
        }
      }
    }
  }
  matcher.prefixLengths.sort((a, b) => a - b);
  return matcher;
}

/** A term as written in a lexicon: tokens folded like message text; `*` ends a prefix. */
function parseTerm(term: string): Part[] {
  const parts: Part[] = [];
  for (const raw of term.trim().split(/\s+/)) {
    const isPrefix = raw.endsWith('*');
    const tokens = foldedTokens(isPrefix ? raw.slice(0, -1) : raw);
    tokens.forEach((t, i) => parts.push({ text: t.text, isPrefix: isPrefix && i === tokens.length - 1 }));
  }
  // A prefix shorter than the probe would need a probe per token of the language: refuse it.
  const last = parts[parts.length - 1];
  if (parts.length === 1 && last?.isPrefix && last.text.length < PROBE) throw new Error(`topic term "${term}": a prefix needs ${PROBE} letters`);
  return parts;
}

const NON_ASCII = /[^\x00-\x7f]/;
const ASCII_TOKEN = /[a-z0-9]+/gi;
// Marks stay inside a token: a decomposed "é" must not split a word the way the index would not.
const TOKEN = /[\p{L}\p{N}\p{M}]+/gu;
const MARKS = /\p{M}+/gu;

type Token = { text: string; start: number; end: number };

/** Tokens with their UTF-16 spans, folded like src/extract/tokens.ts folds for the index. */
export function foldedTokens(text: string): Token[] {
  const tokens: Token[] = [];
  const isAscii = !NON_ASCII.test(text);
  const pattern = isAscii ? ASCII_TOKEN : TOKEN;
  pattern.lastIndex = 0;
  for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
    const raw = m[0];
    const folded = isAscii || !NON_ASCII.test(raw) ? raw.toLowerCase() : raw.normalize('NFKD').replace(MARKS, '').toLowerCase();
    if (folded.length > 0) tokens.push({ text: folded, start: m.index, end: m.index + raw.length });
  }
  return tokens;
}

/**
 * The lexicons that apply to text in `lang`: its own, and from the others only terms of at least
 * FOREIGN_MIN_LENGTH letters or of several words, because chat switches language mid-sentence
 * ("5 stenen in the box") while short words are where languages collide (French "came" is
 * cocaine, English "came" is not; Dutch "boot" is a boat).
 */
export function lexiconsFor(lang: string, lexicons: readonly TopicLexicon[] = DEFAULT_LEXICONS): TopicLexicon[] {
  return lexicons.map((lexicon) => {
    if (lexicon.lang === lang) return lexicon;
    const topics: TopicLexicon['topics'] = {};
    for (const [topic, entry] of Object.entries(lexicon.topics)) {
      topics[topic] = { ...entry, terms: entry.terms.filter(isSafeAbroad) };
    }
    return { ...lexicon, topics };
  });
}

const FOREIGN_MIN_LENGTH = 5;

function isSafeAbroad(term: string): boolean {
  const trimmed = term.trim();
  return /\s/.test(trimmed) || trimmed.replace(/\*$/, '').length >= FOREIGN_MIN_LENGTH;
}

const MATCHERS = new Map<string, TopicMatcher>();
for (const lexicon of DEFAULT_LEXICONS) MATCHERS.set(lexicon.lang, compileLexicons(lexiconsFor(lexicon.lang)));
// Short chat lines often have no language we can tell: then every lexicon applies.
const ANY_LANGUAGE = compileLexicons(DEFAULT_LEXICONS);

/** The matcher for a language (as detected); every language's terms when it is unknown. */
export function matcherFor(lang: string | undefined): TopicMatcher {
  return (lang !== undefined && MATCHERS.get(lang)) || ANY_LANGUAGE;
}

/** Topic terms in a message, in text order; overlapping hits of one topic keep the longest. */
export function findTopics(body: string, lang?: string, matcher: TopicMatcher = matcherFor(lang)): TopicHit[] {
  const tokens = foldedTokens(body);
  let hits: TopicHit[] | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!.text;
    const exact = matcher.exact.get(token);
    if (exact) hits = collect(exact, tokens, i, hits);
    if (token.length >= PROBE && matcher.probes.has(token.slice(0, PROBE))) {
      for (const length of matcher.prefixLengths) {
        if (length > token.length) break;
        const entries = matcher.prefix.get(token.slice(0, length));
        if (entries) hits = collect(entries, tokens, i, hits);
      }
    }
  }
  return hits === undefined ? [] : settle(hits);
}

function collect(entries: readonly Entry[], tokens: readonly Token[], at: number, hits: TopicHit[] | undefined): TopicHit[] | undefined {
  for (const entry of entries) {
    const last = at + entry.rest.length;
    if (last >= tokens.length) continue;
    let isMatch = true;
    for (let k = 0; k < entry.rest.length && isMatch; k++) {
      const part = entry.rest[k]!;
      const token = tokens[at + 1 + k]!.text;
      isMatch = part.isPrefix ? token.startsWith(part.text) : token === part.text;
    }
    if (!isMatch) continue;
    (hits ??= []).push({ topic: entry.topic, term: entry.term, start: tokens[at]!.start, end: tokens[last]!.end });
  }
  return hits;
}

function settle(hits: TopicHit[]): TopicHit[] {
  if (hits.length < 2) return hits;
  hits.sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: TopicHit[] = [];
  for (const hit of hits) {
    const covered = kept.some((k) => k.topic === hit.topic && k.start <= hit.start && hit.end <= k.end);
    if (!covered) kept.push(hit);
  }
  return kept;
}

const SEVERITY = new Map<string, number>();
for (const lexicon of DEFAULT_LEXICONS) {
  for (const [topic, { severity }] of Object.entries(lexicon.topics)) SEVERITY.set(topic, Math.max(SEVERITY.get(topic) ?? 0, severity));
}

/** How grave a topic is (the lexicons' weight): violence 5, weapons 4 ... cannabis 1; 0 if unknown. */
export function topicSeverity(topic: string): number {
  return SEVERITY.get(topic) ?? 0;
}

/** Every topic of the default lexicons. */
export const TOPICS: readonly string[] = [...SEVERITY.keys()];

// ------------------------------------------------------------------ volumes

// One unit word per writing; a brick, key, "steen" or "pain" is a kilo in this trade.
const UNIT_OF: Readonly<Record<string, { unit: VolumeUnit; factor: number }>> = {
  kilo: { unit: 'kg', factor: 1 }, kilos: { unit: 'kg', factor: 1 }, kg: { unit: 'kg', factor: 1 }, kgs: { unit: 'kg', factor: 1 },
  kil: { unit: 'kg', factor: 1 }, kils: { unit: 'kg', factor: 1 }, kilogram: { unit: 'kg', factor: 1 }, kilogrammes: { unit: 'kg', factor: 1 },
  steen: { unit: 'kg', factor: 1 }, stenen: { unit: 'kg', factor: 1 }, blok: { unit: 'kg', factor: 1 }, blokken: { unit: 'kg', factor: 1 },
  koeken: { unit: 'kg', factor: 1 }, tegels: { unit: 'kg', factor: 1 }, keys: { unit: 'kg', factor: 1 }, key: { unit: 'kg', factor: 1 },
  bricks: { unit: 'kg', factor: 1 }, brick: { unit: 'kg', factor: 1 }, pains: { unit: 'kg', factor: 1 },
  ton: { unit: 'kg', factor: 1000 }, tons: { unit: 'kg', factor: 1000 }, tonnes: { unit: 'kg', factor: 1000 }, tonnen: { unit: 'kg', factor: 1000 },
  pillen: { unit: 'pills', factor: 1 }, pills: { unit: 'pills', factor: 1 }, pilles: { unit: 'pills', factor: 1 }, cachets: { unit: 'pills', factor: 1 },
  xtc: { unit: 'pills', factor: 1 }, tabletten: { unit: 'pills', factor: 1 },
  vaten: { unit: 'drums', factor: 1 }, vat: { unit: 'drums', factor: 1 }, drums: { unit: 'drums', factor: 1 }, barrels: { unit: 'drums', factor: 1 },
  futs: { unit: 'drums', factor: 1 }, fut: { unit: 'drums', factor: 1 }, bidons: { unit: 'drums', factor: 1 }, pallets: { unit: 'pallets', factor: 1 },
  palettes: { unit: 'pallets', factor: 1 },
};

const VOLUME = /(?<![\p{L}\p{N}.,])(\d{1,3}(?:[.,]\d{3})+|\d+(?:[.,]\d+)?)\s?(k(?!\p{L})|duizend|mille)?\s?(\p{L}+)/gu;
// Dutch "2 ton" is as often 200,000 euros as two tonnes: with money words it is money.
const MONEY_WORDS = /euro|€|cash|geld|doekoe|betaal|prijs|kost|contant|rug|£|quid|grand/i;

/** Quantities of drugs, pills and precursor drums ("40 stenen", "250 kilo", "2 ton", "10k pillen"). */
export function findVolumes(body: string): Volume[] {
  const found: Volume[] = [];
  VOLUME.lastIndex = 0;
  for (let m = VOLUME.exec(body); m !== null; m = VOLUME.exec(body)) {
    const [written, number = '', multiplier, word = ''] = m;
    const folded = word.normalize('NFKD').replace(MARKS, '').toLowerCase();
    const unit = UNIT_OF[folded];
    if (!unit) continue;
    if (unit.factor === 1000 && MONEY_WORDS.test(body)) continue;
    const value = parseNumber(number);
    if (value === undefined || value <= 0) continue;
    const quantity = value * (multiplier ? 1000 : 1) * unit.factor;
    found.push({ quantity, unit: unit.unit, written, start: m.index, end: m.index + written.length });
  }
  return found;
}

function parseNumber(number: string): number | undefined {
  // "1.000" and "1,000" group thousands; "2,5" and "2.5" are decimals.
  const grouped = /^\d{1,3}(?:[.,]\d{3})+$/.test(number);
  const value = grouped ? Number(number.replace(/[.,]/g, '')) : Number(number.replace(',', '.'));
  return Number.isFinite(value) ? value : undefined;
}
