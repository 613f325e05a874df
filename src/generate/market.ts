// A seized leak market ("a site that sold look-ups in leaked databases", like WeLeakInfo) as a
// mysqldump, with the truth about who its customers are, for intervention-campaign tests, the demo
// and benchmarks. People of six countries hold one to three accounts each; the evidence of their
// country is planted on purpose (only an e-mail domain, only a phone number, only an IP address,
// only an IBAN, conflicting, or none), and some people's accounts share an e-mail or a phone.
//
// Nothing is held in memory per row or per person: every person is regenerated from the seed
// and its index whenever a table needs it (one PRNG stream per person and table), so the dump is
// written table after table, in mysqldump's alphabetical order, at any size. Only the first
// account index of each person is kept (4 bytes a person).

import type { CountryEvidenceKind } from '../model/campaigns.ts';
import { belgianAccountCheck, frenchRibKey, ibanCheckDigits } from './checksums.ts';
import { Rng } from './rng.ts';

export type MarketOptions = {
  people: number;
  seed: number;
  /** The database name in the dump's header, which becomes the accounts' platform (default leakmarket). */
  database?: string;
};

export const MARKET_DATABASE = 'leakmarket';
/** Emails and usernames end in a number unique per account, of at most 7 digits: 3 accounts a person. */
export const MAX_MARKET_PEOPLE = 3_000_000;
export const MARKET_TABLES = ['logins', 'payments', 'searches', 'users'] as const;
export type MarketTable = (typeof MARKET_TABLES)[number];

export const MARKET_COUNTRIES = ['NL', 'BE', 'DE', 'FR', 'GB', 'US'] as const;
export type MarketCountry = (typeof MARKET_COUNTRIES)[number];

/** What points at a person's country, planted on purpose. */
export const EVIDENCE_PROFILES = ['consistent', 'email-only', 'phone-only', 'ip-only', 'iban-only', 'conflicting', 'none'] as const;
export type EvidenceProfile = (typeof EVIDENCE_PROFILES)[number];

/**
 * How a person's accounts can be recognised as one person: all hold one e-mail address (and maybe
 * one phone), all hold one phone number (each its own e-mail), or they share neither.
 */
export type AccountLink = 'email' | 'phone' | 'none';

/** One kind of evidence planted for a person; `national` when the phone was written without calling code. */
export type PlantedEvidence = { kind: CountryEvidenceKind; country: string; national?: boolean };

export type MarketPersonTruth = {
  kind: 'person';
  id: string;
  country: MarketCountry;
  profile: EvidenceProfile;
  /** Usernames, in the person's account order. */
  accounts: string[];
  /** Set when the person has more than one account. */
  linkedBy?: AccountLink;
  /** Lower-cased, distinct. */
  emails: string[];
  /** As the site held them, distinct. */
  phones: string[];
  ibans: string[];
  /** Registration and login addresses, distinct. */
  ips: string[];
  paid: boolean;
  payments: number;
  /** Sum per currency: EUR and USD to the cent, BTC to the satoshi. */
  paidTotal: Record<string, number>;
  searches: number;
  logins: number;
  evidence: PlantedEvidence[];
};

export type MarketCountrySummary = { people: number; paying: number; accounts: number; profiles: Partial<Record<EvidenceProfile, number>> };

export type MarketSummary = {
  kind: 'summary';
  database: string;
  seed: number;
  people: number;
  accounts: number;
  accountsWithEmail: number;
  /**
   * Distinct e-mail addresses (lower-cased): what the store keeps as exposures, since accounts
   * sharing an address (and, bcrypt all, a hash type) are one exposure of it.
   */
  emails: number;
  /** People whose accounts share an e-mail or a phone: what a campaign must merge. */
  linkedPeople: Record<AccountLink, number>;
  payments: number;
  searches: number;
  logins: number;
  countries: Partial<Record<MarketCountry, MarketCountrySummary>>;
};

export type MarketTruthRecord = MarketPersonTruth | MarketSummary;

/** The layout every table pass agrees on: where each person's accounts are and which ids they get. */
export type MarketPlan = {
  people: number;
  seed: number;
  database: string;
  accounts: number;
  /** Person p holds the account indices firstAccount[p] up to firstAccount[p + 1]. */
  firstAccount: Uint32Array;
  /** Users-table id of an account index: ids are scattered, so one person's accounts are not neighbours. */
  idOf(account: number): number;
  /** The account index of a users-table id. */
  accountOf(id: number): number;
  /** Modulus of the per-account numbers in usernames and e-mail addresses. */
  numberSpace: number;
};

// ------------------------------------------------------------------------------------ the world

const DAY_MS = 86_400_000;
const REGISTRATION_START = Date.UTC(2017, 0, 1);
const REGISTRATION_END = Date.UTC(2020, 9, 1);
/** Activity runs to the end of 2020, when the site was taken down. */
const ACTIVITY_END = Date.UTC(2021, 0, 1);

type CountryData = {
  weight: number;
  callingCode: string;
  first: readonly string[];
  last: readonly string[];
  /**
   * E-mail domains that end in the country's code. They are sub-domains of example.<cc>, which no
   * one gets mail at (example.nl and example.be are the registries' own; the rest are as unlikely
   * to deliver): a generated address must never reach a real person. Empty for the US, whose
   * people use the generic providers.
   */
  mailDomains: readonly string[];
  /** /16 networks that geoip-lite 2.0.3 places wholly in the country (test/generate/market.test.ts checks them). */
  ipv4: readonly string[];
  /** /32 networks, idem. */
  ipv6: readonly string[];
  /** The national significant number: a random head and the person's unique 7 digits. */
  phone(unique: string, rng: Rng): string;
  international(n: string, rng: Rng): string;
  /** Absent where numbers have no trunk 0 (US): no national writing a campaign could claim. */
  national?(n: string, rng: Rng): string;
  iban?(unique: string, rng: Rng): string;
  address(rng: Rng): string;
};

/**
 * Providers everyone uses, under example.com (reserved by RFC 2606): a .com domain says nothing
 * about a country, which is the point.
 */
const GENERIC_MAIL_DOMAINS = ['gmail.example.com', 'outlook.example.com', 'yahoo.example.com', 'protonmail.example.com', 'icloud.example.com', 'hotmail.example.com'];
const QUERY_TLDS = ['com', 'nl', 'be', 'de', 'fr', 'co.uk', 'org', 'net'];

function pairs(text: string, separator: string): string {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += 2) out.push(text.slice(i, i + 2));
  return out.join(separator);
}

