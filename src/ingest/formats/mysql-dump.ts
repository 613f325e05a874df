// MySQL/MariaDB dumps of a seized website's database (mysqldump and phpMyAdmin styles). A
// byte-level tokenizer streams the dump (extended INSERT lines run to many MB, files to many GB)
// and hands over table definitions and rows; site-mapping.ts turns rows into accounts, events
// and credential exposures. Two passes: the first learns the tables, the database name and the
// account keys (mysqldump writes `payments` before `users`), the second yields the records.
import { createReadStream } from 'node:fs';
import { basename, extname } from 'node:path';
import type { Location, ReadItem } from '../../model/records.ts';
import type { FormatReader, ReaderInput } from './format.ts';
import {
  AccountKeyIndex, checkMappingAgainstColumns, createPasswordHashers, indexAccountRow, proposeMapping, siteRowItems, sitePlatform,
  validateSiteMapping, type SiteContext, type SiteMapping, type SiteRow, type SiteValue, type TableMapping, type TableShape,
} from './site-mapping.ts';

/** A value as the dump writes it: text (numbers and words as their text), NULL, or bytes (0x.., X'..', _binary '..'). */
export type SqlValue = SiteValue;

export type DumpEvent =
  | { kind: 'database'; name: string }
  | { kind: 'table'; name: string; columns: string[] }
  | { kind: 'row'; table: string; columns: string[]; values: SqlValue[]; location: Location }
  | { kind: 'malformed'; location: Location; reason: string; excerpt: string };

type Mode =
  | { kind: 'top' }
  /** Inside `INSERT ... VALUES`: a row `(` is expected, or after a row a `,` or `;`. */
  | { kind: 'rows'; table: string; columns: string[] | undefined; expectRow: boolean }
  /** Between `DELIMITER ;;` and `DELIMITER ;`: procedures and triggers, skipped. */
  | { kind: 'delimiter-block' }
  /** After a broken row or statement: looking for the next row or statement to start again. */
  | { kind: 'resync'; rows: { table: string; columns: string[] | undefined } | undefined };

const NEED_MORE = -1;
const FAILED = -2;
const EXCERPT_CHARS = 300;
/** A row (or a statement other than INSERT) longer than this is taken for a missing quote. */
const MAX_ROW_BYTES = 64 << 20;
const MAX_STATEMENT_BYTES = 16 << 20;
const MAX_INSERT_HEADER_BYTES = 1 << 20;
const READ_CHUNK_BYTES = 1 << 20;

/** Statements a dump holds besides INSERT; a line starting with anything else is garbage. */
const STATEMENT_WORDS = new Set([
  'SET', 'LOCK', 'UNLOCK', 'DROP', 'CREATE', 'ALTER', 'USE', 'START', 'BEGIN', 'COMMIT', 'ROLLBACK', 'FLUSH', 'GRANT', 'REVOKE',
  'TRUNCATE', 'DELETE', 'UPDATE', 'ANALYZE', 'OPTIMIZE', 'RENAME', 'SELECT', 'CALL', 'DO', 'SAVEPOINT', 'RELEASE', 'XA', 'SHOW',
  'CHANGE', 'RESET', 'PREPARE', 'EXECUTE', 'DEALLOCATE', 'LOAD', 'HANDLER', 'DECLARE', 'REPAIR', 'CHECK', 'INSTALL', 'UNINSTALL',
]);
const KEY_DEFINITION = /^(PRIMARY|UNIQUE|KEY|INDEX|CONSTRAINT|FOREIGN|FULLTEXT|SPATIAL|CHECK|PERIOD)\b/i;
const IDENTIFIER = '(?:`(?:[^`]|``)+`|"[^"]+"|[\\w$\\u0080-\\uffff]+)';
const QUALIFIED = `${IDENTIFIER}(?:\\s*\\.\\s*${IDENTIFIER})?`;
const INSERT_HEADER = new RegExp(
  `^(?:INSERT|REPLACE)(?:\\s+(?:LOW_PRIORITY|DELAYED|HIGH_PRIORITY|IGNORE))*(?:\\s+INTO)?\\s+(${QUALIFIED})` +
    `(?:\\s+PARTITION\\s*\\([^)]*\\))?\\s*(\\((?:[^()'\`]|\`(?:[^\`]|\`\`)*\`)*\\))?\\s*VALUES?\\b`, 'i');

/**
 * The dump tokenizer: feed it the file's bytes in chunks, get table definitions, rows and
 * malformed pieces back. Pure (no I/O). A piece cut by a chunk boundary is re-parsed when more
 * bytes arrive; it waits for the buffer to double first, so a huge row costs linear time.
 */
export class DumpTokenizer {
  private buf: Buffer = Buffer.alloc(0);
  /** File offset of buf[0]. */
  private base = 0;
  private pos = 0;
  /** The line at `pos`. */
  private line = 1;
  /** Newlines passed by the piece being parsed, added to `line` when it is committed. */
  private nl = 0;
  private isEnded = false;
  private waitBytes = 0;
  private mode: Mode = { kind: 'top' };
  private encoding: BufferEncoding = 'utf8';
  private readonly tables = new Map<string, string[]>();
  private out: DumpEvent[] = [];
  private rowValues: SqlValue[] = [];
  private rowError = '';

