// SMS Backup & Restore (SyncTech, Android): `<smses>` files of <sms> and <mms> elements and
// `<calls>` files of <call> elements. Every entry is an element with its data in attributes;
// MMS attachments are inline base64, reduced to their SHA-256 and size while scanning.
import { createHash } from 'node:crypto';
import { basename, extname } from 'node:path';
import type { AccountRecord, AttachmentRef, ContactRecord, EventRecord, Location, MessageRecord, ReadItem } from '../../model/records.ts';
import type { FormatReader, ReaderInput } from './format.ts';
import {
  childElement, childElements, excerptOf, parseXmlPiece, scanXml,
  type AttributeDigest, type XmlElement, type XmlEvent,
} from './xml-stream.ts';

const PLATFORM = 'sms';
const ROOTS = new Set(['smses', 'calls']);
const ENTRIES = new Set(['sms', 'mms', 'call']);
/** Android's Telephony.Sms message types. */
const SMS_TYPES: Record<string, string> = { '1': 'received', '2': 'sent', '3': 'draft', '4': 'outbox', '5': 'failed', '6': 'queued' };
/** Android's Telephony.Mms message boxes. */
const MMS_BOXES: Record<string, string> = { '1': 'received', '2': 'sent', '3': 'draft', '4': 'outbox', '5': 'failed' };
/** CallLog.Calls types. */
const CALL_TYPES: Record<string, string> = {
  '1': 'incoming', '2': 'outgoing', '3': 'missed', '4': 'voicemail', '5': 'rejected', '6': 'blocked', '7': 'answered-externally',
};
const CALL_PRESENTATIONS: Record<string, string> = { '1': 'allowed', '2': 'restricted', '3': 'unknown', '4': 'payphone' };
/** MMS address types (PduHeaders): who the address is. */
const MMS_ADDRESS_TYPES: Record<string, string> = { '137': 'from', '151': 'to', '130': 'cc', '129': 'bcc' };
/** What the app writes for an absent value, and the token Android puts for the phone's own number. */
const ABSENT = new Set(['', 'null']);
const OWN_ADDRESS_TOKEN = 'insert-address-token';
const UNKNOWN_CONTACT = '(Unknown)';

export const smsBackup: FormatReader = {
  name: 'sms-backup',
  description: 'SMS Backup & Restore XML (Android): <smses> with sms/mms, <calls> with call log entries',
  detect(head, path) {
    const text = head.replace(/^\uFEFF/, '').trimStart();
    if (!text.startsWith('<')) return 0;
    if (/<smses\b/.test(head)) return /<(?:sms|mms)\b/.test(head) || /<smses\b[^>]*\bcount=/.test(head) ? 0.95 : 0.7;
    if (/<calls\b/.test(head)) return /<call\b[^>]*\b(?:number|duration)=/.test(head) || /<calls\b[^>]*\bcount=/.test(head) ? 0.95 : 0.6;
    if (/<sms\b[^>]*\baddress=/.test(head) && /<sms\b[^>]*\bdate=/.test(head)) return /\.xml$/i.test(path) ? 0.75 : 0.6;
    return 0;
  },
  read: readSmsBackup,
};

type Owner = { handle: string; isKnown: boolean };

/**
 * The phone's own number is not in the file. It comes from --owner (or "owner" in the
 * --mapping JSON); without it the owner is `device-owner:<file name>`: one placeholder per
 * backup file, never shared between files, so two phones are never merged into one person.
 */
export function ownerOf(input: ReaderInput): Owner {
  const fromOptions = input.options.owner;
  const mapping = input.options.mapping;
  const fromMapping = typeof mapping === 'object' && mapping !== null ? (mapping as { owner?: unknown }).owner : undefined;
  const given = typeof fromOptions === 'string' ? fromOptions : typeof fromMapping === 'string' ? fromMapping : undefined;
  if (given !== undefined && given.trim() !== '') return { handle: normaliseAddress(given), isKnown: true };
  return { handle: `device-owner:${basename(input.path, extname(input.path))}`, isKnown: false };
}

