// Compiles a query AST for the SQLite store: the largest full-text part becomes one FTS5 MATCH
// that drives the query (FTS5 walks its index in rowid order, so newest-first costs nothing),
// dates become a rowid range (rowids are time keys), and the rest become SQL predicates on the
// messages row `m`. Pure: fuzzy expansion is handed in, so tests need no database.
import type { EntityNode, QueryNode, Span, TextNode } from './ast.ts';
import { normaliseEntityQuery } from '../extract/entities/extract.ts';
import { queryContext } from '../extract/entities/region.ts';
import type { EntityType } from '../extract/entities/types.ts';
import { QuerySyntaxError } from './parse.ts';
import { foldText, tokenize } from '../extract/tokens.ts';
import { timeKeyFloor } from '../store/time-key.ts';

export type SqlValue = string | number;

export type SqlitePlan = {
  /**
   * FTS5 expression that drives the query; absent when the query has no positive text.
   * Predicates in `where` say `@key` for the item's rowid, so the executor can test it on the
   * full-text hit itself and skip reading the messages row when nothing else is needed.
   */
  match?: string;
  where: string[];
  params: SqlValue[];
  minKey?: number;
  maxKeyExclusive?: number;
  /** How each fuzzy term was expanded through the vocabulary. */
  expansions: Record<string, string[]>;
};

/** A query that parses but that this store cannot answer; reported like a syntax error. */
const QUERY_ENTITY_CONTEXT = queryContext();

export class QueryCompileError extends QuerySyntaxError {
  constructor(message: string, position: number) {
    super(message, position);
    this.name = 'QueryCompileError';
  }
}

export type CompileOptions = {
  /** Words of the index within `distance` edits of `term` (folded), nearest first. */
  expandFuzzy(term: string, distance: number): string[];
};

const MIN_PREFIX_CHARS = 2;

export function compileSqlite(ast: QueryNode, options: CompileOptions): SqlitePlan {
  const plan: SqlitePlan = { where: [], params: [], expansions: {} };
  const compiler = new Compiler(plan, options);
  compiler.top(ast);
  return plan;
}

class Compiler {
  private readonly plan: SqlitePlan;
  private readonly options: CompileOptions;

  constructor(plan: SqlitePlan, options: CompileOptions) {
    this.plan = plan;
    this.options = options;
  }

  top(node: QueryNode): void {
    if (isFtsExpressible(node)) {
      this.plan.match = this.fts(node);
      return;
    }
    const clauses = node.kind === 'and' ? node.children : [node];
    const positives = clauses.filter(isFtsExpressible);
    const negatives = clauses.filter((c): c is Extract<QueryNode, { kind: 'not' }> => c.kind === 'not' && isFtsExpressible(c.child));
    if (positives.length > 0) {
      const parts = positives.map((c) => this.fts(c));
      let match = parts.length === 1 ? parts[0]! : parts.map((p) => `(${p})`).join(' AND ');
      for (const n of negatives) match = `(${match}) NOT (${this.fts(n.child)})`;
      this.plan.match = match;
    } else {
      for (const n of negatives) {
        this.plan.where.push('@key NOT IN (SELECT rowid FROM message_fts WHERE message_fts MATCH ?)');
        this.plan.params.push(this.fts(n.child));
      }
    }
    for (const clause of clauses) {
      if (positives.includes(clause) || negatives.includes(clause as never)) continue;
      if (clause.kind === 'date') this.keyRange(clause.from, clause.to);
      else this.plan.where.push(this.sql(clause));
    }
  }

  private keyRange(from: string | undefined, to: string | undefined): void {
    const fromMs = from ? Date.parse(from) : undefined;
    const toMs = to ? Date.parse(to) : undefined;
    if (fromMs !== undefined) {
      const key = Math.floor(fromMs / 1000) * 2 ** 20;
      this.plan.minKey = Math.max(this.plan.minKey ?? -Infinity, key);
      if (fromMs % 1000 !== 0) this.predicate('m.ts_ms >= ?', fromMs);
    }
    if (toMs !== undefined) {
      const key = timeKeyFloor(toMs);
      this.plan.maxKeyExclusive = Math.min(this.plan.maxKeyExclusive ?? Infinity, key);
      if (toMs % 1000 !== 0) this.predicate('m.ts_ms < ?', toMs);
    }
  }

  private predicate(sql: string, ...params: SqlValue[]): void {
    this.plan.where.push(sql);
    this.plan.params.push(...params);
  }

  /** A boolean SQL expression over `m` for any node; parameters are appended in order. */
  private sql(node: QueryNode): string {
    if (isFtsExpressible(node)) {
      this.plan.params.push(this.fts(node));
      return '@key IN (SELECT rowid FROM message_fts WHERE message_fts MATCH ?)';
    }
    switch (node.kind) {
      case 'and':
      case 'or':
        return `(${node.children.map((c) => this.sql(c)).join(node.kind === 'and' ? ' AND ' : ' OR ')})`;
      case 'not':
        return `NOT (${this.sql(node.child)})`;
      case 'field':
        return this.field(node.field, node.value);
      case 'has':
        return 'm.has_attachment = 1';
      case 'date': {
        const parts: string[] = [];
        if (node.from) {
          parts.push('m.ts_ms >= ?');
          this.plan.params.push(Date.parse(node.from));
        }
        if (node.to) {
          parts.push('m.ts_ms < ?');
          this.plan.params.push(Date.parse(node.to));
        }
        return `(${parts.join(' AND ')})`;
      }
      case 'entity':
        return this.entity(node);
      default:
        throw new QueryCompileError('This part of the query cannot be answered', (node as { span: Span }).span.start);
    }
  }

