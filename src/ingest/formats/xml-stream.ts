// Streaming XML for readers whose records are elements (XMPP stanzas, SMS backup entries).
// The file is cut into top-level "pieces" (the record elements) by a byte scanner that only
// tracks tags and depth; each piece is then parsed on its own with saxes. A broken piece
// costs only itself: saxes stops at the first fatal error, so it never sees the whole file.
// Scanning bytes is safe for UTF-8 (no multi-byte sequence holds an ASCII byte) and gives
// exact byte offsets and line numbers without converting saxes' character positions.
import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';
import { SaxesParser } from 'saxes';
import type { Location } from '../../model/records.ts';
import { FormatError } from './format.ts';

/** An element enclosing the pieces (a root, `<stream:stream>`, `<user>`...). */
export type XmlAncestor = { name: string; attributes: Record<string, string> };

/** What an attribute value too big to keep (base64 data) was reduced to. */
export type AttributeDigest = { sha256: string; sizeBytes: number };

export type XmlEvent =
  /** The start of an element that is not a piece (it may enclose pieces). */
  | { kind: 'open'; name: string; attributes: Record<string, string>; ancestors: readonly XmlAncestor[]; location: Location }
  /** A whole record element, or what the scanner could cut of a broken one (`broken` says why). */
  | {
    kind: 'piece'; name: string; text: string; location: Location; ancestors: readonly XmlAncestor[];
    broken?: string; digests: ReadonlyMap<string, AttributeDigest>;
  }
  /** Text outside every piece that is not white space (nothing to map it to), or a tag the file ends in. */
  | { kind: 'stray'; excerpt: string; location: Location; reason?: string };

/** An element open inside a piece, and the names of its children that already ended. */
export type OpenElement = { name: string; closedChildren: Set<string> };

export type XmlScanOptions = {
  /** Whether this start tag, under these enclosing elements, begins a record element (attributes are parsed on demand). */
  isPiece(name: string, attributes: () => Record<string, string>, ancestors: readonly XmlAncestor[]): boolean;
  /**
   * Whether a start tag cannot lie inside the open piece (whose open elements are `inside`,
   * outermost first): the piece was cut short (a truncated record) and a new one begins here.
   */
  cutsPiece?(name: string, inside: readonly OpenElement[]): boolean;
  /** Attributes inside pieces whose values are base64 data: hashed, not kept. */
  digestAttributes?: ReadonlySet<string>;
  maxPieceBytes?: number;
};

export const DIGEST_PLACEHOLDER = 'lode-digest:';
const DEFAULT_MAX_PIECE_BYTES = 64 << 20;
const EXCERPT_CHARS = 300;
const KEPT_OF_OVERSIZED = 4096;
const NAME_CHARS = 256;
const NO_ANCESTORS: readonly XmlAncestor[] = [];

const BOM = [0xef, 0xbb, 0xbf];
const LT = 0x3c, GT = 0x3e, SLASH = 0x2f, QUESTION = 0x3f, BANG = 0x21, DQUOTE = 0x22, SQUOTE = 0x27;
const EQUALS = 0x3d, LF = 0x0a, DASH = 0x2d, RSQB = 0x5d, LSQB = 0x5b, AMP = 0x26, SEMI = 0x3b;

type Mode = 'text' | 'lt' | 'bang' | 'start-tag' | 'end-tag' | 'pi' | 'comment' | 'cdata' | 'declaration';
type TagEnd = { selfClosing: boolean; cutBy?: string };

/**
 * Streams the events of an XML file (or a concatenation of XML fragments without a root), in
 * batches: one per chunk read, so the per-event cost stays a loop step rather than a promise.
 */
export async function* scanXml(path: string, options: XmlScanOptions): AsyncGenerator<XmlEvent[]> {
  const scanner = new XmlScanner(options);
  const stream = createReadStream(path, { highWaterMark: 1 << 20 });
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    scanner.feed(chunk);
    yield scanner.drain();
  }
  scanner.end();
  yield scanner.drain();
}

/** Splits bytes into events; push-based so tests and readers can feed it any way. */
export class XmlScanner {
  private readonly options: XmlScanOptions;
  private readonly maxPieceBytes: number;
  private events: XmlEvent[] = [];
  private decode: (bytes: Buffer) => string | undefined = decodeUtf8;

  private mode: Mode = 'text';
  /** Absolute offset of the first byte of the current chunk. */
  private chunkOffset = 0;
  private line = 1;
  private started = false;