function withIbanCheck(country: string, bban: string): string {
  return country + ibanCheckDigits(country, bban) + bban;
}

const POSTCODE_LETTERS = 'ABCEGHJKLMNPRTVWXZ';

const COUNTRIES: Readonly<Record<MarketCountry, CountryData>> = {
  NL: {
    weight: 35, callingCode: '31',
    first: ['Jan', 'Daan', 'Sem', 'Lucas', 'Thomas', 'Mohamed', 'Kevin', 'Sanne', 'Lisa', 'Emma', 'Fleur', 'Anouk', 'Youssef', 'Bram', 'Ruben', 'Niels'],
    last: ['de Vries', 'Jansen', 'van Dijk', 'Bakker', 'Visser', 'Smit', 'Meijer', 'de Boer', 'Mulder', 'de Groot', 'Bos', 'Vos', 'Peters', 'Hendriks', 'El Amrani', 'Yilmaz'],
    mailDomains: ['ziggo.example.nl', 'kpnmail.example.nl', 'hotmail.example.nl', 'planet.example.nl', 'home.example.nl'],
    ipv4: ['77.160', '77.161', '84.24', '84.85', '86.80', '86.88', '94.208', '82.94'],
    ipv6: ['2001:610', '2a02:a440'],
    phone: (u, rng) => '6' + rng.range(1, 5) + u,
    international: (n, rng) => rng.pick(['+31' + n, '+31 6 ' + n.slice(1), '0031' + n, '+31 (0)6 ' + n.slice(1)]),
    national: (n, rng) => rng.pick(['0' + n, '06-' + n.slice(1), '06 ' + n.slice(1), '06 ' + pairs(n.slice(1), ' ')]),
    iban: (u, rng) => withIbanCheck('NL', rng.pick(['ABNA', 'RABO', 'INGB', 'SNSB', 'TRIO', 'KNAB', 'BUNQ']) + '0' + rng.digits(2) + u),
    address: (rng) => `${rng.pick(['Kerkstraat', 'Dorpsstraat', 'Molenweg', 'Stationsstraat', 'Schoolstraat', 'Julianalaan'])} ${rng.range(1, 180)}, ` +
      `${rng.range(1000, 9999)} ${rng.pick([...POSTCODE_LETTERS])}${rng.pick([...POSTCODE_LETTERS])} ${rng.pick(['Amsterdam', 'Rotterdam', 'Utrecht', 'Eindhoven', 'Zwolle', 'Tilburg'])}`,
  },
  BE: {
    weight: 12, callingCode: '32',
    first: ['Wout', 'Arne', 'Jens', 'Lars', 'Thibault', 'Maxime', 'Elise', 'Lotte', 'Ines', 'Nathan', 'Louis', 'Amber'],
    last: ['Peeters', 'Janssens', 'Maes', 'Jacobs', 'Mertens', 'Willems', 'Claes', 'Goossens', 'Wouters', 'De Smet', 'Dubois', 'Lambert'],
    mailDomains: ['telenet.example.be', 'skynet.example.be', 'proximus.example.be'],
    ipv4: ['81.164', '81.165', '84.192', '84.196', '91.176', '109.128', '94.104'],
    ipv6: ['2a02:1810', '2a02:a03f'],
    phone: (u, rng) => '4' + rng.range(7, 9) + u,
    international: (n, rng) => rng.pick(['+32' + n, '+32 ' + n.slice(0, 3) + ' ' + pairs(n.slice(3), ' '), '0032' + n]),
    national: (n, rng) => rng.pick(['0' + n, '0' + n.slice(0, 3) + ' ' + pairs(n.slice(3), ' '), '0' + n.slice(0, 3) + '/' + pairs(n.slice(3), '.')]),
    iban: (u, rng) => {
      const first10 = rng.pick(['001', '310', '068', '734', '063']) + u;
      return withIbanCheck('BE', first10 + belgianAccountCheck(first10));
    },
    address: (rng) => `${rng.pick(['Kerkstraat', 'Stationsstraat', 'Rue de la Station', 'Nieuwstraat', 'Grote Markt'])} ${rng.range(1, 120)}, ` +
      `${rng.range(1000, 9990)} ${rng.pick(['Antwerpen', 'Gent', 'Brussel', 'Leuven', 'Brugge', 'Liège'])}`,
  },
  DE: {
    weight: 13, callingCode: '49',
    first: ['Lukas', 'Leon', 'Finn', 'Jonas', 'Paul', 'Felix', 'Anna', 'Lena', 'Marie', 'Laura', 'Tim', 'Niklas'],
    last: ['Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Meyer', 'Wagner', 'Becker', 'Schulz', 'Hoffmann', 'Koch', 'Richter'],
    mailDomains: ['gmx.example.de', 'web.example.de', 't-online.example.de'],
    ipv4: ['79.192', '84.128', '87.128', '91.0', '93.192', '46.80'],
    ipv6: ['2003:e0', '2a02:8108'],
    phone: (u, rng) => '15' + rng.pick(['1', '2']) + rng.int(10) + u,
    international: (n, rng) => rng.pick(['+49' + n, '+49 ' + n.slice(0, 3) + ' ' + n.slice(3), '0049' + n]),
    national: (n, rng) => rng.pick(['0' + n, '0' + n.slice(0, 3) + ' ' + n.slice(3), '0' + n.slice(0, 3) + '/' + n.slice(3)]),
    iban: (u, rng) => withIbanCheck('DE', rng.pick(['10070000', '50040000', '37040044', '10010010', '50070010']) + rng.digits(3) + u),
    address: (rng) => `${rng.pick(['Hauptstraße', 'Bahnhofstraße', 'Schulstraße', 'Gartenweg', 'Lindenallee'])} ${rng.range(1, 90)}, ` +
      `${String(rng.range(10000, 99999))} ${rng.pick(['Berlin', 'Köln', 'Hamburg', 'Düsseldorf', 'Aachen', 'München'])}`,
  },
  FR: {
    weight: 12, callingCode: '33',
    first: ['Lucas', 'Hugo', 'Théo', 'Nathan', 'Louis', 'Enzo', 'Manon', 'Camille', 'Léa', 'Chloé', 'Mehdi', 'Yanis'],
    last: ['Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit', 'Durand', 'Leroy', 'Moreau', 'Lefèvre', 'Girard'],
    mailDomains: ['orange.example.fr', 'free.example.fr', 'sfr.example.fr'],
    ipv4: ['90.0', '90.20', '78.192', '86.64', '82.64', '2.8', '77.192'],
    ipv6: ['2a01:cb00', '2a01:e0a'],
    // 063 and 069 hold ranges libphonenumber rejects
    phone: (u, rng) => '6' + rng.pick(['0', '1', '2', '4', '5', '6', '7', '8']) + u,
    international: (n, rng) => rng.pick(['+33' + n, '+33 ' + n[0] + ' ' + pairs(n.slice(1), ' '), '0033' + n]),
    national: (n, rng) => rng.pick(['0' + n, '0' + n[0] + ' ' + pairs(n.slice(1), ' '), '0' + n[0] + '.' + pairs(n.slice(1), '.')]),
    iban: (u, rng) => {
      const bank = rng.pick(['30004', '30003', '20041', '30002', '10278']);
      const branch = rng.digits(5);
      const account = rng.digits(4) + u;
      return withIbanCheck('FR', bank + branch + account + frenchRibKey(bank, branch, account));
    },
    address: (rng) => `${rng.range(1, 150)} ${rng.pick(['rue de la Paix', 'avenue Jean Jaurès', 'rue Victor Hugo', 'boulevard Voltaire', "rue de l'Église"])}, ` +
      `${String(rng.range(10000, 95999))} ${rng.pick(['Paris', 'Lille', 'Lyon', 'Marseille', 'Nantes', 'Toulouse'])}`,
  },
  GB: {
    weight: 13, callingCode: '44',
    first: ['Oliver', 'Jack', 'Harry', 'George', 'Charlie', 'Jacob', 'Amelia', 'Olivia', 'Emily', 'Jessica', 'Callum', 'Liam'],
    last: ['Smith', 'Jones', 'Taylor', 'Brown', 'Williams', 'Wilson', 'Johnson', 'Davies', 'Evans', 'Walker', "O'Brien", 'Hughes'],
    mailDomains: ['btinternet.example.co.uk', 'sky.example.co.uk', 'virginmedia.example.co.uk'],
    ipv4: ['2.24', '2.96', '31.48', '86.128', '81.128', '109.144'],
    ipv6: ['2a00:23c5', '2a02:c7f'],
    // mobile ranges libphonenumber places in GB, not in Jersey, Guernsey or the Isle of Man
    phone: (u, rng) => rng.pick(['740', '741', '742', '743', '744', '746', '747', '748', '749', '751', '753', '754', '755', '756', '757', '758', '759']) + u,
    international: (n, rng) => rng.pick(['+44' + n, '+44 ' + n.slice(0, 4) + ' ' + n.slice(4), '0044' + n]),
    national: (n, rng) => rng.pick(['0' + n, '0' + n.slice(0, 4) + ' ' + n.slice(4)]),
    address: (rng) => `${rng.range(1, 220)} ${rng.pick(['High Street', 'Station Road', 'Church Lane', 'Victoria Road', 'Park Avenue'])}, ` +
      `${rng.pick(['Manchester M', 'Leeds LS', 'Bristol BS', 'Liverpool L', 'Leicester LE'])}${rng.range(1, 20)} ${rng.range(1, 9)}${rng.pick([...POSTCODE_LETTERS])}${rng.pick([...POSTCODE_LETTERS])}`,
  },
  US: {
    weight: 15, callingCode: '1',
    first: ['James', 'Michael', 'Tyler', 'Brandon', 'Austin', 'Ashley', 'Jessica', 'Kayla', 'Jordan', 'Justin', 'Megan', 'Dylan'],
    last: ['Johnson', 'Miller', 'Davis', 'Garcia', 'Rodriguez', 'Martinez', 'Anderson', 'Jackson', 'White', 'Harris', 'Clark', 'Lewis'],
    mailDomains: [],
    ipv4: ['73.0', '73.100', '24.0', '98.192', '67.160', '71.192'],
    ipv6: ['2601:1c0', '2600:1700'],
    // the first unique digit picks the area code, so the number stays unique per person
    phone: (u, rng) => US_AREA_CODES[Number(u[0])] + String(rng.range(2, 9)) + u.slice(1),
    international: (n, rng) => rng.pick(['+1' + n, '+1 ' + n.slice(0, 3) + '-' + n.slice(3, 6) + '-' + n.slice(6), '+1 (' + n.slice(0, 3) + ') ' + n.slice(3, 6) + '-' + n.slice(6)]),
    address: (rng) => `${rng.range(100, 9999)} ${rng.pick(['Main St', 'Oak Ave', 'Maple Dr', 'Cedar Ln', 'Washington Blvd'])}, ` +
      `${rng.pick(['Springfield, IL', 'Austin, TX', 'Columbus, OH', 'Portland, OR', 'Tampa, FL'])} ${String(rng.range(10000, 99999))}`,
  },
};