  push(chunk: Buffer): DumpEvent[] {
    if (this.pos > 0) {
      this.base += this.pos;
      this.buf = this.buf.subarray(this.pos);
      this.pos = 0;
    }
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    if (this.buf.length < this.waitBytes) return [];
    return this.run();
  }

  end(): DumpEvent[] {
    this.isEnded = true;
    return this.run();
  }

  private run(): DumpEvent[] {
    this.waitBytes = 0;
    while (this.step());
    if (this.isEnded) this.finish();
    else this.waitBytes = (this.buf.length - this.pos) * 2;
    const events = this.out;
    this.out = [];
    return events;
  }

  /** One piece of input; false when it needs more bytes (or the input is done). */
  private step(): boolean {
    switch (this.mode.kind) {
      case 'top': return this.stepTop();
      case 'rows': return this.stepRows(this.mode);
      case 'delimiter-block': return this.stepDelimiterBlock();
      case 'resync': return this.stepResync(this.mode.rows);
    }
  }

  private commit(index: number): void {
    this.line += this.nl;
    this.nl = 0;
    this.pos = index;
  }

  private location(index: number): Location {
    return { line: this.line, offset: this.base + index };
  }

  /** Up to 300 characters from `index`, to the end of that line. */
  private excerpt(index: number): string {
    const text = this.buf.toString('utf8', index, Math.min(this.buf.length, index + EXCERPT_CHARS * 2)).slice(0, EXCERPT_CHARS);
    const newline = text.indexOf('\n', 1);
    return newline === -1 ? text : text.slice(0, newline);
  }

  private malformed(index: number, reason: string): void {
    this.out.push({ kind: 'malformed', location: this.location(index), reason, excerpt: this.excerpt(index) });
  }

  // -- between statements ---------------------------------------------------------------------

  private stepTop(): boolean {
    this.nl = 0;
    const i = this.skipBlank(this.pos, true);
    if (i === NEED_MORE) return false;
    this.commit(i);
    const buf = this.buf;
    if (i >= buf.length) return false;
    if (buf[i] === 0x3b) {
      this.commit(i + 1);
      return true;
    }
    const wordEnd = this.wordEnd(i);
    if (wordEnd === NEED_MORE) return false;
    const word = buf.toString('latin1', i, wordEnd).toUpperCase();
    if (word === 'INSERT' || word === 'REPLACE') return this.startInsert(i);
    if (word === 'DELIMITER') return this.startDelimiter(i);
    if (!STATEMENT_WORDS.has(word)) return this.skipGarbageLine(i);
    const end = this.statementEnd(i);
    if (end === NEED_MORE) {
      if (this.isEnded || buf.length - i <= MAX_STATEMENT_BYTES) return false;
      this.malformed(i, `statement longer than ${MAX_STATEMENT_BYTES >> 20} MiB without a closing ';' (a quote not closed?)`);
      this.mode = { kind: 'resync', rows: undefined };
      this.nl = 0;
      return true;
    }
    this.interpretStatement(word, buf.toString(this.encoding, i, end));
    this.commit(end + 1);
    return true;
  }

  /** Whitespace and comments; `-- Database:` headers and `SET NAMES` in comments are noted on the way. */
  private skipBlank(start: number, isTopLevel: boolean): number {
    const buf = this.buf;
    const len = buf.length;
    let i = start;
    while (i < len) {
      const c = buf[i]!;
      if (c === 0x0a) {
        this.nl += 1;
        i += 1;
      } else if (c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0c || c === 0x0b) {
        i += 1;
      } else if (c === 0x23 || (c === 0x2d && i + 1 < len && buf[i + 1] === 0x2d && (i + 2 >= len || isSpaceByte(buf[i + 2]!)))) {
        if (c === 0x2d && i + 2 >= len && !this.isEnded) return NEED_MORE;
        const newline = buf.indexOf(0x0a, i);
        if (newline === -1 && !this.isEnded) return NEED_MORE;
        const end = newline === -1 ? len : newline;
        if (isTopLevel) this.noteHeaderComment(buf.toString('utf8', i, end));
        i = end;
      } else if (c === 0x2d && i + 1 >= len && !this.isEnded) {
        return NEED_MORE;
      } else if (c === 0x2f && i + 1 < len && buf[i + 1] === 0x2a) {
        const close = buf.indexOf('*/', i + 2, 'latin1');
        if (close === -1) return NEED_MORE;
        this.nl += countNewlines(buf, i, close);
        if (isTopLevel && buf[i + 2] === 0x21) this.noteCharset(buf.toString('latin1', i, Math.min(close, i + 200)));
        i = close + 2;
      } else if (c === 0x2f && i + 1 >= len && !this.isEnded) {
        return NEED_MORE;
      } else {
        break;
      }
    }
    return i;
  }

