// The Markdown report: a header with the machine and the command, then one section per size.
import { formatMiB } from './corpus.ts';
import type { Machine } from './machine.ts';
import type { PostgresResults, QueryResult, SizeResults, StoreQueryResult, StoreSearchSummary } from './results.ts';
import { SCAN_REPEATS } from './scan.ts';
import type { Summary } from './stats.ts';

export function renderHeader(command: string, machine: Machine, startedAt: string): string {
  return [
    '# Lode benchmark',
    '',
    `- Command: \`${command}\``,
    `- Started: ${startedAt}`,
    `- CPU: ${machine.cpuModel}, ${machine.cores} cores; RAM ${machine.ramGiB} GiB; ${machine.kernel}`,
    `- Node ${machine.node}, SQLite ${machine.sqlite} (node:sqlite, used by Lode and by the floor)`,
    `- Scans: ${machine.grep}; ripgrep ${machine.ripgrep ?? 'not on PATH (not measured)'}; LC_ALL=${machine.scanLocale}`,
    '',
  ].join('\n');
}

export function renderSize(r: SizeResults): string {
  return [
    `## ${count(r.size)} messages`,
    '',
    corpusLine(r),
    '',
    `Load average when this size began: ${r.loadAverage.map((l) => l.toFixed(2)).join(', ')} (1, 5, 15 minutes; ${r.machine.cores} cores, shared with other work).`,
    '',
    ...ingestSection(r),
    ...searchSection(r),
    ...perQuerySection(r),
    ...notes(r),
    ...(r.postgres ? postgresSection(r, r.postgres) : []),
  ].join('\n');
}

function corpusLine(r: SizeResults): string {
  const c = r.corpus;
  const origin = c.reused ? 'reused from an earlier run' : `generated in ${c.generateSeconds?.toFixed(1)} s`;
  return `Corpus: \`${c.path}\`, ${formatMiB(c.bytes)} MiB, ${count(c.lines)} lines, seed ${c.seed}, generator ${c.generator} (${origin}).`;
}

function ingestSection(r: SizeResults): string[] {
  const { lode, floor, ratio } = r.ingest;
  return [
    '### Ingest',
    '',
    '| | seconds | messages/s | peak RSS MiB | on disk MiB | seconds in-process |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    `| Lode (\`lode ingest --json\`, fresh store) | ${seconds(lode.seconds)} | ${count(lode.rowsPerSecond)} | ${lode.peakRssMiB.toFixed(0)} | ${lode.diskMiB.toFixed(1)} | ${seconds(lode.inProcessSeconds)} |`,
    `| Floor (bare node:sqlite FTS5 load) | ${seconds(floor.seconds)} | ${count(floor.rowsPerSecond)} | ${floor.peakRssMiB.toFixed(0)} | ${floor.diskMiB.toFixed(1)} | ${seconds(floor.inProcessSeconds)} |`,
    `| Lode / floor | ${factor(ratio.seconds)} | ${factor(ratio.rowsPerSecond)} | ${factor(ratio.peakRss)} | ${factor(ratio.disk)} | ${factor(lode.inProcessSeconds / floor.inProcessSeconds)} |`,
    '',
    `Rows: Lode stored ${count(lode.rows)} messages and notes; the floor inserted ${count(floor.rows)} bodies.` +
      (lode.rows === floor.rows ? '' : ' **The counts differ: the two loads did not see the same rows.**'),
    '',
  ];
}

