// One e-mail message as Lode records: mailparser does MIME, transfer encodings, charsets and
// encoded words; this module decides what of it becomes the message, its thread and its sender.
import { simpleParser, type AddressObject, type EmailAddress, type HeaderLines, type ParsedMail } from 'mailparser';
import type { AccountRecord, AttachmentRef, Location, MessageRecord } from '../../model/records.ts';
import { isIsoTimestamp } from '../timestamps.ts';
import { isoLocalTime, type MboxSeparator } from './mbox.ts';

export const PLATFORM = 'email';
/** The sender of a message whose From: header names no address: kept, never dropped. */
export const NO_SENDER = '(no sender)';

export type MailContext = {
  location: Location;
  separator?: MboxSeparator;
  isSeparatorUndated?: boolean;
};

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
/** RFC 5322 obsolete zone names; other names (CEST, MET...) are ambiguous and read as no zone. */
const ZONE_NAMES: Record<string, string> = {
  ut: '+0000', utc: '+0000', gmt: '+0000', z: '+0000',
  est: '-0500', edt: '-0400', cst: '-0600', cdt: '-0500', mst: '-0700', mdt: '-0600', pst: '-0800', pdt: '-0700',
};

/** Parses one message. Attachments are hashed (SHA-256) while decoded; only the hash is kept. */
export async function parseMail(bytes: Buffer): Promise<ParsedMail> {
  return simpleParser(bytes, { checksumAlgo: 'sha256', keepCidLinks: true, skipTextToHtml: true, skipImageLinks: true });
}

/**
 * Reads a Date header ("Wed, 1 Apr 2020 12:34:56 +0200 (CEST)") as ISO 8601 keeping its zone
 * offset, so the time reads as the sender's clock showed it. Undefined when it is not a date;
 * mailparser's own Date would silently be "now" then.
 */
