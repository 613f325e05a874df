// Entity values and the many ways people write them. A "value" is the
// normalised form an extractor should output; "raw" is the text as typed.
// Every checksummed value is computed, never invented, so it validates.

import type { Rng } from './rng.ts';
import { isValidPhoneNumber } from 'libphonenumber-js/max';
import {
  base58CheckEncode,
  belgianAccountCheck,
  eip55,
  frenchRibKey,
  ibanCheckDigits,
  isLuhnValid,
  iso6346CheckDigit,
  luhnCheckDigit,
  moneroAddress,
  segwitV0Address,
  spanishControlDigits,
} from './checksums.ts';

export const ENTITY_TYPES = [
  'phone', 'iban', 'bic', 'email', 'url', 'ipv4', 'ipv6', 'btc', 'eth', 'xmr',
  'imei', 'plate', 'coordinates', 'container', 'amount',
] as const;
export type EntityType = (typeof ENTITY_TYPES)[number];

export type Lang = 'nl' | 'en' | 'fr';

export interface Mention {
  type: EntityType;
  value: string;
  raw: string;
}

export interface DecoyMention {
  type: EntityType;
  raw: string;
  why: string;
}

// ---------------------------------------------------------------- phones

type PhoneCountry = 'NL' | 'BE' | 'FR' | 'DE' | 'GB' | 'IE' | 'MA' | 'ES';

const PHONE_MIX: Record<Lang, readonly PhoneCountry[]> = {
  nl: ['NL', 'NL', 'NL', 'NL', 'NL', 'NL', 'NL', 'NL', 'NL', 'NL', 'NL', 'NL', 'BE', 'BE', 'DE', 'MA', 'ES', 'GB', 'FR'],
  en: ['GB', 'GB', 'GB', 'GB', 'GB', 'IE', 'IE', 'IE', 'NL', 'NL', 'ES', 'ES', 'MA'],
  fr: ['FR', 'FR', 'FR', 'FR', 'FR', 'FR', 'FR', 'BE', 'MA', 'MA', 'ES', 'NL'],
};

function nationalNumber(rng: Rng, c: PhoneCountry): string {
  switch (c) {
    case 'NL': return '6' + rng.range(1, 5) + rng.digits(7);
    case 'BE': return '4' + rng.range(5, 9) + rng.digits(7);
    case 'FR': return rng.pick(['6', '7']) + rng.digits(8);
    case 'DE': return rng.pick(['151', '152', '157', '160', '162', '170', '171', '172', '173', '176', '177', '178', '179']) + rng.digits(rng.pick([7, 8]));
    case 'GB': return '7' + rng.range(4, 9) + rng.digits(8);
    case 'IE': return '8' + rng.pick(['3', '5', '6', '7', '9']) + rng.digits(7);
    case 'MA': return rng.pick(['6', '7']) + rng.digits(8);
    case 'ES': return rng.pick(['6', '7']) + rng.digits(8);
  }
}

const CALLING_CODE: Record<PhoneCountry, string> = {
  NL: '31', BE: '32', FR: '33', DE: '49', GB: '44', IE: '353', MA: '212', ES: '34',
};

function pairs(s: string, sep: string): string {
  const out: string[] = [];
  for (let i = 0; i < s.length; i += 2) out.push(s.slice(i, i + 2));
  return out.join(sep);
}

