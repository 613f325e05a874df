// Which country a site account points at, and why: the e-mail domain's country code, the calling
// code of a phone number, the country of an IBAN and the geolocation of an IP address. Every piece
// of evidence says how it was decided, because a letter's recipient (or their lawyer) may ask.
//
// IP geolocation needs geoip-lite's tables (~70 ms and ~150 MB to load), so they are loaded only
// by `createCountryResolver()` (once, then the resolver answers synchronously: the way to go over
// many people) or by `countryEvidence()` when it is given an IP address. Merely importing this
// module costs neither.

import { BlockList, isIPv4, isIPv6 } from 'node:net';
// the package's main entry registers ~80 locales of country names (15 ms); codes are enough here
import countries from 'i18n-iso-countries/index.js';
import { isSupportedCountry, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import libphonenumber from 'libphonenumber-js/package.json' with { type: 'json' };
import { normaliseEmail } from '../extract/entities/email.ts';
import { normaliseIban } from '../extract/entities/iban.ts';
import { canonicalIpv6, normaliseIpv4 } from '../extract/entities/ip.ts';
import { normalisePhone } from '../extract/entities/phone.ts';
import { COUNTRY_EVIDENCE_KINDS, type CountryEvidence } from '../model/campaigns.ts';

/** What a site held about one person, as it held it. */
export type CountryIdentifiers = {
  emails: readonly string[];
  phones: readonly string[];
  ibans: readonly string[];
  ips: readonly string[];
};

export type CountryEvidenceOptions = {
  /**
   * Countries (ISO alpha-2) whose national writing is accepted for a number without a calling
   * code: a campaign passes its own, so "0612345678" counts for NL in a Dutch campaign.
   */
  nationalPhoneCountries?: readonly string[];
};

export type CountryEvidenceResult = {
  /** Deduplicated by kind and value; sorted by kind (in COUNTRY_EVIDENCE_KINDS order), then value. */
  evidence: CountryEvidence[];
  /** Every number that normalised, E.164, deduplicated, sorted. */
  phones: string[];
  /** Every valid IBAN, electronic format, deduplicated, sorted. */
  ibans: string[];
};

/** Where an IP address is, and the method to name on the evidence. */
export type IpLocator = {
  method: string;
  countryOf(ip: string): string | undefined;
};

export type CountryResolver = {
  countryEvidence(identifiers: CountryIdentifiers, options?: CountryEvidenceOptions): CountryEvidenceResult;
};

/**
 * Country-code top-level domains that are sold as generic names, so a registrant can be anywhere:
 * words and abbreviations (.io input/output, .co company, .me, .tv, .ai, .fm and .am radio,
 * .ws website, .gg gaming, .to, .ly as in bit.ly, .la Los Angeles, .sh shell, .vc venture capital,
 * .gl, .cc), .nu ("now" in Dutch and Swedish: its sites are Dutch and Swedish, not from Niue), and
 * those once given away free to anyone (.tk, .ml, .ga, .cf, .gq, Freenom).
 */
export const GENERIC_CCTLDS: ReadonlySet<string> = new Set([
  'io', 'co', 'me', 'tv', 'ai', 'fm', 'am', 'ws', 'gg', 'to', 'ly', 'la', 'sh', 'vc', 'gl', 'cc', 'nu',
  'tk', 'ml', 'ga', 'cf', 'gq',
]);

/**
 * Mail services on a country's domain whose users live anywhere: privacy providers chosen for not
 * being local (Proton in Switzerland, Tuta in Germany, cock.li in Liechtenstein).
 */
export const INTERNATIONAL_MAIL_DOMAINS: ReadonlySet<string> = new Set([
  'protonmail.ch', 'proton.ch', 'tutanota.de', 'tuta.io', 'cock.li', 'airmail.cc', 'firemail.cc',
]);

/** Top-level domains that are a country but not its ISO code. */
const TLD_COUNTRY: Readonly<Record<string, string>> = { uk: 'GB' };

/** Addresses that are nobody's location: private, loopback, link-local, CGNAT, documentation, multicast, reserved. */
const NOT_ROUTED = (() => {
  const list = new BlockList();
  const v4: [string, number][] = [
    ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
    ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.88.99.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24],
    ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
  ];
  for (const [network, prefix] of v4) list.addSubnet(network, prefix, 'ipv4');
  const v6: [string, number][] = [
    ['::', 128], ['::1', 128], ['64:ff9b::', 96], ['100::', 64], ['2001:db8::', 32], ['2002::', 16], ['2001::', 32],
    ['fc00::', 7], ['fe80::', 10], ['ff00::', 8],
  ];
  for (const [network, prefix] of v6) list.addSubnet(network, prefix, 'ipv6');
  return list;
})();

