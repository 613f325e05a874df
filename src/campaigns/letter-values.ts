// What each placeholder says for one recipient, in Dutch or English: dates written out, amounts in
// their currency, and the sentences that tell what the person did on the site. Plain text only: the
// template renderer decides how it is shown and escapes it.
import type { AmountPaid } from '../model/campaigns.ts';
import type { LetterContext, LetterLanguage, PlaceholderName } from './template.ts';

/** BCP 47 tags for number and date formats, and the PDF's language. */
export const LETTER_LOCALES = { nl: 'nl-NL', en: 'en-GB' } as const satisfies Record<LetterLanguage, string>;
const ISO_CURRENCIES: ReadonlySet<string> = new Set(Intl.supportedValuesOf('currency'));
const MAX_SEARCH_EXAMPLES = 5;
const MAX_SEARCH_EXAMPLE_LENGTH = 60;

const WORDS = {
  nl: { dear: 'Geachte', unknownName: 'heer/mevrouw', unknownSalutation: 'Geachte heer/mevrouw' },
  en: { dear: 'Dear', unknownName: 'Sir or Madam', unknownSalutation: 'Dear Sir or Madam' },
} as const satisfies Record<LetterLanguage, { dear: string; unknownName: string; unknownSalutation: string }>;

/** The text every placeholder stands for in this letter. */
export function placeholderValues(ctx: LetterContext): Record<PlaceholderName, string> {
  const locale = LETTER_LOCALES[ctx.language];
  const words = WORDS[ctx.language];
  const name = ctx.person.name?.trim() || undefined;
  const { activity } = ctx;
  return {
    name: name ?? words.unknownName,
    salutation: name ? `${words.dear} ${name}` : words.unknownSalutation,
    username: ctx.person.usernames[0] ?? '',
    usernames: ctx.person.usernames.join(', '),
    email: ctx.person.emails[0] ?? '',
    address: ctx.person.address ?? '',
    reference: ctx.reference,
    date: letterDateText(ctx),
    site: ctx.site,
    campaign: ctx.campaign,
    registered: activityDate(activity.registered, locale),
    first_active: activityDate(activity.firstActive, locale),
    last_active: activityDate(activity.lastActive, locale),
    payments: count(activity.payments, locale),
    amounts: amountsText(activity.paid, locale),
    searches: count(activity.searches, locale),
    search_examples: searchExamples(activity.searchExamples, locale),
    activity: activitySentences(ctx),
    legal_text: ctx.legalText,
  };
}

/** The letter's date as a UTC midnight; a malformed one is a caller's bug, not a template error. */
export function letterDate(date: string): Date {
  const parsed = /^\d{4}-\d{2}-\d{2}$/.test(date) ? new Date(`${date}T00:00:00Z`) : new Date(Number.NaN);
  if (Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== date) {
    throw new RangeError(`a letter date is YYYY-MM-DD, not ${JSON.stringify(date)}`);
  }
  return parsed;
}

/** The letter's date written out: "6 december 2026", "6 December 2026". */
export function letterDateText(ctx: LetterContext): string {
  return writtenDate(letterDate(ctx.date), LETTER_LOCALES[ctx.language]);
}

function writtenDate(date: Date, locale: string): string {
  return new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(date);
}

/** The day of an ISO date or time (as the site logged it, in UTC); anything else as given. */
function activityDate(value: string | undefined, locale: string): string {
  if (!value) return '';
  const day = /^\d{4}-\d{2}-\d{2}/.exec(value)?.[0];
  const date = day ? new Date(`${day}T00:00:00Z`) : undefined;
  return date && !Number.isNaN(date.getTime()) ? writtenDate(date, locale) : value;
}

function count(n: number, locale: string): string {
  return new Intl.NumberFormat(locale).format(n);
}

function listText(items: string[], locale: string): string {
  return new Intl.ListFormat(locale, { type: 'conjunction' }).format(items);
}

function amountText(paid: AmountPaid, locale: string): string {
  const code = paid.currency.trim();
  if (ISO_CURRENCIES.has(code.toUpperCase())) {
    return new Intl.NumberFormat(locale, { style: 'currency', currency: code.toUpperCase() }).format(paid.amount);
  }
  // Crypto amounts are small fractions: four decimals at least, so 0.005 BTC does not read as 0.01.
  const digits = Number.isInteger(paid.amount) ? { maximumFractionDigits: 0 } : { minimumFractionDigits: 4, maximumFractionDigits: 8 };
  return `${new Intl.NumberFormat(locale, digits).format(paid.amount)} ${code}`.trim();
}

function amountsText(paid: AmountPaid[], locale: string): string {
  return listText(paid.map((p) => amountText(p, locale)), locale);
}

