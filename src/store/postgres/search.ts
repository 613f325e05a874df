// Runs a compiled query on the PostgreSQL store: the total is a count over the match, the page
// is read newest first (or oldest, or by BM25 for small hit sets, as the SQLite store ranks only
// below RELEVANCE_MAX_HITS, with the same scores: src/search/bm25.ts), facets over the newest
// FACET_SAMPLE hits, snippets for the page only.
import type { FacetBucket, SearchFacets, SearchHit, SearchResult, SearchSort } from '../../model/search.ts';
import type { QueryNode } from '../../search/ast.ts';
import { bm25, idfOf, oddsOf, phraseFrequencies, phrasesOf, type RankPhrase } from '../../search/bm25.ts';
import { compilePostgres, phrase as tsqueryPhrase, type PostgresPlan } from '../../search/compile-postgres.ts';
import { compileSqlite } from '../../search/compile-sqlite.ts';
import { tokenize } from '../../extract/tokens.ts';
import { nearestTerms } from '../../search/edit-distance.ts';
import { highlighterOf, hitSnippet } from '../../search/snippet.ts';
import { countFacets, type FacetRow } from '../../search/facets.ts';
import type { StoredSearch } from '../store.ts';
import { FACET_SAMPLE, RELEVANCE_MAX_HITS } from '../sqlite/search.ts';
import { Params, type PgDatabase, type Queryable, type Row } from './db.ts';
import { MESSAGE_SELECT, accountIdsOf, toStoredMessage } from './rows.ts';
import { visibilityConditions } from './scope.ts';
import type { HandleLookup } from './pg-store.ts';

const FUZZY_EXPANSIONS = 64;

export async function runPostgresSearch(db: PgDatabase, request: StoredSearch, handles: HandleLookup): Promise<Omit<SearchResult, 'took_ms'>> {
  const p = new Params();
  const plan = await compilePostgres(request.ast, p, { expandFuzzy: (term, distance) => expandFuzzy(db, term, distance) });
  const where = [plan.where];
  if (request.dataset !== undefined) where.push(`m.dataset_id IN (SELECT id FROM datasets WHERE name = ${p.add(request.dataset)})`);
  // ANDed with the whole query, so a `dataset:` field (even inside an OR) cannot widen it
  if (request.datasets !== undefined) where.push(`m.dataset_id IN (SELECT id FROM datasets WHERE name = ANY(${p.add(request.datasets)}::text[]))`);
  const hidden = await visibilityConditions(db, request.viewer);
  where.push(...hidden);
  if (plan.minKey !== undefined) where.push(`m.key >= ${p.add(plan.minKey)}`);
  if (plan.maxKeyExclusive !== undefined) where.push(`m.key < ${p.add(plan.maxKeyExclusive)}`);
  const from = `FROM messages m WHERE ${where.join(' AND ')}`;
  // what the page adds (rank, limit, offset) comes after: the counts take the values of `from` only
  const fromValues = [...p.values];
  const total = Number((await db.one(`SELECT count(*) AS n ${from}`, fromValues))?.n ?? 0);

  let sort: SearchSort = request.sort;
  let notice: string | undefined;
  // what the SQLite store hands FTS5: whether there are words to rank by and mark, and the phrases its bm25 scores
  const match = ftsMatchOf(request.ast, plan.expansions);
  if (sort === 'relevance' && (match === undefined || total > RELEVANCE_MAX_HITS)) {
    notice = match !== undefined
      ? `${total} hits are too many to rank by relevance (limit ${RELEVANCE_MAX_HITS}); showing newest first. Narrow the query to rank.`
      : 'The query has no words to rank by; showing newest first.';
    sort = 'newest';
  }
  const rowsInStore = Number((await db.one('SELECT coalesce(sum(messages), 0) AS n FROM word_totals'))?.n ?? 0);
  const page: { dataset_id: unknown; key: unknown; score?: number }[] = sort === 'relevance'
    ? (await rankByBm25(db, phrasesOf(match!), from, fromValues)).slice(request.offset, request.offset + request.limit)
    : await inKeyOrder<{ dataset_id: unknown; key: unknown }>(db, 'm.dataset_id, m.key', from, p.values, sort === 'oldest' ? 'ASC' : 'DESC', p.add(request.limit), p.add(request.offset),
      readHitsFirst(total, request.offset + request.limit, rowsInStore));
  const rows = page.length === 0 ? [] : await db.query(`${MESSAGE_SELECT} WHERE (m.dataset_id, m.key) IN (SELECT * FROM unnest($1::bigint[], $2::bigint[]))`,
    [page.map((r) => Number(r.dataset_id)), page.map((r) => Number(r.key))]);
  const byKey = new Map(rows.map((r) => [`${r.dataset_id}:${r.key}`, r]));
  const names = await handles(accountIdsOf(rows));
  const highlight = match === undefined ? undefined : highlighterOf(request.ast, plan.expansions);
  const hits: SearchHit[] = page.map((ref) => {
    const message = toStoredMessage(byKey.get(`${ref.dataset_id}:${ref.key}`)!, names);
    return {
      id: message.id, ref: message.ref, dataset: message.dataset, platform: message.platform, kind: message.kind,
      ts: message.ts, from: message.from, to: message.to, body: message.body,
      snippet: hitSnippet(message.body, highlight),
      ...(ref.score === undefined ? {} : { score: ref.score }),
    };
  });
  const result: Omit<SearchResult, 'took_ms'> = { total, sort, hits };
  if (notice) result.notice = notice;
  // the vocabulary is shared by all datasets: a restricted asker sees hits, not the expansion list
  if (Object.keys(plan.expansions).length > 0 && request.datasets === undefined && hidden.length === 0) result.expansions = plan.expansions;
  if (request.facets) result.facets = await facets(db, from, fromValues, total, readHitsFirst(total, FACET_SAMPLE, rowsInStore), handles);
  if (request.days) result.days = await dayCounts(db, from, fromValues);
  return result;
}