const US_AREA_CODES = ['212', '312', '415', '617', '202', '305', '713', '206', '404', '503'] as const;

/** The country the evidence of a "conflicting" person points at besides their own (a VPN, a border commute). */
const NEIGHBOUR: Readonly<Partial<Record<MarketCountry, MarketCountry>>> = { NL: 'BE', BE: 'NL', DE: 'NL', FR: 'BE' };

/** Networks by country: what the generator draws addresses from. */
export const MARKET_NETWORKS: Readonly<Record<MarketCountry, { ipv4: readonly string[]; ipv6: readonly string[] }>> = Object.fromEntries(
  MARKET_COUNTRIES.map((c) => [c, { ipv4: COUNTRIES[c].ipv4, ipv6: COUNTRIES[c].ipv6 }]),
) as Record<MarketCountry, { ipv4: readonly string[]; ipv6: readonly string[] }>;

const PROFILE_WEIGHTS: Readonly<Record<EvidenceProfile, number>> = {
  consistent: 45, 'email-only': 10, 'phone-only': 10, 'ip-only': 12, 'iban-only': 8, conflicting: 7, none: 8,
};

function profilesFor(country: MarketCountry): EvidenceProfile[] {
  return EVIDENCE_PROFILES.filter((profile) => {
    if ((profile === 'iban-only' || profile === 'conflicting') && (COUNTRIES[country].iban === undefined || NEIGHBOUR[country] === undefined)) return false;
    return !(profile === 'email-only' && COUNTRIES[country].mailDomains.length === 0);
  });
}

