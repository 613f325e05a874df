// `npm start`: the main job until the server exists. Creates ./lode-data, fills an empty store
// with a generated demo corpus (clearly marked synthetic), and shows what is there and how to
// search it. Running it again only shows.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { homeDirectory, openStore } from '../main.ts';
import { ingest } from '../ingest/pipeline.ts';
import { writeCorpus } from '../generate/write-corpus.ts';
import { parseQuery } from '../search/parse.ts';
import { searchStore } from '../search/search.ts';
import { createProgress } from './progress.ts';

export const DEMO_DATASET = 'demo-encrochat-synthetic';
const DEMO_MESSAGES = 50_000;
const DEMO_SEED = 2020;
const EXAMPLE_QUERY = '(stenen OR kilo~1) AND (boot OR container OR haven)';

async function start(): Promise<void> {
  const home = homeDirectory({ env: process.env });
  mkdirSync(home, { recursive: true });
  const store = openStore({ env: process.env });
  const out = process.stdout;
  const isTTY = process.stderr.isTTY === true;
  try {
    let datasets = await store.summarise();
    if (datasets.length === 0) {
      const corpus = join(home, 'demo', 'encrochat-demo.jsonl');
      if (!existsSync(corpus)) {
        mkdirSync(join(home, 'demo'), { recursive: true });
        out.write(`The store is empty: generating a SYNTHETIC demo corpus of ${DEMO_MESSAGES} messages (no real person in it)\n`);
        const progress = createProgress(process.stderr, isTTY, 'generate', 'messages');
        await writeCorpus({ messages: DEMO_MESSAGES, seed: DEMO_SEED, out: corpus, onProgress: (done, total) => progress.update(done, total, done) });
        progress.finish();
      }
      const progress = createProgress(process.stderr, isTTY, 'ingest');
      const report = await ingest({ store, paths: [corpus], dataset: DEMO_DATASET, onProgress: (p) => progress.update(p.bytesDone, p.bytesTotal, p.records) });
      progress.finish();
      out.write(`ingested ${report.messages} messages, ${report.notes} notes, ${report.accounts} accounts into dataset ${DEMO_DATASET}\n\n`);
      datasets = await store.summarise();
    }
    out.write(`Lode store ${store.description}\n`);
    for (const d of datasets) {
      out.write(`  ${d.name}: ${d.messages} messages, ${d.notes} notes, ${d.accounts} accounts, ${d.contacts} contact entries, ${d.quarantined} quarantined${d.firstTs ? `, ${d.firstTs.slice(0, 10)} .. ${d.lastTs!.slice(0, 10)}` : ''}\n`);
    }
    const result = await searchStore(store, { ast: parseQuery(EXAMPLE_QUERY), limit: 3, offset: 0, sort: 'newest', facets: false });
    out.write(`\nExample search: bin/lode search '${EXAMPLE_QUERY}'\n`);
    out.write(`  ${result.total} hits in ${result.took_ms} ms; the newest:\n`);
    for (const hit of result.hits) out.write(`  ${hit.ts ?? ''} ${hit.from}: ${hit.body.slice(0, 100)}\n`);
    const phones = await store.entities({ type: 'phone', dataset: DEMO_DATASET, limit: 1, offset: 0 });
    const busiest = result.hits[0]?.from;
    out.write(`\nEntities found at ingest: bin/lode entities${phones.entities[0] ? `   (e.g. bin/lode search 'phone:${phones.entities[0].value}')` : ''}\n`);
    if (busiest) out.write(`Who is behind a handle: bin/lode account ${busiest}   links between accounts: bin/lode links --update\n`);
    out.write(`The network: bin/lode graph   the API for a team: bin/lode serve\n`);
    out.write(`\nMore: bin/lode --help   bin/lode search --help   docs/QUERY.md\n`);
  } finally {
    await store.close();
  }
}

await start();
