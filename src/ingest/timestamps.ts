// Times in sources are ISO 8601 strings; the store orders by epoch milliseconds.

const ISO = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;
/** The form nearly every record uses; Date.parse reads it exactly as it is. */
const CANONICAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{3})?Z$/;

export function isIsoTimestamp(value: string): boolean {
  return Number.isFinite(isoToEpochMs(value));
}

/** Epoch milliseconds (NaN when not an ISO time); no zone is read as UTC (flagged by the caller). */
export function isoToEpochMs(value: string): number {
  if (CANONICAL.test(value)) return Date.parse(value);
  if (!ISO.test(value)) return Number.NaN;
  return Date.parse(normaliseIso(value));
}

export function hasExplicitZone(value: string): boolean {
  return /(?:Z|[+-]\d{2}:?\d{2})$/.test(value) || /^\d{4}-\d{2}-\d{2}$/.test(value);
}

function normaliseIso(value: string): string {
  let v = value.replace(' ', 'T');
  // JavaScript only takes up to milliseconds
  v = v.replace(/(\.\d{3})\d+/, '$1');
  if (/T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(v)) v += 'Z';
  if (/[+-]\d{4}$/.test(v)) v = `${v.slice(0, -2)}:${v.slice(-2)}`;
  return v;
}

export type DateOrder = 'dmy' | 'mdy' | 'ymd';

/**
 * Reads the many ways spreadsheets and exports write a time: ISO, "01-04-2020 12:34",
 * "4/1/2020 12:34 PM", epoch seconds or milliseconds. Returns ISO 8601 (UTC when no zone is
 * given) or undefined when the value is not a time.
 */
export function parseLooseTimestamp(value: string, order: DateOrder = 'dmy'): string | undefined {
  const v = value.trim();
  if (v === '') return undefined;
  if (/^\d{9,13}$/.test(v)) {
    const n = Number(v);
    return new Date(v.length >= 12 ? n : n * 1000).toISOString();
  }
  if (isIsoTimestamp(v)) return v;
  const m = /^(\d{1,4})[-/.](\d{1,2})[-/.](\d{1,4})(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?)?$/.exec(v);
  if (!m) return undefined;
  const [a, b, c] = [Number(m[1]), Number(m[2]), Number(m[3])];
  let year: number, month: number, day: number;
  if (m[1]!.length === 4) [year, month, day] = [a, b, c];
  else if (order === 'mdy') [month, day, year] = [a, b, c];
  else [day, month, year] = [a, b, c];
  if (year < 100) year += 2000;
  let hour = Number(m[4] ?? 0);
  const minute = Number(m[5] ?? 0);
  const second = Number(m[6] ?? 0);
  const meridiem = m[7]?.toLowerCase();
  if (meridiem === 'pm' && hour < 12) hour += 12;
  if (meridiem === 'am' && hour === 12) hour = 0;
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  const date = new Date(ms);
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) return undefined;
  return date.toISOString().replace('.000Z', '');
}
