// What a person did on a seized site, from the events of their accounts: payments and the sums
// paid per currency, searches and a few of their terms, first and last activity. A letter
// tells the person this, so it must be exactly what the site recorded.
import type { AmountPaid, RecipientActivity } from '../model/campaigns.ts';
import type { SiteAccount } from '../store/store.ts';

export const DEFAULT_PAYMENT_TYPES = ['payment'] as const;
export const DEFAULT_SEARCH_TYPES = ['search'] as const;
const SEARCH_EXAMPLES = 5;
const AMOUNT_FIELDS = ['amount', 'price', 'total', 'sum', 'value', 'paid', 'amount_paid'];
const CURRENCY_FIELDS = ['currency', 'cur', 'coin', 'currency_code'];
const QUERY_FIELDS = ['query', 'q', 'search', 'term', 'keyword', 'keywords', 'search_term'];
/** A sum in a dump: "12.50", "12,50", "1,234.56" (a comma before three digits at the end is a thousands separator). */
const NUMBER = /^-?\d{1,3}(?:[,.]?\d{3})*(?:[.,]\d+)?$|^-?\d+(?:[.,]\d+)?$/;

export type ActivityOptions = { paymentTypes?: readonly string[]; searchTypes?: readonly string[] };

export function activityOf(events: SiteAccount['events'], registered: string | undefined, options: ActivityOptions = {}): RecipientActivity {
  const paymentTypes = new Set(options.paymentTypes ?? DEFAULT_PAYMENT_TYPES);
  const searchTypes = new Set(options.searchTypes ?? DEFAULT_SEARCH_TYPES);
  const paid = new Map<string, number>();
  const examples: string[] = [];
  const eventTypes: Record<string, number> = {};
  let payments = 0;
  let searches = 0;
  let first: number | undefined;
  let last: number | undefined;
  for (const event of events) {
    eventTypes[event.type] = (eventTypes[event.type] ?? 0) + 1;
    if (event.tsMs !== undefined) {
      first = first === undefined ? event.tsMs : Math.min(first, event.tsMs);
      last = last === undefined ? event.tsMs : Math.max(last, event.tsMs);
    }
    if (paymentTypes.has(event.type)) {
      payments += 1;
      const amount = fieldNumber(event.fields, AMOUNT_FIELDS);
      if (amount !== undefined) {
        const currency = (fieldText(event.fields, CURRENCY_FIELDS) ?? '').toUpperCase();
        paid.set(currency, (paid.get(currency) ?? 0) + amount);
      }
    } else if (searchTypes.has(event.type)) {
      searches += 1;
      const term = fieldText(event.fields, QUERY_FIELDS);
      if (term !== undefined && examples.length < SEARCH_EXAMPLES && !examples.includes(term)) examples.push(term);
    }
  }
  return {
    registered,
    firstActive: first === undefined ? undefined : new Date(first).toISOString(),
    lastActive: last === undefined ? undefined : new Date(last).toISOString(),
    payments,
    paid: [...paid].map(([currency, amount]) => ({ currency, amount: round(amount) })).sort((a, b) => a.currency.localeCompare(b.currency)),
    searches,
    searchExamples: examples,
    events: events.length,
    eventTypes,
  };
}

/** Two people's activity as one (accounts of one person). */
export function mergeActivity(a: RecipientActivity, b: RecipientActivity): RecipientActivity {
  const paid = new Map<string, number>();
  for (const p of [...a.paid, ...b.paid]) paid.set(p.currency, (paid.get(p.currency) ?? 0) + p.amount);
  const eventTypes = { ...a.eventTypes };
  for (const [type, n] of Object.entries(b.eventTypes)) eventTypes[type] = (eventTypes[type] ?? 0) + n;
  return {
    registered: earliest(a.registered, b.registered),
    firstActive: earliest(a.firstActive, b.firstActive),
    lastActive: [a.lastActive, b.lastActive].filter((t) => t !== undefined).sort().at(-1),
    payments: a.payments + b.payments,
    paid: [...paid].map(([currency, amount]): AmountPaid => ({ currency, amount: round(amount) })).sort((x, y) => x.currency.localeCompare(y.currency)),
    searches: a.searches + b.searches,
    searchExamples: [...new Set([...a.searchExamples, ...b.searchExamples])].slice(0, SEARCH_EXAMPLES),
    events: a.events + b.events,
    eventTypes,
  };
}

function earliest(a: string | undefined, b: string | undefined): string | undefined {
  return [a, b].filter((t) => t !== undefined).sort()[0];
}

// sums of crypto currencies have eight decimals; more is float noise
function round(amount: number): number {
  return Math.round(amount * 1e8) / 1e8;
}

function fieldText(fields: Record<string, unknown>, names: readonly string[]): string | undefined {
  for (const [key, value] of Object.entries(fields)) {
    if (!names.includes(key.toLowerCase())) continue;
    if ((typeof value === 'string' && value.trim() !== '') || typeof value === 'number') return String(value).trim();
  }
  return undefined;
}

function fieldNumber(fields: Record<string, unknown>, names: readonly string[]): number | undefined {
  const text = fieldText(fields, names);
  if (text === undefined || !NUMBER.test(text)) return undefined;
  return parseAmount(text);
}

/** "1.234,56" and "1,234.56" and "12,5": the last separator followed by other than three digits is the decimal one. */
export function parseAmount(text: string): number | undefined {
  const lastSeparator = Math.max(text.lastIndexOf('.'), text.lastIndexOf(','));
  const decimals = lastSeparator === -1 ? 0 : text.length - lastSeparator - 1;
  const hasBoth = text.includes('.') && text.includes(',');
  const isOnlyPoint = (text.match(/[.,]/g) ?? []).length === 1 && text[lastSeparator] === '.';
  const isDecimal = lastSeparator !== -1 && (decimals !== 3 || hasBoth || isOnlyPoint);
  const integer = (isDecimal ? text.slice(0, lastSeparator) : text).replace(/[.,]/g, '');
  const value = Number(isDecimal ? `${integer}.${text.slice(lastSeparator + 1)}` : integer);
  return Number.isFinite(value) ? value : undefined;
}