  private noteHeaderComment(text: string): void {
    const database = /Database:\s*`?([^`\s]+)`?/.exec(text);
    if (database) this.out.push({ kind: 'database', name: database[1]! });
  }

  private noteCharset(text: string): void {
    const names = /SET\s+NAMES\s+'?(\w+)/i.exec(text);
    if (names) this.encoding = /^latin1$/i.test(names[1]!) ? 'latin1' : 'utf8';
  }

  private wordEnd(start: number): number {
    const buf = this.buf;
    let i = start;
    while (i < buf.length && isWordByte(buf[i]!)) i += 1;
    if (i >= buf.length && !this.isEnded) return NEED_MORE;
    return i;
  }

  private skipGarbageLine(start: number): boolean {
    const newline = this.buf.indexOf(0x0a, start);
    if (newline === -1 && !this.isEnded) return false;
    this.malformed(start, 'not an SQL statement');
    if (newline === -1) {
      this.commit(this.buf.length);
      return false;
    }
    this.nl = 1;
    this.commit(newline + 1);
    return true;
  }

  /** The index of the `;` ending the statement that starts at `start`, past quotes and comments. */
  private statementEnd(start: number): number {
    const buf = this.buf;
    const len = buf.length;
    let i = start;
    while (i < len) {
      const c = buf[i]!;
      if (c === 0x3b) return i;
      if (c === 0x27 || c === 0x22 || c === 0x60) {
        const end = this.quotedEnd(i, c);
        if (end === NEED_MORE) return NEED_MORE;
        i = end;
      } else if (c === 0x23 || (c === 0x2d && buf[i + 1] === 0x2d && isSpaceByte(buf[i + 2] ?? 0x20))) {
        const newline = buf.indexOf(0x0a, i);
        if (newline === -1) return NEED_MORE;
        i = newline;
      } else if (c === 0x2f && buf[i + 1] === 0x2a) {
        const close = buf.indexOf('*/', i + 2, 'latin1');
        if (close === -1) return NEED_MORE;
        this.nl += countNewlines(buf, i, close);
        i = close + 2;
      } else {
        if (c === 0x0a) this.nl += 1;
        i += 1;
      }
    }
    return NEED_MORE;
  }

  private interpretStatement(word: string, text: string): void {
    const sql = stripComments(text).trim();
    if (word === 'CREATE') {
      const table = new RegExp(`^CREATE\\s+(?:OR\\s+REPLACE\\s+)?(?:TEMPORARY\\s+)?TABLE\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?(${QUALIFIED})\\s*\\(`, 'i').exec(sql);
      if (table) {
        const name = lastIdentifier(table[1]!);
        const columns = tableColumns(sql.slice(table[0].length));
        this.tables.set(name, columns);
        this.out.push({ kind: 'table', name, columns });
        return;
      }
      const database = new RegExp(`^CREATE\\s+(?:DATABASE|SCHEMA)\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?(${IDENTIFIER})`, 'i').exec(sql);
      if (database) this.out.push({ kind: 'database', name: unquoteIdentifier(database[1]!) });
    } else if (word === 'USE') {
      const database = new RegExp(`^USE\\s+(${IDENTIFIER})`, 'i').exec(sql);
      if (database) this.out.push({ kind: 'database', name: unquoteIdentifier(database[1]!) });
    } else if (word === 'SET') {
      this.noteCharset(sql);
    }
  }

  private startDelimiter(start: number): boolean {
    const newline = this.buf.indexOf(0x0a, start);
    if (newline === -1 && !this.isEnded) return false;
    const end = newline === -1 ? this.buf.length : newline;
    const delimiter = this.buf.toString('latin1', start + 'DELIMITER'.length, end).trim();
    if (delimiter !== ';' && delimiter !== '') this.mode = { kind: 'delimiter-block' };
    this.nl = newline === -1 ? 0 : 1;
    this.commit(end === this.buf.length ? end : end + 1);
    return true;
  }

  private stepDelimiterBlock(): boolean {
    const buf = this.buf;
    for (;;) {
      const newline = buf.indexOf(0x0a, this.pos);
      if (newline === -1) {
        if (this.isEnded) this.commit(buf.length);
        return false;
      }
      const isEnd = /^\s*DELIMITER\s+;\s*$/i.test(buf.toString('latin1', this.pos, Math.min(newline, this.pos + 100)));
      this.nl = 1;
      this.commit(newline + 1);
      if (isEnd) {
        this.mode = { kind: 'top' };
        return true;
      }
    }
  }

  // -- INSERT ... VALUES ----------------------------------------------------------------------

  private startInsert(start: number): boolean {
    const buf = this.buf;
    const head = buf.toString('latin1', start, Math.min(buf.length, start + MAX_INSERT_HEADER_BYTES));
    const isComplete = /VALUES?\s*\(/i.test(head) || head.includes(';') || this.isEnded || head.length >= MAX_INSERT_HEADER_BYTES;
    if (!isComplete) return false;
    const header = INSERT_HEADER.exec(head);
    if (!header) {
      const end = this.statementEnd(start);
      if (end === NEED_MORE && !this.isEnded && buf.length - start <= MAX_STATEMENT_BYTES) return false;
      this.malformed(start, 'unsupported INSERT (only INSERT ... VALUES (...) is read)');
      if (end === NEED_MORE) {
        this.mode = { kind: 'resync', rows: undefined };
        this.nl = 0;
        return true;
      }
      this.commit(end + 1);
      return true;
    }
    const table = lastIdentifier(Buffer.from(header[1]!, 'latin1').toString('utf8'));
    const explicit = header[2] === undefined ? undefined : splitTopLevel(Buffer.from(header[2].slice(1, -1), 'latin1').toString('utf8')).map((c) => unquoteIdentifier(c.trim()));
    this.nl = countNewlinesIn(header[0]);
    this.commit(start + header[0].length);
    this.mode = { kind: 'rows', table, columns: explicit ?? this.tables.get(table), expectRow: true };
    return true;
  }

  private stepRows(mode: Extract<Mode, { kind: 'rows' }>): boolean {
    this.nl = 0;
    const j = this.skipBlank(this.pos, false);
    if (j === NEED_MORE) return false;
    this.commit(j);
    const buf = this.buf;
    if (j >= buf.length) return false;
    const c = buf[j]!;
    if (mode.expectRow) {
      if (c !== 0x28) {
        this.malformed(j, `expected '(' to start a row of \`${mode.table}\`, found ${describeByte(c)}`);
        this.enterResync(j, mode);
        return true;
      }
      return this.readRow(j, mode);
    }
    if (c === 0x2c) {
      this.commit(j + 1);
      mode.expectRow = true;
      return true;
    }
    if (c === 0x3b) {
      this.commit(j + 1);
      this.mode = { kind: 'top' };
      return true;
    }
    if (isWordByte(c)) {
      const wordEnd = this.wordEnd(j);
      if (wordEnd === NEED_MORE) return false;
      const word = buf.toString('latin1', j, wordEnd).toUpperCase();
      if (word === 'ON') {
        // ON DUPLICATE KEY UPDATE ...: the rows are read, the update clause is not data
        const end = this.statementEnd(j);
        if (end === NEED_MORE) return false;
        this.commit(end + 1);
        this.mode = { kind: 'top' };
        return true;
      }
      if (word === 'INSERT' || word === 'REPLACE' || STATEMENT_WORDS.has(word)) {
        // a statement without its ';': the rows before it stand, the next statement is read
        this.mode = { kind: 'top' };
        return true;
      }
    }
    this.malformed(j, `expected ',' or ';' after a row of \`${mode.table}\`, found ${describeByte(c)}`);
    this.enterResync(j, mode);
    return true;
  }

  private readRow(start: number, mode: Extract<Mode, { kind: 'rows' }>): boolean {
    const end = this.parseRow(start);
    if (end === NEED_MORE) {
      if (this.isEnded) {
        this.malformed(start, `row of \`${mode.table}\` not terminated at the end of the file (a string not closed, or a truncated dump)`);
        this.commit(this.buf.length);
        return false;
      }
      if (this.buf.length - start <= MAX_ROW_BYTES) return false;
      this.malformed(start, `row of \`${mode.table}\` longer than ${MAX_ROW_BYTES >> 20} MiB (a string not closed?)`);
      this.enterResync(start + 1, mode);
      return true;
    }
    if (end === FAILED) {
      this.malformed(start, `${this.rowError} in a row of \`${mode.table}\``);
      this.enterResync(start + 1, mode);
      return true;
    }
    const values = this.rowValues;
    const location = this.location(start);
    const columns = mode.columns ?? values.map((_, i) => `column_${i + 1}`);
    if (values.length !== columns.length) {
      this.out.push({
        kind: 'malformed', location, excerpt: this.excerpt(start),
        reason: `row has ${values.length} values but \`${mode.table}\` has ${columns.length} columns (${columns.join(', ').slice(0, 200)})`,
      });
    } else {
      this.out.push({ kind: 'row', table: mode.table, columns, values, location });
    }
    this.commit(end);
    mode.expectRow = false;
    return true;
  }

  /**
   * Parses `(v, v, ...)` at `start`: returns the index after `)` with the values in rowValues,
   * NEED_MORE, or FAILED with the reason in rowError. Newlines inside go to `nl`.
   */
  private parseRow(start: number): number {
    const buf = this.buf;
    const len = buf.length;
    const values: SqlValue[] = [];
    this.nl = 0;
    let j = start + 1;
    for (;;) {
      while (j < len && isSpaceByte(buf[j]!)) {
        if (buf[j] === 0x0a) this.nl += 1;
        j += 1;
      }
      if (j >= len) return NEED_MORE;
      if (buf[j] === 0x29 && values.length === 0) {
        this.rowValues = values;
        return j + 1;
      }
      j = this.parseValue(j, values);
      if (j < 0) return j;
      while (j < len && isSpaceByte(buf[j]!)) {
        if (buf[j] === 0x0a) this.nl += 1;
        j += 1;
      }
      if (j >= len) return NEED_MORE;
      const c = buf[j]!;
      if (c === 0x2c) {
        j += 1;
      } else if (c === 0x29) {
        this.rowValues = values;
        return j + 1;
      } else {
        this.rowError = `unexpected ${describeByte(c)} after value ${values.length} (a quote inside a string not escaped?)`;
        return FAILED;
      }
    }
  }

  /** Parses one value at `start` onto `values`; returns the index after it, NEED_MORE or FAILED. */
  private parseValue(start: number, values: SqlValue[]): number {
    const buf = this.buf;
    const len = buf.length;
    const c = buf[start]!;
    const next = start + 1 < len ? buf[start + 1]! : -1;
    if (c === 0x27 || c === 0x22) return this.parseString(start, c, false, values);
    if (next === -1 && !this.isEnded) return NEED_MORE;
    if (c === 0x30 && (next === 0x78 || next === 0x58)) return this.parseHexNumber(start + 2, values);
    if ((c === 0x78 || c === 0x58) && next === 0x27) return this.parseQuotedHex(start + 1, values);
    if ((c === 0x62 || c === 0x42) && next === 0x27) return this.parseBits(start + 1, values);
    if ((c === 0x4e || c === 0x6e) && next === 0x27) return this.parseString(start + 1, 0x27, false, values);
    if (c === 0x5f) {
      const introducer = this.introducedString(start);
      if (introducer === NEED_MORE) return NEED_MORE;
      if (introducer > 0) return this.parseString(introducer, buf[introducer]!, /^_binary\b/i.test(buf.toString('latin1', start, start + 8)), values);
    }
    return this.parseBareValue(start, values);
  }

  /** `_utf8mb4 '...'`, `_binary '...'`: the index of the quote, 0 when this is not an introducer. */
  private introducedString(start: number): number {
    const buf = this.buf;
    let i = start + 1;
    while (i < buf.length && isWordByte(buf[i]!)) i += 1;
    while (i < buf.length && (buf[i] === 0x20 || buf[i] === 0x09)) i += 1;
    if (i >= buf.length) return this.isEnded ? 0 : NEED_MORE;
    return buf[i] === 0x27 || buf[i] === 0x22 ? i : 0;
  }

  private parseString(quoteAt: number, quote: number, isBinary: boolean, values: SqlValue[]): number {
    const buf = this.buf;
    const len = buf.length;
    let k = quoteAt + 1;
    let isEscaped = false;
    for (;;) {
      if (k >= len) return NEED_MORE;
      const c = buf[k]!;
      if (c === 0x5c) {
        if (k + 1 >= len) return NEED_MORE;
        if (buf[k + 1] === 0x0a) this.nl += 1;
        isEscaped = true;
        k += 2;
      } else if (c === quote) {
        if (k + 1 >= len && !this.isEnded) return NEED_MORE;
        if (buf[k + 1] !== quote) break;
        isEscaped = true;
        k += 2;
      } else {
        if (c === 0x0a) this.nl += 1;
        k += 1;
      }
    }
    if (isEscaped) {
      const bytes = unescapeSqlString(buf, quoteAt + 1, k, quote);
      values.push(isBinary ? new Uint8Array(bytes) : bytes.toString(this.encoding));
    } else {
      // no Buffer view per string: at millions of rows those views are most of the garbage
      values.push(isBinary ? new Uint8Array(buf.buffer, buf.byteOffset + quoteAt + 1, k - quoteAt - 1).slice() : buf.toString(this.encoding, quoteAt + 1, k));
    }
    return k + 1;
  }

  private parseHexNumber(start: number, values: SqlValue[]): number {
    const buf = this.buf;
    let i = start;
    while (i < buf.length && isHexByte(buf[i]!)) i += 1;
    if (i >= buf.length && !this.isEnded) return NEED_MORE;
    values.push(hexBytes(buf.toString('latin1', start, i)));
    return i;
  }

  private parseQuotedHex(quoteAt: number, values: SqlValue[]): number {
    const close = this.buf.indexOf(0x27, quoteAt + 1);
    if (close === -1) return NEED_MORE;
    const hex = this.buf.toString('latin1', quoteAt + 1, close);
    if (!/^[0-9a-fA-F]*$/.test(hex)) {
      this.rowError = `X'...' holds characters that are not hexadecimal`;
      return FAILED;
    }
    values.push(hexBytes(hex));
    return close + 1;
  }

  private parseBits(quoteAt: number, values: SqlValue[]): number {
    const close = this.buf.indexOf(0x27, quoteAt + 1);
    if (close === -1) return NEED_MORE;
    const bits = this.buf.toString('latin1', quoteAt + 1, close);
    if (!/^[01]*$/.test(bits)) {
      this.rowError = `b'...' holds characters other than 0 and 1`;
      return FAILED;
    }
    values.push(bits === '' ? '0' : BigInt(`0b${bits}`).toString());
    return close + 1;
  }

  /** Numbers, NULL, and the odd function call (`NOW()`, `ST_GeomFromText('...')`): up to `,` or `)`. */
  private parseBareValue(start: number, values: SqlValue[]): number {
    const buf = this.buf;
    const len = buf.length;
    let depth = 0;
    let i = start;
    while (i < len) {
      const c = buf[i]!;
      if (c === 0x27 || c === 0x22) {
        const end = this.quotedEnd(i, c);
        if (end === NEED_MORE) return NEED_MORE;
        i = end;
        continue;
      }
      if (c === 0x28) depth += 1;
      else if (c === 0x29) {
        if (depth === 0) break;
        depth -= 1;
      } else if (c === 0x2c && depth === 0) break;
      else if (c === 0x0a) this.nl += 1;
      i += 1;
    }
    if (i >= len) return NEED_MORE;
    const text = buf.toString(this.encoding, start, i).trim();
    if (text === '') {
      this.rowError = `missing value ${values.length + 1}`;
      return FAILED;
    }
    values.push(isNullWord(text) ? null : text);
    return i;
  }

  /** The index after a quoted string or identifier starting at `start` (escapes skipped, not decoded). */
  private quotedEnd(start: number, quote: number): number {
    const buf = this.buf;
    let k = start + 1;
    for (;;) {
      if (k >= buf.length) return NEED_MORE;
      const c = buf[k]!;
      if (c === 0x5c && quote !== 0x60) {
        if (buf[k + 1] === 0x0a) this.nl += 1;
        k += 2;
      } else if (c === quote) {
        if (k + 1 >= buf.length && !this.isEnded) return NEED_MORE;
        if (buf[k + 1] !== quote) return k + 1;
        k += 2;
      } else {
        if (c === 0x0a) this.nl += 1;
        k += 1;
      }
    }
  }

  // -- starting again after a broken piece ------------------------------------------------------

  private enterResync(from: number, rows: { table: string; columns: string[] | undefined } | undefined): void {
    this.nl = countNewlines(this.buf, this.pos, from);
    this.commit(from);
    this.mode = { kind: 'resync', rows: rows ? { table: rows.table, columns: rows.columns } : undefined };
  }

  /**
   * Looks for the next `),(` (a row of the same INSERT) or `;` at a line end (the next
   * statement). Quotes are not trusted here: a broken string is what brought us here.
   */
  private stepResync(rows: { table: string; columns: string[] | undefined } | undefined): boolean {
    const buf = this.buf;
    const len = buf.length;
    let k = this.pos;
    this.nl = 0;
    while (k < len) {
      const c = buf[k]!;
      if (c === 0x0a) this.nl += 1;
      else if (c === 0x29 && rows) {
        let m = k + 1;
        let newlines = 0;
        while (m < len && isSpaceByte(buf[m]!)) newlines += buf[m++] === 0x0a ? 1 : 0;
        if (m < len && buf[m] === 0x2c) {
          m += 1;
          while (m < len && isSpaceByte(buf[m]!)) newlines += buf[m++] === 0x0a ? 1 : 0;
        } else if (m < len) {
          m = -1;
        }
        if (m >= len) break;
        if (m !== -1 && buf[m] === 0x28) {
          this.nl += newlines;
          this.commit(m);
          this.mode = { kind: 'rows', table: rows.table, columns: rows.columns, expectRow: true };
          return true;
        }
      } else if (c === 0x3b) {
        if (k + 1 >= len && !this.isEnded) break;
        const after = buf[k + 1];
        if (after === undefined || after === 0x0a || (after === 0x0d && buf[k + 2] === 0x0a) || (after === 0x0d && k + 2 >= len)) {
          this.commit(k + 1);
          this.mode = { kind: 'top' };
          return true;
        }
      }
      k += 1;
    }
    this.commit(k);
    if (this.isEnded && k >= len) this.mode = { kind: 'top' };
    return false;
  }

  private finish(): void {
    if (this.pos >= this.buf.length || this.mode.kind === 'delimiter-block' || this.mode.kind === 'resync') return;
    this.nl = 0;
    const i = this.skipBlank(this.pos, this.mode.kind === 'top');
    if (i !== NEED_MORE && i >= this.buf.length) return;
    const at = i === NEED_MORE ? this.pos : i;
    this.malformed(at, this.mode.kind === 'rows'
      ? `INSERT into \`${this.mode.table}\` cut off at the end of the file (a truncated dump?)`
      : `statement not terminated at the end of the file (a truncated dump, or a comment or quote not closed)`);
    this.pos = this.buf.length;
  }
}

