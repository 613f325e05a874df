// `npm run bench`: for each corpus size, Lode's ingest against the bare FTS5 floor, then the query
// mix against the store and against a grep scan of the corpus, all measured side by side in this
// run. Prints Markdown (or JSON with --json) on stdout, progress on stderr, and writes
// results-N.json per size into the output directory. Not a test: nothing here passes or fails.
import { mkdir, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { ensureCorpus } from './corpus.ts';
import { runFloorIngest, runLodeIngest } from './ingest.ts';
import { log } from './log.ts';
import { describeMachine, type Machine } from './machine.ts';
import { OptionsError, parseOptions, USAGE, type BenchOptions } from './options.ts';
import { pickHandles, queryMix, type BenchQuery } from './queries.ts';
import { renderHeader, renderSize } from './report.ts';
import { compareIngest, queryResult, summariseSearch, type QueryResult, type SizeResults } from './results.ts';
import { runScan, warmPageCache } from './scan.ts';
import { HITS_PER_PAGE, runSearches, timeCliSearch } from './search.ts';
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
  if (!options.json) process.stdout.write(`${renderHeader(command, machine, startedAt)}\n`);
  const all: SizeResults[] = [];
  for (const size of options.sizes) {
    const results = await benchSize(size, options, command, machine);
    all.push(results);
    const resultsPath = join(options.outDir, `results-${size}.json`);
    await writeFile(resultsPath, `${JSON.stringify(results, roundFractions, 2)}\n`);
    log(`wrote ${resultsPath}`);
    if (!options.json) process.stdout.write(`${renderSize(results)}\n`);
  }
  if (options.json) process.stdout.write(`${JSON.stringify({ command, startedAt, machine, sizes: all }, roundFractions, 2)}\n`);
  return 0;
}

async function benchSize(size: number, options: BenchOptions, command: string, machine: Machine): Promise<SizeResults> {
  const startedAt = new Date().toISOString();
  log(`=== ${size} messages ===`);
  const corpus = await ensureCorpus(options.outDir, size);
  const lode = await runLodeIngest(corpus.path, join(options.outDir, `store-${size}`));
  const floor = await runFloorIngest(corpus.path, join(options.outDir, `floor-${size}.sqlite`));

  const handles = await pickHandles(corpus.path);
  log(`from: filters use ${handles.busiest} (busiest sender) and ${handles.kiloTalker} (writes "kilo" most often)`);
  const queries = queryMix(handles);
  const searches = await runSearches(lode.storePath, queries, options.queryRuns);
  const cli = timeCliSearch(lode.storeDir, CLI_QUERY);
  const perQuery = scanAndCombine(queries, searches, corpus.path, machine.ripgrep !== null);

  return {
    size,
    command,
    startedAt,
    machine,
    corpus,
    ingest: compareIngest(lode, floor),
    search: { handles, hitsPerPage: HITS_PER_PAGE, summary: summariseSearch(perQuery, options.queryRuns, cli), queries: perQuery },
  };
}

/** Runs each query's scan and joins it with the query's Lode figures. */
function scanAndCombine(queries: BenchQuery[], searches: Awaited<ReturnType<typeof runSearches>>, corpusPath: string, withRipgrep: boolean): QueryResult[] {
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