  private ancestors: XmlAncestor[] = [];
  private stray: { location: Location; excerpt: string } | undefined;

  // the markup being read: where it began and its bytes (collected as spans of the chunk)
  private markupStart: Location = { line: 1, offset: 0 };
  private tag = new ByteCollector();
  private tagSpanStart = -1;
  private bang = '';
  private tail = 0;
  private quote = 0;
  private bracketDepth = 0;
  private lastNonSpace = 0;
  private nameToken: number[] = [];
  private pendingAttribute = '';
  private digest: Base64Digest | undefined;

  private piece: OpenPiece | undefined;
  private pieceSpanStart = -1;
  /** Where reading continues in the chunk after the markup just finished. */
  private resumeAt = 0;
  // the next "<" and line feed at or after a position: attribute values ask for them again and
  // again, and searching ahead anew each time would read every tag many times over
  private ltFrom = -1;
  private ltAt = -1;
  private lfFrom = -1;
  private lfAt = -1;
  private tokenEnded = false;

  constructor(options: XmlScanOptions) {
    this.options = options;
    this.maxPieceBytes = options.maxPieceBytes ?? DEFAULT_MAX_PIECE_BYTES;
  }

  drain(): XmlEvent[] {
    const out = this.events;
    this.events = [];
    return out;
  }

  feed(chunk: Buffer): void {
    let i = 0;
    if (!this.started) {
      this.started = true;
      if ((chunk[0] === 0xff && chunk[1] === 0xfe) || (chunk[0] === 0xfe && chunk[1] === 0xff) || (chunk[0] === LT && chunk[1] === 0)) {
        throw new FormatError('UTF-16 XML is not supported: convert the file to UTF-8 first (iconv -f UTF-16 -t UTF-8)');
      }
    }
    // a byte-order mark is not content (it may arrive split over chunks)
    while (this.chunkOffset + i < 3 && i < chunk.length && chunk[i] === BOM[this.chunkOffset + i]) i += 1;
    if (this.tagSpanStart !== -1) this.tagSpanStart = i;
    if (this.pieceSpanStart !== -1) this.pieceSpanStart = i;
    this.ltFrom = this.ltAt = this.lfFrom = this.lfAt = -1;
    while (i < chunk.length) i = this.step(chunk, i);
    this.flushSpans(chunk, chunk.length);
    if (this.tagSpanStart !== -1) this.tagSpanStart = 0;
    if (this.pieceSpanStart !== -1) this.pieceSpanStart = 0;
    this.chunkOffset += chunk.length;
  }

  end(): void {
    if (this.mode !== 'text' && this.mode !== 'lt') {
      if (this.piece) this.piece.broken ??= 'the file ends inside a tag, comment or CDATA section';
      else if (this.mode === 'start-tag' || this.mode === 'end-tag') {
        this.flushStray();
        this.events.push({ kind: 'stray', excerpt: this.tag.text(EXCERPT_CHARS), location: this.markupStart, reason: 'the file ends inside this tag' });
      }
    }
    if (this.piece) this.emitPiece(this.piece.broken ?? `the file ends before </${this.piece.name}>`);
    this.flushStray();
  }

  /** Reads from `i`; returns where to continue. */
  private step(chunk: Buffer, i: number): number {
    switch (this.mode) {
      case 'text': return this.stepText(chunk, i);
      case 'lt': return this.stepAfterLt(chunk, i);
      case 'bang': return this.stepBang(chunk, i);
      case 'start-tag': return this.stepStartTag(chunk, i);
      case 'end-tag': return this.stepUntil(chunk, i, (b) => b === GT, () => this.finishEndTag(false));
      case 'pi': return this.stepUntil(chunk, i, (b, prev) => b === GT && prev === QUESTION, () => this.finishOtherMarkup());
      case 'comment': return this.stepUntilTerminator(chunk, i, DASH);
      case 'cdata': return this.stepUntilTerminator(chunk, i, RSQB);
      case 'declaration': return this.stepDeclaration(chunk, i);
    }
  }

  private stepText(chunk: Buffer, i: number): number {
    const end = this.nextLt(chunk, i);
    const next = end === chunk.length ? -1 : end;
    if (!this.piece) this.noteStrayText(chunk, i, end);
    this.countLines(chunk, i, end);
    if (next === -1) return chunk.length;
    this.beginMarkup(chunk, next);
    return next + 1;
  }