async function* readSmsBackup(input: ReaderInput): AsyncGenerator<ReadItem> {
  const owner = ownerOf(input);
  const seenContacts = new Set<string>();
  let hasOwnerAccount = false;
  const events = scanXml(input.path, {
    isPiece: (name, _attributes, ancestors) => ancestors.length > 0 || !ROOTS.has(name),
    cutsPiece: (name) => ENTRIES.has(name),
    digestAttributes: new Set(['data']),
  });
  for await (const batch of events) for (const event of batch) {
    if (event.kind === 'stray') {
      yield { kind: 'malformed', location: event.location, reason: event.reason ?? 'text outside any element', excerpt: event.excerpt };
    } else if (event.kind === 'open') {
      if (!hasOwnerAccount && ROOTS.has(event.name)) {
        hasOwnerAccount = true;
        yield { kind: 'record', record: ownerAccount(owner, event.attributes), location: event.location };
      }
    } else {
      for (const item of readEntry(event, owner)) {
        if (item.kind === 'record' && item.record.kind === 'contact') {
          const key = `${item.record.handle}\u0000${item.record.alias}`;
          if (seenContacts.has(key)) continue;
          seenContacts.add(key);
        }
        yield item;
      }
    }
  }
}

function ownerAccount(owner: Owner, rootAttributes: Record<string, string>): AccountRecord {
  const extra: Record<string, unknown> = { ...presentAttributes(rootAttributes, []) };
  if (!owner.isKnown) extra.ownerUnknown = true;
  const backupDate = rootAttributes.backup_date;
  if (backupDate !== undefined && /^\d+$/.test(backupDate)) extra.backupDateIso = epochToIso(backupDate, 'ms');
  return { kind: 'account', platform: PLATFORM, handle: owner.handle, extra };
}

function readEntry(event: Extract<XmlEvent, { kind: 'piece' }>, owner: Owner): ReadItem[] {
  const location = event.location;
  const malformed = (reason: string): ReadItem[] => [{ kind: 'malformed', location, reason, excerpt: excerptOf(event.text) }];
  if (event.broken !== undefined) return malformed(`broken XML: ${event.broken}`);
  if (!ENTRIES.has(event.name)) return malformed(`unexpected element <${event.name.slice(0, 40)}> (expected sms, mms or call)`);
  const parsed = parseXmlPiece(event.text);
  if ('error' in parsed) return malformed(parsed.error);
  const flags = owner.isKnown ? parsed.flags : [...parsed.flags, 'owner-unknown'];
  const entry = parsed.root;
  const result = entry.local === 'sms' ? smsOf(entry, owner, flags) : entry.local === 'mms' ? mmsOf(entry, owner, flags, event.digests) : callOf(entry, owner);
  if (typeof result === 'string') return malformed(result);
  const items: ReadItem[] = [{ kind: 'record', record: result.record, location }];
  if (result.contact) items.push({ kind: 'record', record: result.contact, location: attributeLocation(event.text, 'contact_name', location) });
  return items;
}

type Mapped<T> = { record: T; contact?: ContactRecord };

export function smsOf(sms: XmlElement, owner: Owner, flags: readonly string[]): Mapped<MessageRecord> | string {
  const a = sms.attributes;
  const address = present(a.address);
  if (address === undefined) return 'sms without an address';
  const date = requiredEpoch(a.date, 'sms');
  if (typeof date === 'object') return date.error;
  const type = a.type ?? '';
  const direction = SMS_TYPES[type];
  const body = a.body ?? '';
  const party = normaliseAddress(address);
  const isReceived = type === '1';
  const extra: Record<string, unknown> = {
    ...presentAttributes(a, ['address', 'date', 'type', 'body', 'contact_name']),
    type: direction ?? `unknown (${type})`,
  };
  if (party !== address) extra.address = address;
  const sent = present(a.date_sent);
  if (sent !== undefined && /^\d+$/.test(sent) && sent !== '0') extra.dateSentIso = epochToIso(sent, 'ms');
  const recordFlags = direction === undefined ? [...flags, 'direction-unknown'] : [...flags];
  return {
    record: {
      kind: 'message', platform: PLATFORM,
      // the format has no id; this one is the same in every backup of the same phone, so
      // overlapping backups store each message once
      ref: `${a.date}:${type}:${address}:${sha256Hex(body).slice(0, 16)}`,
      ts: date,
      from: isReceived || direction === undefined ? party : owner.handle,
      to: isReceived || direction === undefined ? [owner.handle] : [party],
      body, flags: recordFlags.length > 0 ? recordFlags : undefined, extra,
    },
    contact: contactOf(owner, party, a.contact_name),
  };
}