/** Writings are chosen so a reader of that language could resolve the country. */
function writePhone(rng: Rng, c: PhoneCountry, n: string, lang: Lang): string {
  const cc = CALLING_CODE[c];
  const intl = (): string => rng.pick(['+' + cc + n, '00' + cc + n, '+' + cc + ' ' + n]);
  switch (c) {
    case 'NL': {
      const sub = n.slice(1);
      if (lang !== 'nl') return rng.pick(['+31 6 ' + sub, '+31' + n, '0031' + n, '+31 6 ' + sub.slice(0, 4) + ' ' + sub.slice(4)]);
      return rng.pick([
        '06' + sub, '06' + sub, '06-' + sub, '06 ' + sub, '+31 6 ' + sub, '+31' + n, '0031' + n,
        '(06) ' + sub.slice(0, 4) + ' ' + sub.slice(4), '06 ' + sub.slice(0, 4) + ' ' + sub.slice(4), '+316-' + sub,
      ]);
    }
    case 'BE': {
      const a = n.slice(0, 3);
      const rest = n.slice(3);
      if (lang === 'en') return rng.pick(['+32 ' + a + ' ' + pairs(rest, ' '), '+32' + n]);
      return rng.pick(['+32 ' + a + ' ' + pairs(rest, ' '), '0' + a + '/' + pairs(rest, '.'), '0' + a + ' ' + pairs(rest, ' '), '0032' + n, '+32' + n]);
    }
    case 'FR': {
      if (lang === 'fr') return rng.pick(['0' + n[0] + ' ' + pairs(n.slice(1), ' '), '0' + n[0] + '.' + pairs(n.slice(1), '.'), '0' + n, '+33 ' + n[0] + ' ' + pairs(n.slice(1), ' '), '+33' + n, '0033' + n]);
      return rng.pick(['+33 ' + n[0] + ' ' + pairs(n.slice(1), ' '), '+33' + n, '0033' + n]);
    }
    case 'DE':
      return rng.pick(['+49 ' + n.slice(0, 3) + ' ' + n.slice(3), '+49' + n, '0049' + n, '+49 (0)' + n.slice(0, 3) + ' ' + n.slice(3)]);
    case 'GB':
      if (lang === 'en') return rng.pick(['0' + n.slice(0, 4) + ' ' + n.slice(4), '0' + n, '+44 ' + n.slice(0, 4) + ' ' + n.slice(4), '+44' + n, '0044 ' + n.slice(0, 4) + ' ' + n.slice(4)]);
      return rng.pick(['+44 ' + n.slice(0, 4) + ' ' + n.slice(4), '+44' + n]);
    case 'IE':
      if (lang === 'en') return rng.pick(['0' + n.slice(0, 2) + ' ' + n.slice(2, 5) + ' ' + n.slice(5), '0' + n, '+353 ' + n.slice(0, 2) + ' ' + n.slice(2, 5) + ' ' + n.slice(5), '+353' + n]);
      return rng.pick(['+353 ' + n.slice(0, 2) + ' ' + n.slice(2), '+353' + n]);
    case 'MA':
      return rng.pick(['+212 ' + n[0] + ' ' + pairs(n.slice(1), ' '), '+212' + n, '00212 ' + n.slice(0, 3) + '-' + n.slice(3), '+212 ' + n]);
    case 'ES':
      return rng.pick(['+34 ' + n.slice(0, 3) + ' ' + pairs(n.slice(3), ' '), '+34 ' + n, '0034 ' + n.slice(0, 3) + ' ' + n.slice(3, 6) + ' ' + n.slice(6), intl()]);
  }
}

export interface PhoneValue {
  country: PhoneCountry;
  national: string;
}

export function makePhone(rng: Rng, lang: Lang): PhoneValue {
  const country = rng.pick(PHONE_MIX[lang]);
  // some drawn numbers fall in ranges no numbering plan assigns (French 070x, German 0151 with
  // seven digits): a planted phone must be a real one, or the truth file lies to the extractor
  for (;;) {
    const national = nationalNumber(rng, country);
    if (isValidPhoneNumber('+' + CALLING_CODE[country] + national)) return { country, national };
  }
}

export function phoneMention(rng: Rng, p: PhoneValue, lang: Lang): Mention {
  return { type: 'phone', value: '+' + CALLING_CODE[p.country] + p.national, raw: writePhone(rng, p.country, p.national, lang) };
}

// ---------------------------------------------------------------- IBAN / BIC

interface Bank {
  code: string;
  bic: string;
}
const NL_BANKS: readonly Bank[] = [
  { code: 'ABNA', bic: 'ABNANL2A' }, { code: 'RABO', bic: 'RABONL2U' }, { code: 'INGB', bic: 'INGBNL2A' },
  { code: 'SNSB', bic: 'SNSBNL2A' }, { code: 'TRIO', bic: 'TRIONL2U' }, { code: 'KNAB', bic: 'KNABNL2H' },
  { code: 'BUNQ', bic: 'BUNQNL2A' }, { code: 'ASNB', bic: 'ASNBNL21' }, { code: 'RBRB', bic: 'RBRBNL21' },
];
const BE_BANKS: readonly Bank[] = [
  { code: '001', bic: 'GEBABEBB' }, { code: '310', bic: 'BBRUBEBB' }, { code: '068', bic: 'GKCCBEBB' },
  { code: '734', bic: 'KREDBEBB' }, { code: '063', bic: 'BBRUBEBB' }, { code: '967', bic: 'TRWIBEB1' },
];
const DE_BANKS: readonly Bank[] = [
  { code: '10070000', bic: 'DEUTDEBBXXX' }, { code: '50040000', bic: 'COBADEFFXXX' }, { code: '37040044', bic: 'COBADEFFXXX' },
  { code: '10010010', bic: 'PBNKDEFFXXX' }, { code: '50070010', bic: 'DEUTDEFFXXX' }, { code: '10011001', bic: 'NTSBDEB1XXX' },
];
const FR_BANKS: readonly Bank[] = [
  { code: '30004', bic: 'BNPAFRPP' }, { code: '30003', bic: 'SOGEFRPP' }, { code: '20041', bic: 'PSSTFRPP' },
  { code: '30002', bic: 'CRLYFRPP' }, { code: '10278', bic: 'CMCIFR2A' }, { code: '16958', bic: 'QNTOFRP1' },
];
const ES_BANKS: readonly Bank[] = [
  { code: '2100', bic: 'CAIXESBB' }, { code: '0049', bic: 'BSCHESMM' }, { code: '0182', bic: 'BBVAESMM' },
  { code: '0081', bic: 'BSABESBB' }, { code: '2038', bic: 'CAHMESMM' },
];
const GB_BANKS: readonly Bank[] = [
  { code: 'NWBK', bic: 'NWBKGB2L' }, { code: 'BARC', bic: 'BARCGB22' }, { code: 'LOYD', bic: 'LOYDGB2L' },
  { code: 'HBUK', bic: 'HBUKGB4B' }, { code: 'MIDL', bic: 'MIDLGB22' }, { code: 'REVO', bic: 'REVOGB21' },
];

