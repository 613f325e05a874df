// Streams a file as lines with exact provenance (1-based line number, byte offset), from any
// resume point, in bounded memory: a line longer than `maxLineBytes` is reported, not buffered.
// `readByteLines` gives the bytes (for readers that decode themselves: a leak in latin-1 or cp437);
// `readLines` decodes UTF-8 and reports what is not.
import { createReadStream } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import type { Location } from '../model/records.ts';

export type Line =
  | { ok: true; text: string; location: Location }
  | { ok: false; reason: string; excerpt: string; location: Location };

/** A line's bytes (without its '\n', a '\r' before it, or the file's BOM), or a line too long to keep. */
export type ByteLine =
  | { kind: 'line'; bytes: Buffer; location: Location }
  | { kind: 'overlong'; head: Buffer; sizeBytes: number; location: Location };

export type LineOptions = {
  from?: Location;
  maxLineBytes?: number;
  /** How much of an over-long line's start is kept for its report. */
  headBytes?: number;
};

export const DEFAULT_MAX_LINE_BYTES = 1 << 20;
const EXCERPT_BYTES = 200;

export async function* readByteLines(path: string, options: LineOptions = {}): AsyncGenerator<ByteLine> {
  const splitter = new ByteLineSplitter(options);
  for await (const chunk of createReadStream(path, { start: options.from?.offset ?? 0, highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    yield* splitter.push(chunk);
  }
  yield* splitter.end();
}

export async function* readLines(path: string, options: LineOptions = {}): AsyncGenerator<Line> {
  const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  // the splitter's own loop, not readByteLines: one async generator per line is the cost that counts here
  const splitter = new ByteLineSplitter({ ...options, headBytes: EXCERPT_BYTES });
  for await (const chunk of createReadStream(path, { start: options.from?.offset ?? 0, highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    for (const piece of splitter.push(chunk)) yield decode(piece, maxLineBytes);
  }
  for (const piece of splitter.end()) yield decode(piece, maxLineBytes);
}

function decode(piece: ByteLine, maxLineBytes: number): Line {
  const location = piece.location;
  if (piece.kind === 'overlong') {
    return { ok: false, reason: `line too long (${piece.sizeBytes} bytes, limit ${maxLineBytes})`, excerpt: piece.head.toString('utf8'), location };
  }
  if (!isUtf8(piece.bytes)) {
    return { ok: false, reason: 'invalid UTF-8', excerpt: piece.bytes.subarray(0, EXCERPT_BYTES).toString('latin1'), location };
  }
  return { ok: true, text: piece.bytes.toString('utf8'), location };
}

/**
 * Cuts chunks of a byte stream into lines with their locations. Once a line has grown past the
 * limit its bytes are no longer kept; only its end is looked for, and its start is reported.
 */
class ByteLineSplitter {
  private offset: number;
  private line: number;
  private readonly maxLineBytes: number;
  private readonly headBytes: number;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private overlong: { head: Buffer; sizeBytes: number } | undefined;

  constructor(options: LineOptions) {
    this.offset = options.from?.offset ?? 0;
    this.line = options.from?.line ?? 1;
    this.maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    this.headBytes = options.headBytes ?? EXCERPT_BYTES;
  }

  *push(chunk: Buffer): Generator<ByteLine> {
    let start = 0;
    while (start < chunk.length) {
      const newline = chunk.indexOf(10, start);
      const piece = chunk.subarray(start, newline === -1 ? chunk.length : newline);
      if (this.overlong) this.overlong.sizeBytes += piece.length;
      else if (this.pendingBytes + piece.length > this.maxLineBytes) {
        this.overlong = { head: Buffer.concat([...this.pending, piece]).subarray(0, this.headBytes), sizeBytes: this.pendingBytes + piece.length };
        this.pending = [];
        this.pendingBytes = 0;
      } else if (newline === -1) {
        this.pending.push(Buffer.from(piece));
        this.pendingBytes += piece.length;
      }
      if (newline === -1) break;
      const location = { line: this.line, offset: this.offset };
      if (this.overlong) {
        yield { kind: 'overlong', head: this.overlong.head, sizeBytes: this.overlong.sizeBytes, location };
        this.offset += this.overlong.sizeBytes + 1;
        this.overlong = undefined;
      } else {
        const whole = this.pendingBytes > 0 ? Buffer.concat([...this.pending, piece]) : piece;
        this.offset += whole.length + 1;
        this.pending = [];
        this.pendingBytes = 0;
        yield trimmed(whole, location);
      }
      this.line += 1;
      start = newline + 1;
    }
  }

  /** The last line, when the file does not end with a line break. */
  *end(): Generator<ByteLine> {
    const location = { line: this.line, offset: this.offset };
    if (this.overlong) yield { kind: 'overlong', head: this.overlong.head, sizeBytes: this.overlong.sizeBytes, location };
    else if (this.pendingBytes > 0) yield trimmed(Buffer.concat(this.pending), location);
  }
}

function trimmed(bytes: Buffer, location: Location): ByteLine {
  let b = bytes;
  if (location.offset === 0 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) b = b.subarray(3);
  if (b.length > 0 && b[b.length - 1] === 0x0d) b = b.subarray(0, b.length - 1);
  return { kind: 'line', bytes: b, location };
}
