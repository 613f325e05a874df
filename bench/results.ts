// The figures of one size, assembled from the measurements: what results-N.json holds and what
// the Markdown report prints.
import type { Corpus } from './corpus.ts';
import type { IngestMeasurement, LodeIngest, PostgresIngest } from './ingest.ts';
import type { Machine } from './machine.ts';
import type { DatabaseSizes, messagesTableStats } from './postgres.ts';
import type { BenchQuery, Handles, ScanSpec } from './queries.ts';
import type { RelevanceResult } from './relevance.ts';
import type { ScanResult } from './scan.ts';
import type { QuerySearchRuns, Timing } from './search.ts';
import { summarise, type Summary } from './stats.ts';

export type IngestComparison = {
  lode: Omit<LodeIngest, 'report'> & { report: Record<string, unknown> };
  floor: IngestMeasurement;
  /** Lode divided by the floor, figure by figure (for rows/s below 1 means slower). */
  ratio: { seconds: number; rowsPerSecond: number; peakRss: number; disk: number };
};

/** One query's figures on one store. */
export type StoreQueryResult = {
  category: string;
  query: string;
  hits: number;
  coldMs: Timing;
  warmTookMs: Summary;
  warmWallMs: Summary;
  warmNoFacetsTookMs: Summary;
  warmNoFacetsWallMs: Summary;
  runs: { cold: Timing; warm: Timing[]; warmNoFacets: Timing[] };
  /** The store failed the query (no timings, no hits). */
  error?: string;
};

export type QueryResult = StoreQueryResult & {
  scan: { spec: ScanSpec; grep: ScanResult; rg: ScanResult | null } | null;
  /** Scan median divided by Lode's warm wall median (with facets). */
  speedUp: { grep: number; rg: number | null } | null;
};

/** Every run of every query of one store, pooled. */
export type StoreSearchSummary = {
  queries: number;
  runsPerQuery: number;
  warmTookMs: Summary;
  warmWallMs: Summary;
  warmNoFacetsTookMs: Summary;
  warmNoFacetsWallMs: Summary;
  coldTookMs: Summary;
  coldWallMs: Summary;
  /** One `lode search` run as a process (Node start-up included), median of three. */
  cli: { query: string; medianMs: number; runsMs: number[] };
};

export type SearchSummary = StoreSearchSummary & {
  /** Over the queries that have a scan: the median and p95 of each query's median. */
  scanned: {
    queries: number;
    lodeWallMs: Summary;
    grepMs: Summary;
    rgMs: Summary | null;
    /** grep median / Lode median, and the smallest and largest per-query factors. */
    speedUpGrep: { ofMedians: number; min: number; max: number };
    speedUpRg: { ofMedians: number; min: number; max: number } | null;
  };
};

/** A query whose hit total differs between the stores: one of them has a bug. */
export type TotalMismatch = { query: string; sqlite: number | string; postgres: number | string };

/** The PostgreSQL store on the same corpus, measured in the same run as the SQLite one. */
export type PostgresResults = {
  server: { version: string; origin: string; settings: Record<string, string> };
  ingest: PostgresIngest;
  /** PostgreSQL / SQLite (Lode's ingest), figure by figure. */
  ratio: { seconds: number; rowsPerSecond: number; disk: number; cpu: number };
  /** What autovacuum had done when the ingest ended, and the bench's own VACUUM ANALYZE (null when skipped). */
  afterIngest: { autovacuum: Awaited<ReturnType<typeof messagesTableStats>>; vacuumAnalyzeSeconds: number | null; sizesAfterVacuum: DatabaseSizes | null };
  search: { summary: StoreSearchSummary; queries: StoreQueryResult[] };
  mismatches: TotalMismatch[];
  /** The query mix sorted by relevance in both stores: rankings compared, pages timed. */
  relevance: RelevanceResult[];
};

export type SizeResults = {
  size: number;
  command: string;
  startedAt: string;
  /** os.loadavg() when this size began: the machine is shared. */
  loadAverage: number[];
  machine: Machine;
  corpus: Corpus;
  ingest: IngestComparison;
  search: { handles: Handles; hitsPerPage: number; summary: SearchSummary; queries: QueryResult[] };
  /** Present when PostgreSQL was in --stores. */
  postgres?: PostgresResults;
};

