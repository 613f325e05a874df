// Runs a compiled query on the SQLite store. Every query costs at most one pass over its hits
// to count them; the page, snippets and the facet sample read only what they return.
import type { FacetBucket, SearchFacets, SearchHit, SearchResult, SearchSort } from '../../model/search.ts';
import { compileSqlite, type SqlitePlan, type SqlValue } from '../../search/compile-sqlite.ts';
import { nearestTerms } from '../../search/edit-distance.ts';
import { highlighterOf, hitSnippet } from '../../search/snippet.ts';
import { countFacets, type FacetRow } from '../../search/facets.ts';
import type { StoredSearch } from '../store.ts';
import { MESSAGE_SELECT, type SqliteStore } from './sqlite-store.ts';
import { visibilityConditions } from './scope.ts';

/** bm25 costs per hit and has no top-k pruning: rank only hit sets this small. */
export const RELEVANCE_MAX_HITS = 5000;
export const FACET_SAMPLE = 2000;
const FUZZY_EXPANSIONS = 64;

export function runSqliteSearch(store: SqliteStore, request: StoredSearch): Omit<SearchResult, 'took_ms'> {
  const plan = compileSqlite(request.ast, { expandFuzzy: (term, distance) => expandFuzzy(store, term, distance) });
  if (request.dataset !== undefined) {
    plan.where.push('m.dataset_id IN (SELECT id FROM datasets WHERE name = ?)');
    plan.params.push(request.dataset);
  }
  if (request.datasets !== undefined) {
    // ANDed with the whole query, so a `dataset:` field (even inside an OR) cannot widen it
    if (request.datasets.length === 0) plan.where.push('0');
    else {
      plan.where.push(`m.dataset_id IN (SELECT id FROM datasets WHERE name IN (${request.datasets.map(() => '?').join(', ')}))`);
      plan.params.push(...request.datasets);
    }
  }
  // legal scope and privilege: also ANDed with the whole query, so counts and facets obey them too
  const hidden = visibilityConditions(store, request.viewer);
  plan.where.push(...hidden);
  const query = buildFrom(plan);
  const total = Number(store.db.prepare(`SELECT count(*) AS n ${query.from}`).get(...query.params)?.n ?? 0);

  let sort: SearchSort = request.sort;
  let notice: string | undefined;
  if (sort === 'relevance' && (!plan.match || total > RELEVANCE_MAX_HITS)) {
    notice = plan.match
      ? `${total} hits are too many to rank by relevance (limit ${RELEVANCE_MAX_HITS}); showing newest first. Narrow the query to rank.`
      : 'The query has no words to rank by; showing newest first.';
    sort = 'newest';
  }
  // ties newest first, in both stores
  const order = sort === 'relevance' ? 'f.rank, f.rowid DESC' : `${query.key} ${sort === 'oldest' ? 'ASC' : 'DESC'}`;
  const page = store.db
    .prepare(`SELECT ${query.key} AS key${sort === 'relevance' ? ', f.rank AS rank' : ''} ${query.from} ORDER BY ${order} LIMIT ? OFFSET ?`)
    .all(...query.params, request.limit, request.offset);

  const fetch = store.sql(`${MESSAGE_SELECT} WHERE m.rowid = ?`);
  const highlight = plan.match === undefined ? undefined : highlighterOf(request.ast, plan.expansions);
  const hits: SearchHit[] = page.map((row) => {
    const message = store.toStoredMessage(fetch.get(row.key as number)!);
    return {
      id: message.id, ref: message.ref, dataset: message.dataset, platform: message.platform, kind: message.kind,
      ts: message.ts, from: message.from, to: message.to, body: message.body,
      snippet: hitSnippet(message.body, highlight),
      ...(row.rank == null ? {} : { score: -Number(row.rank) }),
    };
  });
  const result: Omit<SearchResult, 'took_ms'> = { total, sort, hits };
  if (notice) result.notice = notice;
  // The fuzzy vocabulary is shared by all datasets: its words would tell a restricted asker what
  // other datasets contain, so they see their hits but not the expansion list; the same holds for
  // words of messages hidden from them by legal scope or privilege.
  if (Object.keys(plan.expansions).length > 0 && request.datasets === undefined && hidden.length === 0) result.expansions = plan.expansions;
  if (request.facets) result.facets = facets(store, query, total);
  if (request.days) result.days = dayCounts(store, query);
  return result;
}