function searchSection(r: SizeResults): string[] {
  const s = r.search.summary;
  const sc = s.scanned;
  const row = (label: string, m: Summary) => `| ${label} | ${ms(m.median)} | ${ms(m.p95)} |`;
  return [
    `### Search (${s.queries} queries, ${s.runsPerQuery} runs each: 1 cold + ${s.runsPerQuery - 1} warm)`,
    '',
    '| | median ms | p95 ms |',
    '| --- | ---: | ---: |',
    row('Lode `took_ms`, warm, facets on (CLI default)', s.warmTookMs),
    row('Lode wall around `searchStore`, warm, facets on', s.warmWallMs),
    row('Lode `took_ms`, warm, facets off', s.warmNoFacetsTookMs),
    row('Lode wall, warm, facets off', s.warmNoFacetsWallMs),
    row('Lode `took_ms`, cold (first run of each query)', s.coldTookMs),
    row('Lode wall, cold', s.coldWallMs),
    '',
    `Scan comparison, over the ${sc.queries} queries that have a scan equivalent (median and p95 of each query's median):`,
    '',
    '| | median ms | p95 ms | speed-up of Lode (scan median / Lode median) |',
    '| --- | ---: | ---: | ---: |',
    `| Lode wall, warm, facets on | ${ms(sc.lodeWallMs.median)} | ${ms(sc.lodeWallMs.p95)} | |`,
    `| grep scan of the corpus file | ${ms(sc.grepMs.median)} | ${ms(sc.grepMs.p95)} | ${factor(sc.speedUpGrep.ofMedians)} (per query ${factor(sc.speedUpGrep.min)} to ${factor(sc.speedUpGrep.max)}) |`,
    sc.rgMs && sc.speedUpRg
      ? `| ripgrep scan of the corpus file | ${ms(sc.rgMs.median)} | ${ms(sc.rgMs.p95)} | ${factor(sc.speedUpRg.ofMedians)} (per query ${factor(sc.speedUpRg.min)} to ${factor(sc.speedUpRg.max)}) |`
      : '| ripgrep | not on PATH | | |',
    `| \`bin/lode search '${s.cli.query}' --json\` as a new process | ${ms(s.cli.medianMs)} | | |`,
    '',
  ];
}

function perQuerySection(r: SizeResults): string[] {
  const hasRg = r.search.queries.some((q) => q.scan?.rg);
  return [
    '### Per query',
    '',
    `| query | kind | Lode hits | Lode median ms (took / wall) | facets off ms | cold ms | grep lines | grep median ms |${hasRg ? ' rg median ms |' : ''} speed-up | scan |`,
    `| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |${hasRg ? ' ---: |' : ''} ---: | --- |`,
    ...r.search.queries.map((q) => queryRow(q, hasRg)),
    '',
  ];
}

function queryRow(q: QueryResult, hasRg: boolean): string {
  const lode = `${ms(q.warmTookMs.median)} / ${ms(q.warmWallMs.median)}`;
  const scan = q.scan;
  const scanCells = scan
    ? [count(scan.grep.matchingLines), ms(scan.grep.medianMs), ...(hasRg ? [scan.rg ? ms(scan.rg.medianMs) : ''] : []), factor(q.speedUp!.grep), `${scan.spec.simpler ? 'simpler: ' : ''}${scan.spec.note}`]
    : ['', '', ...(hasRg ? [''] : []), '', 'no scan equivalent'];
  return `| \`${q.query.replace(/\|/g, '\\|')}\` | ${q.category} | ${q.error === undefined ? count(q.hits) : 'error'} | ${lode} | ${ms(q.warmNoFacetsWallMs.median)} | ${ms(q.coldMs.wallMs)} | ${scanCells.join(' | ')} |`;
}

