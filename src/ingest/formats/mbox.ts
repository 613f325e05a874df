// Splitting a mailbox file into messages, byte by byte, without holding more than the message
// being collected. Pure: the caller feeds chunks of the file and gets the messages that end
// in them, each with the location of its "From " separator line.
//
// The mboxo ambiguity: a body line starting with "From " is only quoted (">From ") by careful
// writers. Our rule: a line starting with "From " at the start of the file or after an empty
// line is a separator when it is a well-formed "From sender date" line, or when the line after
// it is a mail header line. Anything else is body text. A body line that is itself a
// well-formed "From sender date" line after an empty line still splits (as mutt and Python's
// mailbox do): no reader can tell it from a real separator.
import type { Location } from '../../model/records.ts';

/** mboxo quotes only "From " as ">From "; mboxrd quotes every ">*From " with one more ">". */
export type MboxVariant = 'mboxo' | 'mboxrd';

/** How the file is laid out: a mailbox of many messages, or one message (an .eml file). */
export type MailLayout = 'mbox' | 'message';

export type MboxSeparator = {
  /** The separator line without "From " (envelope sender and date), as it was written. */
  text: string;
  sender: string;
  /** ISO 8601: with a zone when the line had one, else local time without a zone. */
  ts?: string;
};

export type MailPiece =
  | {
      kind: 'message';
      location: Location;
      separator?: MboxSeparator;
      /** The separator line had no readable date; it was taken as one because headers follow. */
      isSeparatorUndated: boolean;
      bytes: Buffer;
      /** Where the value of the first From: header starts (the sender's account is named there). */
      fromHeader?: Location;
      startsWithHeader: boolean;
    }
  | { kind: 'oversize'; location: Location; separator?: MboxSeparator; sizeBytes: number; excerpt: string }
  | { kind: 'stray-text'; location: Location; sizeBytes: number; excerpt: string };

export type SplitOptions = { layout: MailLayout; variant: MboxVariant; maxMessageBytes: number };

const EXCERPT_BYTES = 300;
const NEWLINE = 0x0a;
const CR = 0x0d;
const GT = 0x3e;
const FROM_SPACE = Buffer.from('From ');
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** A header field line: a name of printable characters other than ":" and space, then ":". */
export function isHeaderLine(line: string): boolean {
  return /^[!-9;-~]+:/.test(line);
}

/**
 * Reads a "From " separator line (without its line end): the envelope sender and the asctime
 * date ("From - Wed Apr 01 12:34:56 2020", "From x@y Wed Apr  1 12:34:56 +0000 2020").
 * Undefined when the line is not "From " followed by a sender and a readable date.
 */
export function parseMboxSeparator(line: string): MboxSeparator | undefined {
  if (!line.startsWith('From ')) return undefined;
  const text = line.slice(5);
  const m = /^(.*?)\s+(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s+)?([a-z]{3})[a-z]*\s+(\d{1,2})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s+(?:([+-]\d{4}|[a-z]{1,5})\s+)?(\d{4})(?:\s+([+-]\d{4}|[a-z]{1,5}))?(?:\s+remote from .*)?\s*$/i.exec(text);
  if (!m) return undefined;
  const month = MONTHS.indexOf(m[2]!.toLowerCase());
  const sender = m[1]!.trim();
  const ts = month === -1 ? undefined : isoLocalTime(Number(m[8]), month, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0), m[7] ?? m[9]);
  if (ts === undefined) return undefined;
  return { text, sender, ts };
}

/** An ISO time; with the numeric zone when one was given (names other than UTC/GMT are ignored). */
export function isoLocalTime(year: number, month: number, day: number, hour: number, minute: number, second: number, zone?: string): string | undefined {
  const ms = Date.UTC(year, month, day, hour, minute, Math.min(second, 59));
  const date = new Date(ms);
  if (!Number.isFinite(ms) || date.getUTCDate() !== day || date.getUTCMonth() !== month || hour > 23 || minute > 59 || second > 60) return undefined;
  const local = date.toISOString().slice(0, 19);
  if (zone === undefined) return local;
  if (/^[+-]\d{4}$/.test(zone)) {
    const sign = zone === '-0000' ? '+' : zone[0];
    return `${local}${sign}${zone.slice(1, 3)}:${zone.slice(3)}`;
  }
  return /^(?:ut|utc|gmt|z)$/i.test(zone) ? `${local}Z` : local;
}