const PHONE_METHOD = `libphonenumber-js ${libphonenumber.version}`;
const KIND_ORDER: ReadonlyMap<string, number> = new Map(COUNTRY_EVIDENCE_KINDS.map((kind, i) => [kind, i]));

/** Loads geoip-lite's tables (once per process: the module cache keeps them). */
export async function loadGeoipLocator(): Promise<IpLocator> {
  const [geoip, manifest] = await Promise.all([
    import('geoip-lite'),
    import('geoip-lite/package.json', { with: { type: 'json' } }),
  ]);
  const lookup = geoip.default.lookup;
  return {
    method: `geoip-lite ${manifest.default.version} (GeoLite2 data)`,
    countryOf: (ip) => {
      const country = lookup(ip)?.country;
      return country !== undefined && /^[A-Z]{2}$/.test(country) ? country : undefined;
    },
  };
}

/** A resolver that answers without waiting; geoip-lite is loaded unless a locator is given (tests). */
export async function createCountryResolver(options: { ipLocator?: IpLocator } = {}): Promise<CountryResolver> {
  const locator = options.ipLocator ?? (await loadGeoipLocator());
  return { countryEvidence: (identifiers, evidenceOptions = {}) => evidenceFor(identifiers, evidenceOptions, locator) };
}

/** One person's evidence; loads geoip-lite only when there is an IP address to place. */
export async function countryEvidence(identifiers: CountryIdentifiers, options: CountryEvidenceOptions = {}): Promise<CountryEvidenceResult> {
  const locator = identifiers.ips.length > 0 ? await loadGeoipLocator() : undefined;
  return evidenceFor(identifiers, options, locator);
}

/** Countries by how much evidence points at them, most first; ties alphabetical. */
export function rankCountries(evidence: readonly CountryEvidence[]): string[] {
  const counts = new Map<string, number>();
  for (const item of evidence) counts.set(item.country, (counts.get(item.country) ?? 0) + 1);
  return [...counts].sort(([a, m], [b, n]) => n - m || (a < b ? -1 : a > b ? 1 : 0)).map(([country]) => country);
}

