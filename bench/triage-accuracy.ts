// `node bench/triage-accuracy.ts [--messages N] [--seeds 42,7] [--ingest-rate R]`: threat-to-life
// and insider-leak triage on generated corpora with ground truth (docs/GENERATOR.md). Generates each
// corpus in memory, scores its messages in time order as an ingest does, and prints precision,
// recall, decoys among the top 50 threat findings, leak recall per sector, and throughput.
// A benchmark: it prints figures, it does not pass or fail (test/triage/generated.test.ts asserts).
import { parseArgs } from 'node:util';
import { evaluateMessages, generatedMessages } from '../test/triage/evaluate.ts';
import type { TriageEvaluation } from '../test/triage/evaluate.ts';
import { LEAK_ALERT_THRESHOLD, THREAT_ALERT_THRESHOLD } from '../src/triage/scorer.ts';

const { values } = parseArgs({
  options: {
    messages: { type: 'string', default: '300000' },
    seeds: { type: 'string', default: '42,7' },
    // docs/BENCH.md: a whole ingest (parse, extract, index, store) runs at about this many messages/s
    'ingest-rate': { type: 'string', default: '45000' },
    verbose: { type: 'boolean', default: false },
  },
});
const messages = Number(values.messages);
const seeds = values.seeds.split(',').map(Number);
const ingestRate = Number(values['ingest-rate']);

const pct = (x: number): string => (x * 100).toFixed(1) + ' %';
const fixed = (x: number): string => x.toFixed(3);
const rate = (x: number): string => Math.round(x).toLocaleString('en') + '/s';

function report(seed: number, e: TriageEvaluation, generateMs: number): void {
  const t = e.threat;
  console.log(`\n## seed ${seed}: ${e.messages.toLocaleString('en')} messages (generated in ${(generateMs / 1000).toFixed(1)} s)`);
  console.log(`threat (alert at score >= ${THREAT_ALERT_THRESHOLD})`);
  console.log(`  labelled ${t.labelled} in ${t.threads} threads; alerts ${t.alerts}, of which true ${t.truePositives}`);
  console.log(`  precision ${fixed(t.precision)}  recall ${fixed(t.recall)}  F1 ${fixed(t.f1)}`);
  console.log(`  threads with an alert ${t.threadsAlerted}/${t.threads}; decoys ${t.decoys}, alerted ${t.decoysAlerted}, in the top 50 threat findings ${t.decoysInTop50}`);
  const l = e.leak;
  console.log(`leak (alert at score >= ${LEAK_ALERT_THRESHOLD})`);
  console.log(`  labelled ${l.labelled}; alerts ${l.alerts}, of which true ${l.truePositives}; precision ${fixed(l.precision)}  recall ${fixed(l.recall)}`);
  for (const [sector, s] of Object.entries(e.leak.sectors).sort()) {
    console.log(`  ${sector.padEnd(13)} ${String(s.alerted).padStart(4)}/${String(s.labelled).padEnd(4)} recall ${fixed(s.recall)}  (sector named right ${s.sectorRight})`);
  }
  console.log('throughput (one core, in process)');
  console.log(`  signal finding ${rate(e.signalsPerSecond)}; whole scorer (signals, context, leaks) ${rate(e.scorerPerSecond)}`);
  // the scorer's time per message added to an ingest's time per message
  const share = (1 / e.scorerPerSecond) / (1 / ingestRate);
  console.log(`  at an ingest of ${rate(ingestRate)} the scorer adds ${pct(share)} time per message (throughput x${(1 / (1 + share)).toFixed(2)})`);
  if (values.verbose) {
    console.log('misses:');
    for (const m of e.misses) console.log(`  ${m.rule} ${m.id} ${JSON.stringify(m.body)}`);
    console.log('false alerts:');
    for (const f of e.falseAlerts) console.log(`  ${f.kind} ${f.score}${f.isDecoy ? ' DECOY' : ''} ${f.id} ${JSON.stringify(f.body)}`);
  }
}

console.log(`# triage accuracy on generated ground truth (${messages.toLocaleString('en')} messages per seed)`);
for (const seed of seeds) {
  const started = performance.now();
  const { messages: corpus, truth } = generatedMessages(messages, seed);
  const generateMs = performance.now() - started;
  report(seed, evaluateMessages(corpus, truth), generateMs);
}