const COUNTRY_WEIGHTS = MARKET_COUNTRIES.map((c) => COUNTRIES[c].weight);
const PROFILES_BY_COUNTRY: Readonly<Record<MarketCountry, { profiles: EvidenceProfile[]; weights: number[] }>> = Object.fromEntries(
  MARKET_COUNTRIES.map((c) => {
    const profiles = profilesFor(c);
    return [c, { profiles, weights: profiles.map((p) => PROFILE_WEIGHTS[p]) }];
  }),
) as Record<MarketCountry, { profiles: EvidenceProfile[]; weights: number[] }>;

const HANDLE_WORDS = ['shadow', 'darkside', 'ghost', 'viper', 'hacker', 'lookup', 'anon', 'cyber', 'reaper', 'phantom', 'crypto', 'skid', 'root',
  'doxer', 'breach', 'leaker', 'nightowl', 'zero', 'stealth', 'venom', 'osint', 'kraken', 'joker', 'tiger'];
const QUERY_WORDS = ['acme', 'webstore', 'forum', 'gaming', 'crypto', 'mail', 'bank', 'school', 'club', 'hosting', 'dating'];
const QUERY_SUFFIXES = ['shop', 'online', 'portal', 'hub', 'world', 'net'];
const CRYPT64 = './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const PLANS = [199, 499, 999, 1999, 4999, 6999];
/** Euro cents per bitcoin by year, roughly: what a plan cost in BTC when it was paid. */
const BTC_PRICE_CENTS: Readonly<Record<number, number>> = { 2017: 400_000, 2018: 650_000, 2019: 750_000, 2020: 1_100_000 };

// -------------------------------------------------------------------------------------- a person

type EmailKind = 'country' | 'generic';
type PhoneKind = 'international' | 'national' | 'none';
type IpKind = 'home' | 'private' | 'neighbour';

type MarketAccount = {
  index: number;
  id: number;
  username: string;
  email: string | undefined;
  phone: string | undefined;
  regIp: string | undefined;
  fullName: string | undefined;
  address: string | undefined;
  createdMs: number;
};

type MarketPerson = {
  index: number;
  country: MarketCountry;
  profile: EvidenceProfile;
  linkedBy: AccountLink | undefined;
  first: string;
  last: string;
  accounts: MarketAccount[];
  ipPool: string[];
  /** The IBAN every bank-transfer payment comes from, when the person pays that way. */
  iban: string | undefined;
  paid: boolean;
  evidence: PlantedEvidence[];
};

/** Streams of one person's PRNG: the core decides who they are; each table draws its rows from its own stream. */
const STREAM = { core: 0, logins: 1, payments: 2, searches: 3 } as const;
/** Password hashes are drawn per account, from streams above every person's. */
const PASSWORD_STREAMS = 0x4000_0000;

function personRng(plan: MarketPlan, person: number, stream: number): Rng {
  return new Rng(plan.seed >>> 0, person * 8 + stream);
}

/** The first draw of a person's core stream: planning reads it without building the person. */
function accountCount(rng: Rng): number {
  const r = rng.next();
  return r < 0.72 ? 1 : r < 0.94 ? 2 : 3;
}

function pickWeighted<T>(rng: Rng, items: readonly T[], weights: readonly number[]): T {
  let total = 0;
  for (const w of weights) total += w;
  let x = rng.next() * total;
  for (let i = 0; i < items.length; i++) {
    x -= weights[i] ?? 0;
    if (x < 0) return items[i] as T;
  }
  return items[items.length - 1] as T;
}

/** An affine permutation of [0, modulus): a bijection, so numbers derived from distinct inputs never collide. */
function scatter(value: number, multiplier: number, offset: number, modulus: number): number {
  return (multiplier * value + offset) % modulus;
}

/** A multiplier coprime to 10, so scatter() is a bijection on every power of ten; a different one per seed and salt. */
function multiplierFrom(seed: number, salt: number): number {
  let z = (Math.imul(seed >>> 0, 0x9e3779b1) + Math.imul(salt + 1, 0x85ebca6b)) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x7feb352d) >>> 0;
  z = Math.imul(z ^ (z >>> 15), 0x846ca68b) >>> 0;
  // large enough to spread neighbours over the range, small enough that value * multiplier stays exact
  let m = 1_000_003 + (((z ^ (z >>> 16)) >>> 0) % 8_000_000);
  while (m % 2 === 0 || m % 5 === 0) m++;
  return m;
}

// names come from short lists: their slugs are worked out once
const slugs = new Map<string, string>();

function slug(text: string): string {
  let known = slugs.get(text);
  if (known === undefined) {
    known = text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z]/g, '');
    slugs.set(text, known);
  }
  return known;
}

const TWO_DIGITS = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
const FIRST_DAY = Math.floor(REGISTRATION_START / DAY_MS);
const DAYS = Array.from({ length: Math.ceil((ACTIVITY_END - REGISTRATION_START) / DAY_MS) }, (_, i) => new Date((FIRST_DAY + i) * DAY_MS).toISOString().slice(0, 10));

/** MySQL DATETIME in UTC; formatting through Date took a sixth of the generator's time. */
function datetime(ms: number): string {
  const day = Math.floor(ms / DAY_MS);
  const seconds = Math.floor((ms - day * DAY_MS) / 1000);
  return `${DAYS[day - FIRST_DAY] ?? new Date(ms).toISOString().slice(0, 10)} ${TWO_DIGITS[Math.floor(seconds / 3600)]}:${TWO_DIGITS[Math.floor(seconds / 60) % 60]}:${TWO_DIGITS[seconds % 60]}`;
}

function between(rng: Rng, fromMs: number, toMs: number): number {
  return fromMs + Math.floor(rng.next() * Math.max(1, toMs - fromMs));
}

function ipv4In(rng: Rng, network: string): string {
  return `${network}.${rng.int(256)}.${rng.range(1, 254)}`;
}

/** Written canonically (no zero groups, lower case), as RFC 5952 and the evidence compare it. */
function ipv6In(rng: Rng, network: string): string {
  const group = () => rng.range(1, 0xffff).toString(16);
  return `${network}:${group()}:${group()}::${group()}`;
}

/** Addresses that say nothing about where someone is: a site behind a proxy, a carrier's NAT, a LAN. */
function unroutedIp(rng: Rng): string {
  const r = rng.next();
  if (r < 0.3) return '127.0.0.1';
  if (r < 0.6) return `10.${rng.int(256)}.${rng.int(256)}.${rng.range(1, 254)}`;
  if (r < 0.8) return `192.168.${rng.int(256)}.${rng.range(1, 254)}`;
  return `100.${rng.range(64, 127)}.${rng.int(256)}.${rng.range(1, 254)}`;
}