export interface IbanValue {
  iban: string;
  bic: string;
}

export function makeIban(rng: Rng, lang: Lang): IbanValue {
  const roll = rng.next();
  let country: string;
  let bban: string;
  let bank: Bank;
  const pool = lang === 'fr' ? ['FR', 'FR', 'FR', 'BE', 'ES', 'DE'] : lang === 'en' ? ['GB', 'GB', 'GB', 'NL', 'ES', 'DE'] : ['NL', 'NL', 'NL', 'NL', 'NL', 'BE', 'BE', 'DE', 'ES', 'FR', 'GB'];
  country = pool[Math.floor(roll * pool.length)] ?? 'NL';
  switch (country) {
    case 'BE': {
      bank = rng.pick(BE_BANKS);
      const first10 = bank.code + rng.digits(7);
      bban = first10 + belgianAccountCheck(first10);
      break;
    }
    case 'DE':
      bank = rng.pick(DE_BANKS);
      bban = bank.code + rng.digits(10);
      break;
    case 'FR': {
      bank = rng.pick(FR_BANKS);
      const branch = rng.digits(5);
      const account = rng.digits(11);
      bban = bank.code + branch + account + frenchRibKey(bank.code, branch, account);
      break;
    }
    case 'ES': {
      bank = rng.pick(ES_BANKS);
      const branch = rng.digits(4);
      const account = rng.digits(10);
      bban = bank.code + branch + spanishControlDigits(bank.code, branch, account) + account;
      break;
    }
    case 'GB':
      bank = rng.pick(GB_BANKS);
      bban = bank.code + rng.digits(6) + rng.digits(8);
      break;
    default:
      country = 'NL';
      bank = rng.pick(NL_BANKS);
      bban = bank.code + '0' + rng.digits(9);
  }
  return { iban: country + ibanCheckDigits(country, bban) + bban, bic: bank.bic };
}

function groupsOf4(s: string): string {
  return s.replace(/(.{4})(?=.)/g, '$1 ');
}

export function ibanMention(rng: Rng, v: IbanValue): Mention {
  const r = rng.next();
  const raw = r < 0.45 ? v.iban : r < 0.8 ? groupsOf4(v.iban) : r < 0.9 ? v.iban.toLowerCase() : groupsOf4(v.iban.toLowerCase());
  return { type: 'iban', value: v.iban, raw };
}

export function bicMention(rng: Rng, v: IbanValue): Mention {
  // An 11-char BIC with the XXX branch is often shortened to 8 when typed.
  const short = v.bic.endsWith('XXX') && rng.chance(0.5) ? v.bic.slice(0, 8) : v.bic;
  return { type: 'bic', value: short, raw: rng.chance(0.15) ? short.toLowerCase() : short };
}

// ---------------------------------------------------------------- email / url / ip

const MAIL_WORDS = ['rico', 'mo', 'ghost', 'dj', 'king', 'boss', 'info', 'contact', 'jay', 'sem', 'naoufal', 'ridouan', 'kev', 'dazza', 'niall', 'karim', 'yanis', 'sofiane', 'nordin', 'tmk', 'zuid', 'west', 'autos', 'import', 'export', 'trading', 'holding', 'bv', 'invest', 'cars', 'kapsalon', 'barber', 'bouw'];
const MAIL_DOMAINS = ['gmail.com', 'hotmail.com', 'hotmail.nl', 'live.nl', 'outlook.com', 'protonmail.com', 'protonmail.ch', 'tutanota.com', 'ziggo.nl', 'kpnmail.nl', 'yahoo.fr', 'orange.fr', 'laposte.net', 'gmx.de', 'icloud.com', 'yahoo.co.uk', 'eircom.net', 'cock.li', 'riseup.net'];

