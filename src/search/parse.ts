// Parser for the Lode query language (see docs/QUERY.md). Pure: string in,
// AST or QuerySyntaxError out. The lexer is pulled lazily by the parser so the
// error reported is the leftmost one the user would trip over.

import type {
  DateNode,
  EntityFilterType,
  FilterField,
  FilterNode,
  PhraseNode,
  QueryNode,
  Span,
  TextNode,
} from './ast.ts';
import { ENTITY_FILTER_TYPES, FILTER_FIELDS, KNOWN_FIELDS } from './ast.ts';

export const MAX_QUERY_LENGTH = 4000;
export const MAX_NESTING_DEPTH = 32;
export const MAX_CLAUSES = 256;
export const MAX_PROXIMITY = 1000;
// Keeps every computed bound a plain 4-digit-year ISO string, which sorts and
// compares correctly as text.
export const MIN_DATE_YEAR = 1000;
export const MAX_DATE_YEAR = 9998;

export class QuerySyntaxError extends Error {
  /** 0-based UTF-16 offset into the query where the problem is. */
  readonly position: number;

  constructor(message: string, position: number) {
    super(message);
    this.name = 'QuerySyntaxError';
    this.position = position;
  }
}

function fail(reason: string, position: number, suffix = ''): QuerySyntaxError {
  return new QuerySyntaxError(`${reason} at position ${position}${suffix}`, position);
}

// Must match how the indexer tokenises text, otherwise phrases built here
// could never match. Marks are kept so decomposed "é" is not split in two.
const TOKEN_RE = /[\p{L}\p{N}][\p{L}\p{M}\p{N}]*/gu;

/** Split text into index tokens: runs of letters/digits, everything else separates. */
export function tokenizeText(text: string): string[] {
  return text.match(TOKEN_RE) ?? [];
}

const WS_RE = /^\s$/u;
function isWs(ch: string): boolean {
  return WS_RE.test(ch);
}

function isDigit(ch: string | undefined): boolean {
  return ch !== undefined && ch >= '0' && ch <= '9';
}

const FIELD_NAME_RE = /^\p{L}[\p{L}\p{N}_]*$/u;
const KNOWN_FIELD_SET: ReadonlySet<string> = new Set(KNOWN_FIELDS);
const FILTER_FIELD_SET: ReadonlySet<string> = new Set(FILTER_FIELDS);
const ENTITY_FIELD_SET: ReadonlySet<string> = new Set(ENTITY_FILTER_TYPES);

function isFilterField(name: string): name is FilterField {
  return FILTER_FIELD_SET.has(name);
}
function isEntityField(name: string): name is EntityFilterType {
  return ENTITY_FIELD_SET.has(name);
}

type OpName = 'AND' | 'OR' | 'NOT';

type Token =
  | { kind: 'lparen'; start: number; end: number }
  | { kind: 'rparen'; start: number; end: number }
  | { kind: 'op'; op: OpName; text: string; start: number; end: number }
  | { kind: 'unary'; op: '-' | '+'; start: number; end: number }
  | { kind: 'leaf'; node: TextNode | FilterNode; start: number; end: number }
  | { kind: 'eof'; start: number; end: number };

type WordChar = { ch: string; escaped: boolean; pos: number };

type DatePeriod = { start: number; end: number };

const DAY_MS = 86_400_000;

// YYYY | YYYY-MM | YYYY-MM-DD | YYYY-MM-DDTHH:MM[:SS[.fff]][Z|±HH[:MM]]
const DATE_RE =
  /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:[Tt](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?([Zz]|[+-]\d{2}(?::?\d{2})?)?)?)?)?$/;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * The period a date value denotes, `end` exclusive: a year, month or day for
 * date-only values, a single millisecond for date-times.
 */
