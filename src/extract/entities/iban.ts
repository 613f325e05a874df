// Bank accounts: IBANs (MOD-97 and the country's BBAN format, via ibantools) and BICs.
// A BIC is eight or eleven letters and digits, the shape of many upper-case words
// ("POLITIEK" has a valid country code in IE), so it is taken only in a banking context.

import { getCountrySpecifications, isValidBIC, isValidIBAN } from 'ibantools';
import { isTokenCharacter } from './boundaries.ts';
import type { EntityMention } from './types.ts';

/** Country letters and check digits, then up to 32 characters with single spaces between. */
const IBAN_CANDIDATE = /(?<![\p{L}\p{N}_])[A-Za-z]{2}\d{2}(?: ?[A-Za-z0-9]){8,32}/gu;
const BIC_CANDIDATE = /(?<![\p{L}\p{N}_])[A-Za-z]{6}[A-Za-z0-9]{2}(?:[A-Za-z0-9]{3})?(?![\p{L}\p{N}_])/gu;
// Chat stretches letters ("biiic", "swiftt"), so the labels allow repeats.
const BIC_LABEL = /\b(?:b+i+c+|s+w+i+f+t+)\b/i;
/** "bic: abnanl2a", "swift code is ABNANL2A": the label within the same clause, just before. */
const BIC_LABEL_BEFORE = /\b(?:b+i+c+|s+w+i+f+t+)\b[^.,;\n]*$/i;

const IBAN_LENGTHS: ReadonlyMap<string, number> = (() => {
  const lengths = new Map<string, number>();
  for (const [country, spec] of Object.entries(getCountrySpecifications())) {
    if (spec.chars) lengths.set(country, spec.chars);
  }
  return lengths;
})();

export function extractIbans(text: string): EntityMention[] {
  const found: EntityMention[] = [];
  IBAN_CANDIDATE.lastIndex = 0;
  for (let match = IBAN_CANDIDATE.exec(text); match !== null; match = IBAN_CANDIDATE.exec(text)) {
    const mention = ibanAt(text, match.index, match[0]);
    if (mention) {
      found.push(mention);
      IBAN_CANDIDATE.lastIndex = mention.end;
    } else {
      // the greedy run may have swallowed the start of a real IBAN ("ref NL91...")
      IBAN_CANDIDATE.lastIndex = match.index + 1;
    }
  }
  return found;
}

/** Cuts the candidate to its country's IBAN length, so a following word is not swallowed. */
function ibanAt(text: string, start: number, candidate: string): EntityMention | undefined {
  const length = IBAN_LENGTHS.get(candidate.slice(0, 2).toUpperCase());
  if (length === undefined) return undefined;
  let compact = '';
  let i = 0;
  while (i < candidate.length && compact.length < length) {
    const c = candidate[i] ?? '';
    if (c !== ' ') compact += c;
    i++;
  }
  const end = start + i;
  if (compact.length < length || isTokenCharacter(text[end])) return undefined;
  if (!isConsistentlyCased(compact)) return undefined;
  const value = compact.toUpperCase();
  return isValidIBAN(value) ? { type: 'iban', value, start, end } : undefined;
}

/** "NL91abna..." mixes cases as no one types an account number; "nl91abna..." is fine. */
function isConsistentlyCased(compact: string): boolean {
  return compact === compact.toUpperCase() || compact === compact.toLowerCase();
}

export function normaliseIban(input: string): string | undefined {
  const compact = input.replace(/[\s-]+/g, '').toUpperCase();
  return isValidIBAN(compact) ? compact : undefined;
}

/**
 * BICs with evidence that they are one: a "bic"/"swift" label just before, or an IBAN of the same
 * country in the text. Shape alone is not enough: shouted words ("ALSJEBLIEFT": JE is Jersey)
 * and lower-case words ("rekening": NI is Nicaragua) pass the format and country checks.
 */
export function extractBics(text: string, ibans: readonly EntityMention[]): EntityMention[] {
  if (ibans.length === 0 && !BIC_LABEL.test(text)) return [];
  const found: EntityMention[] = [];
  BIC_CANDIDATE.lastIndex = 0;
  for (let match = BIC_CANDIDATE.exec(text); match !== null; match = BIC_CANDIDATE.exec(text)) {
    const value = normaliseBic(match[0]);
    if (value === undefined) continue;
    const country = value.slice(4, 6);
    const isLabelled = BIC_LABEL_BEFORE.test(text.slice(Math.max(0, match.index - 20), match.index));
    // lower-case words are too common ("autobedrijf" holds BE) to count on the IBAN's country alone
    const isUpperCase = match[0] === value;
    if (isLabelled || (isUpperCase && ibans.some((iban) => iban.value.startsWith(country)))) {
      found.push({ type: 'bic', value, start: match.index, end: match.index + match[0].length });
    }
  }
  return found;
}

export function normaliseBic(input: string): string | undefined {
  const written = input.trim();
  if (!isConsistentlyCased(written)) return undefined;
  const value = written.toUpperCase();
  // The location code's second character 0 marks test BICs, never used for payments.
  if (!/^[A-Z]{6}[A-Z0-9]{2}(?:[A-Z0-9]{3})?$/.test(value) || value[7] === '0') return undefined;
  return isValidBIC(value) ? value : undefined;
}