function notes(r: SizeResults): string[] {
  return [
    'How these were measured:',
    '',
    '- Ingest: each load runs in its own child process, timed from spawn to exit (Node start-up included in both;',
    '  "in-process" is the load alone, timed inside the child). messages/s counts messages and notes per wall second.',
    '  Peak RSS is the child\'s `process.resourceUsage().maxRSS` read just before it exits (per process, so the',
    '  ingest\'s worker thread is included). On disk: every file of the store directory / the floor database after close.',
    '- Floor: read the same file line by line, `JSON.parse`, insert each message and note body into',
    '  `fts5(body, tokenize=\'unicode61 remove_diacritics 2\')`, 20,000 rows per transaction, with Lode\'s pragmas',
    '  (page_size 16384, WAL, synchronous NORMAL, cache_size -65536). It stores only the text',
    '  index: no message table, accounts, provenance, language or secondary indexes.',
    `- Search: the store is opened in the bench process; each query asks ${r.search.hitsPerPage} hits, newest first.`,
    '  "took" is the `took_ms` Lode returns; "wall" is timed around the `searchStore` call. Cold = the first run of',
    '  each query in this process, with the OS page cache still holding what the ingest wrote (no cache was dropped).',
    `- Scans: one process per scan, timed from spawn to exit, median of ${SCAN_REPEATS}, after one untimed read of the`,
    '  corpus (in the page cache, like the store). `grep -c -i -F -e WORD` for words; a regex (`-E`) for dates.',
    '  "simpler" scans answer an easier question than the query (e.g. only the rarest word of an AND, no exclusion,',
    '  no distance, no fuzziness), which favours grep. A scan counts lines holding a substring, so its count is',
    '  usually higher than Lode\'s hits (notes have an `owner`, not a `from`, hence a few fewer for `from:`).',
    '  Lode\'s figures are measured inside a running process; the `bin/lode search` row shows what a new process adds.',
    `- \`from:\` uses senders of this corpus: \`${r.search.handles.busiest}\` (the busiest) alone, \`${r.search.handles.kiloTalker}\``,
    '  (who writes "kilo" most often) in the combinations.',
    '',
  ];
}

