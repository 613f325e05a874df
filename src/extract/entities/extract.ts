// Runs every entity extractor over a text and settles overlaps. Most chat messages hold no
// entity at all, so each family is guarded by a cheap test for the characters it cannot do
// without (a digit, an "@", a "://"...); a message without digits costs a few string scans.

import { extractAmounts, normaliseAmount } from './amount.ts';
import { extractContainers, normaliseContainer } from './container.ts';
import { extractCoordinates, normaliseCoordinates } from './coordinates.ts';
import { extractBitcoin, extractEthereum, extractMonero, normaliseBitcoin, normaliseEthereum, normaliseMonero } from './crypto.ts';
import { extractEmails, normaliseEmail } from './email.ts';
import { extractBics, extractIbans, normaliseBic, normaliseIban } from './iban.ts';
import { extractImeis, normaliseImei } from './imei.ts';
import { extractIpv4s, extractIpv6s, normaliseIpv4, normaliseIpv6 } from './ip.ts';
import { extractPhones, normalisePhone } from './phone.ts';
import { extractPlates, normalisePlate } from './plate.ts';
import { extractUrls, normaliseUrl } from './url.ts';
import type { CountryCode, EntityMention, EntityType, ExtractionContext } from './types.ts';

/**
 * When spans overlap, the earlier type wins: checksummed identifiers first (their digits are
 * no phone number), then what has a fixed shape, then the loose families. A container number
 * is no plate, an IBAN's digits are no phone, a phone inside an IMEI is no phone.
 */
const PRIORITY: readonly EntityType[] = [
  'xmr', 'btc', 'eth', 'iban', 'email', 'url', 'coordinates', 'container', 'imei', 'ipv6', 'ipv4', 'phone', 'bic', 'plate', 'amount',
];
const RANK: ReadonlyMap<EntityType, number> = new Map(PRIORITY.map((type, rank) => [type, rank]));

const DIGIT = /\d/;
const LONG_RUN = /[0-9A-Za-z]{26}/;
const WEB_HINT = /:\/\/|www\.|\.[a-z]{2}|t\.me\//i;
const BIC_HINT = /b+i+c|s+w+i+f+t/i;

export function extractEntities(text: string, context: ExtractionContext = {}): EntityMention[] {
  const found: EntityMention[] = [];
  const hasDigit = DIGIT.test(text);
  const hasAt = text.includes('@');
  if (hasAt) found.push(...extractEmails(text));
  if (text.includes('.') && WEB_HINT.test(text)) found.push(...extractUrls(text));
  let ibans: EntityMention[] = [];
  if (hasDigit) {
    ibans = extractIbans(text);
    found.push(...ibans);
    found.push(...extractPhones(text, context));
    found.push(...extractImeis(text));
    found.push(...extractContainers(text));
    found.push(...extractPlates(text));
    found.push(...extractCoordinates(text));
    found.push(...extractAmounts(text, context));
    if (text.includes('.')) found.push(...extractIpv4s(text));
    if (text.includes(':')) found.push(...extractIpv6s(text));
    if (LONG_RUN.test(text)) {
      found.push(...extractBitcoin(text));
      found.push(...extractEthereum(text));
      found.push(...extractMonero(text));
    }
  }
  if (ibans.length > 0 || BIC_HINT.test(text)) found.push(...extractBics(text, ibans));
  return found.length < 2 ? found : resolveOverlaps(found);
}

/** One span, one entity; the exception is a map link, which is both a URL and a position. */
export function resolveOverlaps(mentions: readonly EntityMention[]): EntityMention[] {
  // Overlaps are local, so settle each run of transitively overlapping spans on its own:
  // a huge text with thousands of mentions stays linear after the sort.
  const byStart = [...mentions].sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: EntityMention[] = [];
  let cluster: EntityMention[] = [];
  let clusterEnd = -1;
  for (const mention of byStart) {
    if (mention.start >= clusterEnd && cluster.length > 0) {
      kept.push(...settleCluster(cluster));
      cluster = [];
    }
    cluster.push(mention);
    clusterEnd = Math.max(cluster.length === 1 ? mention.end : clusterEnd, mention.end);
  }
  kept.push(...settleCluster(cluster));
  return kept.sort((a, b) => a.start - b.start || rankOf(a) - rankOf(b));
}

