// Have I Been Pwned's k-anonymity range API: a client sends the first 5 hex characters of a
// password hash and gets every suffix we hold under that prefix, so we never learn which
// password it checks. Answers are byte-compatible with api.pwnedpasswords.com, so password
// managers and libraries work against Lode by changing only the base address.
import { RANGE_MODES, type RangeMode } from '../model/breachcheck.ts';
import { secureRandomBelow, type RandomBelow } from './random.ts';

export const PREFIX_LENGTH = 5;
const PREFIX = /^[0-9a-f]{5}$/i;
const HASH_LENGTHS: Record<RangeMode, number> = { sha1: 40, ntlm: 32 };

/**
 * Padding as Have I Been Pwned documents it for `Add-Padding: true` (Cloudflare, "Pwned
 * Passwords Padding", 2020): padded "to a minimum of 800 entries with additional padding of a
 * further 0-200 entries", the padding being random suffixes with count 0. A prefix holding 800
 * rows or fewer therefore answers with 800 to 1,000 rows whatever it holds.
 */
export const PADDING_MIN_ROWS = 800;
export const PADDING_EXTRA_ROWS = 200;

export type RangeRow = { suffix: string; count: number };

export type RangeFormatOptions = {
  mode: RangeMode;
  padding: boolean;
  /** Source of the padding; secure by default, seeded in tests. */
  random?: RandomBelow;
};

/** The prefix of `/range/{prefix}` as an integer 0..0xFFFFF; undefined unless exactly 5 hex characters. */
export function parseRangePrefix(text: string): number | undefined {
  return PREFIX.test(text) ? Number.parseInt(text, 16) : undefined;
}

/** A prefix as the API and the hash files write it: 5 upper-case hex characters. */
export function rangePrefixText(prefix: number): string {
  return prefix.toString(16).toUpperCase().padStart(PREFIX_LENGTH, '0');
}

/** `?mode=`: absent means SHA-1 as at Have I Been Pwned; an unknown mode is undefined (a 400, not a silent SHA-1). */
export function parseRangeMode(text: string | undefined): RangeMode | undefined {
  if (text === undefined) return 'sha1';
  const mode = text.toLowerCase();
  return RANGE_MODES.find((m) => m === mode);
}

/** Hex characters of a full hash of the mode. */
export function hashLength(mode: RangeMode): number {
  return HASH_LENGTHS[mode];
}

/** Where a full hex hash sits in the range API: its prefix and its upper-case suffix; undefined when it is not a hash of the mode. */
export function rangeKey(mode: RangeMode, hash: string): { prefix: number; suffix: string } | undefined {
  if (hash.length !== hashLength(mode) || !/^[0-9a-f]+$/i.test(hash)) return undefined;
  return { prefix: Number.parseInt(hash.slice(0, PREFIX_LENGTH), 16), suffix: hash.slice(PREFIX_LENGTH).toUpperCase() };
}

/**
 * The body of a range answer: upper-case `SUFFIX:COUNT` lines sorted by suffix, joined by CRLF
 * without a trailing one (some clients split on `\r\n` only, others on `\n` and parse the count
 * with a stray `\r`; both read this). With padding, count-0 rows with random suffixes are sorted
 * in among the real ones, so neither the size nor the position of a row tells padding apart.
 */
export function formatRange(rows: readonly RangeRow[], options: RangeFormatOptions): string {
  const suffixLength = hashLength(options.mode) - PREFIX_LENGTH;
  const counts = new Map<string, number>();
  for (const row of rows) {
    const suffix = row.suffix.toUpperCase();
    if (suffix.length !== suffixLength || !HEX.test(suffix)) throw new Error(`not a ${options.mode} suffix: ${row.suffix}`);
    if (!Number.isSafeInteger(row.count) || row.count < 0) throw new Error(`not a count: ${row.count}`);
    counts.set(suffix, (counts.get(suffix) ?? 0) + row.count);
  }
  const lines: string[] = [];
  for (const [suffix, count] of counts) lines.push(`${suffix}:${count}`);
  if (options.padding) {
    const random = options.random ?? secureRandomBelow;
    const total = Math.max(counts.size, PADDING_MIN_ROWS) + random(PADDING_EXTRA_ROWS + 1);
    const padding = new Set<string>();
    while (counts.size + padding.size < total) {
      for (const suffix of randomSuffixes(total - counts.size - padding.size, suffixLength, random)) {
        // a collision with a real suffix would turn its count to 0: a false "not found"
        if (!counts.has(suffix)) padding.add(suffix);
      }
    }
    for (const suffix of padding) lines.push(`${suffix}:0`);
  }
  // suffixes have one length and ':' sorts after every hex digit: sorting lines sorts suffixes
  return lines.sort().join('\r\n');
}

const HEX = /^[0-9A-F]+$/;
const BYTES_PER_DRAW = 6;
const DRAW = 2 ** (8 * BYTES_PER_DRAW);

/**
 * `n` random upper-case hex suffixes: the bytes of all of them drawn 48 bits at a time into one
 * buffer and written out as hex at once (a padded answer needs some 900; per-character or
 * per-number string conversion was most of its cost).
 */
function randomSuffixes(n: number, length: number, random: RandomBelow): string[] {
  const bytesEach = Math.ceil(length / 2);
  const bytes = Buffer.alloc(Math.ceil((n * bytesEach) / BYTES_PER_DRAW) * BYTES_PER_DRAW);
  for (let at = 0; at < bytes.length; at += BYTES_PER_DRAW) bytes.writeUIntBE(random(DRAW), at, BYTES_PER_DRAW);
  const hex = bytes.toString('hex').toUpperCase();
  return Array.from({ length: n }, (_, i) => hex.slice(i * bytesEach * 2, i * bytesEach * 2 + length));
}
