// Compiles a query AST for the PostgreSQL store: one boolean SQL expression over the messages row
// `m`, with parameters only. Text becomes `m.terms @@ $n::tsquery` (the GIN index), built from
// the same tokens the SQLite store's FTS5 matches (Lode's tokenizer: see store/postgres/terms.ts),
// so both stores find the same messages. Dates become a key range as well as a time condition.
// Pure: fuzzy expansion is handed in, so tests need no database.
import type { EntityNode, QueryNode, Span, TextNode } from './ast.ts';
import { normaliseEntityQuery } from '../extract/entities/extract.ts';
import { queryContext } from '../extract/entities/region.ts';
import type { EntityType } from '../extract/entities/types.ts';
import { foldText, tokenize } from '../extract/tokens.ts';
import { QueryCompileError } from './compile-sqlite.ts';
import { timeKeyFloor } from '../store/time-key.ts';

/** Hands out numbered placeholders ($1, $2...) for values, in the order the SQL uses them. */
export type Placeholders = { add(value: string | number | readonly string[]): string };

export type PostgresPlan = {
  /** The whole condition on `m`; `TRUE` for a query of filters only that none restrict. */
  where: string;
  minKey?: number;
  maxKeyExclusive?: number;
  expansions: Record<string, string[]>;
};

export type CompileOptions = {
  /** Words of the index within `distance` edits of `term` (folded), nearest first. */
  expandFuzzy(term: string, distance: number): Promise<string[]>;
};

const MIN_PREFIX_CHARS = 2;
const QUERY_ENTITY_CONTEXT = queryContext();
/** Above this many tokens apart two words are no longer "near" by the OR of distances: the lode_near function decides. */
const MAX_EXPANDED_DISTANCE = 10;

export async function compilePostgres(ast: QueryNode, p: Placeholders, options: CompileOptions): Promise<PostgresPlan> {
  const plan: PostgresPlan = { where: 'TRUE', expansions: {} };
  const compiler = new Compiler(plan, p, options);
  const conditions: string[] = [];
  const clauses = ast.kind === 'and' ? ast.children : [ast];
  for (const clause of clauses) {
    if (clause.kind === 'date') compiler.keyRange(clause.from, clause.to);
    conditions.push(await compiler.sql(clause));
  }
  plan.where = conditions.length === 0 ? 'TRUE' : conditions.join(' AND ');
  return plan;
}

class Compiler {
  private readonly plan: PostgresPlan;
  private readonly p: Placeholders;
  private readonly options: CompileOptions;

  constructor(plan: PostgresPlan, p: Placeholders, options: CompileOptions) {
    this.plan = plan;
    this.p = p;
    this.options = options;
  }

  keyRange(from: string | undefined, to: string | undefined): void {
    if (from) this.plan.minKey = Math.max(this.plan.minKey ?? -Infinity, Math.floor(Date.parse(from) / 1000) * 2 ** 20);
    if (to) this.plan.maxKeyExclusive = Math.min(this.plan.maxKeyExclusive ?? Infinity, timeKeyFloor(Date.parse(to)));
  }

  /** A boolean SQL expression over `m` for any node. */
  async sql(node: QueryNode): Promise<string> {
    switch (node.kind) {
      case 'term':
      case 'prefix':
      case 'fuzzy':
      case 'phrase':
        return this.text(node);
      case 'and':
      case 'or':
        return `(${(await Promise.all(node.children.map((c) => this.sql(c)))).join(node.kind === 'and' ? ' AND ' : ' OR ')})`;
      case 'not':
        return `NOT (${await this.sql(node.child)})`;
      case 'field':
        return this.field(node.field, node.value);
      case 'has':
        return 'm.has_attachment = 1';
      case 'date': {
        const parts: string[] = [];
        if (node.from) parts.push(`m.ts_ms >= ${this.p.add(Date.parse(node.from))}`);
        if (node.to) parts.push(`m.ts_ms < ${this.p.add(Date.parse(node.to))}`);
        return `(${parts.join(' AND ')})`;
      }
      case 'entity':
        return this.entity(node);
      default:
        throw new QueryCompileError('This part of the query cannot be answered', (node as { span: Span }).span.start);
    }
  }

  /** The tsquery of a text node (as a positive query), or undefined for one that matches nothing. */
  private async tsquery(node: TextNode): Promise<string | undefined> {
    switch (node.kind) {
      case 'term':
        return phrase(tokenize(node.value));
      case 'prefix': {
        const tokens = tokenize(node.value);
        if (tokens.join('').length < MIN_PREFIX_CHARS) {
          throw new QueryCompileError(`Prefix "${node.value}*" is too short: give at least ${MIN_PREFIX_CHARS} letters`, node.span.start);
        }
        return phrase(tokens, true);
      }
      case 'fuzzy': {
        const folded = tokenize(node.value).join('');
        if (node.distance === 0) return phrase(tokenize(node.value));
        const words = await this.options.expandFuzzy(folded, node.distance);
        const all = [folded, ...words.filter((w) => w !== folded)];
        this.plan.expansions[`${node.value}~${node.distance}`] = all;
        return all.length === 1 ? lexeme(folded) : `(${all.map(lexeme).join(' | ')})`;
      }
      case 'phrase':
        // one with a proximity (NEAR) is answered by near(), never here
        return phrase(node.terms.flatMap((t) => tokenize(t)));
    }
  }

