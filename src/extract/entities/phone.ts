// Telephone numbers in free text, normalised to E.164 with libphonenumber's full metadata.
// We find candidates ourselves and let libphonenumber only judge them: its own text scanner
// (findNumbers) accepts national numbers without their trunk "0" ("612345678", any 10-digit
// order number in GB), reads dates as numbers, and costs ~25 µs per call, which we can afford
// only on the rare candidate, not on every message.

import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { CountryCode } from 'libphonenumber-js/max';
import { isDigitCode, isTokenCharacter } from './boundaries.ts';
import type { EntityMention, ExtractionContext } from './types.ts';

/** A "+" or a trunk "0" (optionally in an area-code parenthesis) followed by a digit. */
const PHONE_START = /(?:\+|\(?0)\d/g;
const INSIDE_GROUPED_IBAN = /(?<![\p{L}\p{N}])[A-Za-z]{2}\d{2}(?: [A-Za-z0-9]{4})* $/u;
/**
 * Layouts that point to a country among those the context allows: "0470/12.34.56" is how Belgians
 * write (in NL or FR 0470 could be an area code), pairs after the trunk digit how the French do.
 */
const BELGIAN_LAYOUT = /^0\d{3}[/ ]\d{2}[. ]\d{2}[. ]\d{2}$/;
const FRENCH_LAYOUT = /^0\d([ .])\d{2}\1\d{2}\1\d{2}\1\d{2}$/;
const DATE_LIKE = /^\(?\d{1,2}[-./]\d{1,2}[-./](?:\d{2}|\d{4})$/;
// E.164 allows 15 digits; a trunk 0 and a "(0)" can add two more to what was written.
const MAX_WRITTEN_DIGITS = 17;
const MIN_DIGITS = 8;

export function extractPhones(text: string, context: ExtractionContext): EntityMention[] {
  const found: EntityMention[] = [];
  PHONE_START.lastIndex = 0;
  for (let match = PHONE_START.exec(text); match !== null; match = PHONE_START.exec(text)) {
    const start = match.index;
    if (!canStartPhone(text, start)) continue;
    const mention = longestValidPhone(text, start, context);
    if (mention) {
      found.push(mention);
      PHONE_START.lastIndex = mention.end;
    }
  }
  return found;
}

/** Rejects starts inside a longer token: "10612345678", "ref-0612...", "+31" in "a+31". */
function canStartPhone(text: string, start: number): boolean {
  const before = text[start - 1];
  if (before === undefined) return true;
  if (isTokenCharacter(before) || '+/@#=&'.includes(before)) return false;
  // "3.0612345678" or "a-0612345678" continue a token; "nr. 06..." and "tel:06..." do not.
  if ('.,-'.includes(before) && isTokenCharacter(text[start - 2])) return false;
  // the digit groups of an IBAN, even one whose check fails, are no phone number
  return !INSIDE_GROUPED_IBAN.test(text.slice(Math.max(0, start - 40), start));
}

/** Tries the candidate at `start` from its longest plausible end down to the shortest. */
function longestValidPhone(text: string, start: number, context: ExtractionContext): EntityMention | undefined {
  const ends = candidateEnds(text, start);
  for (let k = ends.length - 1; k >= 0; k--) {
    const end = ends[k] ?? start;
    if (isTokenCharacter(text[end])) continue;
    let from = start;
    let raw = text.slice(from, end);
    if (raw.startsWith('(') && !raw.includes(')')) {
      from++;
      raw = raw.slice(1);
    }
    const value = normalisePhone(raw, context);
    if (value !== undefined) return { type: 'phone', value, start: from, end };
  }
  return undefined;
}

/**
 * Positions after each digit group of the phone-like run at `start`. Groups are joined by at
 * most three separator characters (space, parentheses and one of . - /), so "06 12 34 56 78"
 * and "+49 (0)151 2345678" are one run but "06 12345678, 20 euro" stops at the comma.
 */
function candidateEnds(text: string, start: number): number[] {
  const ends: number[] = [];
  let j = start;
  if (text[j] === '+') j++;
  let depth = 0;
  if (text[j] === '(') {
    depth = 1;
    j++;
  }
  let digits = 0;
  for (;;) {
    const runStart = j;
    while (j < text.length && isDigitCode(text.charCodeAt(j))) j++;
    if (j === runStart) break;
    digits += j - runStart;
    if (digits > MAX_WRITTEN_DIGITS) break;
    if (digits >= MIN_DIGITS) ends.push(j);
    let k = j;
    let marks = 0;
    let nextDepth = depth;
    while (k < text.length && k - j < 4) {
      const c = text[k];
      if (c === '(') nextDepth++;
      else if (c === ')') nextDepth--;
      else if (c === '-' || c === '.' || c === '/') marks++;
      else if (c !== ' ') break;
      k++;
    }
    if (k === j || marks > 1 || nextDepth < 0 || nextDepth > 1 || !isDigitCode(text.charCodeAt(k))) break;
    depth = nextDepth;
    j = k;
  }
  return ends;
}

/** E.164 for a written number, or undefined when no numbering plan accepts it. */
export function normalisePhone(raw: string, context: ExtractionContext): string | undefined {
  const trimmed = raw.trim();
  if (trimmed.startsWith('+') || trimmed.startsWith('00')) return internationalPhone(trimmed);
  if (!/^\(?0/.test(trimmed) || DATE_LIKE.test(trimmed)) return undefined;
  const digits = trimmed.replace(/\D+/g, '');
  if (digits.length < 9 || digits.length > 13) return undefined;
  const layoutRegion = BELGIAN_LAYOUT.test(trimmed) ? 'BE' : FRENCH_LAYOUT.test(trimmed) ? 'FR' : undefined;
  const regions = regionsToTry(context, layoutRegion);
  for (let i = 0; i < regions.length; i++) {
    const parsed = parsePhoneNumberFromString(digits, regions[i]);
    if (!parsed?.isValid()) continue;
    // Landline plans cover most digit strings of their length, so a number the home plan
    // rejects is read as a neighbour's only when it is a mobile there ("068349551", a Dutch
    // mobile missing a digit, is a valid landline in Ath).
    if (i === 0 || isMobile(parsed.getType())) return parsed.number;
  }
  return undefined;
}

function isMobile(type: string | undefined): boolean {
  return type === 'MOBILE' || type === 'FIXED_LINE_OR_MOBILE';
}

function internationalPhone(written: string): string | undefined {
  // "+31 (0)6 ..." writes the trunk prefix for readers at home; it is not dialled from abroad.
  const withoutTrunk = written.replace(/\(0\)/, '');
  let digits = withoutTrunk.replace(/\D+/g, '');
  if (written.startsWith('00')) digits = digits.slice(2);
  if (digits.length < MIN_DIGITS || digits.length > 15) return undefined;
  const parsed = parsePhoneNumberFromString('+' + digits);
  return parsed?.isValid() ? parsed.number : undefined;
}

/** The context's regions in order, except that one the writing's layout points to goes first. */
function regionsToTry(context: ExtractionContext, layoutRegion: CountryCode | undefined): CountryCode[] {
  const regions: CountryCode[] = [];
  if (context.defaultRegion) regions.push(context.defaultRegion);
  for (const region of context.fallbackRegions ?? []) if (!regions.includes(region)) regions.push(region);
  if (layoutRegion !== undefined && regions.includes(layoutRegion)) {
    return [layoutRegion, ...regions.filter((r) => r !== layoutRegion)];
  }
  return regions;
}