/** Decides from the first bytes whether the file is a mailbox or one message. */
export function mailLayoutOf(head: string): MailLayout | undefined {
  const lines = head.replace(/^\uFEFF/, '').split('\n', 3).map((l) => l.replace(/\r$/, ''));
  const first = lines.find((l) => l.trim() !== '');
  if (first === undefined) return undefined;
  if (first.startsWith('From ')) return 'mbox';
  return isHeaderLine(first) ? 'message' : undefined;
}

/**
 * Cuts a stream of file bytes into messages. Feed every chunk in order, then call end().
 * A message grows to at most maxMessageBytes; a bigger one is counted, not kept, and comes
 * out as 'oversize'.
 */
export class MailSplitter {
  private readonly options: SplitOptions;
  private line = 1;
  private offset = 0;
  /** The start of the line being assembled, and its parts (a line can span chunks). */
  private lineParts: Buffer[] = [];
  private lineBytes = 0;
  private isLineOverlong = false;
  private isPreviousLineEmpty = true;
  private isFirstLine = true;
  /** An undated "From " line that is a separator only if a header line follows it. */
  private candidate: { bytes: Buffer; location: Location; sizeBytes: number } | undefined;
  private current: MessageUnderway | undefined;
  private stray: { location: Location; sizeBytes: number; head: Buffer[]; headBytes: number; isBlank: boolean } | undefined;

  constructor(options: SplitOptions) {
    this.options = options;
  }

  *feed(chunk: Buffer): Generator<MailPiece> {
    let start = 0;
    while (start < chunk.length) {
      const newline = chunk.indexOf(NEWLINE, start);
      const end = newline === -1 ? chunk.length : newline + 1;
      this.collectLinePart(chunk.subarray(start, end));
      if (newline === -1) break;
      yield* this.completeLine();
      start = end;
    }
  }

  *end(): Generator<MailPiece> {
    if (this.lineBytes > 0 || this.isLineOverlong) yield* this.completeLine();
    if (this.candidate) this.appendOrStray(this.candidate.bytes, this.candidate.location, this.candidate.sizeBytes);
    this.candidate = undefined;
    yield* this.closeStray();
    yield* this.closeMessage();
  }

  private collectLinePart(part: Buffer): void {
    if (this.isLineOverlong) {
      this.lineBytes += part.length;
      return;
    }
    this.lineParts.push(part);
    this.lineBytes += part.length;
    // a line longer than a whole message makes that message oversize: only its head is kept
    if (this.lineBytes > this.options.maxMessageBytes) {
      const head = Buffer.concat(this.lineParts).subarray(0, EXCERPT_BYTES);
      this.lineParts = [Buffer.from(head)];
      this.isLineOverlong = true;
    }
  }

  private *completeLine(): Generator<MailPiece> {
    const bytes = this.lineParts.length === 1 ? this.lineParts[0]! : Buffer.concat(this.lineParts);
    const location = { line: this.line, offset: this.offset };
    const sizeBytes = this.lineBytes;
    const isOverlong = this.isLineOverlong;
    this.line += 1;
    this.offset += sizeBytes;
    this.lineParts = [];
    this.lineBytes = 0;
    this.isLineOverlong = false;
    let content = bytes;
    if (this.isFirstLine && content[0] === 0xef && content[1] === 0xbb && content[2] === 0xbf) content = content.subarray(3);
    yield* this.takeLine(content, location, isOverlong ? sizeBytes : content.length);
    this.isFirstLine = false;
  }

