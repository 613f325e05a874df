// Streams a file as lines with exact provenance (1-based line number, byte offset), from any
// resume point, in bounded memory: a line longer than `maxLineBytes` is reported, not buffered.
import { createReadStream } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import type { Location } from '../model/records.ts';

export type Line =
  | { ok: true; text: string; location: Location }
  | { ok: false; reason: string; excerpt: string; location: Location };

export const DEFAULT_MAX_LINE_BYTES = 1 << 20;
const EXCERPT_BYTES = 200;

export async function* readLines(
  path: string,
  options: { from?: Location; maxLineBytes?: number } = {},
): AsyncGenerator<Line> {
  const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  let offset = options.from?.offset ?? 0;
  let line = options.from?.line ?? 1;
  const stream = createReadStream(path, { start: offset, highWaterMark: 1 << 20 });
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  // Once a line has grown past the limit we stop keeping its bytes and only look for its end.
  let overlong: { excerpt: string; bytes: number } | undefined;

  const finish = (piece: Buffer, location: Location): Line => {
    let bytes = piece;
    if (location.offset === 0 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
    if (bytes.length > 0 && bytes[bytes.length - 1] === 0x0d) bytes = bytes.subarray(0, bytes.length - 1);
    if (!isUtf8(bytes)) {
      return { ok: false, reason: 'invalid UTF-8', excerpt: bytes.subarray(0, EXCERPT_BYTES).toString('latin1'), location };
    }
    return { ok: true, text: bytes.toString('utf8'), location };
  };

  for await (const chunk of stream as AsyncIterable<Buffer>) {
    let start = 0;
    while (start < chunk.length) {
      const newline = chunk.indexOf(10, start);
      const end = newline === -1 ? chunk.length : newline;
      const piece = chunk.subarray(start, end);
      if (overlong) {
        overlong.bytes += piece.length;
      } else if (pendingBytes + piece.length > maxLineBytes) {
        const head = Buffer.concat([...pending, piece]).subarray(0, EXCERPT_BYTES);
        overlong = { excerpt: head.toString('utf8'), bytes: pendingBytes + piece.length };
        pending = [];
        pendingBytes = 0;
      } else if (newline === -1) {
        pending.push(Buffer.from(piece));
        pendingBytes += piece.length;
      }
      if (newline === -1) break;
      const location = { line, offset };
      if (overlong) {
        yield { ok: false, reason: `line too long (${overlong.bytes} bytes, limit ${maxLineBytes})`, excerpt: overlong.excerpt, location };
        offset += overlong.bytes + 1;
        overlong = undefined;
      } else {
        const whole = pendingBytes > 0 ? Buffer.concat([...pending, piece]) : piece;
        offset += whole.length + 1;
        pending = [];
        pendingBytes = 0;
        yield finish(whole, location);
      }
      line += 1;
      start = newline + 1;
    }
  }
  const location = { line, offset };
  if (overlong) {
    yield { ok: false, reason: `line too long (${overlong.bytes} bytes, limit ${maxLineBytes})`, excerpt: overlong.excerpt, location };
  } else if (pendingBytes > 0) {
    yield finish(Buffer.concat(pending), location);
  }
}