function quoted(text: string): string {
  return `\u201C${text}\u201D`;
}

function searchExamples(examples: string[], locale: string): string {
  const shown = examples.map((e) => e.replace(/\s+/g, ' ').trim()).filter(Boolean).slice(0, MAX_SEARCH_EXAMPLES);
  return listText(shown.map((e) => quoted(clip(e, MAX_SEARCH_EXAMPLE_LENGTH))), locale);
}

function clip(text: string, length: number): string {
  const chars = [...text];
  return chars.length <= length ? text : `${chars.slice(0, length - 1).join('')}\u2026`;
}

/** How each language tells what a person did; `quoted*` lists are already quoted and joined. */
type ActivityPhrases = {
  account(site: string, quotedUsernames: string, usernames: number, registered: string): string;
  payments(count: string, n: number, amounts: string): string;
  searches(count: string, n: number, quotedExamples: string): string;
  period(from: string, to: string): string;
  deeds(period: string, deeds: string): string;
  active(period: string, site: string): string;
};

const ACTIVITY_PHRASES: Record<LetterLanguage, ActivityPhrases> = {
  nl: {
    account(site, names, n, registered) {
      const named = n === 0 ? '' : ` met de ${n === 1 ? 'gebruikersnaam' : 'gebruikersnamen'} ${names}`;
      return registered ? `Op ${registered} maakte u een account aan op ${site}${named}.` : `U had een account op ${site}${named}.`;
    },
    payments: (count, n, amounts) => `${n > 0 ? `${count} ${n === 1 ? 'betaling' : 'betalingen'}` : 'betalingen'}${amounts ? ` (samen ${amounts})` : ''}`,
    searches: (count, n, examples) => `${count} ${n === 1 ? 'zoekopdracht' : 'zoekopdrachten'}${examples ? `, onder meer naar ${examples}` : ''}`,
    period: (from, to) => (from && to ? (from === to ? `op ${from}` : `tussen ${from} en ${to}`) : from ? `vanaf ${from}` : to ? `tot en met ${to}` : ''),
    deeds: (period, deeds) => (period ? `${capitalised(period)} deed u ${deeds}.` : `U deed ${deeds}.`),
    active: (period, site) => `U was ${period} actief op ${site}.`,
  },
  en: {
    account(site, names, n, registered) {
      const named = n === 0 ? '' : ` with the ${n === 1 ? 'username' : 'usernames'} ${names}`;
      return registered ? `On ${registered} you created an account on ${site}${named}.` : `You had an account on ${site}${named}.`;
    },
    payments: (count, n, amounts) => `${n > 0 ? `${count} ${n === 1 ? 'payment' : 'payments'}` : 'payments'}${amounts ? ` (totalling ${amounts})` : ''}`,
    searches: (count, n, examples) => `${count} ${n === 1 ? 'search' : 'searches'}${examples ? `, including ${examples}` : ''}`,
    period: (from, to) => (from && to ? (from === to ? `on ${from}` : `between ${from} and ${to}`) : from ? `from ${from}` : to ? `up to ${to}` : ''),
    deeds: (period, deeds) => (period ? `${capitalised(period)} you made ${deeds}.` : `You made ${deeds}.`),
    active: (period, site) => `You were active on ${site} ${period}.`,
  },
};

/** One or two sentences: the account, then what was paid and searched in which period (only what applies). */
function activitySentences(ctx: LetterContext): string {
  const locale = LETTER_LOCALES[ctx.language];
  const phrases = ACTIVITY_PHRASES[ctx.language];
  const { activity: a, person, site } = ctx;
  const account = phrases.account(site, listText(person.usernames.map(quoted), locale), person.usernames.length, activityDate(a.registered, locale));
  const deeds: string[] = [];
  if (a.payments > 0 || a.paid.length > 0) deeds.push(phrases.payments(count(a.payments, locale), a.payments, amountsText(a.paid, locale)));
  if (a.searches > 0) deeds.push(phrases.searches(count(a.searches, locale), a.searches, searchExamples(a.searchExamples, locale)));
  const period = phrases.period(activityDate(a.firstActive, locale), activityDate(a.lastActive, locale));
  const done = deeds.length > 0 ? phrases.deeds(period, listText(deeds, locale)) : period ? phrases.active(period, site) : '';
  return done ? `${account} ${done}` : account;
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The closing lines under a letter or an e-mail: who signs, for which unit and organisation. */
export function signatureLines(sender: LetterContext['sender']): string[] {
  return [sender.signatory, sender.unit, sender.organisation].map((line) => line?.trim() ?? '').filter(Boolean);
}