  private *takeLine(bytes: Buffer, location: Location, sizeBytes: number): Generator<MailPiece> {
    const isEmpty = isBlankLine(bytes);
    if (this.options.layout === 'message') {
      if (!this.current && isEmpty) return;
      if (!this.current) this.current = newMessage(location, undefined, false);
      this.appendToMessage(bytes, location, sizeBytes);
      return;
    }
    if (this.candidate) {
      const candidate = this.candidate;
      this.candidate = undefined;
      if (isHeaderLine(lineText(bytes))) {
        yield* this.startMessage(candidate.location, undefined, candidate.bytes);
      } else {
        this.appendOrStray(candidate.bytes, candidate.location, candidate.sizeBytes);
      }
    } else if (this.isPreviousLineEmpty && startsWithFromSpace(bytes)) {
      const separator = parseMboxSeparator(lineText(bytes));
      this.isPreviousLineEmpty = false;
      if (separator) {
        yield* this.startMessage(location, separator, bytes);
      } else {
        this.candidate = { bytes: Buffer.from(bytes), location, sizeBytes };
      }
      return;
    }
    this.appendOrStray(bytes, location, sizeBytes);
    this.isPreviousLineEmpty = isEmpty;
  }

  private *startMessage(location: Location, separator: MboxSeparator | undefined, separatorBytes: Buffer): Generator<MailPiece> {
    yield* this.closeStray();
    yield* this.closeMessage();
    this.current = newMessage(location, separator ?? undefinedSeparator(separatorBytes), separator === undefined);
  }

  private appendOrStray(bytes: Buffer, location: Location, sizeBytes: number): void {
    if (this.current) {
      this.appendToMessage(bytes, location, sizeBytes);
      return;
    }
    // text before the first separator: kept as a quarantine excerpt, never as a message
    this.stray ??= { location, sizeBytes: 0, head: [], headBytes: 0, isBlank: true };
    this.stray.sizeBytes += sizeBytes;
    if (!isBlankLine(bytes)) this.stray.isBlank = false;
    if (this.stray.headBytes < EXCERPT_BYTES) {
      const piece = Buffer.from(bytes.subarray(0, EXCERPT_BYTES - this.stray.headBytes));
      this.stray.head.push(piece);
      this.stray.headBytes += piece.length;
    }
  }

  private appendToMessage(bytes: Buffer, location: Location, sizeBytes = bytes.length): void {
    const message = this.current!;
    if (message.isInHeaders) {
      const text = lineText(bytes);
      if (message.lineCount === 0) message.startsWithHeader = isHeaderLine(text);
      if (isBlankLine(bytes)) message.isInHeaders = false;
      else if (!message.fromHeader && /^from:/i.test(text)) message.fromHeader = { line: location.line, offset: location.offset + 5 };
    }
    message.lineCount += 1;
    const unquoted = this.options.layout === 'mbox' ? unquoteFromLine(bytes, this.options.variant) : bytes;
    message.sizeBytes += sizeBytes === bytes.length ? unquoted.length : sizeBytes;
    message.lastLineBlankBytes = isBlankLine(bytes) ? bytes.length : 0;
    if (message.isOversize) return;
    if (message.sizeBytes > this.options.maxMessageBytes || sizeBytes !== bytes.length) {
      message.head = Buffer.concat([...message.parts, unquoted]).subarray(0, EXCERPT_BYTES);
      message.parts = [];
      message.isOversize = true;
      return;
    }
    // lines that lie side by side in one chunk stay one view: a million-line message is then a
    // few parts, not a million Buffer objects
    const last = message.parts[message.parts.length - 1];
    if (last && last.buffer === unquoted.buffer && last.byteOffset + last.length === unquoted.byteOffset) {
      message.parts[message.parts.length - 1] = Buffer.from(last.buffer, last.byteOffset, last.length + unquoted.length);
    } else {
      message.parts.push(unquoted);
    }
  }