  /** Items that mention the entity, whatever writing the query uses: it is normalised as extraction does. */
  private entity(node: EntityNode): string {
    const types: EntityType[] = node.type === 'ip' ? ['ipv4', 'ipv6'] : [node.type];
    const wanted = types.flatMap((type) => {
      const value = normaliseEntityQuery(type, node.value, QUERY_ENTITY_CONTEXT);
      return value === undefined ? [] : [{ type, value }];
    });
    if (wanted.length === 0) throw new QueryCompileError(`"${node.value}" is not a valid ${node.type} (checked as extraction checks it)`, node.span.start);
    for (const w of wanted) this.plan.params.push(w.type, w.value);
    const match = wanted.map(() => '(e.type = ? AND e.value = ?)').join(' OR ');
    return `@key IN (SELECT mn.item_key FROM entities e JOIN mentions mn ON mn.entity_id = e.id WHERE ${match})`;
  }

  private field(field: string, value: string): string {
    switch (field) {
      case 'from':
        this.plan.params.push(foldText(value));
        return 'm.sender_id IN (SELECT id FROM accounts WHERE handle_folded = ?)';
      case 'to': {
        // Outside groups a conversation is its fixed set of parties, so a member who did not
        // send the message received it; in groups (members come and go) and for messages to
        // oneself the message's own recipients decide.
        const handle = foldText(value);
        this.plan.params.push(handle, handle, handle);
        return `(m.conversation_id IN (SELECT cm.conversation_id FROM conversation_members cm JOIN accounts a ON a.id = cm.account_id WHERE a.handle_folded = ?)
          AND ((m.sender_id NOT IN (SELECT id FROM accounts WHERE handle_folded = ?) AND m.conversation_id NOT IN (SELECT id FROM conversations WHERE is_group = 1))
            OR EXISTS (SELECT 1 FROM json_each(m.recipients) j WHERE j.value IN (SELECT id FROM accounts WHERE handle_folded = ?))))`;
      }
      case 'dataset':
        this.plan.params.push(value);
        return 'm.dataset_id IN (SELECT id FROM datasets WHERE name = ?)';
      case 'platform':
        this.plan.params.push(value.toLowerCase());
        return 'lower(m.platform) = ?';
      case 'lang':
        this.plan.params.push(value.toLowerCase());
        return 'm.lang = ?';
      default:
        throw new QueryCompileError(`Unknown field "${field}"`, 0);
    }
  }

  /** The FTS5 expression of a node that isFtsExpressible accepted. */
  private fts(node: QueryNode): string {
    switch (node.kind) {
      case 'term':
        return quoteWords(node.value);
      case 'prefix': {
        const folded = tokenize(node.value).join('');
        if (folded.length < MIN_PREFIX_CHARS) {
          throw new QueryCompileError(`Prefix "${node.value}*" is too short: give at least ${MIN_PREFIX_CHARS} letters`, node.span.start);
        }
        return `${quoteWords(node.value)}*`;
      }
      case 'fuzzy':
        return this.fuzzy(node);
      case 'phrase': {
        if (node.proximity === undefined) return quoteWords(node.terms.join(' '));
        return `NEAR(${node.terms.map(quoteWords).join(' ')}, ${node.proximity})`;
      }
      case 'and': {
        const positives = node.children.filter((c) => c.kind !== 'not');
        const negatives = node.children.filter((c): c is Extract<QueryNode, { kind: 'not' }> => c.kind === 'not');
        let expression = positives.map((c) => `(${this.fts(c)})`).join(' AND ');
        for (const n of negatives) expression = `(${expression}) NOT (${this.fts(n.child)})`;
        return expression;
      }
      case 'or':
        return node.children.map((c) => `(${this.fts(c)})`).join(' OR ');
      default:
        throw new QueryCompileError('This part of the query cannot be searched as text', node.span.start);
    }
  }

  private fuzzy(node: Extract<TextNode, { kind: 'fuzzy' }>): string {
    const folded = tokenize(node.value).join('');
    if (node.distance === 0) return quoteWords(node.value);
    const words = this.options.expandFuzzy(folded, node.distance);
    const all = [folded, ...words.filter((w) => w !== folded)];
    this.plan.expansions[`${node.value}~${node.distance}`] = all;
    return all.length === 1 ? quote(folded) : `(${all.map(quote).join(' OR ')})`;
  }
}

/** Can this subtree be answered by the full-text index alone? */
export function isFtsExpressible(node: QueryNode): boolean {
  switch (node.kind) {
    case 'term':
    case 'prefix':
    case 'fuzzy':
    case 'phrase':
      return true;
    case 'and':
      return node.children.some((c) => c.kind !== 'not') &&
        node.children.every((c) => (c.kind === 'not' ? isFtsExpressible(c.child) : isFtsExpressible(c)));
    case 'or':
      return node.children.every((c) => c.kind !== 'not' && isFtsExpressible(c));
    default:
      return false;
  }
}

/** Text as the index holds it (src/store/sqlite/fts-words.ts): Lode's words, folded; several make a phrase. */
function quoteWords(text: string): string {
  return quote(tokenize(text).join(' '));
}

function quote(text: string): string {
  return `"${text.replaceAll('"', '""')}"`;
}
