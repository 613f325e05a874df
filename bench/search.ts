// Step 4: the query mix against the Lode store (and the PostgreSQL store, when it is measured
// too), in this process, as the CLI asks it (newest first, 20 hits, facets on unless said
// otherwise). The first run of each query is its cold run; the warm runs ask every query with
// and without facets back to back, alternating which goes first, so both variants see the same
// caches.
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
  /** The store refused or failed the query: its message (no timings then). */
  error?: string;
};

/**
 * The query mix against each store (`sqlite:PATH` or `postgres://...`), opened as the CLI opens
 * a store for reading. With several stores the runs are interleaved query by query, so a
 * change in the shared machine's load falls on all of them alike; who goes first alternates.
 * Returns the runs per store, in the order given.
 */
export async function runSearches(locations: readonly string[], queries: readonly BenchQuery[], runs: number): Promise<QuerySearchRuns[][]> {
  const stores: Store[] = [];
  try {
    for (const location of locations) stores.push(await openStore({ store: location, env: {}, purpose: 'read' }));
    const parsed = queries.map((q) => ({ query: q.query, ast: parseQuery(q.query) }));
    const results = stores.map(() => parsed.map((q): QuerySearchRuns => ({ query: q.query, total: Number.NaN, cold: NO_TIMING, warm: [], warmNoFacets: [] })));
    const turns = (round: number) => (round % 2 === 0 ? stores.map((_, i) => i) : stores.map((_, i) => stores.length - 1 - i));
    log(`search: cold run of ${parsed.length} queries${stores.length > 1 ? ` on ${stores.length} stores` : ''}`);
    for (const [index, q] of parsed.entries()) {
      for (const s of turns(index)) {
        const result = results[s]![index]!;
        try {
          const { timing, total } = await timedSearch(stores[s]!, q.ast, true);
          Object.assign(result, { cold: timing, total });
        } catch (error) {
          result.error = (error as Error).message;
          log(`search: "${q.query}" failed on ${locationLabel(locations[s]!)}: ${result.error}`);
        }
      }
    }
    for (let run = 2; run <= runs; run++) {
      log(`search: warm run ${run - 1}/${runs - 1} (with and without facets)`);
      for (const [index, q] of parsed.entries()) {
        for (const s of turns(run + index)) {
          const result = results[s]![index]!;
          if (result.error !== undefined) continue;
          const order = run % 2 === 0 ? [true, false] : [false, true];
          for (const facets of order) {
            const { timing, total } = await timedSearch(stores[s]!, q.ast, facets);
            if (total !== result.total) throw new Error(`"${q.query}" found ${total} hits on ${locationLabel(locations[s]!)}, earlier ${result.total}`);
            (facets ? result.warm : result.warmNoFacets).push(timing);
          }
        }
      }
    }
    return results;
  } finally {
    for (const store of stores) await store.close();
  }
}

const NO_TIMING: Timing = { tookMs: Number.NaN, wallMs: Number.NaN };

/** The kind of store, for messages: never a URL (it holds a password). */
function locationLabel(location: string): string {
  return location.startsWith('sqlite:') ? 'SQLite' : 'PostgreSQL';
}

async function timedSearch(store: Store, ast: QueryNode, facets: boolean): Promise<{ timing: Timing; total: number }> {
  const started = performance.now();
  const result = await searchStore(store, { ast, limit: HITS_PER_PAGE, offset: 0, sort: 'newest', facets });
  const wallMs = performance.now() - started;
  return { timing: { tookMs: result.took_ms, wallMs }, total: result.total };
}

/**
 * `bin/lode search QUERY --json` as a user runs it: a new process each time, so Node's start-up
 * and module loading (and for PostgreSQL, connecting) are in the figure. Median of three.
 * `store` is `--home DIR` or `--store URL`.
 */
export function timeCliSearch(store: readonly ['--home' | '--store', string], query: string): { query: string; medianMs: number; runsMs: number[] } {
  const lode = fileURLToPath(new URL('../bin/lode', import.meta.url));
  const env = { ...process.env };
  delete env.LODE_STORE;
  const runsMs: number[] = [];
  for (let i = 0; i < 3; i++) {
    const started = performance.now();
    const result = spawnSync(lode, ['search', query, ...store, '--json'], { encoding: 'utf8', env });
    runsMs.push(performance.now() - started);
    if (result.status !== 0) throw new Error(`lode search ${query} failed: ${result.error?.message ?? result.stderr}`);
  }
  return { query, medianMs: median(runsMs), runsMs };
}