  private beginMarkup(chunk: Buffer, at: number): void {
    this.flushStray();
    this.markupStart = { line: this.line, offset: this.chunkOffset + at };
    this.mode = 'lt';
    this.tail = 0;
    this.tag = new ByteCollector();
    this.tagSpanStart = at;
    if (this.piece) this.piece.lengthAtMarkup = this.piece.length + (at - this.pieceSpanStart);
  }

  private stepAfterLt(chunk: Buffer, i: number): number {
    const b = chunk[i]!;
    if (b === SLASH) this.mode = 'end-tag';
    else if (b === QUESTION) this.mode = 'pi';
    else if (b === BANG) {
      this.mode = 'bang';
      this.bang = '';
    } else if (isNameStartByte(b)) {
      this.mode = 'start-tag';
      this.quote = 0;
      this.lastNonSpace = 0;
      this.nameToken = [];
      this.tokenEnded = false;
      this.pendingAttribute = '';
    } else {
      // a bare "<" in text: not markup, so read it as text (the piece cannot be well-formed)
      this.mode = 'text';
      this.tagSpanStart = -1;
      if (this.piece) this.piece.broken ??= `a "<" that starts no tag (line ${this.markupStart.line})`;
      else {
        // the text after it belongs to the same stray piece of text
        this.stray ??= { location: this.markupStart, excerpt: '' };
        this.stray.excerpt += '<';
      }
      return i;
    }
    return i + 1;
  }

  private stepBang(chunk: Buffer, i: number): number {
    this.bang += String.fromCharCode(chunk[i]!);
    if (this.bang === '--') {
      this.mode = 'comment';
      this.tail = 0;
    } else if (this.bang === '[CDATA[') {
      this.mode = 'cdata';
      this.tail = 0;
    } else if (!'--'.startsWith(this.bang) && !'[CDATA['.startsWith(this.bang)) {
      this.mode = 'declaration';
      this.bracketDepth = this.bang === '[' ? 1 : 0;
      if (chunk[i] === GT) {
        this.finishOtherMarkup();
      }
    }
    return i + 1;
  }

  /** Comments end at "-->", CDATA at "]]>": two of `mark` then ">". */
  private stepUntilTerminator(chunk: Buffer, i: number, mark: number): number {
    for (let j = i; j < chunk.length; j++) {
      const b = chunk[j]!;
      if (b === LF) this.line += 1;
      if (b === GT && this.tail >= 2) {
        this.flushSpans(chunk, j + 1);
        if (!this.piece && this.mode === 'cdata') {
          const content = this.tag.text(EXCERPT_CHARS + 12).slice(9);
          if (content.trim() !== '') this.addStray(this.markupStart, content);
        }
        this.finishOtherMarkup();
        return j + 1;
      }
      this.tail = b === mark ? this.tail + 1 : 0;
    }
    return chunk.length;
  }

  private stepDeclaration(chunk: Buffer, i: number): number {
    for (let j = i; j < chunk.length; j++) {
      const b = chunk[j]!;
      if (b === LF) this.line += 1;
      else if (b === LSQB) this.bracketDepth += 1;
      else if (b === RSQB) this.bracketDepth -= 1;
      else if (b === GT && this.bracketDepth <= 0) {
        this.flushSpans(chunk, j + 1);
        this.finishOtherMarkup();
        return j + 1;
      }
    }
    return chunk.length;
  }

  private stepUntil(chunk: Buffer, i: number, isEnd: (b: number, prev: number) => boolean, finish: () => void): number {
    for (let j = i; j < chunk.length; j++) {
      const b = chunk[j]!;
      if (b === LF) this.line += 1;
      if (b === LT && this.mode === 'end-tag') {
        // "<" cannot sit in an end tag: it was cut short and new markup begins
        this.flushSpans(chunk, j);
        this.resumeAt = j;
        this.finishEndTag(true);
        this.beginMarkup(chunk, j);
        return j + 1;
      }
      if (isEnd(b, this.tail)) {
        this.flushSpans(chunk, j + 1);
        this.resumeAt = j + 1;
        finish();
        return j + 1;
      }
      this.tail = b;
    }
    return chunk.length;
  }