function parseDatePeriod(text: string, position: number): DatePeriod {
  const invalid = (): QuerySyntaxError =>
    fail(
      `Invalid date "${text}"`,
      position,
      ` (use YYYY-MM-DD, YYYY-MM, YYYY or an ISO date-time such as 2020-04-01T12:00:00Z; years ${MIN_DATE_YEAR}-${MAX_DATE_YEAR})`,
    );
  const m = DATE_RE.exec(text);
  if (m === null) throw invalid();
  const [, ys, mos, ds, hs, mis, ss, frac, zone] = m;
  const year = Number(ys);
  if (year < MIN_DATE_YEAR || year > MAX_DATE_YEAR) throw invalid();
  if (mos === undefined) return { start: Date.UTC(year, 0, 1), end: Date.UTC(year + 1, 0, 1) };
  const month = Number(mos);
  if (month < 1 || month > 12) throw invalid();
  if (ds === undefined) return { start: Date.UTC(year, month - 1, 1), end: Date.UTC(year, month, 1) };
  const day = Number(ds);
  if (day < 1 || day > daysInMonth(year, month)) throw invalid();
  const dayStart = Date.UTC(year, month - 1, day);
  if (hs === undefined) return { start: dayStart, end: dayStart + DAY_MS };
  const hour = Number(hs);
  const minute = Number(mis);
  const second = ss === undefined ? 0 : Number(ss);
  if (hour > 23 || minute > 59 || second > 59) throw invalid();
  const ms = frac === undefined ? 0 : Number(frac.padEnd(3, '0').slice(0, 3));
  let offsetMinutes = 0;
  if (zone !== undefined && zone !== 'Z' && zone !== 'z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2));
    const om = digits.length > 2 ? Number(digits.slice(2)) : 0;
    if (oh > 23 || om > 59) throw invalid();
    offsetMinutes = sign * (oh * 60 + om);
  }
  const instant = Date.UTC(year, month - 1, day, hour, minute, second, ms) - offsetMinutes * 60_000;
  return { start: instant, end: instant + 1 };
}

function toIso(ms: number): string {
  return new Date(ms).toISOString();
}

class Lexer {
  readonly #src: string;
  #pos = 0;
  #peeked: Token | undefined;

  constructor(src: string) {
    this.#src = src;
  }

  peek(): Token {
    this.#peeked ??= this.#read();
    return this.#peeked;
  }

  next(): Token {
    const t = this.peek();
    this.#peeked = undefined;
    return t;
  }