export function mmsOf(mms: XmlElement, owner: Owner, flags: readonly string[], digests: ReadonlyMap<string, AttributeDigest>): Mapped<MessageRecord> | string {
  const a = mms.attributes;
  const date = requiredEpoch(a.date, 'mms');
  if (typeof date === 'object') return date.error;
  const box = a.msg_box ?? '';
  const direction = MMS_BOXES[box];
  const addresses = mmsAddresses(mms);
  if (addresses.all.length === 0) return 'mms without an address';
  const isReceived = box === '1' || direction === undefined;
  const sender = isReceived ? (addresses.from ?? addresses.all[0]!) : owner.handle;
  const others = addresses.all.filter((x) => x !== sender && x !== owner.handle);
  const to = isReceived ? [...others, owner.handle] : others;

  const texts: string[] = [];
  const attachments: AttachmentRef[] = [];
  for (const part of childElements(childElement(mms, 'parts') ?? mms, 'part')) {
    const p = part.attributes;
    const mime = present(p.ct)?.toLowerCase();
    if (mime === 'application/smil') continue; // the slide layout, not content
    const text = present(p.text);
    if (mime === 'text/plain' && text !== undefined) {
      texts.push(text);
      continue;
    }
    const digest = p.data === undefined ? undefined : digests.get(p.data);
    const bytes = digest === undefined && text !== undefined ? Buffer.from(text, 'utf8') : undefined;
    attachments.push({
      name: present(p.name) ?? present(p.cl) ?? present(p.fn),
      mime,
      sha256: digest?.sha256 ?? (bytes ? sha256Hex(bytes) : undefined),
      sizeBytes: digest?.sizeBytes ?? bytes?.length,
    });
  }
  const body = texts.join('\n');
  const extra: Record<string, unknown> = {
    ...presentAttributes(a, ['date', 'msg_box', 'contact_name']),
    type: direction ?? `unknown (${box})`,
  };
  if (addresses.typed.length > 0) extra.addrs = addresses.typed;
  const sent = present(a.date_sent);
  if (sent !== undefined && /^\d+$/.test(sent) && sent !== '0') extra.dateSentIso = epochToIso(sent, 'auto');
  const recordFlags = direction === undefined ? [...flags, 'direction-unknown'] : [...flags];
  const content = [body, ...attachments.map((x) => x.sha256 ?? '')].join('\u0000');
  return {
    record: {
      kind: 'message', platform: PLATFORM,
      ref: `mms:${a.date}:${box}:${a.address ?? addresses.all.join('~')}:${sha256Hex(content).slice(0, 16)}`,
      ts: date, from: sender, to, body,
      attachments: attachments.length > 0 ? attachments : undefined,
      flags: recordFlags.length > 0 ? recordFlags : undefined, extra,
    },
    // a group MMS names several people in one contact_name: no single alias to record
    contact: addresses.all.length === 1 ? contactOf(owner, addresses.all[0]!, a.contact_name) : undefined,
  };
}

/** The parties of an MMS: from <addrs> (typed), else the `~`-separated address attribute. */
function mmsAddresses(mms: XmlElement): { from?: string; all: string[]; typed: { address: string; type: string }[] } {
  const typed: { address: string; type: string }[] = [];
  let from: string | undefined;
  const all: string[] = [];
  const add = (raw: string) => {
    const address = normaliseAddress(raw);
    if (address !== OWN_ADDRESS_TOKEN && !all.includes(address)) all.push(address);
    return address;
  };
  for (const addr of childElements(childElement(mms, 'addrs') ?? mms, 'addr')) {
    const raw = present(addr.attributes.address);
    if (raw === undefined) continue;
    const type = addr.attributes.type ?? '';
    typed.push({ address: raw, type: MMS_ADDRESS_TYPES[type] ?? type });
    const address = add(raw);
    if (type === '137' && address !== OWN_ADDRESS_TOKEN) from ??= address;
  }
  if (all.length === 0) for (const raw of (present(mms.attributes.address) ?? '').split('~')) if (present(raw) !== undefined) add(raw);
  return { from, all, typed };
}