  private stepStartTag(chunk: Buffer, i: number): number {
    const needsNames = this.piece !== undefined && this.options.digestAttributes !== undefined;
    for (let j = i; j < chunk.length; j++) {
      if (!needsNames && this.quote === 0) j = this.skipTagText(chunk, j);
      if (j >= chunk.length) return chunk.length;
      if (this.quote !== 0) {
        j = this.readQuoted(chunk, j);
        if (j >= chunk.length) return chunk.length;
        if (chunk[j] === LT) return this.cutStartTag(chunk, j);
        continue;
      }
      const b = chunk[j]!;
      if (b === GT) {
        this.flushSpans(chunk, j + 1);
        this.mode = 'text';
        this.tagSpanStart = -1;
        this.resumeAt = j + 1;
        this.finishStartTag({ selfClosing: this.lastNonSpace === SLASH });
        return j + 1;
      }
      if (b === LT) return this.cutStartTag(chunk, j);
      if (b === 0x20 || b === 0x09 || b === 0x0d || b === LF) {
        if (b === LF) this.line += 1;
        this.tokenEnded = true;
        continue;
      }
      if (b === DQUOTE || b === SQUOTE) {
        this.quote = b;
        if (this.piece && this.options.digestAttributes?.has(this.pendingAttribute)) this.beginDigest(chunk, j + 1);
      } else if (b === EQUALS) {
        this.pendingAttribute = String.fromCharCode(...this.nameToken);
        this.nameToken = [];
      } else if (this.tokenEnded || this.lastNonSpace === DQUOTE || this.lastNonSpace === SQUOTE) {
        this.nameToken = [b];
        this.tokenEnded = false;
      } else if (this.nameToken.length < 64) {
        this.nameToken.push(b);
      }
      this.tokenEnded = false;
      this.lastNonSpace = b;
    }
    return chunk.length;
  }

  /** Skips tag bytes that matter neither for quoting nor for its end; returns the next that does. */
  private skipTagText(chunk: Buffer, j: number): number {
    for (; j < chunk.length; j++) {
      const b = chunk[j]!;
      if (b === DQUOTE || b === SQUOTE || b === GT || b === LT || b === LF) return j;
      if (b !== 0x20 && b !== 0x09 && b !== 0x0d) this.lastNonSpace = b;
    }
    return j;
  }

  /** Reads an attribute value from `j`; returns the index of its closing quote or of a "<". */
  private readQuoted(chunk: Buffer, j: number): number {
    const lt = this.nextLt(chunk, j);
    const close = chunk.indexOf(this.quote, j);
    const end = close === -1 || close > lt ? lt : close;
    this.countLines(chunk, j, end);
    if (this.digest) this.digest.update(chunk, j, end);
    if (end === chunk.length) return end;
    if (chunk[end] === LT) {
      if (this.digest) this.endDigest(chunk, end);
      return end;
    }
    if (this.digest) this.endDigest(chunk, end);
    this.quote = 0;
    this.lastNonSpace = DQUOTE;
    return end;
  }

  private cutStartTag(chunk: Buffer, j: number): number {
    this.flushSpans(chunk, j);
    this.mode = 'text';
    this.tagSpanStart = -1;
    this.quote = 0;
    this.resumeAt = j;
    this.finishStartTag({ selfClosing: false, cutBy: 'a tag that is never closed (a "<" inside it)' });
    this.beginMarkup(chunk, j);
    return j + 1;
  }

  private beginDigest(chunk: Buffer, valueStart: number): void {
    this.flushSpans(chunk, valueStart);
    this.digest = new Base64Digest();
  }

  private endDigest(chunk: Buffer, valueEnd: number): void {
    const piece = this.piece!;
    const key = `${DIGEST_PLACEHOLDER}${piece.digests.size}`;
    piece.digests.set(key, this.digest!.result());
    this.digest = undefined;
    const placeholder = Buffer.from(key);
    this.tag.add(placeholder);
    piece.add(placeholder, this.maxPieceBytes);
    this.tagSpanStart = valueEnd;
    this.pieceSpanStart = valueEnd;
  }

  /** Moves the bytes read so far (up to `end`) into the tag and piece being collected. */
  private flushSpans(chunk: Buffer, end: number): void {
    if (this.digest) return;
    if (this.tagSpanStart !== -1 && end > this.tagSpanStart) {
      this.tag.add(chunk.subarray(this.tagSpanStart, end));
      this.tagSpanStart = end;
    }
    if (this.piece && this.pieceSpanStart !== -1 && end > this.pieceSpanStart) {
      this.piece.add(chunk.subarray(this.pieceSpanStart, end), this.maxPieceBytes);
      this.pieceSpanStart = end;
    }
  }