  #charAt(pos: number): string | undefined {
    const cp = this.#src.codePointAt(pos);
    return cp === undefined ? undefined : String.fromCodePoint(cp);
  }

  #skipWs(): void {
    for (;;) {
      const ch = this.#charAt(this.#pos);
      if (ch === undefined || !isWs(ch)) return;
      this.#pos += ch.length;
    }
  }

  #read(): Token {
    this.#skipWs();
    const start = this.#pos;
    const ch = this.#charAt(start);
    if (ch === undefined) return { kind: 'eof', start, end: start };
    if (ch === '(') {
      this.#pos++;
      return { kind: 'lparen', start, end: start + 1 };
    }
    if (ch === ')') {
      this.#pos++;
      return { kind: 'rparen', start, end: start + 1 };
    }
    if (ch === '"') return this.#readPhrase();
    if (ch === '-' || ch === '+') {
      const after = this.#charAt(start + 1);
      if (after === undefined || isWs(after) || after === ')') {
        throw fail(
          `Expected a term directly after '${ch}'`,
          start,
          ch === '-' ? ' (write -word to exclude a word, or \\- to search for a dash)' : '',
        );
      }
      this.#pos++;
      return { kind: 'unary', op: ch, start, end: start + 1 };
    }
    return this.#readWord();
  }

  /** Reads a quoted string starting at the current `"`; returns its unescaped content. */
  #readQuoted(): { value: string; start: number; end: number } {
    const start = this.#pos;
    let pos = start + 1;
    let value = '';
    for (;;) {
      const ch = this.#charAt(pos);
      if (ch === undefined) throw fail('Unclosed quote starting', start);
      if (ch === '\\') {
        const escaped = this.#charAt(pos + 1);
        if (escaped === undefined) throw fail('Unclosed quote starting', start);
        value += escaped;
        pos += 1 + escaped.length;
        continue;
      }
      pos += ch.length;
      if (ch === '"') break;
      value += ch;
    }
    this.#pos = pos;
    return { value, start, end: pos };
  }

  #readPhrase(): Token {
    const q = this.#readQuoted();
    let proximity: number | undefined;
    if (this.#src[this.#pos] === '~') {
      const tilde = this.#pos;
      let p = tilde + 1;
      while (isDigit(this.#src[p])) p++;
      if (p === tilde + 1) {
        throw fail('Expected a proximity distance (a whole number of words) after "~"', tilde);
      }
      proximity = Number(this.#src.slice(tilde + 1, p));
      if (proximity > MAX_PROXIMITY) {
        throw fail(`Proximity must be between 0 and ${MAX_PROXIMITY}`, tilde);
      }
      this.#pos = p;
    }
    const terms = tokenizeText(q.value);
    if (terms.length === 0) {
      throw fail(
        `Phrase "${q.value}" contains no letters or digits`,
        q.start,
        ' (the index only contains words made of letters and digits)',
      );
    }
    const span: Span = { start: q.start, end: this.#pos };
    const node: PhraseNode =
      proximity === undefined ? { kind: 'phrase', terms, span } : { kind: 'phrase', terms, proximity, span };
    return { kind: 'leaf', node, start: span.start, end: span.end };
  }

  #readWord(): Token {
    const start = this.#pos;
    const chars: WordChar[] = [];
    let pos = start;
    for (;;) {
      const ch = this.#charAt(pos);
      if (ch === undefined) break;
      if (ch === '\\') {
        const escaped = this.#charAt(pos + 1);
        if (escaped === undefined) {
          throw fail('Dangling backslash', pos, ' (write \\\\ to search for a backslash)');
        }
        chars.push({ ch: escaped, escaped: true, pos });
        pos += 1 + escaped.length;
        continue;
      }
      if (isWs(ch) || ch === '(' || ch === ')' || ch === '"') break;
      // A leading colon is just punctuation (":-)"), not an empty field name.
      if (ch === ':' && chars.length > 0) return this.#readField(start, chars, pos);
      chars.push({ ch, escaped: false, pos });
      pos += ch.length;
    }
    this.#pos = pos;
    return this.#wordToken(chars, start, pos);
  }

  #wordToken(chars: WordChar[], start: number, end: number): Token {
    const text = chars.map((c) => c.ch).join('');
    // Only an unescaped, upper-case operator is an operator: "and"/"or"/"not"
    // are ordinary Dutch/English/French words, and \AND searches the word.
    if (chars.every((c) => !c.escaped)) {
      const op: OpName | undefined =
        text === 'AND' || text === '&&' ? 'AND' : text === 'OR' || text === '||' ? 'OR' : text === 'NOT' ? 'NOT' : undefined;
      if (op !== undefined) return { kind: 'op', op, text, start, end };
    }

    let body = chars;
    let distance: 0 | 1 | 2 | undefined;
    const tildeIndex = chars.findIndex((c) => !c.escaped && c.ch === '~');
    const tilde = chars[tildeIndex];
    if (tilde !== undefined) {
      const tail = chars.slice(tildeIndex + 1);
      if (tail.some((c) => c.escaped || !isDigit(c.ch))) {
        throw fail('Expected a fuzzy distance (0, 1 or 2) after "~"', tilde.pos, ' (write \\~ to search for a tilde)');
      }
      const d = tail.length === 0 ? 2 : Number(tail.map((c) => c.ch).join(''));
      if (d !== 0 && d !== 1 && d !== 2) throw fail('Fuzzy distance must be 0, 1 or 2', tilde.pos);
      distance = d;
      body = chars.slice(0, tildeIndex);
    }

    let prefix = false;
    for (let i = 0; i < body.length; i++) {
      const c = body[i];
      if (c === undefined || c.escaped || c.ch !== '*') continue;
      if (i === 0) {
        throw fail('Leading wildcard', c.pos, ': only a trailing * is supported (e.g. coke*); write \\* to search for a star');
      }
      if (i !== body.length - 1) {
        throw fail('Wildcard in the middle of a term', c.pos, ': only a trailing * is supported (e.g. coke*)');
      }
      prefix = true;
    }
    if (prefix && tilde !== undefined) {
      throw fail('A term cannot be both a prefix (*) and fuzzy (~)', tilde.pos);
    }
    if (prefix) body = body.slice(0, -1);

    const bodyText = body.map((c) => c.ch).join('');
    const tokens = tokenizeText(bodyText);
    const span: Span = { start, end };
    if (tokens.length === 0) {
      throw fail(
        `Term "${text}" contains no letters or digits`,
        start,
        ' (the index only contains words made of letters and digits)',
      );
    }
    const [only] = tokens;
    if (tokens.length === 1 && only !== undefined) {
      const node: TextNode = prefix
        ? { kind: 'prefix', value: only, span }
        : distance !== undefined
          ? { kind: 'fuzzy', value: only, distance, span }
          : { kind: 'term', value: only, span };
      return { kind: 'leaf', node, start, end };
    }
    if (prefix || distance !== undefined) {
      throw fail(
        `${prefix ? 'Prefix' : 'Fuzzy'} search needs a single word, but "${bodyText}" is indexed as the words ${tokens.join(' ')}`,
        start,
      );
    }
    // Internal punctuation (06-12345678, o'neil) splits the term in the
    // index, so the only way to find it is as a phrase of its pieces.
    return { kind: 'leaf', node: { kind: 'phrase', terms: tokens, span }, start, end };
  }

  #readField(start: number, nameChars: WordChar[], colon: number): Token {
    const rawName = nameChars.map((c) => c.ch).join('');
    const name = rawName.toLowerCase();
    if (!KNOWN_FIELD_SET.has(name)) {
      if (!FIELD_NAME_RE.test(rawName)) {
        throw fail('Unexpected ":"', colon, ' (to search for text containing ":", put it in quotes or escape it as \\:)');
      }
      if (this.#src.startsWith('//', colon + 1)) {
        const link = /^\S*/u.exec(this.#src.slice(start))?.[0] ?? rawName;
        throw fail(
          `Unknown field "${rawName}"`,
          start,
          `: this looks like a link. Write url:${link} to find messages with that link, or put it in quotes ("${link}") to search its words`,
        );
      }
      throw fail(`Unknown field "${rawName}"`, start, ` (known fields: ${KNOWN_FIELDS.join(', ')})`);
    }
    this.#pos = colon + 1;
    const first = this.#charAt(this.#pos);
    if (first === undefined || isWs(first) || first === ')') {
      throw fail(`Expected a value after "${rawName}:"`, this.#pos);
    }
    if (first === '(') {
      throw fail(
        `Grouping after a field is not supported`,
        this.#pos,
        ` (write (${name}:a OR ${name}:b) instead of ${name}:(a OR b))`,
      );
    }
    if (name === 'date') return this.#readDate(start);

    const valueStart = this.#pos;
    const value = first === '"' ? this.#readQuoted().value : this.#readBare();
    if (/^\s*$/u.test(value)) throw fail(`Expected a value after "${rawName}:"`, valueStart);
    const span: Span = { start, end: this.#pos };
    let node: FilterNode;
    if (name === 'has') {
      if (value.toLowerCase() !== 'attachment') {
        throw fail(`Unknown value "${value}" for has:`, valueStart, ' (known: attachment)');
      }
      node = { kind: 'has', what: 'attachment', span };
    } else if (isFilterField(name)) {
      node = { kind: 'field', field: name, value, span };
    } else if (isEntityField(name)) {
      node = { kind: 'entity', type: name, value, span };
    } else {
      throw fail(`Unknown field "${rawName}"`, start);
    }
    return { kind: 'leaf', node, start, end: span.end };
  }

  /**
   * An unquoted field value runs to the next whitespace or to a `)` that
   * closes a group; balanced parentheses stay in the value so links like
   * url:https://en.wikipedia.org/wiki/Foo_(bar) work inside a group.
   */
  #readBare(): string {
    let depth = 0;
    let value = '';
    for (;;) {
      const ch = this.#charAt(this.#pos);
      if (ch === undefined || isWs(ch)) break;
      if (ch === '\\') {
        const escaped = this.#charAt(this.#pos + 1);
        if (escaped === undefined) {
          throw fail('Dangling backslash', this.#pos, ' (write \\\\ to search for a backslash)');
        }
        value += escaped;
        this.#pos += 1 + escaped.length;
        continue;
      }
      if (ch === '(') depth++;
      if (ch === ')') {
        if (depth === 0) break;
        depth--;
      }
      value += ch;
      this.#pos += ch.length;
    }
    return value;
  }

  #readDate(start: number): Token {
    const src = this.#src;
    let from: number | undefined;
    let to: number | undefined;
    const c = src[this.#pos];
    if (c === '[' || c === '{') {
      const open = this.#pos;
      this.#pos++;
      const unclosed = (): QuerySyntaxError => fail('Unclosed date range starting', open, ' (write date:[2020-04-01 TO 2020-05-01])');
      const endpoint = (what: string): { text: string; pos: number } => {
        this.#skipWs();
        const pos = this.#pos;
        while (this.#pos < src.length) {
          const ch = this.#charAt(this.#pos);
          if (ch === undefined || isWs(ch) || ch === ']' || ch === '}' || ch === ')') break;
          this.#pos += ch.length;
        }
        if (this.#pos === pos) {
          if (pos >= src.length) throw unclosed();
          throw fail(`Expected ${what} in date range`, pos, ' (use * for an open end)');
        }
        return { text: src.slice(pos, this.#pos), pos };
      };
      const a = endpoint('a start date');
      this.#skipWs();
      if (this.#pos >= src.length) throw unclosed();
      const toPos = this.#pos;
      const afterTo = this.#charAt(toPos + 2);
      if (src.startsWith('TO', toPos) && afterTo === undefined) throw unclosed();
      if (!src.startsWith('TO', toPos) || afterTo === undefined || !isWs(afterTo)) {
        throw fail('Expected "TO" in date range', toPos, ' (write date:[2020-04-01 TO 2020-05-01])');
      }
      this.#pos += 2;
      const b = endpoint('an end date');
      this.#skipWs();
      const close = src[this.#pos];
      if (close === undefined) throw unclosed();
      if (close !== ']' && close !== '}') {
        throw fail('Expected "]" or "}" to close the date range', this.#pos);
      }
      this.#pos++;
      // [ ] include the endpoint's whole period, { } exclude it.
      if (a.text !== '*') {
        const p = parseDatePeriod(a.text, a.pos);
        from = c === '[' ? p.start : p.end;
      }
      if (b.text !== '*') {
        const p = parseDatePeriod(b.text, b.pos);
        to = close === ']' ? p.end : p.start;
      }
      if (from === undefined && to === undefined) {
        throw fail('A date range needs at least one date', open, ' (date:[* TO *] would match everything)');
      }
    } else if (c === '>' || c === '<') {
      const op = src.startsWith('=', this.#pos + 1) ? `${c}=` : c;
      this.#pos += op.length;
      const valuePos = this.#pos;
      const next = src[valuePos];
      const text = next === '"' ? this.#readQuoted().value : this.#readBare();
      if (text === '') throw fail(`Expected a date after "date:${op}"`, valuePos);
      const p = parseDatePeriod(text, valuePos);
      if (op === '>=') from = p.start;
      else if (op === '>') from = p.end;
      else if (op === '<') to = p.start;
      else to = p.end;
    } else {
      const valuePos = this.#pos;
      const text = c === '"' ? this.#readQuoted().value : this.#readBare();
      const p = parseDatePeriod(text, valuePos);
      from = p.start;
      to = p.end;
    }
    if (from !== undefined && to !== undefined && from >= to) {
      throw fail('Empty date range', start, ': it ends before (or where) it starts');
    }
    const span: Span = { start, end: this.#pos };
    const node: DateNode = { kind: 'date', span };
    if (from !== undefined) node.from = toIso(from);
    if (to !== undefined) node.to = toIso(to);
    return { kind: 'leaf', node, start, end: span.end };
  }
}

class Parser {
  readonly #lexer: Lexer;
  readonly #length: number;
  #depth = 0;
  #clauses = 0;

  constructor(input: string) {
    this.#lexer = new Lexer(input);
    this.#length = input.length;
  }

  parse(): QueryNode {
    if (this.#lexer.peek().kind === 'eof') throw new QuerySyntaxError('Empty query', 0);
    const node = this.#parseOr();
    const rest = this.#lexer.peek();
    if (rest.kind !== 'eof') throw fail("Unbalanced ')'", rest.start);
    return node;
  }

  #parseOr(): QueryNode {
    const children = [this.#parseAnd()];
    for (;;) {
      const t = this.#lexer.peek();
      if (t.kind !== 'op' || t.op !== 'OR') break;
      this.#lexer.next();
      this.#expectClauseAfter(t.text);
      children.push(this.#parseAnd());
    }
    return group('or', children);
  }

  #parseAnd(): QueryNode {
    const children = [this.#parseUnary()];
    for (;;) {
      const t = this.#lexer.peek();
      if (t.kind === 'eof' || t.kind === 'rparen' || (t.kind === 'op' && t.op === 'OR')) break;
      if (t.kind === 'op' && t.op === 'AND') {
        this.#lexer.next();
        this.#expectClauseAfter(t.text);
      }
      children.push(this.#parseUnary());
    }
    return group('and', children);
  }

  #expectClauseAfter(label: string): void {
    const t = this.#lexer.peek();
    if (t.kind === 'eof' || t.kind === 'rparen' || (t.kind === 'op' && t.op !== 'NOT')) {
      throw fail(`Expected a term after ${label}`, t.kind === 'eof' ? this.#length : t.start);
    }
  }

  #enter(position: number): void {
    this.#depth++;
    if (this.#depth > MAX_NESTING_DEPTH) {
      throw fail('Query is nested too deeply', position, ` (at most ${MAX_NESTING_DEPTH} levels of parentheses and NOT)`);
    }
  }

  #parseUnary(): QueryNode {
    const t = this.#lexer.peek();
    const isNot = t.kind === 'op' && t.op === 'NOT';
    if (!isNot && t.kind !== 'unary') return this.#parsePrimary();
    this.#lexer.next();
    this.#enter(t.start);
    this.#expectClauseAfter(t.kind === 'unary' ? `'${t.op}'` : 'NOT');
    const child = this.#parseUnary();
    this.#depth--;
    // AND is already the default, so "+word" (required) is the word itself.
    if (t.kind === 'unary' && t.op === '+') return child;
    return { kind: 'not', child, span: { start: t.start, end: child.span.end } };
  }

  #parsePrimary(): QueryNode {
    const t = this.#lexer.next();
    switch (t.kind) {
      case 'leaf':
        this.#clauses++;
        if (this.#clauses > MAX_CLAUSES) {
          throw fail('Too many clauses', t.start, ` (at most ${MAX_CLAUSES} terms and filters per query)`);
        }
        return t.node;
      case 'lparen': {
        this.#enter(t.start);
        if (this.#lexer.peek().kind === 'rparen') throw fail('Empty parentheses', t.start);
        const inner = this.#parseOr();
        const close = this.#lexer.next();
        if (close.kind !== 'rparen') throw fail("Unclosed '('", t.start);
        this.#depth--;
        // Group spans include their parentheses; a lone leaf keeps its own span.
        if (inner.kind === 'and' || inner.kind === 'or' || inner.kind === 'not') {
          return { ...inner, span: { start: t.start, end: close.end } };
        }
        return inner;
      }
      case 'op':
        throw fail(`Expected a term before ${t.text}`, t.start);
      case 'rparen':
        throw fail("Unbalanced ')'", t.start);
      case 'unary':
      case 'eof':
        throw fail('Expected a term', t.start);
    }
  }
}

function group(kind: 'and' | 'or', children: QueryNode[]): QueryNode {
  const [first] = children;
  const last = children[children.length - 1];
  if (first === undefined || last === undefined) throw new Error('group() needs at least one child');
  if (children.length === 1) return first;
  const flat = children.flatMap((c) => (c.kind === kind ? c.children : [c]));
  return { kind, children: flat, span: { start: first.span.start, end: last.span.end } };
}

/** Parse a query into its AST; throws QuerySyntaxError for any invalid input. */
export function parseQuery(input: string): QueryNode {
  if (input.length > MAX_QUERY_LENGTH) {
    throw fail('Query is too long', MAX_QUERY_LENGTH, ` (${input.length} characters; at most ${MAX_QUERY_LENGTH})`);
  }
  return new Parser(input).parse();
}

// ---------------------------------------------------------------------------
// Printing: the inverse of parseQuery, used for round-trip tests and to show
// users how a query was understood.

const OPERATOR_WORDS: ReadonlySet<string> = new Set(['AND', 'OR', 'NOT']);

function printWord(value: string): string {
  const escaped = value.replace(/[^\p{L}\p{M}\p{N}]/gu, '\\$&');
  return OPERATOR_WORDS.has(escaped) ? `\\${escaped}` : escaped;
}

function printQuoted(value: string): string {
  return `"${value.replace(/[\\"]/g, '\\$&')}"`;
}

function printValue(value: string): string {
  return /^[^\s\\"()]+$/u.test(value) ? value : printQuoted(value);
}

/** Render an AST as query text that parseQuery reads back to the same AST (spans aside). */
export function printQuery(node: QueryNode): string {
  switch (node.kind) {
    case 'term':
      return printWord(node.value);
    case 'prefix':
      return `${printWord(node.value)}*`;
    case 'fuzzy':
      return `${printWord(node.value)}~${node.distance}`;
    case 'phrase':
      return printQuoted(node.terms.join(' ')) + (node.proximity === undefined ? '' : `~${node.proximity}`);
    case 'field':
      return `${node.field}:${printValue(node.value)}`;
    case 'entity':
      return `${node.type}:${printValue(node.value)}`;
    case 'has':
      return `has:${node.what}`;
    case 'date':
      if (node.from !== undefined && node.to !== undefined) return `date:[${node.from} TO ${node.to}}`;
      if (node.from !== undefined) return `date:>=${node.from}`;
      if (node.to !== undefined) return `date:<${node.to}`;
      return 'date:[* TO *]';
    case 'and':
      return node.children
        .map((c) => (c.kind === 'or' || c.kind === 'and' ? `(${printQuery(c)})` : printQuery(c)))
        .join(' ');
    case 'or':
      return node.children.map((c) => (c.kind === 'or' ? `(${printQuery(c)})` : printQuery(c))).join(' OR ');
    case 'not': {
      const inner = printQuery(node.child);
      return node.child.kind === 'and' || node.child.kind === 'or' ? `NOT (${inner})` : `NOT ${inner}`;
    }
  }
}

// ---------------------------------------------------------------------------

const DISPLAY_WIDTH = 100;

/**
 * The error message plus the query with a caret under the offending
 * position, for terminals. Long queries are windowed around the position.
 */
export function formatQueryError(query: string, err: unknown): string {
  if (!(err instanceof QuerySyntaxError)) return err instanceof Error ? err.message : String(err);
  // One display column per code point; control whitespace would break alignment.
  const flat = query.replace(/[\t\n\r\v\f]/g, ' ');
  const position = Math.max(0, Math.min(err.position, flat.length));
  const chars = Array.from(flat);
  const caret = Array.from(flat.slice(0, position)).length;
  let from = 0;
  let to = chars.length;
  if (chars.length > DISPLAY_WIDTH) {
    from = Math.max(0, Math.min(caret - DISPLAY_WIDTH / 2, chars.length - DISPLAY_WIDTH));
    to = Math.min(chars.length, from + DISPLAY_WIDTH);
  }
  const shown = (from > 0 ? '…' : '') + chars.slice(from, to).join('') + (to < chars.length ? '…' : '');
  const column = caret - from + (from > 0 ? 1 : 0);
  return `${err.message}\n  ${shown}\n  ${' '.repeat(column)}^`;
}