// -- small pure helpers ---------------------------------------------------------------------------

function isSpaceByte(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x0c || c === 0x0b;
}

function isWordByte(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f;
}

/** `NULL` in any case, without a regular expression: most bare values are numbers, asked millions of times. */
function isNullWord(text: string): boolean {
  return text.length === 4 && (text.charCodeAt(0) | 0x20) === 0x6e && (text.charCodeAt(1) | 0x20) === 0x75 &&
    (text.charCodeAt(2) | 0x20) === 0x6c && (text.charCodeAt(3) | 0x20) === 0x6c;
}

function isHexByte(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

function describeByte(c: number): string {
  return c >= 0x21 && c < 0x7f ? `'${String.fromCharCode(c)}'` : `byte 0x${c.toString(16).padStart(2, '0')}`;
}

function hexBytes(hex: string): Uint8Array {
  // MySQL reads an odd number of digits as if a 0 led them
  return new Uint8Array(Buffer.from(hex.length % 2 === 1 ? `0${hex}` : hex, 'hex'));
}

function countNewlines(buf: Buffer, from: number, to: number): number {
  let n = 0;
  for (let i = buf.indexOf(0x0a, from); i !== -1 && i < to; i = buf.indexOf(0x0a, i + 1)) n += 1;
  return n;
}

function countNewlinesIn(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n += 1;
  return n;
}

const ESCAPES: Readonly<Record<number, number>> = { 0x30: 0x00, 0x6e: 0x0a, 0x72: 0x0d, 0x74: 0x09, 0x5a: 0x1a, 0x62: 0x08 };

/** MySQL string escapes: \0 \n \r \t \Z \b, \% and \_ keep their backslash, any other \x is x; '' is '. */
export function unescapeSqlString(buf: Buffer, from: number, to: number, quote: number): Buffer {
  const out = Buffer.allocUnsafe(to - from);
  let o = 0;
  for (let p = from; p < to; p += 1) {
    const c = buf[p]!;
    if (c === 0x5c && p + 1 < to) {
      p += 1;
      const e = buf[p]!;
      const mapped = ESCAPES[e];
      if (mapped !== undefined) out[o++] = mapped;
      else {
        if (e === 0x25 || e === 0x5f) out[o++] = 0x5c;
        out[o++] = e;
      }
    } else if (c === quote && p + 1 < to && buf[p + 1] === quote) {
      p += 1;
      out[o++] = quote;
    } else {
      out[o++] = c;
    }
  }
  return out.subarray(0, o);
}

/** Comments out of a statement's text (quotes respected); conditional comments go too. */
export function stripComments(sql: string): string {
  let out = '';
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    if (c === "'" || c === '"' || c === '`') {
      let k = i + 1;
      while (k < sql.length && sql[k] !== c) k += sql[k] === '\\' && c !== '`' ? 2 : 1;
      out += sql.slice(i, k + 1);
      i = k + 1;
    } else if (c === '#' || (c === '-' && sql[i + 1] === '-' && /\s/.test(sql[i + 2] ?? ' '))) {
      const newline = sql.indexOf('\n', i);
      i = newline === -1 ? sql.length : newline;
    } else if (c === '/' && sql[i + 1] === '*') {
      const close = sql.indexOf('*/', i + 2);
      i = close === -1 ? sql.length : close + 2;
      out += ' ';
    } else {
      out += c;
      i += 1;
    }
  }
  return out;
}