function addressOf(rng: Rng, country: MarketCountry): string {
  const data = COUNTRIES[country];
  return rng.chance(0.12) ? ipv6In(rng, rng.pick(data.ipv6)) : ipv4In(rng, rng.pick(data.ipv4));
}

function unique7(plan: MarketPlan, person: number, salt: number): string {
  return String(scatter(person, multiplierFrom(plan.seed, salt), multiplierFrom(plan.seed, salt + 100) % 10_000_000, 10_000_000)).padStart(7, '0');
}

function accountNumber(plan: MarketPlan, person: number, slot: number, salt: number): number {
  return scatter(person * 3 + slot, multiplierFrom(plan.seed, salt), multiplierFrom(plan.seed, salt + 100) % plan.numberSpace, plan.numberSpace);
}

function mailLocal(rng: Rng, first: string, last: string, number: number): string {
  const f = slug(first);
  const l = slug(last);
  const base = rng.pick([`${f}.${l}`, `${f}${l}`, `${f[0] ?? 'x'}${l}`, `${f}_${l}`, rng.pick(HANDLE_WORDS), `${f}.${rng.pick(HANDLE_WORDS)}`]);
  return base + number;
}

function writtenEmail(rng: Rng, address: string): string {
  // people type capitals the site kept; the same address in two accounts may differ only in case
  return rng.chance(0.12) ? address[0]!.toUpperCase() + address.slice(1) : address;
}

function password(rng: Rng): string {
  let out = '$2y$10$';
  for (let i = 0; i < 53; i++) out += CRYPT64[rng.int(64)];
  return out;
}

/** Who person `index` is: everything the users table and the truth need; events come from their own streams. */
function marketPerson(plan: MarketPlan, index: number): MarketPerson {
  const rng = personRng(plan, index, STREAM.core);
  const count = accountCount(rng);
  const country = pickWeighted(rng, MARKET_COUNTRIES, COUNTRY_WEIGHTS);
  const data = COUNTRIES[country];
  const { profiles, weights } = PROFILES_BY_COUNTRY[country];
  const profile = pickWeighted(rng, profiles, weights);
  const first = rng.pick(data.first);
  const last = rng.pick(data.last);

  let emailKind: EmailKind = 'generic';
  let phoneKind: PhoneKind = 'none';
  let ipKind: IpKind = 'private';
  let paysByIban = false;
  let paid = rng.chance(0.33);
  switch (profile) {
    case 'consistent': {
      if (data.mailDomains.length > 0 && rng.chance(0.7)) emailKind = 'country';
      const r = rng.next();
      phoneKind = r < 0.45 ? 'international' : r < 0.6 && data.national !== undefined ? 'national' : 'none';
      ipKind = 'home';
      paysByIban = paid && data.iban !== undefined && rng.chance(0.35);
      break;
    }
    case 'email-only':
      emailKind = 'country';
      break;
    case 'phone-only':
      phoneKind = data.national !== undefined && rng.chance(0.4) ? 'national' : 'international';
      break;
    case 'ip-only':
      ipKind = 'home';
      break;
    case 'iban-only':
      paid = true;
      paysByIban = true;
      break;
    case 'conflicting':
      ipKind = 'neighbour';
      paid = true;
      paysByIban = true;
      break;
    case 'none':
      break;
  }

  let linkedBy: AccountLink | undefined;
  if (count > 1) {
    const r = rng.next();
    linkedBy = r < 0.55 ? 'email' : r < 0.85 && phoneKind !== 'none' ? 'phone' : 'none';
  }

  const phoneNumber = data.phone(unique7(plan, index, 1), rng);
  const writePhone = () => (phoneKind === 'national' && data.national ? data.national(phoneNumber, rng) : data.international(phoneNumber, rng));
  const domains = emailKind === 'country' ? data.mailDomains : GENERIC_MAIL_DOMAINS;
  const sharedEmail = `${mailLocal(rng, first, last, accountNumber(plan, index, 0, 2))}@${rng.pick(domains)}`;

  const ipCountry = ipKind === 'home' ? country : ipKind === 'neighbour' ? NEIGHBOUR[country] : undefined;
  const ipPool: string[] = [];
  const poolSize = rng.range(1, 3);
  for (let i = 0; i < poolSize; i++) ipPool.push(ipCountry === undefined ? unroutedIp(rng) : addressOf(rng, ipCountry));

  const iban = paysByIban && data.iban ? data.iban(unique7(plan, index, 3), rng) : undefined;
  const hasName = rng.chance(0.35);
  const address = rng.chance(0.04) ? data.address(rng) : undefined;

  const accounts: MarketAccount[] = [];
  const firstIndex = plan.firstAccount[index] ?? 0;
  for (let slot = 0; slot < count; slot++) {
    const accountIndex = firstIndex + slot;
    const id = plan.idOf(accountIndex);
    // ids follow registration: created_at rises with the id, as on a real site
    const step = (REGISTRATION_END - REGISTRATION_START) / plan.accounts;
    const createdMs = REGISTRATION_START + Math.floor((id - 1) * step + rng.next() * step);
    let email: string | undefined;
    // the site did not insist on an e-mail address: some accounts have none, and so no exposure
    const hasEmail = linkedBy === 'email' || emailKind === 'country' || rng.chance(slot === 0 ? 0.95 : 0.85);
    if (hasEmail && (linkedBy === 'email' || slot === 0)) email = writtenEmail(rng, sharedEmail);
    else if (hasEmail) email = writtenEmail(rng, `${mailLocal(rng, first, last, accountNumber(plan, index, slot, 2))}@${rng.pick(domains)}`);
    // accounts linked by nothing must not share the number either, or the truth would lie about merging them
    const hasPhone = phoneKind !== 'none' && (slot === 0 || linkedBy === 'phone' || (linkedBy === 'email' && rng.chance(0.5)));
    const handleBase = rng.chance(0.5) ? rng.pick(HANDLE_WORDS) : rng.chance(0.5) ? `${slug(first)[0] ?? 'x'}${slug(last)}` : slug(first);
    accounts.push({
      index: accountIndex,
      id,
      username: handleBase + rng.pick(['', '', '_', '.']) + accountNumber(plan, index, slot, 5),
      email,
      phone: hasPhone ? writePhone() : undefined,
      regIp: ipKind === 'home' || ipKind === 'neighbour' || rng.chance(0.7) ? rng.pick(ipPool) : undefined,
      fullName: hasName && (slot === 0 || rng.chance(0.5)) ? `${first} ${last}` : undefined,
      address: slot === 0 ? address : undefined,
      createdMs,
    });
  }

  const evidence: PlantedEvidence[] = [];
  if (emailKind === 'country') evidence.push({ kind: 'email-domain', country });
  if (phoneKind === 'international') evidence.push({ kind: 'phone', country });
  if (phoneKind === 'national') evidence.push({ kind: 'phone', country, national: true });
  if (iban !== undefined) evidence.push({ kind: 'iban', country });
  if (ipCountry !== undefined) evidence.push({ kind: 'ip', country: ipCountry });
  return { index, country, profile, linkedBy, first, last, accounts, ipPool, iban, paid, evidence };
}

