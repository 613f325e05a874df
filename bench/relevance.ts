// With PostgreSQL measured beside SQLite: the query mix with `--sort relevance` on both stores.
// Each query is ranked whole once on each (every hit, at most the ranking limit) and the two
// rankings compared hit by hit, score by score; then a page of 20 is timed, the stores taking
// turns as in bench/search.ts. Queries with too many hits or no words are not ranked (the stores
// say so and stay newest first): they are counted, not timed.
import { openStore } from '../src/main.ts';
import { parseQuery } from '../src/search/parse.ts';
import { searchStore } from '../src/search/search.ts';
import type { QueryNode } from '../src/search/ast.ts';
import type { Store } from '../src/store/store.ts';
import type { BenchQuery } from './queries.ts';
import { log } from './log.ts';
import { median } from './stats.ts';
import { HITS_PER_PAGE } from './search.ts';

const WHOLE = 5000;

export type RelevanceResult = {
  query: string;
  /** Ranked by relevance in SQLite (false: no hits, too many, or no words). */
  ranked: boolean;
  hits: number;
  /** The same hits in the same order with the same scores in both stores. */
  same: boolean;
  /** Where the rankings first part, when they do. */
  firstDifference?: string;
  /** Median wall time of a page of 20, in each store. */
  sqliteMs: number;
  postgresMs: number;
};

export async function compareRelevance(locations: readonly [string, string], queries: readonly BenchQuery[], runs: number): Promise<RelevanceResult[]> {
  const stores: Store[] = [];
  try {
    for (const location of locations) stores.push(await openStore({ store: location, env: {}, purpose: 'read' }));
    const [sqlite, postgres] = stores as [Store, Store];
    log(`relevance: ${queries.length} queries ranked on both stores`);
    const results: RelevanceResult[] = [];
    for (const [index, q] of queries.entries()) {
      const ast = parseQuery(q.query);
      const ask = (store: Store, limit: number) => searchStore(store, { ast, limit, offset: 0, sort: 'relevance', facets: false });
      const [a, b] = [await ask(sqlite, WHOLE), await ask(postgres, WHOLE)];
      const ranked = a.sort === 'relevance' && a.hits.length > 0;
      const differs = a.hits.findIndex((hit, i) => hit.id !== b.hits[i]?.id || hit.score !== b.hits[i]?.score);
      const same = a.sort === b.sort && a.hits.length === b.hits.length && differs === -1;
      const result: RelevanceResult = { query: q.query, ranked, hits: a.hits.length, same, sqliteMs: Number.NaN, postgresMs: Number.NaN };
      if (!same) result.firstDifference = differs === -1 ? `sort ${a.sort} / ${b.sort}, ${a.hits.length} / ${b.hits.length} hits` : `hit ${differs + 1}: ${a.hits[differs]!.id} ${a.hits[differs]!.score} / ${b.hits[differs]?.id} ${b.hits[differs]?.score}`;
      if (ranked) {
        const times: [number[], number[]] = [[], []];
        for (let run = 0; run < runs; run++) {
          const order = (run + index) % 2 === 0 ? [0, 1] : [1, 0];
          for (const s of order) times[s]!.push(await timedPage(stores[s]!, ast));
        }
        result.sqliteMs = median(times[0]);
        result.postgresMs = median(times[1]);
      }
      results.push(result);
    }
    return results;
  } finally {
    for (const store of stores) await store.close();
  }
}

async function timedPage(store: Store, ast: QueryNode): Promise<number> {
  const started = performance.now();
  await searchStore(store, { ast, limit: HITS_PER_PAGE, offset: 0, sort: 'relevance', facets: false });
  return performance.now() - started;
}
