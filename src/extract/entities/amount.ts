// Sums of money with a currency, normalised to "CUR amount" ("EUR 25000", "GBP 3500").
// A number needs a currency sign or word, or a multiplier that is only said of money:
// "25k", "25 ruggen" (a "rug" is a thousand euros in Dutch street slang), "3 grand",
// "2 mil". Quantities ("45 stenen", "40 kilo"), scores ("3-1") and metres ("2m") are not money;
// nor are shop prices with cents ("€12,50"), which would drown the transactions we look for.

import type { EntityMention, ExtractionContext } from './types.ts';

const SPACE = '[ \\u00a0\\u202f]';
const NUMBER = `\\d{1,3}(?:([.,]|${SPACE})\\d{3})(?:\\3\\d{3})*(?:[.,]\\d{1,2})?|\\d+(?:[.,]\\d{1,2})?`;
const AMOUNT = new RegExp(
  `(?<![\\p{L}\\p{N}_.,€£$])(?:(€|£|\\$|EUR|GBP|USD)${SPACE}?)?(${NUMBER})` +
    `(?:${SPACE}?(miljoen|millions?|miljard|mil|mln|ruggen|grand|bags|ton|k|m))?` +
    `(?:${SPACE}?(€|euros?|eur|eu|quid|balles|pounds?|dollars?|£|\\$|,-))?(?![\\p{L}\\p{N}_])`,
  'giu',
);

const CURRENCY_OF: Readonly<Record<string, string>> = {
  '€': 'EUR', eur: 'EUR', euro: 'EUR', euros: 'EUR', eu: 'EUR', balles: 'EUR', ',-': 'EUR',
  '£': 'GBP', gbp: 'GBP', quid: 'GBP', pound: 'GBP', pounds: 'GBP',
  $: 'USD', usd: 'USD', dollar: 'USD', dollars: 'USD',
};

const MULTIPLIER_OF: Readonly<Record<string, number>> = {
  k: 1e3, ruggen: 1e3, grand: 1e3, bags: 1e3, ton: 1e5, m: 1e6, mil: 1e6, mln: 1e6, miljoen: 1e6, million: 1e6, millions: 1e6, miljard: 1e9,
};

/** Multipliers that say "money" on their own, and the currency they imply (undefined: the default). */
const SELF_EVIDENT: Readonly<Record<string, string | undefined>> = {
  k: undefined, ruggen: 'EUR', mil: undefined, mln: undefined, miljoen: 'EUR', millions: undefined, million: undefined, miljard: 'EUR',
  ton: 'EUR', grand: 'GBP', bags: 'GBP',
};

// "een ton" is 100,000 euros in Dutch, but "3,5 ton" is also a van's weight: only with money talk.
const MONEY_TALK = /euro|€|cash|geld|doekoe|betaal|betalen|schuld|kost|prijs|contant|overmaken|verdien/i;
const MIN_AMOUNT = 10;
const MIN_AMOUNT_WITH_CENTS = 100;

export function extractAmounts(text: string, context: ExtractionContext): EntityMention[] {
  const found: EntityMention[] = [];
  AMOUNT.lastIndex = 0;
  for (let match = AMOUNT.exec(text); match !== null; match = AMOUNT.exec(text)) {
    const [written, prefix, number = '', , multiplierWord, suffix] = match;
    const value = amountValue(prefix, number, multiplierWord, suffix, context);
    if (value === undefined) continue;
    if (multiplierWord?.toLowerCase() === 'ton' && !MONEY_TALK.test(text)) continue;
    if (multiplierWord?.toLowerCase() === 'bags' && /^\s+of\b/i.test(text.slice(match.index + written.length))) continue;
    found.push({ type: 'amount', value, start: match.index, end: match.index + written.length });
  }
  return found;
}

function amountValue(
  prefix: string | undefined, number: string, multiplierWord: string | undefined, suffix: string | undefined, context: ExtractionContext,
): string | undefined {
  const multiplier = multiplierWord?.toLowerCase();
  let currency = CURRENCY_OF[(prefix ?? suffix ?? '').toLowerCase()];
  if (currency === undefined) {
    if (multiplier === undefined || !(multiplier in SELF_EVIDENT)) return undefined;
    currency = SELF_EVIDENT[multiplier] ?? context.defaultCurrency ?? 'EUR';
  }
  const parsed = writtenNumber(number);
  if (parsed === undefined) return undefined;
  const amount = Math.round(parsed.value * (multiplier === undefined ? 1 : (MULTIPLIER_OF[multiplier] ?? 1)) * 100) / 100;
  if (amount < MIN_AMOUNT || (parsed.hasCents && multiplier === undefined && amount < MIN_AMOUNT_WITH_CENTS)) return undefined;
  return currency + ' ' + (Number.isInteger(amount) ? String(amount) : amount.toFixed(2));
}

/**
 * "25.000" and "25,000" and "25 000" are thousands; "3,5" and "12.50" have decimals. A
 * separator followed by exactly three digits groups thousands, one or two digits are decimals.
 */
function writtenNumber(number: string): { value: number; hasCents: boolean } | undefined {
  const decimals = /[.,](\d{1,2})$/.exec(number);
  const whole = (decimals ? number.slice(0, decimals.index) : number).replace(/[^\d]/g, '');
  if (whole === '') return undefined;
  const fraction = decimals?.[1] ?? '';
  return { value: Number(whole + (fraction ? '.' + fraction : '')), hasCents: fraction !== '' };
}

export function normaliseAmount(input: string, context: ExtractionContext): string | undefined {
  const trimmed = input.trim();
  const canonical = /^(EUR|GBP|USD) (\d+(?:\.\d{1,2})?)$/i.exec(trimmed);
  if (canonical) return (canonical[1] ?? '').toUpperCase() + ' ' + Number(canonical[2]);
  const found = extractAmounts(trimmed, context);
  return found.length === 1 && found[0]?.start === 0 && found[0].end === trimmed.length ? found[0].value : undefined;
}