export function parseMailDate(value: string): string | undefined {
  const v = value.replace(/\([^()]*\)/g, ' ').replace(/\s+/g, ' ').trim();
  if (isIsoTimestamp(v)) return v;
  const m = /^(?:[a-z]+,?\s*)?(\d{1,2})[\s-]+([a-z]{3})[a-z]*\.?[\s-]+(\d{2,4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?\s*([+-]\d{4}|[a-z]{1,5})?/i.exec(v);
  if (!m) return undefined;
  const month = MONTHS.indexOf(m[2]!.toLowerCase());
  if (month === -1) return undefined;
  let year = Number(m[3]);
  // RFC 5322 4.3: two-digit years below 50 are 20xx, three-digit years add 1900
  if (m[3]!.length === 2) year += year < 50 ? 2000 : 1900;
  else if (m[3]!.length === 3) year += 1900;
  const zone = m[7] === undefined ? undefined : /^[+-]\d{4}$/.test(m[7]) ? m[7] : (ZONE_NAMES[m[7].toLowerCase()] ?? (m[7].length === 1 ? '+0000' : undefined));
  return isoLocalTime(year, month, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0), zone);
}

/** A message id without its angle brackets and spaces, or undefined when empty. */
export function bareMessageId(value: string | undefined): string | undefined {
  const bare = value?.trim().replace(/^<+|>+$/g, '').trim();
  return bare === undefined || bare === '' ? undefined : bare;
}

/**
 * The conversation a mail belongs to: its thread's root message. The first id of References
 * is the root by RFC 5322 3.6.4; without References the parent, without both itself.
 */
export function threadRoot(references: readonly string[], inReplyTo: string | undefined, messageId: string | undefined): string | undefined {
  return references[0] ?? inReplyTo ?? messageId;
}

/** HTML as plain text for the index: blocks become lines, tags go, entities are decoded. */
export function htmlToPlainText(html: string): string {
  return decodeEntities(
    html
      .replace(/<!--[\s\S]*?-->/g, '')
      .replace(/<(script|style|head|title)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, '')
      .replace(/<br\b[^>]*>/gi, '\n')
      .replace(/<\/?(?:p|div|tr|li|ul|ol|h[1-6]|table|blockquote|pre|section|article|header|footer)\b[^>]*>/gi, '\n')
      .replace(/<\/t[dh]\s*>/gi, '\t')
      .replace(/<[^>]*>/g, '')
      .replace(/[ \t\u00a0]+/g, ' '),
  )
    .split('\n')
    .map((l) => l.trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', euro: '€', copy: '©', reg: '®', hellip: '…', mdash: '—', ndash: '–' };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

/** Every address of an address header (groups flattened), lower-cased and trimmed. */
export function addressesOf(value: AddressObject | AddressObject[] | undefined): string[] {
  const out: string[] = [];
  const visit = (a: EmailAddress): void => {
    if (a.group) a.group.forEach(visit);
    const address = a.address?.trim().toLowerCase();
    if (address) out.push(address);
  };
  for (const header of value === undefined ? [] : Array.isArray(value) ? value : [value]) header.value.forEach(visit);
  return out;
}

/** The unfolded values of every occurrence of a header, in the order they appear. */
export function headerValues(lines: HeaderLines, key: string): string[] {
  return lines
    .filter((l) => l.key === key)
    .map((l) => l.line.slice(l.line.indexOf(':') + 1).replace(/\r?\n[ \t]+/g, ' ').trim());
}

export type MailRecords = { message: MessageRecord; sender?: { address: string; name: string } };

/** Maps a parsed mail to a message record (and the sender's display name, when it has one). */
export function toMailRecords(mail: ParsedMail, context: MailContext): MailRecords {
  const lines = mail.headerLines ?? [];
  const flags: string[] = [];
  const extra: Record<string, unknown> = {};

  const senders = addressesOf(mail.from);
  const from = senders[0] ?? NO_SENDER;
  if (senders.length === 0) {
    flags.push('no-sender');
    const raw = headerValues(lines, 'from')[0];
    if (raw !== undefined) extra.fromHeader = raw;
  }
  if (senders.length > 1) extra.otherSenders = senders.slice(1);
  const senderName = mail.from?.value.find((a) => a.address)?.name.trim() ?? '';
  if (senderName !== '') extra.fromName = senderName;

  const cc = addressesOf(mail.cc);
  const bcc = addressesOf(mail.bcc);
  const to = [...new Set([...addressesOf(mail.to), ...cc, ...bcc])];
  if (cc.length > 0) extra.cc = cc;
  if (bcc.length > 0) extra.bcc = bcc;

  const ts = messageTime(lines, context, flags, extra);

  const ref = bareMessageId(mail.messageId);
  const references = (Array.isArray(mail.references) ? mail.references : mail.references ? [mail.references] : [])
    .map(bareMessageId)
    .filter((id): id is string => id !== undefined);
  const inReplyTo = bareMessageId(mail.inReplyTo);
  if (inReplyTo !== undefined) extra.inReplyTo = inReplyTo;
  if (references.length > 0) extra.references = references;
  const root = threadRoot(references, inReplyTo, ref);

  let text = mail.text;
  if ((text === undefined || text.trim() === '') && typeof mail.html === 'string' && mail.html.trim() !== '') {
    text = htmlToPlainText(mail.html);
    flags.push('body-from-html');
  }
  if (mail.textConversionError) extra.textConversionError = mail.textConversionError.message;
  const body = `Subject: ${mail.subject ?? ''}\n\n${(text ?? '').trimEnd()}`;

  Object.assign(extra, evidenceHeaders(lines));
  if (context.separator) {
    extra.mboxSeparator = context.separator.text;
    if (context.isSeparatorUndated) flags.push('mbox-separator-undated');
  }
  const mozillaStatus = headerValues(lines, 'x-mozilla-status')[0];
  // Thunderbird only marks a deleted message (0x0008, expunged) until the folder is compacted
  if (mozillaStatus !== undefined && /^[0-9a-f]{1,8}$/i.test(mozillaStatus) && (parseInt(mozillaStatus, 16) & 0x0008) !== 0) {
    flags.push('deleted-not-compacted');
  }

  const attachments: AttachmentRef[] = mail.attachments.map((a) => ({
    name: a.filename ?? a.cid, mime: a.contentType, sha256: a.checksum, sizeBytes: a.size,
  }));

  const message: MessageRecord = {
    kind: 'message', platform: PLATFORM, ref, ts, from, to,
    group: root === undefined ? undefined : `thread:${root}`,
    body,
    attachments: attachments.length > 0 ? attachments : undefined,
    flags: flags.length > 0 ? flags : undefined,
    extra,
  };
  return { message, sender: senders[0] !== undefined && senderName !== '' ? { address: senders[0], name: senderName } : undefined };
}

export function senderAccount(sender: { address: string; name: string }): AccountRecord {
  return { kind: 'account', platform: PLATFORM, handle: sender.address, name: sender.name };
}

/** The Date header; else the mbox separator's date; else none, each fallback flagged. */
function messageTime(lines: HeaderLines, context: MailContext, flags: string[], extra: Record<string, unknown>): string | undefined {
  const header = headerValues(lines, 'date')[0];
  const fromHeader = header === undefined ? undefined : parseMailDate(header);
  if (fromHeader !== undefined) return fromHeader;
  if (header !== undefined) {
    extra.dateHeader = header;
    flags.push('date-header-unreadable');
  }
  if (context.separator?.ts !== undefined) {
    flags.push('date-from-mbox-separator');
    return context.separator.ts;
  }
  flags.push('no-date');
  return undefined;
}

/** The headers an investigator asks about: the route, the origin and the software. */
function evidenceHeaders(lines: HeaderLines): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const first = (key: string): string | undefined => headerValues(lines, key)[0];
  const received = headerValues(lines, 'received');
  if (received.length > 0) {
    // the top Received was added last (nearest the mailbox), the bottom one first (nearest the sender)
    out.received = { hops: received.length, last: received[0], first: received[received.length - 1] };
  }
  const fields: Array<[string, string]> = [
    ['returnPath', 'return-path'], ['replyTo', 'reply-to'], ['sender', 'sender'], ['deliveredTo', 'delivered-to'],
    ['xOriginatingIp', 'x-originating-ip'], ['mailer', 'x-mailer'], ['userAgent', 'user-agent'],
    ['mozillaStatus', 'x-mozilla-status'], ['mozillaStatus2', 'x-mozilla-status2'],
    ['gmailLabels', 'x-gmail-labels'], ['gmailThreadId', 'x-gm-thrid'],
  ];
  for (const [name, key] of fields) {
    const value = first(key);
    if (value !== undefined && value !== '') out[name] = value;
  }
  return out;
}
