// What a seized site knew about one of its accounts that says who and where the person is: the
// e-mail addresses, phone numbers, IP addresses, IBANs and postal address in its row, its
// credential exposures and its events. Which column held what comes from the site-database
// mapping (`extra['lode:roles']`); accounts ingested before that was recorded fall back to the
// shape of the values (IP and e-mail) and to column names (phone, address).
import { isIP } from 'node:net';
import { ACCOUNT_ROLES_KEY } from '../model/records.ts';
import { normaliseIban } from '../extract/entities/iban.ts';
import { siteTimestamp } from '../ingest/formats/site-mapping.ts';
import type { SiteAccount } from '../store/store.ts';

export type AccountIdentifiers = {
  emails: string[];
  /** As the site wrote them: normalising needs the campaign's countries. */
  phones: string[];
  ips: string[];
  /** Valid IBANs, electronic format. */
  ibans: string[];
  addresses: string[];
  registered?: string;
};

type Roles = Partial<Record<'email' | 'phone' | 'ip' | 'address' | 'ts' | 'date_of_birth', string>>;

// A person's logins can come from hundreds of addresses; the newest few say where they live.
const MAX_EVENT_IPS = 10;
const IP_FIELDS = /^(ip|ip_?address|remote_?addr|client_?ip|last_?ip|login_?ip)$/i;
const PHONE_COLUMN = /phone|mobile|msisdn|gsm|^tel/i;
const ADDRESS_COLUMN = /^(address|street|street_?address|addr|address1)$/i;
const IBAN_SHAPE = /^[A-Za-z]{2}\d{2}[A-Za-z0-9 -]{10,34}$/;
const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function accountIdentifiers(account: SiteAccount): AccountIdentifiers {
  const roles = account.extra[ACCOUNT_ROLES_KEY] as Roles | undefined;
  const text = (column: string | undefined) => {
    const value = column === undefined ? undefined : account.extra[column];
    return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
  };
  const emails = new Set(account.exposures.filter((e) => e.type === 'email').map((e) => e.identifier.toLowerCase()));
  const phones = new Set(account.exposures.filter((e) => e.type === 'phone').map((e) => e.identifier));
  const ips = new Set<string>();
  const addresses = new Set<string>();
  const ibans = new Set<string>();
  const own = Object.entries(account.extra).filter(([key, value]) => key !== ACCOUNT_ROLES_KEY && typeof value === 'string') as [string, string][];
  if (roles) {
    const add = (set: Set<string>, value: string | undefined) => value !== undefined && set.add(value);
    add(emails, text(roles.email)?.toLowerCase());
    add(phones, text(roles.phone));
    add(addresses, text(roles.address));
    const ip = text(roles.ip);
    if (ip !== undefined && isIP(ip)) ips.add(ip);
  } else {
    for (const [column, value] of own) {
      const trimmed = value.trim();
      if (isIP(trimmed)) ips.add(trimmed);
      else if (EMAIL_SHAPE.test(trimmed)) emails.add(trimmed.toLowerCase());
      else if (PHONE_COLUMN.test(column)) phones.add(trimmed);
      else if (ADDRESS_COLUMN.test(column)) addresses.add(trimmed);
    }
  }
  for (const [, value] of own) addIban(ibans, value);
  const eventIps: string[] = [];
  for (const event of account.events) {
    for (const [field, value] of Object.entries(event.fields)) {
      if (typeof value !== 'string') continue;
      addIban(ibans, value);
      if (IP_FIELDS.test(field) && isIP(value.trim())) eventIps.push(value.trim());
    }
  }
  // events come oldest first: keep the newest distinct addresses
  for (const ip of [...new Set(eventIps.reverse())].slice(0, MAX_EVENT_IPS)) ips.add(ip);
  return {
    emails: [...emails].sort(), phones: [...phones].sort(), ips: [...ips].sort(), ibans: [...ibans].sort(), addresses: [...addresses].sort(),
    registered: registeredAt(text(roles?.ts)),
  };
}

function addIban(ibans: Set<string>, value: string): void {
  if (!IBAN_SHAPE.test(value.trim())) return;
  const iban = normaliseIban(value);
  if (iban) ibans.add(iban);
}

function registeredAt(value: string | undefined): string | undefined {
  const ts = value === undefined ? undefined : siteTimestamp(value);
  if (ts === undefined) return undefined;
  // site dumps write DATETIME without a zone: the ingest flags those as UTC, and so do we
  const ms = Date.parse(/(Z|[+-]\d{2}:?\d{2})$/.test(ts) ? ts : `${ts}Z`);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
}