/** Every hit counted per UTC day (a timeline must not be drawn from a sample). */
function dayCounts(store: SqliteStore, query: FromClause): FacetBucket[] {
  const from = query.from.includes('messages m') ? query.from : query.from.replace('FROM message_fts f', 'FROM message_fts f JOIN messages m ON m.rowid = f.rowid');
  return store.db.prepare(`SELECT m.ts_ms / 86400000 AS day, count(*) AS n ${from} GROUP BY day ORDER BY day`).all(...query.params)
    .map((r) => ({ value: r.day == null ? 'undated' : new Date(Number(r.day) * 86_400_000).toISOString().slice(0, 10), count: Number(r.n) }));
}

type FromClause = { from: string; params: SqlValue[]; key: string };

export function buildFrom(plan: SqlitePlan): FromClause {
  const conditions: string[] = [];
  const params: SqlValue[] = [];
  const key = plan.match ? 'f.rowid' : 'm.rowid';
  const where = plan.where.map((w) => w.replaceAll('@key', key));
  let from: string;
  if (plan.match) {
    const readsMessages = where.some((w) => w.includes('m.'));
    from = readsMessages ? 'FROM message_fts f JOIN messages m ON m.rowid = f.rowid' : 'FROM message_fts f';
    conditions.push('message_fts MATCH ?');
    params.push(plan.match);
  } else {
    from = 'FROM messages m';
  }
  if (plan.minKey !== undefined) {
    conditions.push(`${key} >= ?`);
    params.push(plan.minKey);
  }
  if (plan.maxKeyExclusive !== undefined) {
    conditions.push(`${key} < ?`);
    params.push(plan.maxKeyExclusive);
  }
  conditions.push(...where);
  params.push(...plan.params);
  return { from: `${from}${conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : ''}`, params, key };
}

export function expandFuzzy(store: SqliteStore, term: string, distance: number): string[] {
  const rows = store.sql('SELECT term FROM vocabulary WHERE length BETWEEN ? AND ?').iterate(term.length - distance, term.length + distance);
  const words = (function* () {
    for (const row of rows) yield String(row.term);
  })();
  return nearestTerms(term, words, distance, FUZZY_EXPANSIONS);
}

function facets(store: SqliteStore, query: FromClause, total: number): SearchFacets {
  const needsMessages = query.from.includes('messages m');
  const from = needsMessages ? query.from : query.from.replace('FROM message_fts f', 'FROM message_fts f JOIN messages m ON m.rowid = f.rowid');
  const rows = store.db
    .prepare(`SELECT m.sender_id, m.dataset_id, m.platform, m.lang, m.ts_ms ${from} ORDER BY ${query.key} DESC LIMIT ?`)
    .all(...query.params, FACET_SAMPLE);
  const { sampled, sampleSize, senderIds, datasetIds, platform, language, day } = countFacets(rows as FacetRow[], total);
  // names only for the buckets shown: a sample can hold thousands of senders
  const handles = store.handles(senderIds.map((b) => Number(b.value)));
  const names = new Map(store.sql('SELECT id, name FROM datasets').all().map((r) => [String(r.id), String(r.name)]));
  return {
    sampled,
    sampleSize,
    sender: senderIds.map((b) => ({ value: handles.get(Number(b.value))!, count: b.count })),
    dataset: datasetIds.map((b) => ({ value: names.get(b.value) ?? b.value, count: b.count })),
    platform,
    language,
    day,
  };
}