/** Splits at commas outside parentheses and quotes; stops at the `)` closing the list. */
export function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  let i = 0;
  for (; i < text.length; i += 1) {
    const c = text[i]!;
    if (c === "'" || c === '"' || c === '`') {
      let k = i + 1;
      while (k < text.length && text[k] !== c) k += text[k] === '\\' && c !== '`' ? 2 : 1;
      i = k;
    } else if (c === '(') depth += 1;
    else if (c === ')') {
      if (depth === 0) break;
      depth -= 1;
    } else if (c === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start, i));
  return parts.filter((p) => p.trim() !== '');
}

/** Column names from the body of CREATE TABLE (after its `(`): keys and constraints are not columns. */
export function tableColumns(body: string): string[] {
  const columns: string[] = [];
  for (const part of splitTopLevel(body)) {
    const definition = part.trim();
    if (KEY_DEFINITION.test(definition)) continue;
    const name = new RegExp(`^${IDENTIFIER}`).exec(definition);
    if (name) columns.push(unquoteIdentifier(name[0]));
  }
  return columns;
}

function unquoteIdentifier(identifier: string): string {
  if (identifier.startsWith('`') && identifier.endsWith('`')) return identifier.slice(1, -1).replaceAll('``', '`');
  if (identifier.startsWith('"') && identifier.endsWith('"')) return identifier.slice(1, -1);
  return identifier;
}

