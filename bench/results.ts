// The figures of one size, assembled from the measurements: what results-N.json holds and what
// the Markdown report prints.
import type { Corpus } from './corpus.ts';
import type { IngestMeasurement, LodeIngest } from './ingest.ts';
import type { Machine } from './machine.ts';
import type { BenchQuery, Handles, ScanSpec } from './queries.ts';
import type { ScanResult } from './scan.ts';
import type { QuerySearchRuns, Timing } from './search.ts';
import { summarise, type Summary } from './stats.ts';

export type IngestComparison = {
  lode: Omit<LodeIngest, 'report'> & { report: Record<string, unknown> };
  floor: IngestMeasurement;
  /** Lode divided by the floor, figure by figure (for rows/s below 1 means slower). */
  ratio: { seconds: number; rowsPerSecond: number; peakRss: number; disk: number };
};

export type QueryResult = {
  category: string;
  query: string;
  hits: number;
  coldMs: Timing;
  warmTookMs: Summary;
  warmWallMs: Summary;
  warmNoFacetsTookMs: Summary;
  warmNoFacetsWallMs: Summary;
  runs: { cold: Timing; warm: Timing[]; warmNoFacets: Timing[] };
  scan: { spec: ScanSpec; grep: ScanResult; rg: ScanResult | null } | null;
  /** Scan median divided by Lode's warm wall median (with facets). */
  speedUp: { grep: number; rg: number | null } | null;
};

export type SearchSummary = {
  queries: number;
  runsPerQuery: number;
  warmTookMs: Summary;
  warmWallMs: Summary;
  warmNoFacetsTookMs: Summary;
  warmNoFacetsWallMs: Summary;
  coldTookMs: Summary;
  coldWallMs: Summary;
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
  /** One `lode search` run as a process (Node start-up included), median of three. */
  cli: { query: string; medianMs: number; runsMs: number[] };
};

export type SizeResults = {
  size: number;
  command: string;
  startedAt: string;
  machine: Machine;
  corpus: Corpus;
  ingest: IngestComparison;
  search: { handles: Handles; hitsPerPage: number; summary: SearchSummary; queries: QueryResult[] };
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

export function queryResult(query: BenchQuery, runs: QuerySearchRuns, scan: QueryResult['scan']): QueryResult {
  const warmWallMs = summarise(runs.warm.map((t) => t.wallMs));
  return {
    category: query.category,
    query: query.query,
    hits: runs.total,
    coldMs: runs.cold,
    warmTookMs: summarise(runs.warm.map((t) => t.tookMs)),
    warmWallMs,
    warmNoFacetsTookMs: summarise(runs.warmNoFacets.map((t) => t.tookMs)),
    warmNoFacetsWallMs: summarise(runs.warmNoFacets.map((t) => t.wallMs)),
    runs: { cold: runs.cold, warm: runs.warm, warmNoFacets: runs.warmNoFacets },
    scan,
    speedUp: scan ? { grep: scan.grep.medianMs / warmWallMs.median, rg: scan.rg ? scan.rg.medianMs / warmWallMs.median : null } : null,
  };
}

export function summariseSearch(queries: QueryResult[], runsPerQuery: number, cli: SearchSummary['cli']): SearchSummary {
  const pooled = (pick: (q: QueryResult) => Timing[], field: keyof Timing) => summarise(queries.flatMap((q) => pick(q).map((t) => t[field])));
  const scanned = queries.filter((q) => q.scan !== null);
  const lodeWallMs = summarise(scanned.map((q) => q.warmWallMs.median));
  const grepMs = summarise(scanned.map((q) => q.scan!.grep.medianMs));
  const rgMedians = scanned.flatMap((q) => (q.scan!.rg ? [q.scan!.rg.medianMs] : []));
  const rgMs = rgMedians.length === scanned.length && rgMedians.length > 0 ? summarise(rgMedians) : null;
  return {
    queries: queries.length,
    runsPerQuery,
    warmTookMs: pooled((q) => q.runs.warm, 'tookMs'),
    warmWallMs: pooled((q) => q.runs.warm, 'wallMs'),
    warmNoFacetsTookMs: pooled((q) => q.runs.warmNoFacets, 'tookMs'),
    warmNoFacetsWallMs: pooled((q) => q.runs.warmNoFacets, 'wallMs'),
    coldTookMs: pooled((q) => [q.runs.cold], 'tookMs'),
    coldWallMs: pooled((q) => [q.runs.cold], 'wallMs'),
    scanned: {
      queries: scanned.length,
      lodeWallMs,
      grepMs,
      rgMs,
      speedUpGrep: speedUp(grepMs.median, lodeWallMs.median, scanned.map((q) => q.speedUp!.grep)),
      speedUpRg: rgMs ? speedUp(rgMs.median, lodeWallMs.median, scanned.map((q) => q.speedUp!.rg!)) : null,
    },
    cli,
  };
}

function speedUp(scanMedian: number, lodeMedian: number, perQuery: number[]): { ofMedians: number; min: number; max: number } {
  return { ofMedians: scanMedian / lodeMedian, min: Math.min(...perQuery), max: Math.max(...perQuery) };
}