export function makeEmail(rng: Rng): Mention {
  let local = rng.pick(MAIL_WORDS);
  const r = rng.next();
  if (r < 0.35) local += rng.pick(['.', '_', '']) + rng.pick(MAIL_WORDS);
  if (rng.chance(0.55)) local += rng.digits(rng.range(2, 4));
  const value = local + '@' + rng.pick(MAIL_DOMAINS);
  const raw = rng.chance(0.1) ? value[0]!.toUpperCase() + value.slice(1) : value;
  return { type: 'email', value, raw };
}

const SLUG_WORDS = ['audi-rs6', 'golf-gti', 'mercedes-c63', 'bmw-m4', 'loods-te-huur', 'bedrijfsruimte', 'scooter', 'iphone-11', 'rolex-submariner', 'kapsalon', 'horeca-pand'];
const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

function alnum(rng: Rng, n: number): string {
  let out = '';
  for (let i = 0; i < n; i++) out += ALNUM[rng.int(ALNUM.length)];
  return out;
}

function hex(rng: Rng, n: number): string {
  let out = '';
  for (let i = 0; i < n; i++) out += '0123456789abcdef'[rng.int(16)];
  return out;
}

export function makeUrl(rng: Rng): Mention {
  const r = rng.int(9);
  let value: string;
  switch (r) {
    case 0: value = 'https://t.me/' + rng.pick(MAIL_WORDS) + rng.digits(3); break;
    case 1: value = 'https://wetransfer.com/downloads/' + hex(rng, 32) + '/' + hex(rng, 6); break;
    case 2: value = 'https://pastebin.com/' + alnum(rng, 8); break;
    case 3: value = 'https://www.marktplaats.nl/v/auto-s/' + rng.pick(SLUG_WORDS) + '/m' + rng.digits(10); break;
    case 4: value = 'https://mega.nz/file/' + alnum(rng, 8) + '#' + alnum(rng, 22); break;
    case 5: value = 'www.' + rng.pick(MAIL_WORDS) + rng.pick(['autos', 'trading', 'invest', 'cars']) + rng.pick(['.nl', '.be', '.com', '.eu']); break;
    case 6: value = 'https://www.funda.nl/koop/' + rng.pick(['rotterdam', 'amsterdam', 'utrecht', 'almere', 'breda', 'eindhoven']) + '/huis-' + rng.digits(8) + '-' + rng.pick(['kerkstraat', 'dorpsweg', 'havenkade', 'laan-van-nieuw-oost-indie']) + '-' + rng.range(1, 220) + '/'; break;
    case 7: value = 'https://www.leboncoin.fr/voitures/' + rng.digits(10) + '.htm'; break;
    default: value = 'https://bit.ly/' + alnum(rng, 7);
  }
  return { type: 'url', value, raw: value };
}

export function makeIpv4(rng: Rng): Mention {
  const first = rng.pick([31, 37, 45, 62, 77, 81, 82, 83, 84, 85, 86, 87, 89, 91, 92, 94, 145, 146, 178, 185, 188, 193, 194, 195, 212, 213, 217, 10, 192]);
  const value = first === 192 ? '192.168.' + rng.int(3) + '.' + rng.range(2, 254)
    : first === 10 ? '10.' + rng.int(256) + '.' + rng.int(256) + '.' + rng.range(1, 254)
    : first + '.' + rng.int(256) + '.' + rng.int(256) + '.' + rng.range(1, 254);
  return { type: 'ipv4', value, raw: value };
}

/** RFC 5952 canonical text: lower-case, no leading zeros, longest zero run (>=2) as "::". */
export function canonicalIpv6(groups: readonly number[]): string {
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  const hexes = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hexes.join(':');
  return hexes.slice(0, bestStart).join(':') + '::' + hexes.slice(bestStart + bestLen).join(':');
}

export function makeIpv6(rng: Rng): Mention {
  const prefix = rng.pick([[0x2001, 0x0db8], [0x2a02, 0x0a46], [0x2a01, 0x07c8], [0x2001, 0x067c], [0x2a00, 0x1450], [0xfe80, 0]]);
  const groups = [prefix[0] ?? 0, prefix[1] ?? 0];
  const zeroRun = rng.int(4);
  for (let i = 2; i < 8; i++) groups.push(i >= 3 && i < 3 + zeroRun ? 0 : rng.chance(0.3) ? rng.int(256) : rng.int(65536));
  const value = canonicalIpv6(groups);
  const r = rng.next();
  const raw = r < 0.7 ? value : r < 0.85 ? value.toUpperCase() : groups.map((g) => g.toString(16).padStart(4, '0')).join(':');
  return { type: 'ipv6', value, raw };
}