export function callOf(call: XmlElement, owner: Owner): Mapped<EventRecord> | string {
  const a = call.attributes;
  const date = requiredEpoch(a.date, 'call');
  if (typeof date === 'object') return date.error;
  const presentation = a.presentation ?? '1';
  const rawNumber = present(a.number);
  // a withheld or unknown caller has no number, and that is itself the information
  if (rawNumber === undefined && (presentation === '1' || CALL_PRESENTATIONS[presentation] === undefined)) return 'call without a number';
  const number = rawNumber === undefined ? '' : normaliseAddress(rawNumber);
  const type = a.type ?? '';
  const duration = present(a.duration);
  const fields: Record<string, unknown> = {
    ...presentAttributes(a, ['number', 'date', 'type', 'duration', 'contact_name', 'presentation']),
    direction: CALL_TYPES[type] ?? `unknown (${type})`,
    number,
    presentation: CALL_PRESENTATIONS[presentation] ?? presentation,
  };
  if (duration !== undefined) {
    if (/^\d+$/.test(duration)) fields.durationSeconds = Number(duration);
    else fields.duration = duration;
  }
  const contactName = present(a.contact_name);
  if (contactName !== undefined && contactName !== UNKNOWN_CONTACT) fields.contactName = contactName;
  if (rawNumber !== undefined && rawNumber !== number) fields.rawNumber = rawNumber;
  if (!owner.isKnown) fields.ownerUnknown = true;
  return {
    record: { kind: 'event', platform: PLATFORM, ref: `call:${a.date}:${type}:${number}:${duration ?? ''}`, account: owner.handle, type: 'call', ts: date, fields },
    contact: number === '' ? undefined : contactOf(owner, number, a.contact_name),
  };
}

function contactOf(owner: Owner, handle: string, contactName: string | undefined): ContactRecord | undefined {
  const alias = present(contactName);
  if (alias === undefined || alias === UNKNOWN_CONTACT) return undefined;
  return { kind: 'contact', platform: PLATFORM, owner: owner.handle, handle, alias };
}

function requiredEpoch(value: string | undefined, what: string): string | { error: string } {
  if (value === undefined || value.trim() === '') return { error: `${what} without a date` };
  if (!/^\d{1,16}$/.test(value.trim())) return { error: `${what} date "${value.slice(0, 40)}" is not a number (milliseconds since 1970)` };
  // MMS dates are seconds in Android's database and milliseconds in most backups: tell by size
  const iso = epochToIso(value.trim(), what === 'mms' ? 'auto' : 'ms');
  return iso ?? { error: `${what} date "${value.slice(0, 40)}" is out of range` };
}

/** ISO 8601 (UTC) of epoch digits; `auto` reads fewer than 12 digits as seconds. */
export function epochToIso(digits: string, unit: 'ms' | 'auto'): string | undefined {
  const n = Number(digits);
  const ms = unit === 'auto' && digits.length < 12 ? n * 1000 : n;
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** A phone number without the spaces, dashes, dots and brackets people type; other senders ("KPN") as they are. */
export function normaliseAddress(address: string): string {
  const trimmed = address.trim();
  const compact = trimmed.replace(/[\s\-().]/g, '');
  return /^\+?\d+$/.test(compact) ? compact : trimmed;
}

/** Attributes with a value, except those the mapping already read ("null" is the app's empty). */
function presentAttributes(attributes: Record<string, string>, mapped: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key in attributes) {
    const value = attributes[key]!;
    if (value === '' || value === 'null' || mapped.includes(key) || key.startsWith('xmlns')) continue;
    out[key] = value;
  }
  return out;
}

function present(value: string | undefined): string | undefined {
  return value === undefined || ABSENT.has(value.trim()) ? undefined : value;
}

function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Where an attribute of the entry's start tag begins: the location of what was read from it. */
function attributeLocation(text: string, attribute: string, entry: Location): Location {
  const at = text.search(new RegExp(`\\s${attribute}\\s*=`));
  if (at === -1) return { line: entry.line, offset: entry.offset + 1 };
  const before = text.slice(0, at + 1);
  let lines = 0;
  for (let i = before.indexOf('\n'); i !== -1; i = before.indexOf('\n', i + 1)) lines += 1;
  return { line: entry.line + lines, offset: entry.offset + Buffer.byteLength(before, 'utf8') };
}

