// Licence plates of the countries our cases touch most. Values are "CC:GROUPS-WITH-DASHES".
// A plate is three groups of letters and digits; the pattern of group kinds and lengths (the
// Dutch "sidecode") says which country it can be, and letter restrictions weed out words:
// Dutch plates have no vowels (nor C, Q, W) since sidecode 4, so "OM-12-EN" is no plate.
// Dashes may be written in any case; spaces or no separator only in upper case, since
// "om 12 uur" is ordinary lower-case text.

import type { EntityMention } from './types.ts';

const NL_LETTERS = /^[BDFGHJKLNPRSTVXZ]+$/;
// French SIV plates skip I, O and U (confusable with 1, 0 and V).
const FR_LETTERS = /^[A-HJ-NP-TV-Z]+$/;
const BE_LETTERS = /^[A-Z]+$/;

/** Dutch sidecodes 1-14 as group kinds: L letters, D digits. */
const NL_SIDECODES = new Set([
  'LL-DD-DD', 'DD-DD-LL', 'DD-LL-DD', 'LL-DD-LL', 'LL-LL-DD', 'DD-LL-LL', 'DD-LLL-D',
  'D-LLL-DD', 'LL-DDD-L', 'L-DDD-LL', 'LLL-DD-L', 'L-DD-LLL', 'D-LL-DDD', 'DDD-LL-D',
]);

const THREE_GROUPS = /(?<![\p{L}\p{N}_-])([A-Za-z0-9]{1,3})([- ]?)([A-Za-z0-9]{2,3})\2([A-Za-z0-9]{1,3})(?![\p{L}\p{N}_]|-[A-Za-z0-9])/gu;
// Kreis codes (Unterscheidungszeichen): the big cities and the border districts near NL/BE.
const DE_DISTRICTS = 'B|M|HH|K|D|F|S|HB|H|N|L|E|DU|DO|BO|GE|OB|MH|KR|MG|NE|AC|DN|HS|VIE|KLE|WES|BOR|COE|ST|EMS|LER|NOH|MS|BOT|RE|GEL|EN|W|SG|HA|BI|OS|OL|HD|KA|MA|DA|WI|MZ|KO|BN|SU|GL|LEV|ME|UN|HAM|DD|HAL|EF|WOB|BS|HI|GÖ|KS|FR|FN|UL|A|R|RO|PA|LA|IN|WÜ|ER|FÜ|BA|BT|HO|TR|SB|KL|LU|PF|TÜ|RT|ES|GP|WN|LB|HN';
const DE_PLATE = new RegExp(`(?<![\\p{L}\\p{N}_-])(${DE_DISTRICTS})[- ]([A-Z]{1,2})[- ]([1-9]\\d{0,3})(?![\\p{L}\\p{N}_]|-\\d)`, 'gu');
const GB_PLATE = /(?<![\p{L}\p{N}_-])([A-HJ-PR-Z]{2}\d{2}) ?([A-HJ-PR-Z]{3})(?![\p{L}\p{N}_])/gu;

export function extractPlates(text: string): EntityMention[] {
  const found: EntityMention[] = [];
  DE_PLATE.lastIndex = 0;
  for (let match = DE_PLATE.exec(text); match !== null; match = DE_PLATE.exec(text)) {
    found.push({ type: 'plate', value: `DE:${match[1]}-${match[2]}-${match[3]}`, start: match.index, end: match.index + match[0].length });
  }
  const germanCount = found.length;
  THREE_GROUPS.lastIndex = 0;
  for (let match = THREE_GROUPS.exec(text); match !== null; match = THREE_GROUPS.exec(text)) {
    // "HH GN 29" is Hamburg: Germans write spaces, the Dutch dashes (old sidecode 5 has the same shape)
    if (found.slice(0, germanCount).some((m) => m.start === match.index)) continue;
    const value = plateOfGroups(match[1] ?? '', match[2] ?? '', match[3] ?? '', match[4] ?? '');
    if (value !== undefined) found.push({ type: 'plate', value, start: match.index, end: match.index + match[0].length });
    // a rejected run may hide a plate that starts inside it ("OM 12-BDF-3")
    else THREE_GROUPS.lastIndex = match.index + 1;
  }
  for (const token of text.matchAll(COMPACT)) {
    const value = compactPlate(token[0]);
    if (value !== undefined) found.push({ type: 'plate', value, start: token.index, end: token.index + token[0].length });
  }
  GB_PLATE.lastIndex = 0;
  for (let match = GB_PLATE.exec(text); match !== null; match = GB_PLATE.exec(text)) {
    found.push({ type: 'plate', value: `GB:${match[1]}-${match[2]}`, start: match.index, end: match.index + match[0].length });
  }
  return found;
}

/** Six upper-case letters and digits in three runs, as Dutch plates are often typed: "12BDF3". */
const COMPACT = /(?<![\p{L}\p{N}_-])[A-Z0-9]{6}(?![\p{L}\p{N}_-])/gu;

function compactPlate(token: string): string | undefined {
  const runs = token.match(/[A-Z]+|\d+/g) ?? [];
  if (runs.length !== 3) return undefined;
  return plateOfGroups(runs[0] ?? '', '-', runs[1] ?? '', runs[2] ?? '');
}

function plateOfGroups(a: string, separator: string, b: string, c: string): string | undefined {
  const written = a + b + c;
  const upper = written.toUpperCase();
  if (written !== upper && (separator !== '-' || written !== written.toLowerCase())) return undefined;
  const groups = [a.toUpperCase(), b.toUpperCase(), c.toUpperCase()];
  const shape = groups.map(kindOf).join('-');
  if (shape.includes('?')) return undefined;
  const letters = upper.replace(/\d/g, '');
  const joined = groups.join('-');
  if (NL_SIDECODES.has(shape) && NL_LETTERS.test(letters)) return 'NL:' + joined;
  if (shape === 'D-LLL-DDD' && BE_LETTERS.test(letters) && groups[0] !== '0') return 'BE:' + joined;
  if (shape === 'LL-DDD-LL' && FR_LETTERS.test(letters) && groups[1] !== '000') return 'FR:' + joined;
  return undefined;
}

/** "LL" for a group of two letters, "DDD" for three digits, "?" for a mix. */
function kindOf(group: string): string {
  if (/^\d+$/.test(group)) return 'D'.repeat(group.length);
  if (/^[A-Z]+$/.test(group)) return 'L'.repeat(group.length);
  return '?';
}

export function normalisePlate(input: string): string | undefined {
  const trimmed = input.trim();
  const prefixed = /^(NL|BE|FR|DE|GB):(.+)$/i.exec(trimmed);
  const body = prefixed ? (prefixed[2] ?? '') : trimmed;
  const found = extractPlates(body.toUpperCase());
  const whole = found.find((m) => m.start === 0 && m.end === body.length);
  if (!whole) return undefined;
  if (prefixed && !whole.value.startsWith((prefixed[1] ?? '').toUpperCase() + ':')) return undefined;
  return whole.value;
}