// ---------------------------------------------------------------- crypto

export function makeBtc(rng: Rng): Mention {
  const r = rng.next();
  let value: string;
  if (r < 0.45) value = base58CheckEncode(0x00, rng.bytes(20));
  else if (r < 0.65) value = base58CheckEncode(0x05, rng.bytes(20));
  else if (r < 0.95) value = segwitV0Address('bc', rng.bytes(20));
  else value = segwitV0Address('bc', rng.bytes(32));
  return { type: 'btc', value, raw: value };
}

export function makeEth(rng: Rng): Mention {
  const lower = hex(rng, 40);
  const value = '0x' + lower;
  return { type: 'eth', value, raw: rng.chance(0.75) ? eip55(lower) : value };
}

export function makeXmr(rng: Rng): Mention {
  const value = moneroAddress(rng.bytes(32), rng.bytes(32));
  return { type: 'xmr', value, raw: value };
}

// ---------------------------------------------------------------- devices

export interface DeviceModel {
  model: string;
  tacs: readonly string[];
}

// Type Allocation Codes in the ranges used for these handsets; EncroChat
// shipped mostly on BQ Aquaris X2 hardware, a few older Aquaris models too.
export const DEVICE_MODELS: readonly DeviceModel[] = [
  { model: 'Aquaris X2', tacs: ['35693803', '35693804', '35397110', '35397111'] },
  { model: 'Aquaris X2', tacs: ['35693803', '35397110'] },
  { model: 'Aquaris X2', tacs: ['35693804', '35397111'] },
  { model: 'Aquaris X2 Pro', tacs: ['35397210', '35397211'] },
  { model: 'Aquaris X', tacs: ['35821908', '35821909'] },
  { model: 'Aquaris X Pro', tacs: ['35822008'] },
  { model: 'Aquaris V', tacs: ['35468610'] },
  { model: 'Aquaris U Plus', tacs: ['35909107'] },
];

export function makeImei(rng: Rng, tac?: string): string {
  const prefix = (tac ?? rng.pick(rng.pick(DEVICE_MODELS).tacs)) + rng.digits(6);
  return prefix + luhnCheckDigit(prefix);
}

export function imeiMention(rng: Rng, imei: string): Mention {
  const r = rng.next();
  const raw = r < 0.65 ? imei : r < 0.85 ? imei.slice(0, 2) + '-' + imei.slice(2, 8) + '-' + imei.slice(8, 14) + '-' + imei.slice(14)
    : imei.slice(0, 2) + ' ' + imei.slice(2, 8) + ' ' + imei.slice(8, 14) + ' ' + imei.slice(14);
  return { type: 'imei', value: imei, raw };
}

// ---------------------------------------------------------------- plates

// Dutch plates avoid vowels (and C, Q, W) since sidecode 4 to prevent words.
const NL_LETTERS = 'BDFGHJKLNPRSTVXZ';
const LETTERS = 'ABCDEFGHJKLMNPRSTVWXYZ';
const NL_SIDECODES = ['99-XXX-9', 'XX-999-X', '9-XXX-99', 'X-999-XX', 'XXX-99-X', 'XX-99-XX', '99-XX-XX', 'X-99-XXX', '9-XX-999', '999-XX-9'];
const DE_CITIES = ['M', 'B', 'HH', 'K', 'D', 'DU', 'E', 'F', 'KLE', 'BOR', 'AC', 'S', 'HB', 'OB'];

function fillPattern(rng: Rng, pattern: string, letters: string): string {
  let out = '';
  for (const ch of pattern) out += ch === 'X' ? letters[rng.int(letters.length)] : ch === '9' ? String(rng.int(10)) : ch;
  return out;
}

export interface PlateValue {
  country: 'NL' | 'BE' | 'DE' | 'FR' | 'GB';
  groups: string[];
}