/** `db`.`table` -> table. */
function lastIdentifier(qualified: string): string {
  const parts = qualified.match(new RegExp(IDENTIFIER, 'g')) ?? [qualified];
  return unquoteIdentifier(parts[parts.length - 1]!);
}

// -- the reader -------------------------------------------------------------------------------------

/** The tokenizer's events for a whole file, streamed. */
export async function* dumpEvents(path: string): AsyncGenerator<DumpEvent> {
  for await (const events of dumpEventBatches(path)) yield* events;
}

/** The same, a chunk's worth at a time: one await per chunk rather than per row. */
async function* dumpEventBatches(path: string): AsyncGenerator<DumpEvent[]> {
  const tokenizer = new DumpTokenizer();
  for await (const chunk of createReadStream(path, { highWaterMark: READ_CHUNK_BYTES })) yield tokenizer.push(chunk as Buffer);
  yield tokenizer.end();
}

export type DumpSurvey = { database?: string; tables: TableShape[]; malformed: number };

/**
 * What a dump holds: its database name, tables (columns, row counts), how many pieces cannot be
 * read, and the mapping Lode would propose. JSON-friendly, for `lode inspect`.
 */
export type DumpInspection = {
  database?: string;
  /** `mappedAs`: account, event:<type>, ignore, or rows (kept as `row:<table>` events). */
  tables: (TableShape & { mappedAs: string })[];
  malformed: number;
  mapping: SiteMapping;
};