/** PostgreSQL beside SQLite: the ingest, the pooled search figures and every query, side by side. */
function postgresSection(r: SizeResults, pg: PostgresResults): string[] {
  const lode = r.ingest.lode;
  const p = pg.ingest;
  const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
  const after = pg.afterIngest;
  const settings = Object.entries(pg.server.settings).map(([name, value]) => `${name}=${value}`).join(', ');
  const av = after.autovacuum;
  return [
    '### PostgreSQL beside SQLite',
    '',
    `PostgreSQL ${pg.server.version}, ${pg.server.origin}; ${settings}. Database \`${p.database}\`.`,
    '',
    '#### Ingest: the same corpus, the same `lode ingest`, each store new',
    '',
    '| | seconds | messages/s | client peak RSS MiB | client CPU s | server CPU s | store MiB | bytes per message | WAL MiB | seconds in-process |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    `| SQLite (\`lode ingest --home DIR\`) | ${seconds(lode.seconds)} | ${count(lode.rowsPerSecond)} | ${lode.peakRssMiB.toFixed(0)} | ${seconds(lode.cpuSeconds)} | (in the client) | ${lode.diskMiB.toFixed(1)} | ${count((lode.diskMiB * 2 ** 20) / lode.rows)} | | ${seconds(lode.inProcessSeconds)} |`,
    `| PostgreSQL (\`lode ingest --store postgres://...\`) | ${seconds(p.seconds)} | ${count(p.rowsPerSecond)} | ${p.peakRssMiB.toFixed(0)} | ${seconds(p.cpuSeconds)} | ${p.serverCpuSeconds === null ? '–' : seconds(p.serverCpuSeconds)} | ${p.diskMiB.toFixed(1)} | ${count(p.growthBytesPerRow)} | ${p.walMiB.toFixed(0)} | ${seconds(p.inProcessSeconds)} |`,
    `| PostgreSQL / SQLite | ${factor(pg.ratio.seconds)} | ${factor(pg.ratio.rowsPerSecond)} | ${factor(p.peakRssMiB / lode.peakRssMiB)} | ${factor(pg.ratio.cpu)} (client + server) | | ${factor(pg.ratio.disk)} | | | ${factor(p.inProcessSeconds / lode.inProcessSeconds)} |`,
    '',
    `Rows: SQLite stored ${count(lode.rows)} messages and notes, PostgreSQL ${count(p.rows)}.` +
      (lode.rows === p.rows ? '' : ' **WARNING: the stores did not store the same number of messages: a bug in one of them.**'),
    `PostgreSQL's store is \`pg_database_size\` after the ingest (${mib(p.before.databaseBytes)} MiB before it, with the schema; "bytes per message" is the growth divided by the rows): ` +
      `the messages table ${mib(p.after.messagesTableBytes)} MiB, its GIN index on the terms ${mib(p.after.termsIndexBytes)} MiB, its other indexes ${mib(p.after.otherMessageIndexBytes)} MiB.` +
      (after.sizesAfterVacuum ? ` After VACUUM ANALYZE: ${mib(after.sizesAfterVacuum.databaseBytes)} MiB.` : ''),
    `When the ingest ended autovacuum had ${av.lastAutoanalyze ? `analysed the messages table (${av.lastAutoanalyze})` : 'not analysed the messages table'} and ${av.lastAutovacuum ? `vacuumed it (${av.lastAutovacuum})` : 'not vacuumed it'}; ` +
      (after.vacuumAnalyzeSeconds === null ? 'the searches ran on the store as the ingest left it (`--no-vacuum`).' : `the bench then ran \`VACUUM (ANALYZE)\` (${seconds(after.vacuumAnalyzeSeconds)} s, not in the ingest time) before searching.`),
    '',
    `#### Search: the same ${pg.search.summary.queries} queries, interleaved query by query (${pg.search.summary.runsPerQuery} runs each: 1 cold + ${pg.search.summary.runsPerQuery - 1} warm)`,
    '',
    '| | SQLite median ms | SQLite p95 ms | PostgreSQL median ms | PostgreSQL p95 ms | PostgreSQL / SQLite (medians) |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...pooledRows(r.search.summary, pg.search.summary),
    '',
    ...mismatchLines(pg),
    '| query | kind | SQLite hits | PostgreSQL hits | SQLite median / p95 ms | PostgreSQL median / p95 ms | PostgreSQL / SQLite | facets off: SQLite / PostgreSQL ms | cold: SQLite / PostgreSQL ms |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...r.search.queries.map((q, index) => sideBySideRow(q, pg.search.queries[index]!)),
    '',
    ...relevanceLines(pg),
    'How these were measured:',
    '',
    '- Ingest: the same child process and CLI code as the SQLite row, with `--store` naming a new PostgreSQL database',
    '  (its schema made beforehand, as on first use). Client figures are the `lode ingest` process\'s; server CPU is every',
    '  PostgreSQL process\'s user and system time over the ingest (backends, WAL writer, checkpointer, autovacuum), read from /proc.',
    '  SQLite does all its work in the client. WAL is what the server wrote to its write-ahead log meanwhile (not in the store size).',
    '- Search: both stores opened in the bench process through `openStore`, as the CLI opens them (PostgreSQL: a pool of',
    '  10 connections on 127.0.0.1); for each query and run the stores take turns, who goes first alternating, so both see',
    '  the same machine load. Times are wall times around `searchStore` (median and p95 of the warm runs with facets; with',
    '  so few runs per query the p95 is the slowest warm run). A total that differs between the stores is a bug.',
    '- Relevance: each query ranked whole (every hit, at most 5,000) in both stores and compared hit by hit and score by',
    '  score; then a page of 20 timed on each, taking turns (median of the runs).',
    `- \`bin/lode search '${pg.search.summary.cli.query}' --json\` as a new process: ${ms(r.search.summary.cli.medianMs)} ms on SQLite, ${ms(pg.search.summary.cli.medianMs)} ms on PostgreSQL (median of 3).`,
    '',
  ];
}

