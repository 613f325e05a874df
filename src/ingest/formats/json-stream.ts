// Streams the parts of one big JSON document that a reader asks for, each with the exact
// location (1-based line, byte offset) where it starts. A Telegram export or a CASE graph is a
// single JSON value of many gigabytes: only the pieces asked for are ever assembled in memory.
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Tokenizer, TokenType } from '@streamparser/json';
import type { Location } from '../../model/records.ts';

export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
export type JsonObject = { [key: string]: JsonValue };
/** Keys and array indexes from the document's root to a value. */
export type JsonPath = readonly (string | number)[];

/**
 * What a reader wants at a path: `value` assembles the whole value and reports it; `mark`
 * reports where a container opens and closes without assembling it (its insides are still
 * offered to the selector); undefined passes over it (its insides are offered too).
 */
export type Selection = 'value' | 'mark' | undefined;

export type JsonEvent =
  | {
      kind: 'value';
      path: JsonPath;
      value: JsonValue;
      location: Location;
      /** Where the value's last token starts (its closing bracket for a container). */
      end: Location;
      /** For an object: where each of its own keys sits, so sub-records can point at them. */
      fields: ReadonlyMap<string, Location>;
      /** Where each object or array nested in the value starts (with `locateContainers`). */
      containers: ReadonlyMap<JsonObject | JsonValue[], Location>;
    }
  | { kind: 'open'; path: JsonPath; location: Location }
  | { kind: 'close'; path: JsonPath; location: Location }
  /** The document cannot be read past this point (bad syntax, truncation) or a value was too large. */
  | { kind: 'error'; location: Location; reason: string; excerpt: string; fatal: boolean };

export type JsonStreamOptions = {
  /** A selected value spanning more bytes than this is reported as an error, not assembled. */
  maxValueBytes?: number;
  chunkBytes?: number;
  /** Offer the insides of an assembled value to the selector too; a nested `value` is then reported on its own and left out of its container. */
  extractNested?: boolean;
  /** Report where every object and array nested in a selected value starts. */
  locateContainers?: boolean;
};

const DEFAULT_MAX_VALUE_BYTES = 32 << 20;
const EXCERPT_BYTES = 200;

/**
 * The selected values of a JSON file in document order. Stops at the first syntax error with a
 * fatal `error` event: after broken JSON nothing can be trusted to be where it seems.
 */
export async function* streamJson(
  path: string,
  select: (path: JsonPath) => Selection,
  options: JsonStreamOptions = {},
): AsyncGenerator<JsonEvent> {
  const walker = new JsonWalker(select, options.maxValueBytes ?? DEFAULT_MAX_VALUE_BYTES, options.extractNested ?? false, options.locateContainers ?? false);
  // the tokenizer swallows a BOM without counting it: offsets past it are shifted by its size
  if (await startsWithBom(path)) walker.skipBytes(3);
  const stream = createReadStream(path, { highWaterMark: options.chunkBytes ?? 1 << 20 });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const events = walker.write(chunk);
      for (const event of events) yield event;
      if (walker.isStopped) return;
    }
    for (const event of walker.end()) yield event;
  } finally {
    stream.destroy();
  }
}

async function startsWithBom(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(3);
    const { bytesRead } = await handle.read(head, 0, 3, 0);
    return bytesRead === 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf;
  } finally {
    await handle.close();
  }
}

type Frame = {
  isArray: boolean;
  /** object: key → colon → value → comma; array: value → comma */
  state: 'key' | 'colon' | 'value' | 'comma';
  /** The current key (object) or index (array): what the next value's path ends with. */
  key: string | number;
  isEmpty: boolean;
  /** Present while this container is being assembled. */
  container?: JsonObject | JsonValue[];
  selection: Selection;
  location: Location;
  startOffset: number;
  fields?: Map<string, Location>;
  containers?: Map<JsonObject | JsonValue[], Location>;
  /** The selected value this container is part of (itself when it was selected). */
  root?: Frame;
  isOversized?: boolean;
};

class StructureError extends Error {
  readonly offset: number;
  constructor(message: string, offset: number) {
    super(message);
    this.offset = offset;
  }
}

/** Counts line breaks in the bytes passed through, to turn a byte offset into a line. */
class LineCounter {
  private chunk: Buffer = Buffer.alloc(0);
  private chunkStart = 0;
  private countedTo = 0;
  private breaks = 0;

  nextChunk(chunk: Buffer, start: number): void {
    this.countTo(this.chunkStart + this.chunk.length);
    this.chunk = chunk;
    this.chunkStart = start;
    this.countedTo = Math.max(this.countedTo, start);
  }

  /** Offsets must be asked in increasing order; a token that began in an earlier chunk holds no raw line break (JSON forbids them inside strings). */
  locate(offset: number): Location {
    if (offset >= this.countedTo) this.countTo(offset);
    else if (offset >= this.chunkStart) return { line: this.breaks + 1 - this.countBetween(offset, this.countedTo), offset };
    return { line: this.breaks + 1, offset };
  }