  private *closeStray(): Generator<MailPiece> {
    const stray = this.stray;
    this.stray = undefined;
    if (!stray || stray.isBlank) return;
    yield { kind: 'stray-text', location: stray.location, sizeBytes: stray.sizeBytes, excerpt: excerptOf(Buffer.concat(stray.head)) };
  }

  private *closeMessage(): Generator<MailPiece> {
    const message = this.current;
    this.current = undefined;
    if (!message) return;
    if (message.isOversize) {
      yield {
        kind: 'oversize', location: message.location, separator: message.separator,
        sizeBytes: message.sizeBytes, excerpt: excerptOf(message.head ?? Buffer.alloc(0)),
      };
      return;
    }
    let bytes = message.parts.length === 1 ? message.parts[0]! : Buffer.concat(message.parts);
    // the empty line before the next separator belongs to the mailbox, not to the message
    if (message.lastLineBlankBytes > 0) bytes = bytes.subarray(0, bytes.length - message.lastLineBlankBytes);
    yield {
      kind: 'message', location: message.location, separator: message.separator, isSeparatorUndated: message.isSeparatorUndated,
      bytes, fromHeader: message.fromHeader, startsWithHeader: message.startsWithHeader,
    };
  }
}

type MessageUnderway = {
  location: Location;
  separator?: MboxSeparator;
  isSeparatorUndated: boolean;
  parts: Buffer[];
  sizeBytes: number;
  lineCount: number;
  lastLineBlankBytes: number;
  isInHeaders: boolean;
  startsWithHeader: boolean;
  fromHeader?: Location;
  isOversize: boolean;
  head?: Buffer;
};

function newMessage(location: Location, separator: MboxSeparator | undefined, isSeparatorUndated: boolean): MessageUnderway {
  return {
    location, separator, isSeparatorUndated, parts: [], sizeBytes: 0, lineCount: 0, lastLineBlankBytes: 0,
    isInHeaders: true, startsWithHeader: false, isOversize: false,
  };
}

function undefinedSeparator(bytes: Buffer): MboxSeparator {
  const text = lineText(bytes).slice(5);
  return { text, sender: text.trim().split(/\s+/)[0] ?? '' };
}

/** Removes the quoting ">" a writer added before "From " (mboxrd: one level of any depth). */
export function unquoteFromLine(bytes: Buffer, variant: MboxVariant): Buffer {
  if (bytes[0] !== GT) return bytes;
  let depth = 0;
  while (bytes[depth] === GT) depth += 1;
  if (!bytes.subarray(depth, depth + FROM_SPACE.length).equals(FROM_SPACE)) return bytes;
  return variant === 'mboxrd' || depth === 1 ? bytes.subarray(1) : bytes;
}

function startsWithFromSpace(bytes: Buffer): boolean {
  return bytes.length >= FROM_SPACE.length && bytes.subarray(0, FROM_SPACE.length).equals(FROM_SPACE);
}

function isBlankLine(bytes: Buffer): boolean {
  return bytes.length === 0 || (bytes.length === 1 && (bytes[0] === NEWLINE || bytes[0] === CR)) || (bytes.length === 2 && bytes[0] === CR && bytes[1] === NEWLINE);
}

/** A line's text without its line end; separator and header syntax is ASCII, latin1 keeps bytes. */
function lineText(bytes: Buffer): string {
  let end = bytes.length;
  if (end > 0 && bytes[end - 1] === NEWLINE) end -= 1;
  if (end > 0 && bytes[end - 1] === CR) end -= 1;
  return bytes.toString('latin1', 0, Math.min(end, 1000));
}

export function excerptOf(bytes: Buffer): string {
  return bytes.toString('utf8').replace(/\uFFFD/g, '?').slice(0, EXCERPT_BYTES);
}

/** Whether a mailbox uses mboxrd quoting: only mboxrd writers leave ">>From " lines. */
export function hasMboxrdQuoting(chunk: Buffer, carry: Buffer): { found: boolean; carry: Buffer } {
  const window = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
  return { found: window.includes('\n>>From '), carry: Buffer.from(window.subarray(Math.max(0, window.length - 7))) };
}