  private async text(node: TextNode): Promise<string> {
    if (node.kind === 'phrase' && node.proximity !== undefined) return this.near(node.terms.flatMap((t) => tokenize(t)), node.proximity);
    const query = await this.tsquery(node);
    // FTS5 matches nothing for a phrase without words ("..."): neither does this
    return query === undefined ? 'FALSE' : `m.terms @@ ${this.p.add(query)}::tsquery`;
  }

  /**
   * FTS5's NEAR(a b, N): each word somewhere, in any order, with at most N tokens between the
   * first and the last. Two words: an OR of exact distances, answered by the index; more words
   * or a wide window: the index finds rows with all of them and lode_near checks the positions.
   */
  private near(tokens: string[], distance: number): string {
    const distinct = [...new Set(tokens)];
    if (distinct.length === 0) return 'FALSE';
    if (distinct.length === 1) return `m.terms @@ ${this.p.add(lexeme(distinct[0]!))}::tsquery`;
    if (distinct.length === 2 && distance < MAX_EXPANDED_DISTANCE) {
      const [a, b] = distinct.map(lexeme) as [string, string];
      const alternatives: string[] = [];
      for (let d = 1; d <= distance + 1; d++) alternatives.push(`(${a} <${d}> ${b})`, `(${b} <${d}> ${a})`);
      return `m.terms @@ ${this.p.add(alternatives.join(' | '))}::tsquery`;
    }
    return `(m.terms @@ ${this.p.add(distinct.map(lexeme).join(' & '))}::tsquery AND lode_near(m.terms, ${this.p.add(distinct)}::text[], ${this.p.add(distance)}::int))`;
  }

  private entity(node: EntityNode): string {
    const types: EntityType[] = node.type === 'ip' ? ['ipv4', 'ipv6'] : [node.type];
    const wanted = types.flatMap((type) => {
      const value = normaliseEntityQuery(type, node.value, QUERY_ENTITY_CONTEXT);
      return value === undefined ? [] : [{ type, value }];
    });
    if (wanted.length === 0) throw new QueryCompileError(`"${node.value}" is not a valid ${node.type} (checked as extraction checks it)`, node.span.start);
    const match = wanted.map((w) => `(e.type = ${this.p.add(w.type)} AND e.value = ${this.p.add(w.value)})`).join(' OR ');
    return `(m.dataset_id, m.key) IN (SELECT mn.dataset_id, mn.item_key FROM entities e JOIN mentions mn ON mn.dataset_id = e.dataset_id AND mn.entity_id = e.id WHERE ${match})`;
  }

  private field(field: string, value: string): string {
    switch (field) {
      case 'from':
        return `(m.dataset_id, m.sender_id) IN (SELECT dataset_id, id FROM accounts WHERE handle_folded = ${this.p.add(foldText(value))})`;
      case 'to': {
        // outside groups a conversation is its fixed set of parties; in groups and to oneself the recipients decide
        const handle = this.p.add(foldText(value));
        return `((m.dataset_id, m.conversation_id) IN (SELECT cm.dataset_id, cm.conversation_id FROM conversation_members cm
                   JOIN accounts a ON a.dataset_id = cm.dataset_id AND a.id = cm.account_id WHERE a.handle_folded = ${handle})
          AND (((m.dataset_id, m.sender_id) NOT IN (SELECT dataset_id, id FROM accounts WHERE handle_folded = ${handle})
                AND (m.dataset_id, m.conversation_id) NOT IN (SELECT dataset_id, id FROM conversations WHERE is_group = 1))
            OR EXISTS (SELECT 1 FROM unnest(m.recipients) r JOIN accounts a ON a.dataset_id = m.dataset_id AND a.id = r WHERE a.handle_folded = ${handle})))`;
      }
      case 'dataset':
        return `m.dataset_id IN (SELECT id FROM datasets WHERE name = ${this.p.add(value)})`;
      case 'platform':
        return `lower(m.platform) = ${this.p.add(value.toLowerCase())}`;
      case 'lang':
        return `m.lang = ${this.p.add(value.toLowerCase())}`;
      default:
        throw new QueryCompileError(`Unknown field "${field}"`, 0);
    }
  }
}

/** Words in order, each right after the one before (`<->`); the last a prefix when asked. */
export function phrase(tokens: readonly string[], isPrefix = false): string | undefined {
  if (tokens.length === 0) return undefined;
  const parts = tokens.map((t, i) => (isPrefix && i === tokens.length - 1 ? `${lexeme(t)}:*` : lexeme(t)));
  return parts.length === 1 ? parts[0] : `(${parts.join(' <-> ')})`;
}

/** A folded token as a tsquery lexeme; tokens are letters and digits, so quoting is all it needs. */
function lexeme(token: string): string {
  return `'${token.replaceAll("'", "''").replaceAll('\\', '\\\\')}'`;
}