  excerpt(offset: number): string {
    const from = Math.max(0, offset - this.chunkStart);
    return this.chunk.subarray(from, from + EXCERPT_BYTES).toString('utf8');
  }

  private countTo(offset: number): void {
    const end = Math.min(offset, this.chunkStart + this.chunk.length);
    if (end > this.countedTo) {
      this.breaks += this.countBetween(this.countedTo, end);
      this.countedTo = end;
    }
  }

  private countBetween(from: number, to: number): number {
    let n = 0;
    const stop = to - this.chunkStart;
    for (let i = this.chunk.indexOf(10, from - this.chunkStart); i !== -1 && i < stop; i = this.chunk.indexOf(10, i + 1)) n += 1;
    return n;
  }
}

/** Ids beyond 2^53 (Telegram, CASE) would silently lose digits as numbers: keep them as text. */
function parseNumberKeepingBigIntegers(text: string): number | string {
  const n = Number(text);
  return Number.isSafeInteger(n) || !/^-?\d+$/.test(text) ? n : text;
}

class BigIntegerSafeTokenizer extends Tokenizer {
  protected override parseNumber(text: string): number {
    return parseNumberKeepingBigIntegers(text) as number;
  }
}

class JsonWalker {
  isStopped = false;
  private readonly select: (path: JsonPath) => Selection;
  private readonly maxValueBytes: number;
  private readonly extractNested: boolean;
  private readonly locateContainers: boolean;
  private readonly tokenizer = new BigIntegerSafeTokenizer();
  private readonly lines = new LineCounter();
  private readonly frames: Frame[] = [];
  private rootState: 'before' | 'inside' | 'done' = 'before';
  private events: JsonEvent[] = [];
  private base = 0;
  private written = 0;

  constructor(select: (path: JsonPath) => Selection, maxValueBytes: number, extractNested: boolean, locateContainers: boolean) {
    this.select = select;
    this.locateContainers = locateContainers;
    this.maxValueBytes = maxValueBytes;
    this.extractNested = extractNested;
    this.tokenizer.onToken = ({ token, value, offset }) => this.onToken(token, value, offset + this.base);
  }

  skipBytes(n: number): void {
    this.base += n;
  }

  write(chunk: Buffer): JsonEvent[] {
    this.events = [];
    this.lines.nextChunk(chunk, this.written);
    this.written += chunk.length;
    try {
      this.tokenizer.write(chunk);
    } catch (error) {
      this.fail(error);
    }
    return this.events;
  }

  end(): JsonEvent[] {
    this.events = [];
    if (this.isStopped) return this.events;
    try {
      this.tokenizer.end();
    } catch (error) {
      this.fail(error);
      return this.events;
    }
    const at = this.lines.locate(this.written);
    if (this.rootState === 'before') this.stop(at, 'the file holds no JSON value', '');
    else if (this.rootState === 'inside') this.stop(at, `the file ends inside the JSON document (truncated?), ${this.frames.length} bracket(s) left open`, '');
    return this.events;
  }