export function makePlate(rng: Rng, lang: Lang): PlateValue {
  const r = rng.next();
  if (lang === 'fr' ? r < 0.7 : r < 0.04) return { country: 'FR', groups: fillPattern(rng, 'XX-999-XX', LETTERS).split('-') };
  if (lang === 'en' && r < 0.6) return { country: 'GB', groups: [fillPattern(rng, 'XX99', LETTERS), fillPattern(rng, 'XXX', LETTERS)] };
  if (r < 0.16) return { country: 'BE', groups: [String(rng.range(1, 2)), fillPattern(rng, 'XXX', LETTERS), rng.digits(3)] };
  if (r < 0.24) return { country: 'DE', groups: [rng.pick(DE_CITIES), fillPattern(rng, rng.chance(0.5) ? 'XX' : 'X', LETTERS), String(rng.range(1, 9999))] };
  return { country: 'NL', groups: fillPattern(rng, rng.pick(NL_SIDECODES), NL_LETTERS).split('-') };
}

export function plateMention(rng: Rng, p: PlateValue): Mention {
  const value = p.groups.join('-');
  let raw: string;
  if (p.country === 'DE') raw = rng.chance(0.7) ? p.groups[0] + ' ' + p.groups[1] + ' ' + p.groups[2] : p.groups[0] + '-' + p.groups[1] + ' ' + p.groups[2];
  else if (p.country === 'GB') raw = rng.chance(0.8) ? p.groups.join(' ') : p.groups.join('');
  else {
    const r = rng.next();
    raw = r < 0.7 ? value : r < 0.85 ? value.toLowerCase() : p.groups.join(' ');
  }
  return { type: 'plate', value: p.country + ':' + value, raw };
}

// ---------------------------------------------------------------- coordinates

export const PLACES: Readonly<Record<string, readonly [number, number]>> = {
  rotterdam: [51.9225, 4.47917], maasvlakte: [51.9536, 4.0426], waalhaven: [51.8853, 4.4269], botlek: [51.8784, 4.2917],
  antwerpen: [51.2194, 4.4025], 'haven antwerpen': [51.2806, 4.3167], amsterdam: [52.3676, 4.9041], zuidoost: [52.3127, 4.9747],
  utrecht: [52.0907, 5.1214], eindhoven: [51.4416, 5.4697], tilburg: [51.5555, 5.0913], breda: [51.5719, 4.7683],
  'den haag': [52.0705, 4.3007], almere: [52.3508, 5.2647], moerdijk: [51.7019, 4.6261], 'wouwse plantage': [51.4875, 4.3744],
  marseille: [43.2965, 5.3698], 'quartiers nord': [43.3556, 5.3811], paris: [48.8566, 2.3522], 'le havre': [49.4944, 0.1079],
  marbella: [36.5101, -4.8825], malaga: [36.7213, -4.4214], tanger: [35.7595, -5.834], dubai: [25.2048, 55.2708],
  liverpool: [53.4084, -2.9916], dublin: [53.3498, -6.2603], felixstowe: [51.9617, 1.3514], manchester: [53.4808, -2.2426],
};
export const PLACE_NAMES = Object.keys(PLACES);

function dms(v: number, pos: string, neg: string): string {
  const a = Math.abs(v);
  const d = Math.floor(a);
  const mFloat = (a - d) * 60;
  const m = Math.floor(mFloat);
  const s = ((mFloat - m) * 60).toFixed(1);
  return d + '°' + m + "'" + s + '"' + (v >= 0 ? pos : neg);
}

export interface CoordValue {
  lat: number;
  lon: number;
}

export function makeCoords(rng: Rng, place?: string): CoordValue {
  const base = PLACES[place ?? rng.pick(PLACE_NAMES)] ?? [51.9225, 4.47917];
  return { lat: Math.round((base[0] + (rng.next() - 0.5) * 0.08) * 1e5) / 1e5, lon: Math.round((base[1] + (rng.next() - 0.5) * 0.12) * 1e5) / 1e5 };
}

/** Returns one or two mentions: a maps link is both a URL and a coordinate pair. */
export function coordMentions(rng: Rng, c: CoordValue): Mention[] {
  const value = c.lat.toFixed(5) + ',' + c.lon.toFixed(5);
  const r = rng.next();
  if (r < 0.45) return [{ type: 'coordinates', value, raw: c.lat + ', ' + c.lon }];
  if (r < 0.55) return [{ type: 'coordinates', value, raw: c.lat + ',' + c.lon }];
  if (r < 0.7) return [{ type: 'coordinates', value, raw: dms(c.lat, 'N', 'S') + ' ' + dms(c.lon, 'E', 'W') }];
  const link = rng.chance(0.6)
    ? 'https://www.google.com/maps/@' + c.lat + ',' + c.lon + ',' + rng.range(14, 19) + 'z'
    : 'https://maps.google.com/?q=' + c.lat + ',' + c.lon;
  return [{ type: 'coordinates', value, raw: link }, { type: 'url', value: link, raw: link }];
}