export function compareIngest(lode: LodeIngest, floor: IngestMeasurement): IngestComparison {
  return {
    lode,
    floor,
    ratio: {
      seconds: lode.seconds / floor.seconds,
      rowsPerSecond: lode.rowsPerSecond / floor.rowsPerSecond,
      peakRss: lode.peakRssMiB / floor.peakRssMiB,
      disk: lode.diskMiB / floor.diskMiB,
    },
  };
}

export function storeQueryResult(query: BenchQuery, runs: QuerySearchRuns): StoreQueryResult {
  return {
    category: query.category,
    query: query.query,
    hits: runs.total,
    coldMs: runs.cold,
    warmTookMs: summarise(runs.warm.map((t) => t.tookMs)),
    warmWallMs: summarise(runs.warm.map((t) => t.wallMs)),
    warmNoFacetsTookMs: summarise(runs.warmNoFacets.map((t) => t.tookMs)),
    warmNoFacetsWallMs: summarise(runs.warmNoFacets.map((t) => t.wallMs)),
    runs: { cold: runs.cold, warm: runs.warm, warmNoFacets: runs.warmNoFacets },
    ...(runs.error === undefined ? {} : { error: runs.error }),
  };
}

export function queryResult(query: BenchQuery, runs: QuerySearchRuns, scan: QueryResult['scan']): QueryResult {
  const figures = storeQueryResult(query, runs);
  const lodeMs = figures.warmWallMs.median;
  return { ...figures, scan, speedUp: scan ? { grep: scan.grep.medianMs / lodeMs, rg: scan.rg ? scan.rg.medianMs / lodeMs : null } : null };
}

/** The pooled timings of one store's runs (failed queries have none). */
export function summariseStoreSearch(queries: readonly StoreQueryResult[], runsPerQuery: number, cli: StoreSearchSummary['cli']): StoreSearchSummary {
  const measured = queries.filter((q) => q.error === undefined);
  const pooled = (pick: (q: StoreQueryResult) => Timing[], field: keyof Timing) => summarise(measured.flatMap((q) => pick(q).map((t) => t[field])));
  return {
    queries: queries.length,
    runsPerQuery,
    warmTookMs: pooled((q) => q.runs.warm, 'tookMs'),
    warmWallMs: pooled((q) => q.runs.warm, 'wallMs'),
    warmNoFacetsTookMs: pooled((q) => q.runs.warmNoFacets, 'tookMs'),
    warmNoFacetsWallMs: pooled((q) => q.runs.warmNoFacets, 'wallMs'),
    coldTookMs: pooled((q) => [q.runs.cold], 'tookMs'),
    coldWallMs: pooled((q) => [q.runs.cold], 'wallMs'),
    cli,
  };
}

/** Queries whose totals differ between the stores, or that one store failed. */
export function totalMismatches(sqlite: readonly StoreQueryResult[], postgres: readonly StoreQueryResult[]): TotalMismatch[] {
  return sqlite.flatMap((q, index) => {
    const other = postgres[index]!;
    const a = q.error === undefined ? q.hits : `error: ${q.error}`;
    const b = other.error === undefined ? other.hits : `error: ${other.error}`;
    return a === b ? [] : [{ query: q.query, sqlite: a, postgres: b }];
  });
}

export function summariseSearch(queries: QueryResult[], runsPerQuery: number, cli: SearchSummary['cli']): SearchSummary {
  const scanned = queries.filter((q) => q.scan !== null && q.error === undefined);
  const lodeWallMs = summarise(scanned.map((q) => q.warmWallMs.median));
  const grepMs = summarise(scanned.map((q) => q.scan!.grep.medianMs));
  const rgMedians = scanned.flatMap((q) => (q.scan!.rg ? [q.scan!.rg.medianMs] : []));
  const rgMs = rgMedians.length === scanned.length && rgMedians.length > 0 ? summarise(rgMedians) : null;
  return {
    ...summariseStoreSearch(queries, runsPerQuery, cli),
    scanned: {
      queries: scanned.length,
      lodeWallMs,
      grepMs,
      rgMs,
      speedUpGrep: speedUp(grepMs.median, lodeWallMs.median, scanned.map((q) => q.speedUp!.grep)),
      speedUpRg: rgMs ? speedUp(rgMs.median, lodeWallMs.median, scanned.map((q) => q.speedUp!.rg!)) : null,
    },
  };
}

function speedUp(scanMedian: number, lodeMedian: number, perQuery: number[]): { ofMedians: number; min: number; max: number } {
  return { ofMedians: scanMedian / lodeMedian, min: Math.min(...perQuery), max: Math.max(...perQuery) };
}