// ---------------------------------------------------------------------------------- their events

type Payment = { account: MarketAccount; amountUnits: number; currency: 'EUR' | 'USD' | 'BTC'; method: 'ideal' | 'card' | 'btc' | 'iban'; iban: string | undefined; paidMs: number };
type Search = { account: MarketAccount; query: string; searchedMs: number };
type Login = { account: MarketAccount; ip: string; loggedMs: number };

/** Amounts in units of 1e-8, so cents and satoshis add up exactly. */
const UNITS = 100_000_000;

function payments(plan: MarketPlan, person: MarketPerson): Payment[] {
  if (!person.paid) return [];
  const rng = personRng(plan, person.index, STREAM.payments);
  const count = Math.min(40, rng.geometric(2.5));
  const out: Payment[] = [];
  for (let i = 0; i < count; i++) {
    const account = i === 0 ? person.accounts[0]! : rng.pick(person.accounts);
    const paidMs = between(rng, account.createdMs, ACTIVITY_END);
    const cents = rng.pick(PLANS);
    let method: Payment['method'];
    // the first payment of an IBAN payer is a bank transfer, so the planted IBAN is in the dump
    if (person.iban !== undefined && (i === 0 || rng.chance(0.6))) method = 'iban';
    else if (person.country === 'NL' && rng.chance(0.35)) method = 'ideal';
    else method = rng.chance(0.5) ? 'card' : 'btc';
    let currency: Payment['currency'] = 'EUR';
    let amountUnits = cents * (UNITS / 100);
    if (method === 'btc') {
      currency = 'BTC';
      const year = new Date(paidMs).getUTCFullYear();
      amountUnits = Math.round((cents * UNITS) / (BTC_PRICE_CENTS[year] ?? 1_000_000));
    } else if (method === 'card' && (person.country === 'US' || person.country === 'GB')) {
      currency = 'USD';
    }
    out.push({ account, amountUnits, currency, method, iban: method === 'iban' ? person.iban : undefined, paidMs });
  }
  return out;
}

function searches(plan: MarketPlan, person: MarketPerson): Search[] {
  const rng = personRng(plan, person.index, STREAM.searches);
  const out: Search[] = [];
  for (const account of person.accounts) {
    // the free tier showed a few results; customers searched a lot more
    const count = person.paid ? Math.min(400, rng.geometric(18)) : rng.geometric(2) - 1;
    for (let i = 0; i < count; i++) out.push({ account, query: searchQuery(rng), searchedMs: between(rng, account.createdMs, ACTIVITY_END) });
  }
  return out;
}

function searchQuery(rng: Rng): string {
  const r = rng.next();
  const country = rng.pick(MARKET_COUNTRIES);
  const data = COUNTRIES[country];
  if (r < 0.55) {
    const domain = data.mailDomains.length > 0 && rng.chance(0.5) ? rng.pick(data.mailDomains) : rng.pick(GENERIC_MAIL_DOMAINS);
    return `${slug(rng.pick(data.first))}${rng.pick(['.', '', '_'])}${slug(rng.pick(data.last))}${rng.chance(0.5) ? rng.range(1, 99) : ''}@${domain}`;
  }
  if (r < 0.8) return rng.pick(HANDLE_WORDS) + rng.range(1, 9999);
  return `${rng.pick(QUERY_WORDS)}-${rng.pick(QUERY_SUFFIXES)}.example.${rng.pick(QUERY_TLDS)}`;
}

function logins(plan: MarketPlan, person: MarketPerson): Login[] {
  const rng = personRng(plan, person.index, STREAM.logins);
  const out: Login[] = [];
  for (const account of person.accounts) {
    const count = Math.min(300, rng.geometric(person.paid ? 9 : 3));
    for (let i = 0; i < count; i++) out.push({ account, ip: rng.pick(person.ipPool), loggedMs: between(rng, account.createdMs, ACTIVITY_END) });
  }
  return out;
}

// ----------------------------------------------------------------------------------------- plan

