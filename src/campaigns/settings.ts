// What an officer gives a campaign besides its selection: the sender (letterhead, signature) as
// a JSON file, the legal text as a file, and the criteria as options; checked here so the CLI and
// the API refuse the same mistakes with the same words.
import { z } from 'zod';
import type { CampaignCriteria, CampaignSender } from '../model/campaigns.ts';

export class CampaignInputError extends Error {}

const SenderSchema = z.object({
  organisation: z.string().min(1).max(200),
  unit: z.string().max(200).optional(),
  address: z.string().max(500).optional(),
  phone: z.string().max(60).optional(),
  email: z.string().max(200).optional(),
  signatory: z.string().max(200).optional(),
}).strict();

export function parseSender(value: unknown, origin: string): CampaignSender {
  const parsed = SenderSchema.safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`).join('; ');
    throw new CampaignInputError(`${origin}: the sender must be {"organisation", "unit"?, "address"?, "phone"?, "email"?, "signatory"?}: ${issues}`);
  }
  return parsed.data;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export function checkDay(value: string, option: string): string {
  if (!DAY.test(value) || !Number.isFinite(Date.parse(`${value}T00:00:00Z`))) throw new CampaignInputError(`${option} must be a day YYYY-MM-DD, got "${value}"`);
  return value;
}

/** Country codes from "NL", "nl,be" or several options. */
export function parseCountries(values: readonly string[]): string[] {
  const codes = values.flatMap((v) => v.split(',')).map((c) => c.trim().toUpperCase()).filter((c) => c !== '');
  for (const code of codes) if (!/^[A-Z]{2}$/.test(code)) throw new CampaignInputError(`a country is an ISO 3166 code of two letters (NL, BE, DE), not "${code}"`);
  if (codes.length === 0) throw new CampaignInputError('a campaign needs at least one country (--country NL)');
  return [...new Set(codes)];
}

/** The criteria as stored: days become the ISO times activity is compared with. */
export function criteriaFrom(input: {
  dataset: string; countries: readonly string[]; paid?: boolean; minPayments?: number; minSearches?: number; minEvents?: number; minEvidence?: number;
  activeFrom?: string; activeTo?: string;
}): CampaignCriteria {
  const from = input.activeFrom === undefined ? undefined : `${checkDay(input.activeFrom, 'the start of the period')}T00:00:00.000Z`;
  const to = input.activeTo === undefined ? undefined : `${checkDay(input.activeTo, 'the end of the period')}T00:00:00.000Z`;
  if (from !== undefined && to !== undefined && from >= to) throw new CampaignInputError('the period ends before it starts');
  return {
    dataset: input.dataset,
    countries: parseCountries(input.countries),
    ...(input.paid ? { paid: true } : {}),
    ...(input.minPayments !== undefined ? { minPayments: input.minPayments } : {}),
    ...(input.minSearches !== undefined ? { minSearches: input.minSearches } : {}),
    ...(input.minEvents !== undefined ? { minEvents: input.minEvents } : {}),
    ...(input.minEvidence !== undefined ? { minEvidence: input.minEvidence } : {}),
    ...(from !== undefined ? { from } : {}),
    ...(to !== undefined ? { to } : {}),
  };
}

/** A campaign name: used in references, folders and URLs. */
/** Names the workbench and the API use as words of their own paths. */
const RESERVED_NAMES = new Set(['new', 'preview']);

export function checkCampaignName(name: string): string {
  if (RESERVED_NAMES.has(name.toLowerCase())) throw new CampaignInputError(`"${name}" is a word the workbench and the API use themselves: choose another campaign name`);
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(name)) throw new CampaignInputError(`a campaign name is letters, digits, . _ - (up to 100), starting with a letter or digit; not "${name}"`);
  return name;
}
