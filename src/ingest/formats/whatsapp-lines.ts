// The timestamp prefix that starts every WhatsApp export message, in its Android form
// ("01/04/2020, 12:34 - ") and its iOS form ("[01/04/2020, 12:34:56] "), in many locales,
// and the day/month order of a whole file. Pure functions.
import type { ExportLanguage } from './whatsapp-notices.ts';

export type Layout = 'android' | 'ios';
export type DateOrder = 'dmy' | 'mdy' | 'ymd';

/** A line that starts with a timestamp prefix: the numbers as written, and what follows. */
export type HeaderLine = {
  layout: Layout;
  /** The three date fields in the order written. */
  fields: [string, string, string];
  hour: number;
  minute: number;
  second: number;
  meridiem?: 'am' | 'pm';
  /** Everything after the prefix, marks and all. */
  rest: string;
};

// Android: "01/04/2020, 12:34 - ", "4/1/20, 1:05 PM - " (U+202F before PM in newer versions),
// "01.04.20, 12:34 - ", "27-08-2020 11:17 - ", "01/04/2020 à 12:34 - ", "1/4/20, 1:05 p. m. - ".
// iOS: "[01/04/2020, 12:34:56] ", "[4/1/20, 1:05:09 PM] ", optionally after a U+200E.
const DATE = String.raw`(?<a>\d{1,4})(?<sep>[/.\-])(?<b>\d{1,2})\k<sep>(?<c>\d{1,4})\.?`;
const GLUE = String.raw`(?:,\s?|\s)(?:à\s|um\s|om\s|a las\s)?`;
const TIME = String.raw`(?<h>\d{1,2})[:.](?<mi>\d{2})(?:[:.](?<s>\d{2}))?(?:[\s\u202f\u00a0]?(?<ampm>[AaPp]\.?\s?[Mm]\.?))?`;
const ANDROID = new RegExp(String.raw`^[\u200e\u200f\u202a-\u202e\ufeff]*${DATE}${GLUE}${TIME}\s[-–]\s(?<rest>.*)$`, 'su');
const IOS = new RegExp(String.raw`^[\u200e\u200f\u202a-\u202e\ufeff]*\[${DATE}${GLUE}${TIME}\]\s?(?<rest>.*)$`, 'su');

/** The header a line is, or undefined when it is an ordinary (continuation) line. */
export function parseHeaderLine(text: string): HeaderLine | undefined {
  let start = 0;
  while (start < text.length && isMark(text.charCodeAt(start))) start += 1;
  const c = text.charCodeAt(start);
  // most continuation lines are refused on their first character, before any regex
  const layout: Layout | undefined = c === 0x5b /* [ */ ? 'ios' : c >= 48 && c <= 57 ? 'android' : undefined;
  if (layout === undefined) return undefined;
  const match = (layout === 'ios' ? IOS : ANDROID).exec(text);
  if (!match) return undefined;
  const g = match.groups!;
  const ampm = g.ampm?.toLowerCase();
  return {
    layout,
    fields: [g.a!, g.b!, g.c!],
    hour: Number(g.h),
    minute: Number(g.mi),
    second: g.s === undefined ? 0 : Number(g.s),
    meridiem: ampm === undefined ? undefined : ampm.startsWith('p') ? 'pm' : 'am',
    rest: g.rest!,
  };
}

function isMark(c: number): boolean {
  return c === 0x200e || c === 0x200f || (c >= 0x202a && c <= 0x202e) || c === 0xfeff;
}

/** A date written year first (2020-04-01) reads the same in every locale. */
export function isYearFirst(header: HeaderLine): boolean {
  return header.fields[0].length === 4;
}

/** The local time (ISO 8601 without a zone) the header means in `order`, or undefined when impossible. */
export function localTime(header: HeaderLine, order: DateOrder): string | undefined {
  const parts = dateParts(header, order);
  if (!parts) return undefined;
  const hour = hour24(header);
  if (hour === undefined || header.minute > 59 || header.second > 59) return undefined;
  return `${pad(parts.year, 4)}-${pad(parts.month, 2)}-${pad(parts.day, 2)}T${pad(hour, 2)}:${pad(header.minute, 2)}:${pad(header.second, 2)}`;
}

/** Milliseconds since the epoch of the header read in `order` (as if UTC), NaN when impossible. */
export function epochOf(header: HeaderLine, order: DateOrder): number {
  const parts = dateParts(header, order);
  const hour = hour24(header);
  if (!parts || hour === undefined || header.minute > 59 || header.second > 59) return Number.NaN;
  return Date.UTC(parts.year, parts.month - 1, parts.day, hour, header.minute, header.second);
}

