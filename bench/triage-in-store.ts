// `node bench/triage-in-store.ts [--messages 200000] [--rounds 3]`: triage and case discovery the
// way an analyst gets them, through the real pipeline and store. The generated corpus (seed of
// bench/corpus.ts) is ingested into fresh stores with and without triage, alternating, to measure
// what scoring costs ingest; then `lode discover`'s code runs over the store (real triage scores,
// not the truth) and the candidates are compared with the planted cases of the truth file.
// A benchmark: it prints figures, it does not pass or fail.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { discoverInStore } from '../src/analyze/discover-store.ts';
import { ingest } from '../src/ingest/pipeline.ts';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import { ensureCorpus } from './corpus.ts';

const { values } = parseArgs({ options: { messages: { type: 'string', default: '200000' }, rounds: { type: 'string', default: '3' } } });
const messages = Number(values.messages);
const rounds = Number(values.rounds);
const corpus = await ensureCorpus(join(import.meta.dirname, 'out'), messages);

type Run = { triage: boolean; seconds: number; alerts: number };
const runs: Run[] = [];
let kept: string | undefined;
for (let round = 1; round <= rounds; round++) {
  for (const triage of [true, false]) {
    const dir = mkdtempSync(join(tmpdir(), 'lode-triage-bench-'));
    const store = openSqliteStore({ path: join(dir, 'lode.sqlite') });
    const started = performance.now();
    const report = await ingest({ store, paths: [corpus.path], dataset: 'encro', triage });
    const seconds = (performance.now() - started) / 1000;
    await store.close();
    runs.push({ triage, seconds, alerts: report.alerts });
    process.stdout.write(`round ${round}, triage ${triage ? 'on ' : 'off'}: ${seconds.toFixed(1)} s, ${Math.round(report.messages / seconds).toLocaleString('en')} messages/s, ${report.alerts} alerts\n`);
    if (triage && kept === undefined) kept = dir;
    else rmSync(dir, { recursive: true, force: true });
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const on = median(runs.filter((r) => r.triage).map((r) => r.seconds));
const off = median(runs.filter((r) => !r.triage).map((r) => r.seconds));
process.stdout.write(`median: ${on.toFixed(1)} s with triage, ${off.toFixed(1)} s without: throughput ${((1 - off / on) * 100).toFixed(1)} % lower with triage\n`);

// discovery over the store with the scores triage gave at ingest
const store = openSqliteStore({ path: join(kept!, 'lode.sqlite') });
const started = performance.now();
const [run] = await discoverInStore(store, ['encro'], { view: 'all' });
const discoverySeconds = (performance.now() - started) / 1000;
const refToId = new Map<string, string>();
for (const row of store.db.prepare('SELECT ref, uid FROM messages WHERE ref IS NOT NULL').iterate()) refToId.set(String(row.ref), String(row.uid));
await store.close();
rmSync(kept!, { recursive: true, force: true });

type Planted = { type: string; handles: string[]; messages: string[] };
const truthPath = corpus.path.replace(/\.jsonl$/, '.truth.jsonl');
const planted: Planted[] = readFileSync(truthPath, 'utf8').split('\n').filter((l) => l.includes('"kind":"case"'))
  .map((l) => JSON.parse(l) as Planted & { kind: string });
const candidates = run!.candidates.map((c) => ({ ids: new Set(c.messageIds), handles: new Set(c.accounts.map((a) => a.handle)) }));
const byKind = new Map<string, { planted: number; found: number; ranks: number[] }>();
for (const p of planted) {
  const entry = byKind.get(p.type) ?? { planted: 0, found: 0, ranks: [] };
  entry.planted += 1;
  const ids = p.messages.map((m) => refToId.get(m)).filter((id): id is string => id !== undefined);
  // found: one candidate holds at least half of the plot's messages and two of its accounts
  const rank = candidates.findIndex((c) => ids.filter((id) => c.ids.has(id)).length >= ids.length / 2 && p.handles.filter((h) => c.handles.has(h)).length >= 2);
  if (rank >= 0) {
    entry.found += 1;
    entry.ranks.push(rank + 1);
  }
  byKind.set(p.type, entry);
}
process.stdout.write(`discovery over the store: ${run!.messages.toLocaleString('en')} messages, ${candidates.length} candidates in ${discoverySeconds.toFixed(1)} s\n`);
let found = 0;
for (const [kind, e] of [...byKind].sort()) {
  found += e.found;
  const ranks = e.ranks.sort((a, b) => a - b);
  process.stdout.write(`  ${kind.padEnd(7)} ${e.found}/${e.planted} found; ranks ${ranks.slice(0, 8).join(', ')}${ranks.length > 8 ? ', ...' : ''}\n`);
}
const inTop20 = [...byKind.values()].reduce((n, e) => n + e.ranks.filter((r) => r <= 20).length, 0);
process.stdout.write(`  all     ${found}/${planted.length} found; ${inTop20} planted cases among the top 20 candidates\n`);
