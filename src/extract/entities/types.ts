// The vocabulary of entity extraction: what a mention is and what the extractors may assume
// about the text they read.

import type { CountryCode } from 'libphonenumber-js/max';

export const ENTITY_TYPES = [
  'phone', 'iban', 'bic', 'email', 'url', 'ipv4', 'ipv6', 'btc', 'eth', 'xmr',
  'imei', 'plate', 'coordinates', 'container', 'amount',
] as const;

export type EntityType = (typeof ENTITY_TYPES)[number];

/** Recorded with every derived entity so a court can be told exactly which rules found it. */
export const EXTRACTOR_COMPONENT = 'lode-extract-entities';
export const EXTRACTOR_VERSION = '1.0.0';

/** One entity found in a text: `text.slice(start, end)` (UTF-16 offsets) is what was written. */
export type EntityMention = {
  type: EntityType;
  /** Normalised so that every writing of the same thing compares equal (E.164, compact IBAN...). */
  value: string;
  start: number;
  end: number;
};

/** What the surrounding data says about a text, for writings that are ambiguous on their own. */
export type ExtractionContext = {
  /** Country whose national writing is assumed first ("0612345678" is Dutch in NL, French in FR). */
  defaultRegion?: CountryCode;
  /** Countries tried next, in order, for a national writing that the default region rejects. */
  fallbackRegions?: readonly CountryCode[];
  /** Currency of a bare "25k"; EUR when not given. */
  defaultCurrency?: string;
};

export type { CountryCode };