function pooledRows(sqlite: StoreSearchSummary, postgres: StoreSearchSummary): string[] {
  const row = (label: string, a: Summary, b: Summary) => `| ${label} | ${ms(a.median)} | ${ms(a.p95)} | ${ms(b.median)} | ${ms(b.p95)} | ${factor(b.median / a.median)} |`;
  return [
    row('wall around `searchStore`, warm, facets on (CLI default)', sqlite.warmWallMs, postgres.warmWallMs),
    row('`took_ms`, warm, facets on', sqlite.warmTookMs, postgres.warmTookMs),
    row('wall, warm, facets off', sqlite.warmNoFacetsWallMs, postgres.warmNoFacetsWallMs),
    row('wall, cold (first run of each query)', sqlite.coldWallMs, postgres.coldWallMs),
  ];
}

function relevanceLines(pg: PostgresResults): string[] {
  const ranked = pg.relevance.filter((q) => q.ranked);
  const differing = pg.relevance.filter((q) => !q.same);
  return [
    `#### Relevance: the same queries with \`--sort relevance\``,
    '',
    `${ranked.length} of ${pg.relevance.length} queries were ranked (the others match no message, or more than 5,000, or have no words: those stay newest first in both stores). ` +
      (differing.length === 0 ? 'Every one gave the same hits in the same order with the same scores in both stores.' : `**WARNING: ${differing.length} ranked differently: ${differing.map((q) => `\`${q.query}\` (${q.firstDifference})`).join('; ')}.**`),
    '',
    '| query | hits ranked | SQLite ms | PostgreSQL ms | PostgreSQL / SQLite |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...ranked.map((q) => `| \`${q.query.replace(/\|/g, '\\|')}\` | ${count(q.hits)} | ${ms(q.sqliteMs)} | ${ms(q.postgresMs)} | ${factor(q.postgresMs / q.sqliteMs)} |`),
    '',
  ];
}

function mismatchLines(pg: PostgresResults): string[] {
  if (pg.mismatches.length === 0) return ['Every query found the same number of hits in both stores.', ''];
  return [
    ...pg.mismatches.map((m) => `**WARNING: \`${m.query.replace(/\|/g, '\\|')}\` found ${typeof m.sqlite === 'number' ? count(m.sqlite) : m.sqlite} hits in SQLite and ${typeof m.postgres === 'number' ? count(m.postgres) : m.postgres} in PostgreSQL: the totals must be equal, one store has a bug.**`),
    '',
  ];
}

function sideBySideRow(sqlite: QueryResult, postgres: StoreQueryResult): string {
  const hits = (q: StoreQueryResult) => (q.error === undefined ? count(q.hits) : 'error');
  const pair = (q: StoreQueryResult) => `${ms(q.warmWallMs.median)} / ${ms(q.warmWallMs.p95)}`;
  const differs = sqlite.error === undefined && postgres.error === undefined && sqlite.hits === postgres.hits ? '' : ' **≠**';
  return `| \`${sqlite.query.replace(/\|/g, '\\|')}\` | ${sqlite.category} | ${hits(sqlite)} | ${hits(postgres)}${differs} | ${pair(sqlite)} | ${pair(postgres)} | ` +
    `${factor(postgres.warmWallMs.median / sqlite.warmWallMs.median)} | ${ms(sqlite.warmNoFacetsWallMs.median)} / ${ms(postgres.warmNoFacetsWallMs.median)} | ${ms(sqlite.coldMs.wallMs)} / ${ms(postgres.coldMs.wallMs)} |`;
}

function count(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

function seconds(n: number): string {
  return n < 10 ? n.toFixed(2) : n.toFixed(1);
}

function ms(n: number): string {
  if (!Number.isFinite(n)) return '–';
  if (n < 10) return n.toFixed(2);
  if (n < 100) return n.toFixed(1);
  return n.toFixed(0);
}

function factor(n: number): string {
  if (!Number.isFinite(n)) return '–';
  return `${n < 10 ? n.toFixed(2) : n.toFixed(0)}×`;
}
