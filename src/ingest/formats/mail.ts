// E-mail: mailboxes (mbox: mboxo, mboxrd, Thunderbird folder files such as "Inbox") and single
// messages (.eml). The file is streamed and cut into messages (mbox.ts); each message alone is
// handed to mailparser and mapped to records (mail-message.ts).
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Location, ReadItem } from '../../model/records.ts';
import { FormatError, type FormatReader, type ReaderInput } from './format.ts';
import { hasMboxrdQuoting, isHeaderLine, MailSplitter, mailLayoutOf, parseMboxSeparator, type MailLayout, type MailPiece, type MboxVariant } from './mbox.ts';
import { parseMail, senderAccount, toMailRecords } from './mail-message.ts';

/** Bigger messages are quarantined: one message is held whole while mailparser reads it. */
export const MAX_MESSAGE_BYTES = 64 << 20;
const HEAD_BYTES = 64 * 1024;
const CHUNK_BYTES = 1 << 20;
/** Senders whose display name was already given; forgetting only repeats an account record. */
const MAX_NAMED_SENDERS = 100_000;

/** Headers that open a message; two of them at the top of a file make it an e-mail. */
const MAIL_HEADERS = new Set([
  'received', 'from', 'to', 'cc', 'subject', 'date', 'message-id', 'mime-version', 'return-path', 'delivered-to',
  'reply-to', 'content-type', 'content-transfer-encoding', 'x-mozilla-status', 'x-mozilla-status2', 'x-gm-thrid',
  'x-gmail-labels', 'in-reply-to', 'references', 'sender', 'user-agent', 'x-mailer', 'dkim-signature',
  'authentication-results', 'received-spf', 'x-received', 'arc-seal', 'x-originating-ip', 'x-account-key',
]);

export const mbox: FormatReader = {
  name: 'mbox',
  description: "mailbox of e-mails (mbox: mboxo, mboxrd, Thunderbird folder files), messages after 'From ' lines",
  detect(head, path) {
    const lines = headLines(head);
    const first = lines[0];
    if (first === undefined || !first.startsWith('From ')) return 0;
    const headerNames = mailHeaderNames(lines.slice(1));
    if (headerNames === 0) return 0;
    const score = parseMboxSeparator(first) ? 0.95 : 0.8;
    return /\.(mbox|mbx|mbs)$/i.test(path) ? Math.min(1, score + 0.04) : score;
  },
  read: (input) => readMail(input),
  inspect: (path) => inspectMail(path),
};

export const eml: FormatReader = {
  name: 'eml',
  description: 'one e-mail message (RFC 5322, .eml): headers, MIME parts, attachments',
  detect(head, path) {
    const lines = headLines(head);
    if (lines[0] === undefined || !isHeaderLine(lines[0])) return 0;
    const known = mailHeaderNames(lines);
    if (known < 2) return known === 1 && /\.eml$/i.test(path) ? 0.6 : 0;
    return /\.(eml|msg|mail)$/i.test(path) ? 0.95 : known >= 3 ? 0.9 : 0.7;
  },
  read: (input) => readMail(input),
  inspect: (path) => inspectMail(path),
};

export type MailReadLimits = { maxMessageBytes: number };

/**
 * Reads an mbox or one message, whichever the file's start shows (both readers read both, so
 * --format never turns one into the other's failure). Does not seek: on a resumed run the
 * messages before the checkpoint are cut out but not parsed, and the pipeline skips them.
 */
export async function* readMail(input: ReaderInput, limits: MailReadLimits = { maxMessageBytes: MAX_MESSAGE_BYTES }): AsyncGenerator<ReadItem> {
  const layout = mailLayoutOf(await readHeadText(input.path)) ?? 'mbox';
  const variant = layout === 'mbox' ? await mboxVariantOf(input.path) : 'mboxo';
  const splitter = new MailSplitter({ layout, variant, maxMessageBytes: limits.maxMessageBytes });
  const namedSenders = new Set<string>();
  let pieces = 0;
  const stream = createReadStream(input.path, { highWaterMark: CHUNK_BYTES });
  const take = async function* (piece: MailPiece): AsyncGenerator<ReadItem> {
    if (piece.kind === 'message') pieces += 1;
    if (piece.location.line < input.from.line) return;
    yield* itemsOfPiece(piece, layout, limits, namedSenders);
  };
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    for (const piece of splitter.feed(chunk)) yield* take(piece);
  }
  for (const piece of splitter.end()) yield* take(piece);
  if (pieces === 0 && layout === 'mbox') {
    throw new FormatError("not a mailbox: no 'From ' separator line followed by a mail message, and no mail headers at the start");
  }
}

