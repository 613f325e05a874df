// Step 4: the query mix against the Lode store, in this process, as the CLI asks it (newest
// first, 20 hits, facets on unless said otherwise). The first run of each query is its cold run;
// the warm runs ask every query with and without facets back to back, alternating which goes
// first, so both variants see the same caches.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { openStore } from '../src/main.ts';
import type { Store } from '../src/store/store.ts';
import { parseQuery } from '../src/search/parse.ts';
import { searchStore } from '../src/search/search.ts';
import type { QueryNode } from '../src/search/ast.ts';
import type { BenchQuery } from './queries.ts';
import { log } from './log.ts';
import { median } from './stats.ts';

export const HITS_PER_PAGE = 20;

export type Timing = { tookMs: number; wallMs: number };

export type QuerySearchRuns = {
  query: string;
  total: number;
  cold: Timing;
  warm: Timing[];
  warmNoFacets: Timing[];
};

export async function runSearches(storePath: string, queries: readonly BenchQuery[], runs: number): Promise<QuerySearchRuns[]> {
  // opened as the CLI opens a store for reading
  const store = await openStore({ store: `sqlite:${storePath}`, env: {}, purpose: 'read' });
  try {
    const parsed = queries.map((q) => ({ query: q.query, ast: parseQuery(q.query) }));
    log(`search: cold run of ${parsed.length} queries`);
    const results: QuerySearchRuns[] = [];
    for (const q of parsed) {
      const { timing, total } = await timedSearch(store, q.ast, true);
      results.push({ query: q.query, total, cold: timing, warm: [], warmNoFacets: [] });
    }
    for (let run = 2; run <= runs; run++) {
      log(`search: warm run ${run - 1}/${runs - 1} (with and without facets)`);
      for (const [index, q] of parsed.entries()) {
        const result = results[index]!;
        const order = run % 2 === 0 ? [true, false] : [false, true];
        for (const facets of order) {
          const { timing, total } = await timedSearch(store, q.ast, facets);
          if (total !== result.total) throw new Error(`"${q.query}" found ${total} hits, earlier ${result.total}`);
          (facets ? result.warm : result.warmNoFacets).push(timing);
        }
      }
    }
    return results;
  } finally {
    await store.close();
  }
}

async function timedSearch(store: Store, ast: QueryNode, facets: boolean): Promise<{ timing: Timing; total: number }> {
  const started = performance.now();
  const result = await searchStore(store, { ast, limit: HITS_PER_PAGE, offset: 0, sort: 'newest', facets });
  const wallMs = performance.now() - started;
  return { timing: { tookMs: result.took_ms, wallMs }, total: result.total };
}

/**
 * `bin/lode search QUERY --json` as a user runs it: a new process each time, so Node's start-up
 * and module loading are in the figure. Median of three.
 */
export function timeCliSearch(storeDir: string, query: string): { query: string; medianMs: number; runsMs: number[] } {
  const lode = fileURLToPath(new URL('../bin/lode', import.meta.url));
  const env = { ...process.env };
  delete env.LODE_STORE;
  const runsMs: number[] = [];
  for (let i = 0; i < 3; i++) {
    const started = performance.now();
    const result = spawnSync(lode, ['search', query, '--home', storeDir, '--json'], { encoding: 'utf8', env });
    runsMs.push(performance.now() - started);
    if (result.status !== 0) throw new Error(`lode search ${query} failed: ${result.error?.message ?? result.stderr}`);
  }
  return { query, medianMs: median(runsMs), runsMs };
}