export async function inspectDump(path: string): Promise<DumpInspection> {
  const survey = await surveyDump(path, undefined, undefined);
  const mapping = proposeMapping(survey.tables);
  return {
    ...survey,
    tables: survey.tables.map((t) => ({ ...t, mappedAs: mappedAs(mapping.tables[t.name]) })),
    mapping,
  };
}

function mappedAs(mapping: TableMapping | undefined): string {
  if (mapping === undefined) return 'rows';
  return mapping.as === 'event' ? `event:${mapping.type}` : mapping.as;
}

/** The first pass: tables, database name, and (given an index) the account keys. */
async function surveyDump(path: string, given: SiteMapping | undefined, index: AccountKeyIndex | undefined): Promise<DumpSurvey> {
  const tables = new Map<string, TableShape>();
  let database: string | undefined;
  let malformed = 0;
  // a table is classed when its columns are known: an account table's keys are collected from
  // its first row on (the proposal of an account table depends on that table alone)
  const accountMapping: SiteMapping = { tables: {} };
  const learn = (name: string, columns: string[]) => {
    if (tables.has(name)) return;
    tables.set(name, { name, columns, rowCount: 0 });
    const entry = given ? given.tables[name] : proposeMapping([{ name, columns, rowCount: 0 }]).tables[name];
    if (entry?.as === 'account') accountMapping.tables[name] = entry;
  };
  for await (const events of dumpEventBatches(path)) for (const event of events) {
    switch (event.kind) {
      case 'database':
        database ??= event.name;
        break;
      case 'table':
        learn(event.name, event.columns);
        break;
      case 'row':
        learn(event.table, event.columns);
        tables.get(event.table)!.rowCount += 1;
        if (index) indexAccountRow(index, accountMapping, event);
        break;
      case 'malformed':
        malformed += 1;
        break;
    }
  }
  index?.flush();
  return { database, tables: [...tables.values()], malformed };
}