/** What `lode inspect` shows: the layout, the quoting, and how many messages the file cuts into (not parsed). */
export async function inspectMail(path: string): Promise<Record<string, unknown>> {
  const layout = mailLayoutOf(await readHeadText(path)) ?? 'mbox';
  const variant = layout === 'mbox' ? await mboxVariantOf(path) : undefined;
  const splitter = new MailSplitter({ layout, variant: variant ?? 'mboxo', maxMessageBytes: MAX_MESSAGE_BYTES });
  const counts = { messages: 0, withoutHeaders: 0, oversize: 0, strayTextBytes: 0 };
  let firstSeparator: string | undefined;
  const tally = (piece: MailPiece): void => {
    if (piece.kind === 'stray-text') counts.strayTextBytes += piece.sizeBytes;
    else if (piece.kind === 'oversize') counts.oversize += 1;
    else if (!piece.startsWithHeader) counts.withoutHeaders += 1;
    else counts.messages += 1;
    if (piece.kind !== 'stray-text') firstSeparator ??= piece.separator?.text;
  };
  for await (const chunk of createReadStream(path, { highWaterMark: CHUNK_BYTES }) as AsyncIterable<Buffer>) {
    for (const piece of splitter.feed(chunk)) tally(piece);
  }
  for (const piece of splitter.end()) tally(piece);
  return { layout, ...(variant ? { quoting: variant, firstSeparator } : {}), ...counts };
}

async function* itemsOfPiece(piece: MailPiece, layout: MailLayout, limits: MailReadLimits, namedSenders: Set<string>): AsyncGenerator<ReadItem> {
  switch (piece.kind) {
    case 'stray-text':
      yield malformed(piece.location, `${piece.sizeBytes} bytes before the first mbox 'From ' separator line (not part of any message)`, piece.excerpt);
      return;
    case 'oversize':
      yield malformed(piece.location, `message too large (${piece.sizeBytes} bytes, limit ${limits.maxMessageBytes}): not parsed`, piece.excerpt);
      return;
    case 'message':
      break;
  }
  const excerpt = piece.bytes.subarray(0, 300).toString('utf8').slice(0, 300);
  if (!piece.startsWithHeader) {
    const where = layout === 'mbox' ? "after the mbox 'From ' separator line" : 'at the start of the file';
    yield malformed(piece.location, `not a mail message: no header lines ${where}`, excerpt);
    return;
  }
  let records;
  try {
    records = toMailRecords(await parseMail(piece.bytes), { location: piece.location, separator: piece.separator, isSeparatorUndated: piece.isSeparatorUndated });
  } catch (error) {
    yield malformed(piece.location, `mail parser could not read the message: ${(error as Error).message}`, excerpt);
    return;
  }
  yield { kind: 'record', record: records.message, location: piece.location };
  const sender = records.sender;
  if (sender && piece.fromHeader && !namedSenders.has(sender.address)) {
    if (namedSenders.size >= MAX_NAMED_SENDERS) namedSenders.clear();
    namedSenders.add(sender.address);
    // located at the From: header that names it: after the message, before the next one
    yield { kind: 'record', record: senderAccount(sender), location: piece.fromHeader };
  }
}

function malformed(location: Location, reason: string, excerpt: string): ReadItem {
  return { kind: 'malformed', location, reason, excerpt: excerpt.slice(0, 300) };
}

/** mboxrd when any ">>From " line shows its quoting; a first pass, stopping at the first one. */
async function mboxVariantOf(path: string): Promise<MboxVariant> {
  let carry: Buffer = Buffer.alloc(0);
  const stream = createReadStream(path, { highWaterMark: CHUNK_BYTES });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const scan = hasMboxrdQuoting(chunk, carry);
      if (scan.found) return 'mboxrd';
      carry = scan.carry;
    }
  } finally {
    stream.destroy();
  }
  return 'mboxo';
}

async function readHeadText(path: string): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, HEAD_BYTES, 0);
    return buffer.subarray(0, bytesRead).toString('latin1');
  } finally {
    await handle.close();
  }
}

function headLines(head: string): string[] {
  const lines = head.replace(/^\uFEFF/, '').split('\n').slice(0, 60).map((l) => l.replace(/\r$/, ''));
  while (lines.length > 0 && lines[0]!.trim() === '') lines.shift();
  return lines;
}

/** How many known mail header names open the header block at the start of these lines. */
function mailHeaderNames(lines: string[]): number {
  let known = 0;
  for (const line of lines) {
    if (line === '') break;
    if (/^[ \t]/.test(line)) continue;
    if (!isHeaderLine(line)) return known >= 2 ? known : 0;
    if (MAIL_HEADERS.has(line.slice(0, line.indexOf(':')).toLowerCase())) known += 1;
  }
  return known;
}
