// `npm run bench`: for each corpus size, Lode's ingest against the bare FTS5 floor, then the query
// mix against the store and against a grep scan of the corpus, all measured side by side in this
// run; with `--stores sqlite,postgres`, also the same ingest and query mix on a PostgreSQL
// store, beside the SQLite one. Prints Markdown (or JSON with --json) on stdout, progress on
// stderr, and writes results-N.json per size into the output directory. Not a test: nothing
// here passes or fails.
import { mkdir, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join, relative } from 'node:path';
import { ensureCorpus } from './corpus.ts';
import { runFloorIngest, runLodeIngest, runPostgresIngest, type LodeIngest } from './ingest.ts';
import { log } from './log.ts';
import { describeMachine, type Machine } from './machine.ts';
import { OptionsError, parseOptions, USAGE, type BenchOptions } from './options.ts';
import { databaseSizes, messagesTableStats, openBenchPostgres, timeStatement, type PostgresServer } from './postgres.ts';
import { pickHandles, queryMix, type BenchQuery } from './queries.ts';
import { compareRelevance, type RelevanceResult } from './relevance.ts';
import { renderHeader, renderSize } from './report.ts';
import {
  compareIngest, queryResult, storeQueryResult, summariseSearch, summariseStoreSearch, totalMismatches, type PostgresResults, type QueryResult, type SizeResults,
} from './results.ts';
import { runScan, warmPageCache } from './scan.ts';
import { HITS_PER_PAGE, runSearches, timeCliSearch, type QuerySearchRuns } from './search.ts';
import { roundFractions } from './stats.ts';

const CLI_QUERY = 'kilo';

async function main(): Promise<number> {
  let options: BenchOptions | 'help';
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof OptionsError)) throw error;
    process.stderr.write(`bench: ${error.message}\n${USAGE}\n`);
    return 2;
  }
  if (options === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const command = commandLine();
  const machine = describeMachine();
  const startedAt = new Date().toISOString();
  await mkdir(options.outDir, { recursive: true });
  const server = options.stores.includes('postgres') ? await openBenchPostgres(options.postgresUrl) : undefined;
  try {
    if (!options.json) process.stdout.write(`${renderHeader(command, machine, startedAt)}\n`);
    const all: SizeResults[] = [];
    for (const size of options.sizes) {
      const results = await benchSize(size, options, command, machine, server);
      all.push(results);
      const resultsPath = join(options.outDir, `results-${size}.json`);
      await writeFile(resultsPath, `${JSON.stringify(results, roundFractions, 2)}\n`);
      log(`wrote ${resultsPath}`);
      if (!options.json) process.stdout.write(`${renderSize(results)}\n`);
    }
    if (options.json) process.stdout.write(`${JSON.stringify({ command, startedAt, machine, sizes: all }, roundFractions, 2)}\n`);
  } finally {
    await server?.stop();
  }
  return 0;
}

async function benchSize(size: number, options: BenchOptions, command: string, machine: Machine, server: PostgresServer | undefined): Promise<SizeResults> {
  const startedAt = new Date().toISOString();
  const loadAverage = loadavg();
  log(`=== ${size} messages === (load average ${loadAverage.map((l) => l.toFixed(2)).join(', ')})`);
  const corpus = await ensureCorpus(options.outDir, size);
  const lode = await runLodeIngest(corpus.path, join(options.outDir, `store-${size}`));
  const floor = await runFloorIngest(corpus.path, join(options.outDir, `floor-${size}.sqlite`));
  const postgres = server ? await ingestIntoPostgres(server, corpus.path, size, options) : undefined;

  const handles = await pickHandles(corpus.path);
  log(`from: filters use ${handles.busiest} (busiest sender) and ${handles.kiloTalker} (writes "kilo" most often)`);
  const queries = queryMix(handles);
  const [searches, postgresSearches] = await runSearches([`sqlite:${lode.storePath}`, ...(postgres ? [postgres.url] : [])], queries, options.queryRuns);
  const relevance = postgres ? await compareRelevance([`sqlite:${lode.storePath}`, postgres.url], queries, options.queryRuns) : [];
  const cli = timeCliSearch(['--home', lode.storeDir], CLI_QUERY);
  const perQuery = scanAndCombine(queries, searches!, corpus.path, machine.ripgrep !== null);

  return {
    size,
    command,
    startedAt,
    loadAverage,
    machine,
    corpus,
    ingest: compareIngest(lode, floor),
    search: { handles, hitsPerPage: HITS_PER_PAGE, summary: summariseSearch(perQuery, options.queryRuns, cli), queries: perQuery },
    ...(postgres ? { postgres: postgresResults(postgres, lode, queries, perQuery, postgresSearches!, relevance, options) } : {}),
  };
}