// ---------------------------------------------------------------- containers

const OWNER_CODES = ['MSCU', 'MEDU', 'MAEU', 'MRKU', 'MSKU', 'CMAU', 'CGMU', 'HLXU', 'HLBU', 'OOLU', 'EGHU', 'EISU', 'TGHU', 'TCLU', 'CSQU', 'CCLU', 'APZU', 'SUDU', 'HDMU', 'ONEU', 'YMLU', 'CAIU', 'TEMU', 'GESU', 'FCIU', 'TRLU', 'SEGU', 'BMOU', 'TTNU', 'DFSU', 'HASU', 'ZIMU', 'SZLU'];

export function makeContainer(rng: Rng): string {
  for (;;) {
    const first10 = rng.pick(OWNER_CODES) + rng.digits(6);
    const check = iso6346CheckDigit(first10);
    // Check value 10 is legal but discouraged by ISO 6346; carriers skip those serials.
    if (check < 10) return first10 + check;
  }
}

export function containerMention(rng: Rng, c: string): Mention {
  const r = rng.next();
  const raw = r < 0.6 ? c : r < 0.8 ? c.slice(0, 4) + ' ' + c.slice(4, 10) + ' ' + c.slice(10)
    : r < 0.9 ? c.slice(0, 4) + ' ' + c.slice(4, 10) + '-' + c.slice(10) : c.toLowerCase();
  return { type: 'container', value: c, raw };
}

// ---------------------------------------------------------------- amounts

function thousands(n: number, sep: string): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, sep);
}

export function makeAmountValue(rng: Rng): number {
  const r = rng.next();
  if (r < 0.3) return rng.range(1, 20) * 500;
  if (r < 0.75) return rng.range(5, 150) * 1000;
  if (r < 0.95) return rng.range(150, 990) * 1000;
  return rng.range(1, 12) * 1_000_000;
}

export function amountMention(rng: Rng, n: number, lang: Lang): Mention {
  // Shorthand only where people use it: "25k" for thousands, "2 mil" for millions.
  const k = n % 1000 === 0 && n < 1_000_000 ? n / 1000 : 0;
  const m = n % 1_000_000 === 0 ? n / 1_000_000 : 0;
  let raw: string;
  let currency = 'EUR';
  if (lang === 'en' && rng.chance(0.7)) {
    currency = 'GBP';
    const opts = ['£' + thousands(n, ','), '£' + thousands(n, ',') + '.00'];
    if (n < 10_000) opts.push(n + ' quid');
    if (k > 0) opts.push('£' + k + 'k', k + ' grand', k + ' bags');
    if (m > 0) opts.push('£' + m + 'm', m + ' million quid');
    raw = rng.pick(opts);
  } else if (lang === 'fr') {
    const opts = [thousands(n, ' ') + ' €', thousands(n, ' ') + ' euros', thousands(n, '.') + ' eur'];
    if (n < 100_000) opts.push(n + '€');
    if (k > 0) opts.push(k + 'k€', k + 'k', k + ' K€', k + ' 000 balles');
    if (m > 0) opts.push(m + ' millions', m + ' M€');
    raw = rng.pick(opts);
  } else {
    const opts = ['€ ' + thousands(n, '.'), '€' + thousands(n, '.'), thousands(n, '.') + ' euro', 'EUR ' + thousands(n, '.'), thousands(n, '.') + ',-'];
    if (n < 100_000) opts.push(n + ' eu', n + ' euro');
    if (k > 0) opts.push(k + 'k', k + 'k', k + 'K', '€' + k + 'k', k + ' ruggen', k + 'k euro');
    if (m > 0) opts.push(m + ' mil', m + ' miljoen', '€' + m + 'M');
    raw = rng.pick(opts);
  }
  return { type: 'amount', value: currency + ' ' + n, raw };
}

// ---------------------------------------------------------------- decoys

const DECOY_NAMES = [
  'order', 'shortphone', 'iban', 'imei', 'btc', 'bech32', 'container', 'date', 'score', 'pizza', 'stenen', 'version', 'eth', 'parcel',
] as const;
export type DecoyName = (typeof DECOY_NAMES)[number];

function mutateChar(rng: Rng, s: string, from: number, to: number, alphabet: string): string {
  const i = rng.range(from, to);
  const old = s[i];
  let c = old;
  while (c === old) c = alphabet[rng.int(alphabet.length)];
  return s.slice(0, i) + c + s.slice(i + 1);
}