// A hit read through an index (the GIN index of the words, a sender's) costs several times a
// message tested while walking the key index, whose order is the table's: 1.5-2 µs against
// 0.27-0.36 µs for one word on the bench's 5M store, up to 14 µs against 0.58 µs for two words
// or a word and a language. One word is the common search: 8, a little above its ratio (with 25,
// a word in 22,000 of 5M messages took 161 ms instead of 95).
const READ_COST_OVER_WALK = 8;

/**
 * Whether to read every hit and sort them rather than walk the key index, testing each message in
 * turn, until `wanted` hits are found. The planner cannot know: it guesses 2,259 of 5 million for
 * any word outside its statistics and walked the whole index for a word in 19 messages (1.4 s),
 * and for a sender with 120,000 messages it read them all to sort them (260 ms, against 7 ms for
 * the walk). The total is known by now: reading costs `total` hits, the walk `wanted` × rows /
 * total messages.
 */
function readHitsFirst(total: number, wanted: number, rowsInStore: number): boolean {
  return total * total * READ_COST_OVER_WALK < wanted * rowsInStore;
}

/** A page of the hits in key order: read first and then sorted, or found walking the key index. */
async function inKeyOrder<T extends Row>(db: PgDatabase, columns: string, from: string, params: Params['values'], direction: 'ASC' | 'DESC', limit: string,
  offset: string, hitsFirst: boolean): Promise<T[]> {
  // MATERIALIZED: the planner may not fold the ORDER BY ... LIMIT into the reading of the hits
  if (hitsFirst) return db.query<T>(`WITH hits AS MATERIALIZED (SELECT ${columns} ${from}) SELECT * FROM hits ORDER BY key ${direction} LIMIT ${limit} OFFSET ${offset}`, params);
  // a sort made dear: the planner takes the key index's order and stops at the page; one
  // process, as starting parallel workers costs more than the walk (31 ms against 15 on 1M)
  return db.tx(async (c) => {
    await c.run('SET LOCAL enable_sort = off; SET LOCAL max_parallel_workers_per_gather = 0');
    return c.query<T>(`SELECT ${columns} ${from} ORDER BY m.key ${direction} LIMIT ${limit} OFFSET ${offset}`, params);
  });
}

/** The FTS5 expression the SQLite store would match with, its fuzzy words expanded as here. */
function ftsMatchOf(ast: QueryNode, expansions: Record<string, string[]>): string | undefined {
  const expanded = new Map<string, string[]>();
  for (const [key, all] of Object.entries(expansions)) expanded.set(`${all[0]}~${key.slice(key.lastIndexOf('~') + 1)}`, all.slice(1));
  return compileSqlite(ast, { expandFuzzy: (term, distance) => expanded.get(`${term}~${distance}`) ?? [] }).match;
}

type Ranked = { dataset_id: number; key: number; score: number };

/**
 * Every hit (at most RELEVANCE_MAX_HITS) scored as FTS5's bm25 scores it, best first, ties newest
 * first as in the SQLite store. FTS5 takes its figures from its whole index, every dataset's
 * rows: so do word_totals and the count of rows holding each phrase.
 */