async function* readMysqlDump(input: ReaderInput): AsyncGenerator<ReadItem> {
  const given = input.options.mapping === undefined ? undefined : validateSiteMapping(input.options.mapping);
  const keys = new AccountKeyIndex();
  try {
    const survey = await surveyDump(input.path, given, keys);
    const mapping = given ?? proposeMapping(survey.tables);
    for (const table of survey.tables) {
      const entry = mapping.tables[table.name];
      if (entry) checkMappingAgainstColumns(table.name, entry, table.columns);
    }
    const context: SiteContext = {
      mapping, isProposed: given === undefined, keys, hashers: await createPasswordHashers(),
      platform: sitePlatform(given, survey.database, basename(input.path, extname(input.path))),
    };
    // a reader that cannot seek starts at the top; the pipeline skips what was committed
    for await (const events of dumpEventBatches(input.path)) {
      for (const event of events) {
        if (event.kind === 'row') yield* siteRowItems(context, event satisfies SiteRow);
        else if (event.kind === 'malformed') yield event;
      }
    }
  } finally {
    keys.close();
  }
}

export const mysqlDump: FormatReader = {
  name: 'mysql-dump',
  description: 'MySQL/MariaDB SQL dump of a website database (mysqldump, phpMyAdmin): tables mapped to accounts, events and exposures (--mapping, or proposed from column names)',
  detect(head, path) {
    const isNamed = /\.sql$/i.test(path);
    if (/^-- (?:MySQL dump|MariaDB dump|phpMyAdmin SQL Dump)/m.test(head)) return 0.98;
    const statements = head.match(/^\s*(?:CREATE TABLE|INSERT\s+(?:IGNORE\s+)?INTO|REPLACE\s+INTO|LOCK TABLES|DROP TABLE IF EXISTS)\b/gim)?.length ?? 0;
    if (statements > 0) return isNamed ? 0.95 : 0.8;
    return isNamed ? 0.3 : 0;
  },
  read: readMysqlDump,
  inspect: async (path) => ({ ...(await inspectDump(path)) }),
};