function settleCluster(cluster: readonly EntityMention[]): EntityMention[] {
  if (cluster.length < 2) return [...cluster];
  const ordered = [...cluster].sort((a, b) => rankOf(a) - rankOf(b) || (b.end - b.start) - (a.end - a.start) || a.start - b.start);
  const kept: EntityMention[] = [];
  for (const candidate of ordered) {
    if (kept.some((k) => overlaps(k, candidate) && !isMapLinkPair(k, candidate))) continue;
    kept.push(candidate);
  }
  return kept;
}

function rankOf(mention: EntityMention): number {
  return RANK.get(mention.type) ?? PRIORITY.length;
}

function overlaps(a: EntityMention, b: EntityMention): boolean {
  return a.start < b.end && b.start < a.end;
}

function isMapLinkPair(a: EntityMention, b: EntityMention): boolean {
  const types = a.type + '+' + b.type;
  return (types === 'url+coordinates' || types === 'coordinates+url') && a.start === b.start && a.end === b.end;
}

/**
 * The value a search filter means, normalised as the extractor normalises what it finds, so
 * `phone:0612345678` and `phone:+31 6 1234 5678` both find "+31612345678". Undefined when the
 * input is not a valid value of that type.
 */
export function normaliseEntityQuery(type: EntityType, input: string, context: ExtractionContext = {}): string | undefined {
  switch (type) {
    case 'phone': return normalisePhone(input, context) ?? normalisePhone('+' + input.trim(), context);
    case 'iban': return normaliseIban(input);
    case 'bic': return normaliseBic(input);
    case 'email': return normaliseEmail(input);
    case 'url': return normaliseUrl(input);
    case 'ipv4': return normaliseIpv4(input);
    case 'ipv6': return normaliseIpv6(input);
    case 'btc': return normaliseBitcoin(input);
    case 'eth': return normaliseEthereum(input);
    case 'xmr': return normaliseMonero(input);
    case 'imei': return normaliseImei(input);
    case 'plate': return normalisePlate(input);
    case 'coordinates': return normaliseCoordinates(input);
    case 'container': return normaliseContainer(input);
    case 'amount': return normaliseAmount(input, context);
  }
}

// Where a language is spoken, for national phone writings. Dutch is also Flanders, French also
// Wallonia and Brussels, English also Ireland: those neighbours are tried when the first fails.
const REGIONS_OF_LANGUAGE: Readonly<Record<string, readonly CountryCode[]>> = {
  nl: ['NL', 'BE'],
  fr: ['FR', 'BE', 'MA'],
  en: ['GB', 'IE'],
  de: ['DE', 'AT', 'CH'],
  es: ['ES'],
};

// Without a language (short messages, notes) the dataset's region comes first, then the
// countries our cases meet most; fallbacks only ever yield mobile numbers.
const COMMON_REGIONS: readonly CountryCode[] = ['NL', 'BE', 'GB', 'IE', 'FR', 'DE', 'ES', 'MA'];

/** The context for a message in `language` (as detected), falling back to the dataset's region. */
export function contextForLanguage(language: string | undefined, datasetRegion?: CountryCode): ExtractionContext {
  const regions = language === undefined ? undefined : REGIONS_OF_LANGUAGE[language];
  if (!regions) {
    if (!datasetRegion) return { fallbackRegions: COMMON_REGIONS };
    return { defaultRegion: datasetRegion, fallbackRegions: COMMON_REGIONS.filter((r) => r !== datasetRegion) };
  }
  const [first, ...rest] = regions;
  const fallbackRegions = datasetRegion && !regions.includes(datasetRegion) ? [...rest, datasetRegion] : rest;
  return { defaultRegion: first, fallbackRegions };
}