async function rankByBm25(db: Queryable, phrases: readonly RankPhrase[], from: string, values: Params['values']): Promise<Ranked[]> {
  const totals = await db.one('SELECT coalesce(sum(messages), 0) AS rows, coalesce(sum(words), 0) AS words FROM word_totals');
  const rows = Math.max(1, Number(totals?.rows ?? 0));
  const averageWords = Number(totals?.words ?? 0) / rows;
  const odds = (await rowsHolding(db, phrases)).map((hits) => oddsOf(rows, hits));
  // PostgreSQL's ln() is the C library's log(), as FTS5's
  const logs = await db.query('SELECT ln(x) AS l FROM unnest($1::float8[]) WITH ORDINALITY AS t(x, i) ORDER BY i', [odds]);
  const idf = logs.map((row) => idfOf(Number(row.l)));
  const hits = await db.query(`SELECT m.dataset_id, m.key, m.body ${from}`, values);
  return hits.map((hit) => {
    const words = tokenize(String(hit.body));
    return { dataset_id: Number(hit.dataset_id), key: Number(hit.key), score: bm25(phraseFrequencies(words, phrases), idf, words.length, averageWords) };
  }).sort((a, b) => b.score - a.score || b.key - a.key || b.dataset_id - a.dataset_id);
}

/** How many messages of all datasets hold each phrase: one pass over the rows holding any of them. */
async function rowsHolding(db: Queryable, phrases: readonly RankPhrase[]): Promise<number[]> {
  const queries = phrases.map((ph) => tsqueryPhrase(ph.words, ph.prefix));
  const distinct = [...new Set(queries.filter((q) => q !== undefined))];
  if (distinct.length === 0) return phrases.map(() => 0);
  const p = new Params();
  const counts = distinct.map((q, i) => `count(*) FILTER (WHERE m.terms @@ ${p.add(q)}::tsquery) AS n${i}`);
  const any = p.add(distinct.map((q) => `(${q})`).join(' | '));
  const row = await db.one(`SELECT ${counts.join(', ')} FROM messages m WHERE m.terms @@ ${any}::tsquery`, p.values);
  const byQuery = new Map(distinct.map((q, i) => [q, Number(row?.[`n${i}`] ?? 0)]));
  return queries.map((q) => (q === undefined ? 0 : byQuery.get(q)!));
}

export async function expandFuzzy(db: Queryable, term: string, distance: number): Promise<string[]> {
  const rows = await db.query<{ term: string }>('SELECT term FROM vocabulary WHERE length BETWEEN $1 AND $2', [term.length - distance, term.length + distance]);
  return nearestTerms(term, rows.map((r) => r.term), distance, FUZZY_EXPANSIONS);
}

async function dayCounts(db: Queryable, from: string, params: Params['values']): Promise<FacetBucket[]> {
  const rows = await db.query(`SELECT trunc(m.ts_ms / 86400000.0) AS day, count(*) AS n ${from} GROUP BY day ORDER BY day NULLS LAST`, params);
  const days = rows.map((r) => ({ value: r.day == null ? 'undated' : new Date(Number(r.day) * 86_400_000).toISOString().slice(0, 10), count: Number(r.n) }));
  // as the SQLite store orders them: undated (NULL) first
  return [...days.filter((d) => d.value === 'undated'), ...days.filter((d) => d.value !== 'undated')];
}

async function facets(db: PgDatabase, from: string, params: Params['values'], total: number, hitsFirst: boolean, handles: HandleLookup): Promise<SearchFacets> {
  const rows = await inKeyOrder(db, 'm.sender_id, m.dataset_id, m.platform, m.lang, m.ts_ms, m.key', from, params, 'DESC', String(FACET_SAMPLE), '0', hitsFirst);
  const { sampled, sampleSize, senderIds, datasetIds, platform, language, day } = countFacets(rows as FacetRow[], total);
  // names only for the buckets shown: a sample can hold thousands of senders
  const names = await handles(senderIds.map((b) => Number(b.value)));
  const datasets = new Map((await db.query('SELECT id, name FROM datasets')).map((r) => [String(r.id), String(r.name)]));
  return {
    sampled,
    sampleSize,
    sender: senderIds.map((b) => ({ value: names.get(Number(b.value)) ?? `#${b.value}`, count: b.count })),
    dataset: datasetIds.map((b) => ({ value: datasets.get(b.value) ?? b.value, count: b.count })),
    platform,
    language,
    day,
  };
}

export type { PostgresPlan };