type PostgresIngested = Omit<PostgresResults, 'ratio' | 'search' | 'mismatches' | 'relevance'> & { url: string };

/** The PostgreSQL ingest of a size, then what autovacuum did and the bench's VACUUM ANALYZE. */
async function ingestIntoPostgres(server: PostgresServer, corpusPath: string, size: number, options: BenchOptions): Promise<PostgresIngested> {
  const name = `lode_bench_${size}`;
  const ingest = await runPostgresIngest(corpusPath, server, name, join(options.outDir, `postgres-home-${size}`));
  const url = server.databaseUrl(name);
  const autovacuum = await messagesTableStats(url);
  let vacuumAnalyzeSeconds: number | null = null;
  let sizesAfterVacuum = null;
  if (options.vacuum) {
    // what autovacuum does within minutes of a bulk load (statistics for the planner, the
    // visibility map): done now, so the searches see a settled store rather than a race with it
    log('postgres: VACUUM (ANALYZE) of the new database');
    vacuumAnalyzeSeconds = await timeStatement(url, 'VACUUM (ANALYZE)');
    sizesAfterVacuum = await databaseSizes(url);
    log(`postgres: VACUUM (ANALYZE) took ${vacuumAnalyzeSeconds.toFixed(1)} s`);
  }
  return {
    server: { version: server.version, origin: server.origin, settings: server.settings },
    ingest,
    afterIngest: { autovacuum, vacuumAnalyzeSeconds, sizesAfterVacuum },
    url,
  };
}

function postgresResults(postgres: PostgresIngested, lode: LodeIngest, queries: BenchQuery[], sqliteQueries: QueryResult[], runs: QuerySearchRuns[],
  relevance: RelevanceResult[], options: BenchOptions): PostgresResults {
  const { url, ...ingested } = postgres;
  const perQuery = queries.map((q, index) => storeQueryResult(q, runs[index]!));
  const mismatches = totalMismatches(sqliteQueries, perQuery);
  for (const m of mismatches) log(`WARNING: "${m.query}": SQLite ${m.sqlite} hits, PostgreSQL ${m.postgres}`);
  for (const r of relevance.filter((x) => !x.same)) log(`WARNING: "${r.query}" ranks differently: ${r.firstDifference}`);
  const cli = timeCliSearch(['--store', url], CLI_QUERY);
  const pg = ingested.ingest;
  return {
    ...ingested,
    ratio: {
      seconds: pg.seconds / lode.seconds,
      rowsPerSecond: pg.rowsPerSecond / lode.rowsPerSecond,
      disk: pg.diskMiB / lode.diskMiB,
      cpu: (pg.cpuSeconds + (pg.serverCpuSeconds ?? Number.NaN)) / lode.cpuSeconds,
    },
    search: { summary: summariseStoreSearch(perQuery, options.queryRuns, cli), queries: perQuery },
    mismatches,
    relevance,
  };
}

/** Runs each query's scan and joins it with the query's Lode figures. */
function scanAndCombine(queries: BenchQuery[], searches: QuerySearchRuns[], corpusPath: string, withRipgrep: boolean): QueryResult[] {
  warmPageCache(corpusPath);
  log(`scan: grep${withRipgrep ? ' and rg' : ''} over ${corpusPath}`);
  return queries.map((query, index) => {
    const scan = query.scan ? { spec: query.scan, grep: runScan('grep', query.scan, corpusPath), rg: withRipgrep ? runScan('rg', query.scan, corpusPath) : null } : null;
    return queryResult(query, searches[index]!, scan);
  });
}

/** The command as typed, with the Node that ran it. */
function commandLine(): string {
  const script = process.argv[1] ? relative(process.cwd(), process.argv[1]) : 'bench/run.ts';
  return [relative(process.cwd(), process.execPath), ...process.execArgv, script, ...process.argv.slice(2)].join(' ');
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`bench: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 1;
  },
);
