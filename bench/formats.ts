// `npm run bench:formats`: ingest rates of the real-world readers on generated inputs (a WhatsApp
// export, a seized site's SQL dump), the cost of entity extraction (the same lode-jsonl corpus
// ingested with and without it, side by side), and `lode graph` on that store. Each ingest runs
// the real CLI in a child process on a fresh store. Prints Markdown; a benchmark, not a test.
import { mkdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { spawnSync } from 'node:child_process';
import { benchScript, runChild } from './child.ts';
import { ensureCorpus } from './corpus.ts';
import { log } from './log.ts';
import { describeMachine } from './machine.ts';
import { writeWhatsAppExport } from './whatsapp-export.ts';
import { writeSiteDump } from './site-dump.ts';

const USAGE = `Usage: npm run bench:formats -- [--whatsapp 1000000] [--dump-mib 1024] [--corpus 1000000] [--out bench/out]
  --whatsapp  messages in the generated WhatsApp export (0 skips it)
  --dump-mib  size of the generated MySQL dump in MiB (0 skips it)
  --corpus    messages of the lode-jsonl corpus ingested with and without entity extraction (0 skips it)`;

type Row = { what: string; input: string; inputMiB: number; seconds: number; records: number; stored: string; rate: string; peakRssMiB: number };

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      whatsapp: { type: 'string', default: '1000000' }, 'dump-mib': { type: 'string', default: '1024' },
      corpus: { type: 'string', default: '1000000' }, out: { type: 'string', default: 'bench/out' }, help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const out = values.out;
  await mkdir(out, { recursive: true });
  const machine = describeMachine();
  const rows: Row[] = [];
  const whatsapp = Number(values.whatsapp);
  if (whatsapp > 0) {
    const path = join(out, `whatsapp-${whatsapp}.txt`);
    log(`writing a WhatsApp export of ${whatsapp} messages to ${path}`);
    await writeWhatsAppExport(path, whatsapp, 42);
    rows.push(await ingestRow('WhatsApp export (android-nl)', path, join(out, 'store-whatsapp'), []));
  }
  const dumpMiB = Number(values['dump-mib']);
  if (dumpMiB > 0) {
    const path = join(out, `site-dump-${dumpMiB}m.sql`);
    log(`writing a ${dumpMiB} MiB site dump to ${path}`);
    writeSiteDump(path, dumpMiB * 2 ** 20, 42);
    rows.push(await ingestRow('MySQL dump (users, payments, searches, logins)', path, join(out, 'store-dump'), []));
  }
  const corpusSize = Number(values.corpus);
  let graph: string | undefined;
  if (corpusSize > 0) {
    const corpus = await ensureCorpus(out, corpusSize);
    // alternated, twice each: the machine's speed drifts, a difference must survive the drift
    for (const round of [1, 2]) {
      rows.push(await ingestRow(`lode-jsonl, entities skipped (run ${round})`, corpus.path, join(out, 'store-no-entities'), ['--skip-entities']));
      rows.push(await ingestRow(`lode-jsonl, entities extracted (run ${round})`, corpus.path, join(out, 'store-entities'), []));
    }
    graph = timeGraph(join(out, 'store-entities'));
  }
  process.stdout.write(`# Format and extraction bench\n\nCommand: \`npm run bench:formats -- ${process.argv.slice(2).join(' ')}\`\n` +
    `Machine: ${machine.cpuModel}, ${machine.cores} cores, ${machine.ramGiB} GiB, Node ${machine.node}, SQLite ${machine.sqlite}\n\n` +
    '| input | size | wall time | records read | stored | rate | peak RSS |\n| --- | ---: | ---: | ---: | --- | ---: | ---: |\n' +
    rows.map((r) => `| ${r.what} | ${r.inputMiB.toFixed(0)} MiB | ${r.seconds.toFixed(1)} s | ${r.records} | ${r.stored} | ${r.rate} | ${r.peakRssMiB.toFixed(0)} MiB |`).join('\n') + '\n' +
    (graph ? `\n\`lode graph\` on the extracted store: ${graph}\n` : ''));
  return 0;
}

async function ingestRow(what: string, input: string, home: string, options: string[]): Promise<Row> {
  await rm(home, { recursive: true, force: true });
  const env = { ...process.env };
  delete env.LODE_STORE;
  log(`lode ingest ${input} ${options.join(' ')}`);
  const run = await runChild(benchScript('child-lode-ingest.ts'), [input, home, 'bench', ...options], 'lode', env);
  const report = run.output.report as Record<string, number> & { sources: { records: number }[] };
  const seconds = run.wallMs / 1000;
  const records = report.sources.reduce((sum, s) => sum + s.records, 0);
  const inputMiB = (await stat(input)).size / 2 ** 20;
  const stored = ['messages', 'accounts', 'events', 'exposures', 'mentions'].filter((k) => report[k]! > 0).map((k) => `${report[k]} ${k}`).join(', ');
  return { what, input, inputMiB, seconds, records, stored, rate: `${Math.round(records / seconds).toLocaleString('en')} records/s, ${(inputMiB / seconds).toFixed(1)} MiB/s`, peakRssMiB: run.memory.maxRssKiB / 1024 };
}

function timeGraph(home: string): string {
  const started = performance.now();
  const result = spawnSync(new URL('../bin/lode', import.meta.url).pathname, ['graph', '--home', home, '--json'], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const seconds = (performance.now() - started) / 1000;
  if (result.status !== 0) return `failed: ${result.stderr}`;
  const totals = JSON.parse(result.stdout).totals as { accounts: number; ties: number; messages: number; communities: number };
  return `${totals.accounts} accounts, ${totals.ties} ties, ${totals.communities} groups in ${seconds.toFixed(1)} s (process wall time, loading the edges included)`;
}

process.exitCode = await main();