function evidenceFor(identifiers: CountryIdentifiers, options: CountryEvidenceOptions, locator: IpLocator | undefined): CountryEvidenceResult {
  const evidence = new Map<string, CountryEvidence>();
  const add = (item: CountryEvidence) => {
    const key = `${item.kind}\u0000${item.value}`;
    if (!evidence.has(key)) evidence.set(key, item);
  };
  for (const written of identifiers.emails) {
    const item = emailEvidence(written);
    if (item) add(item);
  }
  const phones = new Set<string>();
  for (const item of phoneEvidence(identifiers.phones, options.nationalPhoneCountries ?? [], phones)) add(item);
  const ibans = new Set<string>();
  for (const written of identifiers.ibans) {
    const iban = normaliseIban(written);
    if (iban === undefined) continue;
    ibans.add(iban);
    add({ kind: 'iban', value: iban, country: iban.slice(0, 2), method: 'IBAN country code' });
  }
  if (locator) {
    for (const written of identifiers.ips) {
      const item = ipEvidence(written, locator);
      if (item) add(item);
    }
  }
  const sorted = [...evidence.values()].sort((a, b) =>
    (KIND_ORDER.get(a.kind) ?? 0) - (KIND_ORDER.get(b.kind) ?? 0) || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
  return { evidence: sorted, phones: [...phones].sort(), ibans: [...ibans].sort() };
}

function emailEvidence(written: string): CountryEvidence | undefined {
  const address = normaliseEmail(written);
  if (address === undefined) return undefined;
  const domain = address.slice(address.lastIndexOf('@') + 1);
  if (INTERNATIONAL_MAIL_DOMAINS.has(domain)) return undefined;
  const tld = domain.slice(domain.lastIndexOf('.') + 1);
  if (GENERIC_CCTLDS.has(tld)) return undefined;
  const country = TLD_COUNTRY[tld] ?? (tld.length === 2 ? tld.toUpperCase() : undefined);
  // .eu, .su and .ac are two letters but no ISO 3166-1 country
  if (country === undefined || !countries.isValid(country)) return undefined;
  return { kind: 'email-domain', value: address, country, method: `country-code domain .${tld}` };
}

/**
 * International writings first, so that a number the site also held in national writing keeps the
 * stronger method (its calling code) when the two are deduplicated.
 */
function phoneEvidence(written: readonly string[], nationalCountries: readonly string[], phones: Set<string>): CountryEvidence[] {
  const found: CountryEvidence[] = [];
  const international = written.filter((w) => /^\s*(\+|00)/.test(w));
  const national = written.filter((w) => !/^\s*(\+|00)/.test(w));
  for (const raw of international) {
    const e164 = normalisePhone(raw, {});
    if (e164 === undefined) continue;
    phones.add(e164);
    // +1 and +7 are shared by several countries: libphonenumber places the number by its area
    // code, and gives nothing for one it cannot place or a non-geographic one (+800, +882)
    const parsed = parsePhoneNumberFromString(e164);
    const country = parsed?.country;
    if (country === undefined || !/^[A-Z]{2}$/.test(country)) continue;
    found.push({ kind: 'phone', value: e164, country, method: `calling code +${parsed?.countryCallingCode ?? ''} (${PHONE_METHOD})` });
  }
  for (const raw of national) {
    let first: string | undefined;
    for (const country of nationalCountries) {
      const region = country.toUpperCase();
      if (!isSupportedCountry(region)) continue;
      // only this region: a neighbour's plan must not claim a number for the campaign's country
      const e164 = normalisePhone(raw, { defaultRegion: region });
      if (e164 === undefined) continue;
      first ??= e164;
      found.push({ kind: 'phone', value: e164, country: region, method: `valid national number for ${region}, no country code` });
    }
    // a number valid in two of the countries is kept once, as the first country reads it
    if (first !== undefined) phones.add(first);
  }
  return found;
}

function ipEvidence(written: string, locator: IpLocator): CountryEvidence | undefined {
  const trimmed = written.trim();
  let address: string | undefined;
  let family: 'ipv4' | 'ipv6';
  if (isIPv4(trimmed)) {
    address = normaliseIpv4(trimmed);
    family = 'ipv4';
  } else if (isIPv6(trimmed)) {
    address = canonicalIpv6(trimmed);
    family = 'ipv6';
    // ::ffff:1.2.3.4 (canonically ::ffff:102:304) is an IPv4 address in IPv6 notation
    const mapped = address === undefined ? undefined : /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(address);
    if (mapped) {
      const high = parseInt(mapped[1] ?? '0', 16);
      const low = parseInt(mapped[2] ?? '0', 16);
      address = [high >> 8, high & 255, low >> 8, low & 255].join('.');
      family = 'ipv4';
    }
  } else {
    return undefined;
  }
  if (address === undefined || NOT_ROUTED.check(address, family)) return undefined;
  const country = locator.countryOf(address);
  return country === undefined ? undefined : { kind: 'ip', value: address, country, method: locator.method };
}
