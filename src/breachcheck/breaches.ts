// What the public service says about a published dataset, in Have I Been Pwned's v3 breach
// model so existing HIBP clients and dashboards read it unchanged.
import { z } from 'zod';
import { HIBP_DATA_CLASSES, type PublicBreach } from '../model/breachcheck.ts';
import { hasLink } from './notice.ts';

/** How an administrator describes a dataset for publication. */
export type BreachMeta = {
  /** HIBP-style Name: 1-64 ASCII letters and digits, unique without regard to case. */
  name: string;
  /** Shown on the public page and in the check mail. */
  title: string;
  domain?: string;
  /** YYYY-MM-DD: when the data was taken or the site seized. */
  breachDate: string;
  /** Plain text; published HTML-escaped. */
  description?: string;
  /** HIBP's IsSensitive: HIBP leaves a sensitive breach out of public answers by address. */
  sensitive?: boolean;
  /** The Lode dataset the published identifiers came from (never shown publicly). */
  dataset: string;
};

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const HOSTNAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const CONTROL = /\p{Cc}/u;

const text = (field: string, max: number) => z.string({ error: (issue) => (issue.input === undefined ? `${field} is required` : `${field} must be text`) })
  .max(max, `${field} is at most ${max} characters`);

export const BREACH_META_SCHEMA = z.strictObject({
  name: text('name', 64).regex(/^[A-Za-z0-9]{1,64}$/, 'name must be 1 to 64 letters and digits (A-Z, a-z, 0-9), as Have I Been Pwned names a breach'),
  title: text('title', 200).trim().min(1, 'title must not be empty')
    .refine((t) => !CONTROL.test(t), 'title must be one line without control characters')
    .refine((t) => !hasLink(t), 'title is shown in the check mail, which carries no links: write the name without a web or mail address (e.g. "Shop" rather than "shop.nl")'),
  domain: text('domain', 253).toLowerCase().regex(HOSTNAME, 'domain must be a host name such as example.com').optional(),
  breachDate: text('breachDate', 10).regex(DATE, 'breachDate must be a date written YYYY-MM-DD').refine(isCalendarDate, 'breachDate must be a real calendar date'),
  description: text('description', 4000).optional(),
  sensitive: z.boolean({ error: 'sensitive must be true or false' }).optional(),
  dataset: text('dataset', 200).min(1, 'dataset must not be empty'),
}, { error: (issue) => (issue.code === 'unrecognized_keys' ? `unknown field${issue.keys.length > 1 ? 's' : ''}: ${issue.keys.join(', ')}` : 'breach metadata must be an object') });

/** Narrows untrusted metadata (a CLI file, an API body); every problem is a sentence naming its field. */
export function validateBreachMeta(value: unknown): { ok: true; meta: BreachMeta } | { ok: false; problems: string[] } {
  const parsed = BREACH_META_SCHEMA.safeParse(value);
  if (parsed.success) {
    const { domain, description, sensitive, ...required } = parsed.data;
    return { ok: true, meta: { ...required, ...(domain !== undefined && { domain }), ...(description !== undefined && { description }), ...(sensitive !== undefined && { sensitive }) } };
  }
  return { ok: false, problems: parsed.error.issues.map((issue) => issue.message) };
}

/**
 * A Lode data class (`password-hash`) as Have I Been Pwned names it (`Passwords`); a class HIBP
 * has no name for in a readable form (`crypto-wallet` → `Crypto wallet`). An HIBP name passes
 * through unchanged, so the function may be applied twice.
 */
export function hibpDataClass(lodeClass: string): string {
  const trimmed = lodeClass.trim();
  const known = HIBP_DATA_CLASSES[trimmed.toLowerCase()];
  if (known) return known;
  const words = trimmed.replace(/[-_\s]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** HIBP names of Lode data classes, deduplicated and sorted as HIBP lists them. */
export function hibpDataClasses(lodeClasses: Iterable<string>): string[] {
  const names = new Set<string>();
  for (const lodeClass of lodeClasses) {
    const name = hibpDataClass(lodeClass);
    if (name) names.add(name);
  }
  return [...names].sort(compareText);
}

/** A published dataset in HIBP's breach model. Dates are ISO 8601 without milliseconds, as HIBP writes them. */
export function publicBreach(meta: BreachMeta, counts: { pwnCount: number; dataClasses: string[] }, modifiedAt: string, addedAt: string = modifiedAt): PublicBreach {
  return {
    Name: meta.name,
    Title: meta.title,
    Domain: meta.domain ?? '',
    BreachDate: meta.breachDate,
    AddedDate: hibpTimestamp(addedAt),
    ModifiedDate: hibpTimestamp(modifiedAt),
    PwnCount: counts.pwnCount,
    Description: escapeHtml(meta.description ?? ''),
    LogoPath: '',
    DataClasses: hibpDataClasses(counts.dataClasses),
    IsVerified: true,
    IsFabricated: false,
    IsSensitive: meta.sensitive ?? false,
    IsRetired: false,
    IsSpamList: false,
    IsMalware: false,
    IsSubscriptionFree: false,
    IsStealerLog: false,
  };
}

/** Every data class of the given breaches, sorted (`/api/v3/dataclasses`). */
export function allDataClasses(breaches: readonly PublicBreach[]): string[] {
  return [...new Set(breaches.flatMap((b) => b.DataClasses))].sort(compareText);
}

/** Case-insensitive by code unit rather than by locale, so the order does not depend on the server's ICU data. */
function compareText(a: string, b: string): number {
  const [x, y] = [a.toLowerCase(), b.toLowerCase()];
  if (x !== y) return x < y ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

function hibpTimestamp(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`not a timestamp: ${iso}`);
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function isCalendarDate(date: string): boolean {
  const ms = Date.parse(`${date}T00:00:00Z`);
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === date;
}

function escapeHtml(plain: string): string {
  return plain.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