  private fail(error: unknown): void {
    if (this.isStopped) return;
    const message = error instanceof Error ? error.message : String(error);
    const offset = error instanceof StructureError
      ? error.offset
      : this.base + Number(/absolute position "?(\d+)/.exec(message)?.[1] ?? this.written - this.base);
    const at = this.lines.locate(Math.min(offset, this.written));
    this.stop(at, `invalid JSON: ${message}`, this.lines.excerpt(offset));
  }

  private stop(location: Location, reason: string, excerpt: string): void {
    this.isStopped = true;
    this.events.push({ kind: 'error', location, reason, excerpt, fatal: true });
  }

  private onToken(token: TokenType, value: unknown, offset: number): void {
    if (this.isStopped) return;
    const frame = this.frames.at(-1);
    switch (token) {
      case TokenType.LEFT_BRACE:
      case TokenType.LEFT_BRACKET:
        this.beginValue(frame, offset);
        this.open(token === TokenType.LEFT_BRACKET, frame, offset);
        return;
      case TokenType.RIGHT_BRACE:
      case TokenType.RIGHT_BRACKET:
        this.close(token === TokenType.RIGHT_BRACKET, frame, offset);
        return;
      case TokenType.COLON:
        if (!frame || frame.isArray || frame.state !== 'colon') throw new StructureError('unexpected ":"', offset);
        frame.state = 'value';
        return;
      case TokenType.COMMA:
        if (!frame || frame.state !== 'comma') throw new StructureError('unexpected ","', offset);
        if (frame.isArray) {
          frame.key = (frame.key as number) + 1;
          frame.state = 'value';
        } else {
          frame.state = 'key';
        }
        return;
      case TokenType.SEPARATOR:
        throw new StructureError('unexpected separator', offset);
      default:
        if (frame && !frame.isArray && frame.state === 'key') {
          if (token !== TokenType.STRING) throw new StructureError('an object key must be a string', offset);
          frame.key = value as string;
          frame.state = 'colon';
          if (frame.fields) frame.fields.set(frame.key, this.lines.locate(offset));
          return;
        }
        this.beginValue(frame, offset);
        this.scalar(value as JsonValue, frame, offset);
    }
  }

  /** Checks that a value may start here. */
  private beginValue(frame: Frame | undefined, offset: number): void {
    if (!frame) {
      if (this.rootState !== 'before') throw new StructureError('unexpected content after the end of the JSON document', offset);
      this.rootState = 'inside';
      return;
    }
    if (frame.state !== 'value') throw new StructureError(frame.isArray ? 'expected "," or "]"' : frame.state === 'key' ? 'expected a key' : 'expected ":" or ","', offset);
    frame.isEmpty = false;
    this.checkSize(frame, offset);
  }

  private pathTo(): (string | number)[] {
    return this.frames.map((f) => f.key);
  }

  private scalar(value: JsonValue, parent: Frame | undefined, offset: number): void {
    const isAssembling = parent?.container !== undefined;
    const selection = this.selectionHere(isAssembling);
    if (selection !== undefined) {
      const location = this.lines.locate(offset);
      this.events.push({ kind: 'value', path: this.pathTo(), value, location, end: location, fields: new Map(), containers: new Map() });
    } else if (isAssembling) {
      attach(parent!, value);
    }
    this.afterValue(parent);
  }

  /** Inside an assembled value the selector is asked only when nested values are extracted (it is per-value work). */
  private selectionHere(isAssembling: boolean): Selection {
    if (isAssembling && !this.extractNested) return undefined;
    const selection = this.select(this.pathTo());
    return isAssembling && selection === 'mark' ? undefined : selection;
  }

  private open(isArray: boolean, parent: Frame | undefined, offset: number): void {
    const selection = this.selectionHere(parent?.container !== undefined);
    const location = this.lines.locate(offset);
    const frame: Frame = {
      isArray, state: isArray ? 'value' : 'key', key: isArray ? 0 : '', isEmpty: true, selection, location, startOffset: offset,
    };
    if (selection === 'value') {
      frame.container = isArray ? [] : {};
      frame.root = frame;
      if (!isArray) frame.fields = new Map();
      if (this.locateContainers) frame.containers = new Map([[frame.container, location]]);
    } else if (parent?.container !== undefined) {
      frame.container = isArray ? [] : {};
      frame.root = parent.root;
      attach(parent, frame.container);
      frame.root?.containers?.set(frame.container, location);
    } else if (selection === 'mark') {
      this.events.push({ kind: 'open', path: this.pathTo(), location });
    }
    this.frames.push(frame);
  }

  private close(isArray: boolean, frame: Frame | undefined, offset: number): void {
    if (!frame || frame.isArray !== isArray) throw new StructureError(`unexpected "${isArray ? ']' : '}'}"`, offset);
    const isClosable = frame.state === 'comma' || (frame.isEmpty && (frame.isArray ? frame.state === 'value' : frame.state === 'key'));
    if (!isClosable) throw new StructureError(`unexpected "${isArray ? ']' : '}'}"`, offset);
    this.frames.pop();
    const parent = this.frames.at(-1);
    if (frame.selection === 'value' && frame.root === frame) {
      if (offset - frame.startOffset > this.maxValueBytes) frame.isOversized = true;
      const end = this.lines.locate(offset);
      if (frame.isOversized) {
        this.events.push({
          kind: 'error', location: frame.location, fatal: false, excerpt: '',
          reason: `value too large to read (${offset - frame.startOffset + 1} bytes, limit ${this.maxValueBytes})`,
        });
      } else {
        this.events.push({ kind: 'value', path: this.pathTo(), value: frame.container!, location: frame.location, end, fields: frame.fields ?? new Map(), containers: frame.containers ?? new Map() });
      }
    } else if (frame.selection === 'mark' && frame.container === undefined) {
      this.events.push({ kind: 'close', path: this.pathTo(), location: this.lines.locate(offset) });
    }
    this.afterValue(parent);
  }

  private afterValue(parent: Frame | undefined): void {
    if (parent) parent.state = 'comma';
    else this.rootState = 'done';
  }

  /** A selected value past the size limit stops being assembled; its end is still tracked. */
  private checkSize(frame: Frame, offset: number): void {
    const root = frame.root;
    if (!root || root.isOversized || offset - root.startOffset <= this.maxValueBytes) return;
    root.isOversized = true;
    for (const f of this.frames) {
      if (f.root === root) {
        f.container = undefined;
        if (f !== root) f.root = undefined;
      }
    }
    root.fields = new Map();
    root.containers = new Map();
  }
}

function attach(parent: Frame, value: JsonValue): void {
  const container = parent.container!;
  if (Array.isArray(container)) container.push(value);
  else container[parent.key as string] = value;
}

/** Narrowing helpers shared by the JSON readers. */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function excerptOf(value: unknown, chars = 300): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.slice(0, chars);
}