/** Draws each person's account count and lays out the account ids: the one pass over everyone before writing. */
export function planMarket(options: MarketOptions): MarketPlan {
  const { people, seed } = options;
  if (!Number.isInteger(people) || people < 1 || people > MAX_MARKET_PEOPLE) throw new RangeError(`people must be a whole number from 1 to ${MAX_MARKET_PEOPLE}`);
  const firstAccount = new Uint32Array(people + 1);
  const plan: MarketPlan = {
    people, seed, database: options.database ?? MARKET_DATABASE, accounts: 0, firstAccount,
    idOf: () => 0, accountOf: () => 0,
    numberSpace: 10 ** Math.max(4, String(people * 3).length),
  };
  for (let p = 0; p < people; p++) firstAccount[p + 1] = (firstAccount[p] ?? 0) + accountCount(personRng(plan, p, STREAM.core));
  const accounts = firstAccount[people] ?? 0;
  let multiplier = Math.max(1, Math.round(accounts * 0.6180339887));
  while (gcd(multiplier, accounts) !== 1) multiplier++;
  const inverse = modularInverse(multiplier, accounts);
  const offset = (seed >>> 0) % accounts;
  plan.accounts = accounts;
  // multiplier * index stays below 2^53 for every index under 3 * MAX_MARKET_PEOPLE
  plan.idOf = (index) => ((multiplier * index + offset) % accounts) + 1;
  plan.accountOf = (id) => (inverse * ((id - 1 - offset + accounts) % accounts)) % accounts;
  return plan;
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

function modularInverse(a: number, modulus: number): number {
  if (modulus === 1) return 0;
  let [oldR, r] = [a % modulus, modulus];
  let [oldS, s] = [1, 0];
  while (r !== 0) {
    const q = Math.floor(oldR / r);
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  return ((oldS % modulus) + modulus) % modulus;
}

function personOfAccount(plan: MarketPlan, account: number): number {
  let lo = 0;
  let hi = plan.people - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if ((plan.firstAccount[mid] ?? 0) <= account) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

// ----------------------------------------------------------------------------------------- dump

/** mysqldump's extended INSERTs run to about 1 MB (its net_buffer_length). */
const INSERT_BYTES = 1 << 20;

const ESCAPES: Readonly<Record<string, string>> = { '\\': '\\\\', "'": "\\'", '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\0': '\\0', '\x1a': '\\Z' };

function sql(value: string | undefined): string {
  if (value === undefined) return 'NULL';
  return `'${value.replace(/[\\'"\n\r\t\0\x1a]/g, (c) => ESCAPES[c] ?? c)}'`;
}

function decimal(units: number): string {
  return `${Math.floor(units / UNITS)}.${String(units % UNITS).padStart(8, '0')}`;
}

const CREATE: Readonly<Record<MarketTable, string>> = {
  logins: '  `id` bigint unsigned NOT NULL AUTO_INCREMENT,\n  `user_id` int unsigned NOT NULL,\n  `ip` varchar(45) NOT NULL,\n  `logged_at` datetime NOT NULL,\n' +
    '  PRIMARY KEY (`id`),\n  KEY `logins_user_id` (`user_id`),\n  CONSTRAINT `logins_user_id` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`)',
  payments: '  `id` int unsigned NOT NULL AUTO_INCREMENT,\n  `user_id` int unsigned NOT NULL,\n  `amount` decimal(18,8) NOT NULL,\n  `currency` char(3) NOT NULL,\n' +
    "  `method` enum('ideal','card','btc','iban') NOT NULL,\n  `iban` varchar(34) DEFAULT NULL,\n  `paid_at` datetime NOT NULL,\n" +
    '  PRIMARY KEY (`id`),\n  KEY `payments_user_id` (`user_id`),\n  CONSTRAINT `payments_user_id` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`)',
  searches: '  `id` bigint unsigned NOT NULL AUTO_INCREMENT,\n  `user_id` int unsigned NOT NULL,\n  `query` varchar(255) NOT NULL,\n  `searched_at` datetime NOT NULL,\n' +
    '  PRIMARY KEY (`id`),\n  KEY `searches_user_id` (`user_id`),\n  CONSTRAINT `searches_user_id` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`)',
  users: '  `id` int unsigned NOT NULL AUTO_INCREMENT,\n  `username` varchar(64) NOT NULL,\n  `email` varchar(191) DEFAULT NULL,\n  `password` char(60) NOT NULL,\n' +
    '  `reg_ip` varchar(45) DEFAULT NULL,\n  `phone` varchar(32) DEFAULT NULL,\n  `full_name` varchar(128) DEFAULT NULL,\n  `address` varchar(255) DEFAULT NULL,\n' +
    '  `created_at` datetime NOT NULL,\n  PRIMARY KEY (`id`),\n  UNIQUE KEY `users_username` (`username`),\n  KEY `users_email` (`email`)',
};

function header(plan: MarketPlan): string {
  return `-- MySQL dump 10.13  Distrib 8.0.22, for Linux (x86_64)
--
-- Host: 127.0.0.1    Database: ${plan.database}
-- ------------------------------------------------------
-- Server version\t8.0.22

/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;
/*!40101 SET @OLD_CHARACTER_SET_RESULTS=@@CHARACTER_SET_RESULTS */;
/*!40101 SET @OLD_COLLATION_CONNECTION=@@COLLATION_CONNECTION */;
/*!50503 SET NAMES utf8mb4 */;
/*!40103 SET @OLD_TIME_ZONE=@@TIME_ZONE */;
/*!40103 SET TIME_ZONE='+00:00' */;
/*!40014 SET @OLD_UNIQUE_CHECKS=@@UNIQUE_CHECKS, UNIQUE_CHECKS=0 */;
/*!40014 SET @OLD_FOREIGN_KEY_CHECKS=@@FOREIGN_KEY_CHECKS, FOREIGN_KEY_CHECKS=0 */;
/*!40101 SET @OLD_SQL_MODE=@@SQL_MODE, SQL_MODE='NO_AUTO_VALUE_ON_ZERO' */;
/*!40111 SET @OLD_SQL_NOTES=@@SQL_NOTES, SQL_NOTES=0 */;
`;
}

const FOOTER = `/*!40103 SET TIME_ZONE=@OLD_TIME_ZONE */;

/*!40101 SET SQL_MODE=@OLD_SQL_MODE */;
/*!40014 SET FOREIGN_KEY_CHECKS=@OLD_FOREIGN_KEY_CHECKS */;
/*!40014 SET UNIQUE_CHECKS=@OLD_UNIQUE_CHECKS */;
/*!40101 SET CHARACTER_SET_CLIENT=@OLD_CHARACTER_SET_CLIENT */;
/*!40101 SET CHARACTER_SET_RESULTS=@OLD_CHARACTER_SET_RESULTS */;
/*!40101 SET COLLATION_CONNECTION=@OLD_COLLATION_CONNECTION */;
/*!40111 SET SQL_NOTES=@OLD_SQL_NOTES */;

-- Dump completed on 2021-01-14  3:12:45
`;

function tableStart(table: MarketTable, autoIncrement: number | undefined): string {
  return `
--
-- Table structure for table \`${table}\`
--

DROP TABLE IF EXISTS \`${table}\`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!50503 SET character_set_client = utf8mb4 */;
CREATE TABLE \`${table}\` (
${CREATE[table]}
) ENGINE=InnoDB${autoIncrement === undefined ? '' : ` AUTO_INCREMENT=${autoIncrement}`} DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci;
/*!40101 SET character_set_client = @saved_cs_client */;

--
-- Dumping data for table \`${table}\`
--

LOCK TABLES \`${table}\` WRITE;
/*!40000 ALTER TABLE \`${table}\` DISABLE KEYS */;
`;
}

function tableEnd(table: MarketTable): string {
  return `/*!40000 ALTER TABLE \`${table}\` ENABLE KEYS */;\nUNLOCK TABLES;\n`;
}

/** Collects rows into extended INSERT lines of about INSERT_BYTES. */
class InsertLines {
  private rows: string[] = [];
  private bytes = 0;
  private readonly table: MarketTable;

  constructor(table: MarketTable) {
    this.table = table;
  }

  /** The finished line when this row filled it. */
  add(row: string): string | undefined {
    this.rows.push(row);
    this.bytes += row.length + 1;
    return this.bytes >= INSERT_BYTES ? this.flush() : undefined;
  }

  flush(): string | undefined {
    if (this.rows.length === 0) return undefined;
    const line = `INSERT INTO \`${this.table}\` VALUES ${this.rows.join(',')};\n`;
    this.rows = [];
    this.bytes = 0;
    return line;
  }
}

export type MarketProgress = (done: number, total: number) => void;

/**
 * The dump as text pieces (a header, an INSERT line of about 1 MB...), to be written in order.
 * Progress counts people per table: four passes over everyone.
 */
export function* marketDump(plan: MarketPlan, onProgress?: MarketProgress): Generator<string> {
  const total = plan.people * MARKET_TABLES.length;
  const every = Math.max(1000, Math.floor(plan.people / 100));
  yield header(plan);
  for (const [pass, table] of MARKET_TABLES.entries()) {
    yield tableStart(table, table === 'users' ? plan.accounts + 1 : undefined);
    const lines = new InsertLines(table);
    if (table === 'users') {
      yield* usersRows(plan, lines, (done) => onProgress !== undefined && done % every === 0 && onProgress(pass * plan.people + done, total));
    } else {
      let id = 0;
      for (let p = 0; p < plan.people; p++) {
        const person = marketPerson(plan, p);
        for (const row of eventRows(plan, table, person)) {
          id++;
          const line = lines.add(`(${id},${row}`);
          if (line !== undefined) yield line;
        }
        if (onProgress !== undefined && (p + 1) % every === 0) onProgress(pass * plan.people + p + 1, total);
      }
    }
    const last = lines.flush();
    if (last !== undefined) yield last;
    yield tableEnd(table);
  }
  yield FOOTER;
  onProgress?.(total, total);
}

/** An event table's rows of one person without their id (added in table order), each closing its parenthesis. */
function eventRows(plan: MarketPlan, table: Exclude<MarketTable, 'users'>, person: MarketPerson): string[] {
  switch (table) {
    case 'logins':
      return logins(plan, person).map((l) => `${l.account.id},${sql(l.ip)},'${datetime(l.loggedMs)}')`);
    case 'payments':
      return payments(plan, person).map((p) => `${p.account.id},${decimal(p.amountUnits)},'${p.currency}','${p.method}',${sql(p.iban)},'${datetime(p.paidMs)}')`);
    case 'searches':
      return searches(plan, person).map((s) => `${s.account.id},${sql(s.query)},'${datetime(s.searchedMs)}')`);
  }
}

/** Users in id order, as mysqldump writes them: each id's person is rebuilt from the seed. */
function* usersRows(plan: MarketPlan, lines: InsertLines, progress: (done: number) => void): Generator<string> {
  let cached: MarketPerson | undefined;
  let done = 0;
  for (let id = 1; id <= plan.accounts; id++) {
    const index = plan.accountOf(id);
    const p = personOfAccount(plan, index);
    if (cached?.index !== p) cached = marketPerson(plan, p);
    const slot = index - (plan.firstAccount[p] ?? 0);
    const account = cached.accounts[slot]!;
    // one stream per account, so the hash does not depend on the order the accounts are written in
    const hash = password(new Rng(plan.seed >>> 0, PASSWORD_STREAMS + index));
    const row = `(${id},${sql(account.username)},${sql(account.email)},'${hash}',${sql(account.regIp)},${sql(account.phone)},` +
      `${sql(account.fullName)},${sql(account.address)},'${datetime(account.createdMs)}')`;
    const line = lines.add(row);
    if (line !== undefined) yield line;
    // progress in people: a person is done with its last account, in whatever order that comes
    if (slot === cached.accounts.length - 1) progress(++done);
  }
}

// ---------------------------------------------------------------------------------------- truth

/** One truth record per person in person order, then the summary. */
export function* marketTruth(plan: MarketPlan): Generator<MarketTruthRecord> {
  const summary: MarketSummary = {
    kind: 'summary', database: plan.database, seed: plan.seed, people: plan.people, accounts: plan.accounts, accountsWithEmail: 0, emails: 0,
    linkedPeople: { email: 0, phone: 0, none: 0 }, payments: 0, searches: 0, logins: 0, countries: {},
  };
  for (let p = 0; p < plan.people; p++) {
    const person = marketPerson(plan, p);
    const paid = payments(plan, person);
    const searchCount = searches(plan, person).length;
    const loginList = logins(plan, person);
    const totals = new Map<string, number>();
    for (const payment of paid) totals.set(payment.currency, (totals.get(payment.currency) ?? 0) + payment.amountUnits);
    const ips = new Set<string>();
    for (const account of person.accounts) if (account.regIp !== undefined) ips.add(account.regIp);
    for (const login of loginList) ips.add(login.ip);
    const truth: MarketPersonTruth = {
      kind: 'person',
      id: `p-${String(p + 1).padStart(7, '0')}`,
      country: person.country,
      profile: person.profile,
      accounts: person.accounts.map((a) => a.username),
      ...(person.linkedBy === undefined ? {} : { linkedBy: person.linkedBy }),
      emails: distinct(person.accounts.map((a) => a.email?.toLowerCase())),
      phones: distinct(person.accounts.map((a) => a.phone)),
      ibans: person.iban === undefined ? [] : [person.iban],
      ips: [...ips].sort(),
      paid: paid.length > 0,
      payments: paid.length,
      paidTotal: Object.fromEntries([...totals].sort(([a], [b]) => (a < b ? -1 : 1)).map(([currency, units]) => [currency, units / UNITS])),
      searches: searchCount,
      logins: loginList.length,
      evidence: person.evidence,
    };
    yield truth;
    summary.accountsWithEmail += person.accounts.filter((a) => a.email !== undefined).length;
    // e-mail addresses are unique to a person (they end in the person's own number)
    summary.emails += truth.emails.length;
    if (person.linkedBy !== undefined) summary.linkedPeople[person.linkedBy]++;
    summary.payments += truth.payments;
    summary.searches += truth.searches;
    summary.logins += truth.logins;
    const country = (summary.countries[person.country] ??= { people: 0, paying: 0, accounts: 0, profiles: {} });
    country.people++;
    if (truth.paid) country.paying++;
    country.accounts += person.accounts.length;
    country.profiles[person.profile] = (country.profiles[person.profile] ?? 0) + 1;
  }
  yield summary;
}

function distinct(values: readonly (string | undefined)[]): string[] {
  return [...new Set(values.filter((v): v is string => v !== undefined))];
}