  private finishStartTag(end: TagEnd): void {
    const piece = this.piece;
    // inside a piece only the name matters: decoding the whole tag would cost as much as the data
    const text = piece ? this.tag.text(NAME_CHARS) : this.tag.text();
    const name = /^<([^\s/>"'=<]+)/.exec(text)?.[1] ?? '';
    if (piece) {
      if (this.options.cutsPiece?.(name, piece.stack)) {
        this.cutPieceBeforeMarkup(`<${name}> begins before </${piece.name}> closed the element before it (a truncated record)`);
        this.openPiece(name, end);
        return;
      }
      if (end.cutBy) piece.broken ??= `<${name}> is ${end.cutBy}`;
      if (end.selfClosing) piece.stack[piece.stack.length - 1]?.closedChildren.add(name);
      else piece.stack.push({ name, closedChildren: new Set() });
      return;
    }
    let parsed: Record<string, string> | undefined;
    const attributes = () => (parsed ??= parseAttributes(text));
    if (this.options.isPiece(name, attributes, this.ancestors)) {
      this.openPiece(name, end);
      return;
    }
    if (end.cutBy) {
      this.addStray(this.markupStart, text.slice(0, EXCERPT_CHARS));
      return;
    }
    this.events.push({ kind: 'open', name, attributes: attributes(), ancestors: [...this.ancestors], location: this.markupStart });
    if (!end.selfClosing) this.ancestors.push({ name, attributes: attributes() });
  }

  private openPiece(name: string, end: TagEnd): void {
    const piece = new OpenPiece(name, this.markupStart, this.ancestors.length === 0 ? NO_ANCESTORS : [...this.ancestors]);
    piece.adopt(this.tag.bytes(), this.maxPieceBytes);
    this.piece = piece;
    this.pieceSpanStart = -1;
    if (end.cutBy) {
      this.emitPiece(`<${name}> is ${end.cutBy}`);
    } else if (end.selfClosing) {
      this.emitPiece(undefined);
    } else {
      piece.stack.push({ name, closedChildren: new Set() });
      this.pieceSpanStart = this.resumeAt;
    }
  }

  private finishEndTag(isCut: boolean): void {
    const text = this.tag.text(NAME_CHARS);
    this.mode = 'text';
    this.tagSpanStart = -1;
    const name = /^<\/\s*([^\s/>"'=<]+)/.exec(text)?.[1] ?? '';
    const piece = this.piece;
    if (piece) {
      if (isCut) piece.broken ??= `the end tag </${name}> is never closed`;
      const at = piece.stack.map((e) => e.name).lastIndexOf(name);
      if (at === -1) {
        if (this.ancestors.some((a) => a.name === name)) {
          this.cutPieceBeforeMarkup(`</${name}> closes an enclosing element before </${piece.name}> (a truncated record)`);
          this.closeAncestor(name);
        } else {
          piece.broken ??= `</${name}> closes no open element`;
        }
        return;
      }
      if (at !== piece.stack.length - 1) piece.broken ??= `</${name}> closes <${name}> while <${piece.stack[piece.stack.length - 1]!.name}> is still open`;
      piece.stack.length = at;
      piece.stack[at - 1]?.closedChildren.add(name);
      if (piece.stack.length === 0) {
        this.pieceSpanStart = -1;
        this.emitPiece(piece.broken);
      }
      return;
    }
    this.closeAncestor(name);
  }

  private closeAncestor(name: string): void {
    const at = this.ancestors.map((a) => a.name).lastIndexOf(name);
    if (at !== -1) this.ancestors.length = at;
  }

  private finishOtherMarkup(): void {
    if (this.mode === 'pi' && !this.piece && this.markupStart.offset <= 3) this.readDeclaration(this.tag.text(400));
    this.mode = 'text';
    this.tagSpanStart = -1;
  }

  private readDeclaration(text: string): void {
    const encoding = /encoding\s*=\s*["']([^"']+)["']/.exec(text)?.[1]?.toLowerCase();
    if (encoding === undefined || /^(utf-?8|us-ascii|ascii)$/.test(encoding)) return;
    if (/^utf-?(16|32)/.test(encoding) || !iconv.encodingExists(encoding)) {
      throw new FormatError(`XML encoding "${encoding}" is not supported: convert the file to UTF-8 first`);
    }
    this.decode = (bytes) => iconv.decode(bytes, encoding);
  }

  /** Ends the open piece where the current markup began; the markup is read afresh. */
  private cutPieceBeforeMarkup(reason: string): void {
    const piece = this.piece!;
    piece.truncate(piece.lengthAtMarkup);
    this.pieceSpanStart = -1;
    this.emitPiece(piece.broken ?? reason);
  }

  private emitPiece(broken: string | undefined): void {
    const piece = this.piece!;
    this.piece = undefined;
    this.pieceSpanStart = -1;
    const bytes = piece.bytes;
    let text = this.decode(bytes);
    let reason = piece.oversized ? `element larger than ${this.maxPieceBytes} bytes` : broken;
    if (text === undefined) {
      text = bytes.toString('latin1');
      reason ??= 'invalid UTF-8';
    }
    this.events.push({ kind: 'piece', name: piece.name, text, location: piece.location, ancestors: piece.ancestors, broken: reason, digests: piece.digests });
  }

  private noteStrayText(chunk: Buffer, start: number, end: number): void {
    if (this.stray) {
      if (this.stray.excerpt.length < EXCERPT_CHARS) this.stray.excerpt += chunk.subarray(start, Math.min(end, start + EXCERPT_CHARS)).toString('utf8');
      return;
    }
    for (let j = start; j < end; j++) {
      const b = chunk[j]!;
      if (b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d) continue;
      this.stray = { location: this.here(chunk, j, start), excerpt: chunk.subarray(j, Math.min(end, j + EXCERPT_CHARS)).toString('utf8') };
      return;
    }
  }

  private addStray(location: Location, excerpt: string): void {
    this.flushStray();
    this.events.push({ kind: 'stray', excerpt: excerpt.slice(0, EXCERPT_CHARS), location });
  }

  private flushStray(): void {
    if (!this.stray) return;
    this.events.push({ kind: 'stray', excerpt: this.stray.excerpt.trim().slice(0, EXCERPT_CHARS), location: this.stray.location });
    this.stray = undefined;
  }

  /** The location of byte `at` of the chunk, whose lines are counted up to `countedTo`. */
  private here(chunk: Buffer, at: number, countedTo: number): Location {
    let line = this.line;
    for (let j = countedTo; j < at; j++) if (chunk[j] === LF) line += 1;
    return { line, offset: this.chunkOffset + at };
  }

  private countLines(chunk: Buffer, start: number, end: number): void {
    for (let j = this.nextLf(chunk, start); j < end; j = this.nextLf(chunk, j + 1)) this.line += 1;
  }

  /** The index of the next "<" at or after `from` (the chunk's length when there is none). */
  private nextLt(chunk: Buffer, from: number): number {
    if (from < this.ltFrom || from > this.ltAt) {
      const at = chunk.indexOf(LT, from);
      this.ltFrom = from;
      this.ltAt = at === -1 ? chunk.length : at;
    }
    return this.ltAt;
  }

  private nextLf(chunk: Buffer, from: number): number {
    if (from < this.lfFrom || from > this.lfAt) {
      const at = chunk.indexOf(LF, from);
      this.lfFrom = from;
      this.lfAt = at === -1 ? chunk.length : at;
    }
    return this.lfAt;
  }
}

class OpenPiece {
  readonly name: string;
  readonly location: Location;
  readonly ancestors: readonly XmlAncestor[];
  readonly stack: OpenElement[] = [];
  readonly digests = new Map<string, AttributeDigest>();
  broken: string | undefined;
  oversized = false;
  lengthAtMarkup = 0;
  private readonly collected = new ByteCollector();

  constructor(name: string, location: Location, ancestors: readonly XmlAncestor[]) {
    this.name = name;
    this.location = location;
    this.ancestors = ancestors;
  }

  get bytes(): Buffer {
    return this.collected.bytes();
  }

  get length(): number {
    return this.collected.length;
  }

  add(bytes: Buffer, maxBytes: number): void {
    if (this.oversized) return;
    this.collected.add(bytes);
    if (this.collected.length > maxBytes) {
      // keep only enough for an excerpt: the rest is read past, never held
      this.oversized = true;
      this.collected.truncate(KEPT_OF_OVERSIZED);
    }
  }

  /** Takes bytes that are already a private copy. */
  adopt(bytes: Buffer, maxBytes: number): void {
    this.collected.adopt(bytes);
    if (this.collected.length > maxBytes) {
      this.oversized = true;
      this.collected.truncate(KEPT_OF_OVERSIZED);
    }
  }

  truncate(length: number): void {
    if (!this.oversized) this.collected.truncate(length);
  }
}

class ByteCollector {
  private parts: Buffer[] = [];
  length = 0;

  add(bytes: Buffer): void {
    if (bytes.length === 0) return;
    // the chunk buffer is reused by the stream: keep a copy
    this.parts.push(Buffer.from(bytes));
    this.length += bytes.length;
  }

  adopt(bytes: Buffer): void {
    this.parts.push(bytes);
    this.length += bytes.length;
  }

  bytes(): Buffer {
    if (this.parts.length !== 1) this.parts = [Buffer.concat(this.parts)];
    return this.parts[0] ?? Buffer.alloc(0);
  }

  truncate(length: number): void {
    if (length >= this.length) return;
    this.parts = [Buffer.from(this.bytes().subarray(0, Math.max(0, length)))];
    this.length = this.parts[0]!.length;
  }

  text(maxChars?: number): string {
    const bytes = this.bytes();
    return (maxChars === undefined ? bytes : bytes.subarray(0, maxChars * 4)).toString('utf8').slice(0, maxChars);
  }
}

/** SHA-256 and size of base64 data read in pieces; entities (`&#10;` line breaks) are skipped. */
class Base64Digest {
  private readonly hash: Hash = createHash('sha256');
  private sizeBytes = 0;
  private carry = '';
  private inEntity = false;

  update(chunk: Buffer, start: number, end: number): void {
    let text = this.carry;
    for (let j = start; j < end; j++) {
      const b = chunk[j]!;
      if (this.inEntity) {
        if (b === SEMI) this.inEntity = false;
      } else if (b === AMP) {
        this.inEntity = true;
      } else if (isBase64Byte(b)) {
        text += String.fromCharCode(b);
      }
    }
    const whole = text.length - (text.length % 4);
    this.write(text.slice(0, whole));
    this.carry = text.slice(whole);
  }

  result(): AttributeDigest {
    this.write(this.carry);
    this.carry = '';
    return { sha256: this.hash.digest('hex'), sizeBytes: this.sizeBytes };
  }

  private write(base64: string): void {
    if (base64 === '') return;
    const bytes = Buffer.from(base64, 'base64');
    this.hash.update(bytes);
    this.sizeBytes += bytes.length;
  }
}

function isBase64Byte(b: number): boolean {
  return (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || (b >= 0x30 && b <= 0x39) || b === 0x2b || b === 0x2f || b === 0x3d || b === 0x2d || b === 0x5f;
}

function isNameStartByte(b: number): boolean {
  return (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b === 0x5f || b === 0x3a || b >= 0x80;
}

function decodeUtf8(bytes: Buffer): string | undefined {
  return isUtf8(bytes) ? bytes.toString('utf8') : undefined;
}

/** The attributes of a start tag's text (entities decoded); lenient, for enclosing elements. */
export function parseAttributes(tag: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  const pattern = /([^\s=<>/"']+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
  const body = tag.replace(/^<[^\s/>]*/, '');
  for (let m = pattern.exec(body); m !== null; m = pattern.exec(body)) {
    attributes[m[1]!] = decodeEntities(m[2] ?? m[3] ?? '');
  }
  return attributes;
}

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(value: string): string {
  return value.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (whole, ref: string) => {
    if (ref.startsWith('#')) {
      const code = ref[1] === 'x' ? Number.parseInt(ref.slice(2), 16) : Number(ref.slice(1));
      return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED_ENTITIES[ref] ?? whole;
  });
}

// ---- parsing one piece ----

/** An element of a parsed piece: names without prefix, namespaces resolved. */
export type XmlElement = {
  name: string;
  local: string;
  ns: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** The element's own character data (not its children's). */
  text: string;
};

export type ParsedPiece = { root: XmlElement; flags: string[] } | { error: string };

/**
 * Parses one piece. Character references XML forbids but exporters write anyway (UTF-16
 * surrogate halves as two references, control characters) are decoded first: a pair becomes
 * its character, anything else U+FFFD and a flag, so one odd character never costs a record.
 */
export function parseXmlPiece(text: string, ancestors: readonly XmlAncestor[] = []): ParsedPiece {
  const { text: cleaned, flags } = decodeUnrepresentableReferences(text);
  const parser = new SaxesParser({ xmlns: false, position: true });
  const scopes: Record<string, string>[] = [inheritedNamespaces(ancestors)];
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let error: string | undefined;
  parser.on('error', (e) => {
    error ??= e.message.replace(/^(\d+):(\d+): /, 'at line $1, column $2 of the element: ');
  });
  parser.on('opentag', (node) => {
    const attributes = node.attributes as Record<string, string>;
    let scope = scopes[scopes.length - 1]!;
    for (const key in attributes) {
      if (key !== 'xmlns' && !key.startsWith('xmlns:')) continue;
      if (scope === scopes[scopes.length - 1]) scope = { ...scope };
      scope[key === 'xmlns' ? '' : key.slice(6)] = attributes[key]!;
    }
    scopes.push(scope);
    const colon = node.name.indexOf(':');
    const prefix = colon === -1 ? '' : node.name.slice(0, colon);
    const element: XmlElement = { name: node.name, local: node.name.slice(colon + 1), ns: scope[prefix] ?? '', attributes, children: [], text: '' };
    if (stack.length > 0) stack[stack.length - 1]!.children.push(element);
    else root ??= element;
    stack.push(element);
  });
  parser.on('text', (t) => {
    if (stack.length > 0) stack[stack.length - 1]!.text += t;
  });
  parser.on('cdata', (t) => {
    if (stack.length > 0) stack[stack.length - 1]!.text += t;
  });
  parser.on('closetag', () => {
    stack.pop();
    scopes.pop();
  });
  try {
    parser.write(cleaned).close();
  } catch (e) {
    error ??= (e as Error).message;
  }
  if (error !== undefined) return { error: `malformed XML ${error}` };
  if (!root) return { error: 'malformed XML: no element' };
  return { root, flags };
}

function inheritedNamespaces(ancestors: readonly XmlAncestor[]): Record<string, string> {
  const scope: Record<string, string> = {};
  for (const a of ancestors) {
    for (const [key, value] of Object.entries(a.attributes)) {
      if (key === 'xmlns') scope[''] = value;
      else if (key.startsWith('xmlns:')) scope[key.slice(6)] = value;
    }
  }
  return scope;
}

/** Decodes character references XML 1.0 does not allow; see parseXmlPiece. */
export function decodeUnrepresentableReferences(text: string): { text: string; flags: string[] } {
  if (!text.includes('&#')) return { text, flags: [] };
  const flags = new Set<string>();
  const pattern = /&#(?:x([0-9a-fA-F]{1,8})|([0-9]{1,10}));/g;
  let out = '';
  let last = 0;
  // a high half waits for a low half that must follow it at once
  let pendingHigh: number | undefined;
  for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
    const code = m[1] !== undefined ? Number.parseInt(m[1], 16) : Number(m[2]);
    const kind = referenceKind(code);
    if (pendingHigh !== undefined) {
      if (kind === 'low' && m.index === last) {
        out += String.fromCharCode(pendingHigh, code);
        pendingHigh = undefined;
        last = m.index + m[0].length;
        continue;
      }
      out += '\uFFFD';
      flags.add('lone-surrogate-replaced');
      pendingHigh = undefined;
    }
    if (kind === 'allowed') continue;
    out += text.slice(last, m.index);
    last = m.index + m[0].length;
    if (kind === 'high') {
      pendingHigh = code;
    } else {
      out += '\uFFFD';
      flags.add(kind === 'low' ? 'lone-surrogate-replaced' : 'invalid-character-replaced');
    }
  }
  if (pendingHigh !== undefined) {
    out += '\uFFFD';
    flags.add('lone-surrogate-replaced');
  }
  out += text.slice(last);
  return { text: out, flags: [...flags] };
}

function referenceKind(code: number): 'high' | 'low' | 'forbidden' | 'allowed' {
  if (code >= 0xd800 && code <= 0xdbff) return 'high';
  if (code >= 0xdc00 && code <= 0xdfff) return 'low';
  const isControl = code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d;
  return isControl || code === 0xfffe || code === 0xffff || code > 0x10ffff ? 'forbidden' : 'allowed';
}

/** The deep text of an element (its own and its descendants'), in document order approximately. */
export function textContent(element: XmlElement): string {
  return element.text + element.children.map(textContent).join('');
}

export function childElement(element: XmlElement, local: string, ns?: string): XmlElement | undefined {
  return element.children.find((c) => c.local === local && (ns === undefined || c.ns === ns));
}

export function childElements(element: XmlElement, local: string, ns?: string): XmlElement[] {
  return element.children.filter((c) => c.local === local && (ns === undefined || c.ns === ns));
}

/** A short quotation of a piece for the quarantine. */
export function excerptOf(text: string): string {
  return text.length <= EXCERPT_CHARS ? text : text.slice(0, EXCERPT_CHARS);
}