export function makeDecoy(rng: Rng, name: DecoyName, lang: Lang): DecoyMention {
  switch (name) {
    case 'order': return { type: 'phone', raw: rng.range(1, 9) + rng.digits(9), why: 'order number (10 digits, no valid dialling prefix)' };
    case 'shortphone': return { type: 'phone', raw: rng.pick(['06', '06-']) + rng.digits(7), why: 'mobile prefix with too few digits' };
    case 'parcel': return { type: 'phone', raw: rng.pick(['3S', 'JVGL', 'CD']) + rng.digits(rng.range(11, 14)), why: 'parcel tracking number' };
    case 'iban': {
      const good = makeIban(rng, lang).iban;
      const cd = good.slice(2, 4);
      let bad = cd;
      while (bad === cd) bad = String(rng.range(2, 98)).padStart(2, '0');
      const s = good.slice(0, 2) + bad + good.slice(4);
      return { type: 'iban', raw: rng.chance(0.5) ? groupsOf4(s) : s, why: 'IBAN-shaped, MOD-97 check fails' };
    }
    case 'imei': {
      const good = makeImei(rng);
      const last = good.charCodeAt(14) - 48;
      const bad = good.slice(0, 14) + String((last + rng.range(1, 9)) % 10);
      if (isLuhnValid(bad)) throw new Error('decoy imei accidentally valid');
      return { type: 'imei', raw: bad, why: '15 digits failing Luhn' };
    }
    case 'btc': {
      const good = base58CheckEncode(rng.chance(0.7) ? 0 : 5, rng.bytes(20));
      return { type: 'btc', raw: mutateChar(rng, good, 5, good.length - 2, '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz'), why: 'base58check checksum wrong' };
    }
    case 'bech32': {
      const good = segwitV0Address('bc', rng.bytes(20));
      // bech32's BCH code detects every single-character substitution.
      return { type: 'btc', raw: mutateChar(rng, good, 5, good.length - 1, 'qpzry9x8gf2tvdw0s3jn54khce6mua7l'), why: 'bech32 checksum wrong' };
    }
    case 'container': {
      const good = makeContainer(rng);
      const check = good.charCodeAt(10) - 48;
      return { type: 'container', raw: good.slice(0, 10) + String((check + rng.range(1, 9)) % 10), why: 'ISO 6346 check digit wrong' };
    }
    case 'date': {
      const d = rng.range(1, 28);
      const m = rng.range(1, 12);
      const pad = (x: number): string => (x < 10 ? '0' + x : String(x));
      return { type: 'phone', raw: rng.pick([pad(d) + '-' + pad(m) + '-2020', '2020-' + pad(m) + '-' + pad(d), pad(d) + '/' + pad(m) + '/2020', pad(d) + '-' + pad(m) + '-20']), why: 'date' };
    }
    case 'score': return { type: 'amount', raw: rng.int(5) + '-' + rng.int(4), why: 'football score' };
    case 'pizza': {
      const e = rng.range(6, 24);
      const c = rng.pick(['50', '95', '00', '45']);
      return { type: 'amount', raw: lang === 'en' ? '£' + e + '.' + c : rng.chance(0.5) ? '€' + e + ',' + c : e + ',' + c, why: 'price of food (everyday, not a transaction)' };
    }
    case 'stenen': return { type: 'amount', raw: rng.range(2, 400) + ' ' + (lang === 'fr' ? rng.pick(['kils', 'plaquettes']) : lang === 'en' ? rng.pick(['keys', 'bricks']) : rng.pick(['stenen', 'stenen', 'blokken', 'kilo'])), why: 'quantity of drugs (kilos), not money' };
    case 'version': return { type: 'ipv4', raw: rng.range(1, 12) + '.' + rng.range(0, 9) + '.' + rng.range(0, 40) + '.' + rng.range(256, 999), why: 'version number (octet > 255)' };
    case 'eth': {
      const lower = hex(rng, 40);
      const good = eip55(lower);
      // Flip the case of one letter so the mixed-case checksum no longer holds.
      const letters: number[] = [];
      for (let i = 2; i < 42; i++) if (/[a-fA-F]/.test(good[i] ?? '')) letters.push(i);
      if (letters.length === 0 || good.slice(2) === lower || good.slice(2) === lower.toUpperCase()) return { type: 'eth', raw: '0x' + lower.slice(0, 38), why: '0x + 38 hex, too short' };
      const i = rng.pick(letters);
      const ch = good[i] ?? 'a';
      const flipped = ch === ch.toUpperCase() ? ch.toLowerCase() : ch.toUpperCase();
      return { type: 'eth', raw: good.slice(0, i) + flipped + good.slice(i + 1), why: 'EIP-55 mixed-case checksum wrong' };
    }
  }
}