function dateParts(header: HeaderLine, order: DateOrder): { year: number; month: number; day: number } | undefined {
  const [a, b, c] = header.fields;
  let year: number, month: number, day: number;
  if (a.length === 4) [year, month, day] = [Number(a), Number(b), Number(c)];
  else if (a.length > 2 || (c.length !== 2 && c.length !== 4)) return undefined;
  else if (order === 'mdy') [month, day, year] = [Number(a), Number(b), Number(c)];
  else [day, month, year] = [Number(a), Number(b), Number(c)];
  // two-digit years: WhatsApp did not exist before 2009
  if (year < 100) year += 2000;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || year < 2000) return undefined;
  return { year, month, day };
}

function hour24(header: HeaderLine): number | undefined {
  const { hour, meridiem } = header;
  if (meridiem === undefined) return hour <= 23 ? hour : undefined;
  if (hour > 12) return undefined;
  if (meridiem === 'am') return hour === 12 ? 0 : hour;
  return hour === 12 ? 12 : hour + 12;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  const isLeap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && isLeap ? 29 : DAYS_IN_MONTH[month - 1]!;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

export type DateOrderDecision = {
  order: DateOrder;
  /** True when no date of the file proved the order and it had to be inferred. */
  isInferred: boolean;
  /** How the order was decided: a field over 12, the order of time, the locale, or the default. */
  basis: 'unambiguous-dates' | 'year-first' | 'time-order' | `locale:${ExportLanguage}` | 'default';
};

/**
 * Collects, over a whole file, what tells day-first from month-first: dates valid in one order
 * only (a field over 12), and how often time would run backwards in each order.
 */
export class DateOrderEvidence {
  dayFirstOnly = 0;
  monthFirstOnly = 0;
  yearFirst = 0;
  backwardsDayFirst = 0;
  backwardsMonthFirst = 0;
  hasTwelveHourClock = false;
  private lastDayFirst = Number.NaN;
  private lastMonthFirst = Number.NaN;

  add(header: HeaderLine): void {
    if (header.meridiem !== undefined) this.hasTwelveHourClock = true;
    if (isYearFirst(header)) {
      this.yearFirst += 1;
      return;
    }
    const dayFirst = epochOf(header, 'dmy');
    const monthFirst = epochOf(header, 'mdy');
    const isDayFirstValid = !Number.isNaN(dayFirst);
    const isMonthFirstValid = !Number.isNaN(monthFirst);
    if (isDayFirstValid && !isMonthFirstValid) this.dayFirstOnly += 1;
    if (isMonthFirstValid && !isDayFirstValid) this.monthFirstOnly += 1;
    if (isDayFirstValid) {
      if (dayFirst < this.lastDayFirst) this.backwardsDayFirst += 1;
      this.lastDayFirst = dayFirst;
    }
    if (isMonthFirstValid) {
      if (monthFirst < this.lastMonthFirst) this.backwardsMonthFirst += 1;
      this.lastMonthFirst = monthFirst;
    }
  }

  /**
   * Dates valid in one order only decide; else the order in which time runs forward more often;
   * else the locale of the export's own words (nl, de, fr, es write day first; English with a
   * 12-hour clock is taken as en-US, month first); else day first, as most of the world writes.
   */
  decide(language: ExportLanguage | undefined): DateOrderDecision {
    if (this.dayFirstOnly !== this.monthFirstOnly) {
      return { order: this.dayFirstOnly > this.monthFirstOnly ? 'dmy' : 'mdy', isInferred: false, basis: 'unambiguous-dates' };
    }
    if (this.dayFirstOnly === 0 && this.yearFirst > 0) return { order: 'ymd', isInferred: false, basis: 'year-first' };
    if (this.backwardsDayFirst !== this.backwardsMonthFirst) {
      return { order: this.backwardsDayFirst < this.backwardsMonthFirst ? 'dmy' : 'mdy', isInferred: true, basis: 'time-order' };
    }
    if (language !== undefined) {
      const order = language === 'en' && this.hasTwelveHourClock ? 'mdy' : 'dmy';
      return { order, isInferred: true, basis: `locale:${language}` };
    }
    return { order: 'dmy', isInferred: true, basis: 'default' };
  }
}
