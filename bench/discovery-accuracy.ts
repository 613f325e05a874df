// `node --expose-gc bench/discovery-accuracy.ts [--messages 200k] [--seeds 42,7] [--top 20]`: case
// discovery against the generator's planted cases. Each corpus is generated in memory and streamed
// into discovery message by message (entities extracted as ingest does), so the figures include
// what discovery holds, not a copy of the corpus. A planted case counts as found when one
// candidate holds at least half of its messages and two of its accounts. A benchmark: it prints
// figures, it does not pass or fail.
import { parseArgs } from 'node:util';
import { discoverCases } from '../src/analyze/discover/discover.ts';
import type { CandidateCase, DiscoveryMessage, DiscoveryOptions } from '../src/analyze/discover/discover.ts';
import { contextForLanguage, extractEntities } from '../src/extract/entities/extract.ts';
import { detectLanguage } from '../src/extract/language.ts';
import { tokenize } from '../src/extract/tokens.ts';
import { generateCorpus } from '../src/generate/corpus.ts';

const { values } = parseArgs({
  options: {
    messages: { type: 'string', default: '200k' },
    seeds: { type: 'string', default: '42,7' },
    top: { type: 'string', default: '20' },
    options: { type: 'string', default: '{}' },
  },
});
const messages = parseCount(values.messages);
const seeds = values.seeds.split(',').map(Number);
const top = Number(values.top);
// Other discovery settings to compare, as DiscoveryOptions JSON: --options '{"mergeGapMs":1209600000}'.
const extra = JSON.parse(values.options) as DiscoveryOptions;

function parseCount(text: string): number {
  const m = /^(\d+(?:\.\d+)?)([km]?)$/i.exec(text.trim());
  if (!m) throw new Error(`not a count: ${text}`);
  return Math.round(Number(m[1]) * (m[2]?.toLowerCase() === 'k' ? 1e3 : m[2]?.toLowerCase() === 'm' ? 1e6 : 1));
}

export type PlantedCase = { id: string; type: string; handles: string[]; messages: string[]; messageCount: number };

/**
 * The corpus as discovery reads it from a store, plus the planted cases. A message's truth lines
 * follow it in the generator's stream, so each message waits for the next record before it is
 * handed on with its threat label.
 */
function* corpusMessages(seed: number, count: number, planted: PlantedCase[], clock: { ms: number }): Generator<DiscoveryMessage> {
  let pending: DiscoveryMessage | undefined;
  let started = performance.now();
  for (const { record, truth } of generateCorpus({ messages: count, seed })) {
    if (truth) {
      if (truth.kind === 'threat' && pending && pending.id === truth.message) pending.threat = 1;
      else if (truth.kind === 'case') {
        planted.push({
          id: String(truth.id), type: String(truth.type), handles: (truth.handles as string[]) ?? [],
          messages: (truth.messages as string[]) ?? [], messageCount: Number(truth.message_count),
        });
      }
      continue;
    }
    if (record?.kind !== 'message') continue;
    if (pending) {
      clock.ms += performance.now() - started;
      yield pending;
      started = performance.now();
    }
    const body = String(record.body);
    const lang = detectLanguage(tokenize(body));
    pending = {
      id: String(record.id), tsMs: Date.parse(String(record.ts)), dataset: 'bench', from: String(record.from),
      to: (record.to as string[]) ?? [], body, lang, entities: extractEntities(body, contextForLanguage(lang)),
    };
    if (lang === undefined) delete pending.lang;
  }
  clock.ms += performance.now() - started;
  if (pending) yield pending;
}

type Match = { candidate: number; held: number; accounts: number };

/** The candidate that holds most of a planted case, and whether that is enough to count it found. */
function bestMatch(planted: PlantedCase, candidates: readonly CandidateCase[], sets: readonly Set<string>[]): Match & { isFound: boolean } {
  let best: Match = { candidate: -1, held: 0, accounts: 0 };
  candidates.forEach((c, i) => {
    let held = 0;
    for (const id of planted.messages) if (sets[i]!.has(id)) held++;
    if (held > best.held) {
      const handles = new Set(c.accounts.map((a) => a.handle));
      best = { candidate: i, held, accounts: planted.handles.filter((h) => handles.has(h)).length };
    }
  });
  return { ...best, isFound: best.held >= planted.messages.length / 2 && best.accounts >= 2 };
}

const percent = (n: number, d: number): string => (d === 0 ? '-' : `${((100 * n) / d).toFixed(0)} %`);
const mb = (bytes: number): string => `${(bytes / 1048576).toFixed(0)} MB`;
const gc = (globalThis as { gc?: () => void }).gc;

process.stdout.write(
  `# case discovery on generated corpora: ${messages.toLocaleString('en')} messages, seeds ${seeds.join(', ')}` +
    (values.options === '{}' ? '\n' : `, options ${values.options}\n`) +
    `Threat scores: 1 for the messages the truth labels "threat" (this simulates the triage scorer, built in parallel).\n` +
    `Found = one candidate holds >= 50 % of a planted case's messages and >= 2 of its accounts.\n` +
    (gc ? '' : `(run with --expose-gc for the heap discovery holds)\n`) + '\n',
);

for (const seed of seeds) {
  gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const planted: PlantedCase[] = [];
  const clock = { ms: 0 };
  let peakHeap = 0;
  const started = performance.now();
  const sampled = (function* (): Generator<DiscoveryMessage> {
    let n = 0;
    for (const m of corpusMessages(seed, messages, planted, clock)) {
      if (++n % 50_000 === 0) peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
      yield m;
    }
  })();
  let kept = 0;
  let heapAfterScan = 0;
  let gcMs = 0;
  const phaseMs: Record<string, number> = {};
  const candidates = discoverCases(sampled, {
    ...extra,
    onPhase: (phase, counts) => {
      phaseMs[phase] = performance.now();
      kept = counts.kept;
      peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
      if (phase === 'scanned' && gc) {
        // What discovery holds once every message has passed: the telling ones and their links.
        gc();
        heapAfterScan = process.memoryUsage().heapUsed - heapBefore;
        gcMs = performance.now() - phaseMs[phase]!;
      }
    },
  });
  const finishedMs = performance.now();
  const totalMs = performance.now() - started;
  peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);

  const sets = candidates.map((c) => new Set(c.messageIds));
  const plantedIds = new Set(planted.flatMap((p) => p.messages));
  const kinds = new Map<string, { found: number; total: number }>();
  const ranks = new Map<string, number[]>();
  const holding = new Set<number>();
  const missed: string[] = [];
  for (const p of planted) {
    const match = bestMatch(p, candidates, sets);
    const kind = kinds.get(p.type) ?? { found: 0, total: 0 };
    kind.total++;
    if (match.isFound) {
      kind.found++;
      holding.add(match.candidate);
      ranks.set(p.type, [...(ranks.get(p.type) ?? []), match.candidate + 1]);
    } else missed.push(`${p.id} ${p.type} (${match.held}/${p.messages.length} messages, ${match.accounts} accounts)`);
    kinds.set(p.type, kind);
  }
  const found = [...kinds.values()].reduce((n, k) => n + k.found, 0);
  const topHolding = candidates.slice(0, top).filter((_, i) => holding.has(i)).length;
  const topMessages = candidates.slice(0, top).reduce((n, c) => n + c.messages, 0);
  const topPlanted = candidates.slice(0, top).reduce((n, c) => n + c.messageIds.filter((id) => plantedIds.has(id)).length, 0);
  const sizes = candidates.map((c) => c.messages).sort((a, b) => a - b);
  const median = (xs: readonly number[]): number => xs[Math.floor(xs.length / 2)] ?? 0;

  process.stdout.write(`## seed ${seed}\n`);
  process.stdout.write(`planted cases found: ${found}/${planted.length} (${percent(found, planted.length)})\n`);
  for (const [kind, k] of [...kinds].sort()) process.stdout.write(`  ${kind.padEnd(7)} ${k.found}/${k.total}\n`);
  process.stdout.write(`top ${top} precision: ${topHolding}/${Math.min(top, candidates.length)} hold a planted case; ` +
    `${percent(topPlanted, topMessages)} of their ${topMessages} messages are planted-case messages\n`);
  process.stdout.write(`candidates: ${candidates.length} (median ${median(sizes)} messages, largest ${sizes[sizes.length - 1] ?? 0}; ` +
    `median ${median(candidates.map((c) => c.accounts.length).sort((a, b) => a - b))} accounts)\n`);
  process.stdout.write(`ranks of the candidates holding found cases (median candidate rank ${Math.ceil(candidates.length / 2)}):\n`);
  for (const [kind, list] of [...ranks].sort()) process.stdout.write(`  ${kind.padEnd(7)} ${list.sort((a, b) => a - b).join(', ')}\n`);
  const scanMs = (phaseMs['scanned'] ?? started) - started - clock.ms;
  process.stdout.write(`time: ${(totalMs / 1000).toFixed(1)} s in all; generating and extracting entities ${(clock.ms / 1000).toFixed(1)} s, ` +
    `discovery ${((totalMs - clock.ms - gcMs) / 1000).toFixed(1)} s (scan ${(scanMs / 1000).toFixed(1)} s, linking ${(((phaseMs['linked'] ?? 0) - (phaseMs['scanned'] ?? 0) - gcMs) / 1000).toFixed(1)} s, ` +
    `splitting and merging ${(((phaseMs['merged'] ?? 0) - (phaseMs['linked'] ?? 0)) / 1000).toFixed(1)} s, describing ${((finishedMs - (phaseMs['merged'] ?? 0)) / 1000).toFixed(1)} s)\n`);
  process.stdout.write(`kept ${kept.toLocaleString('en')} telling messages of ${messages.toLocaleString('en')}\n`);
  process.stdout.write(`memory: heap held by discovery after the scan ${gc ? mb(heapAfterScan) : '-'}, heap peak ${mb(peakHeap)} ` +
    `(with the generator and the benchmark's own state), max RSS of the process ${mb(process.resourceUsage().maxRSS * 1024)}\n`);
  if (missed.length > 0) process.stdout.write(`missed: ${missed.join('; ')}\n`);
  process.stdout.write(`top 5:\n${candidates.slice(0, 5).map((c, i) => `  ${i + 1}. ${c.title} [score ${c.score}] ${c.reasons.slice(0, 3).join('; ')}`).join('\n')}\n\n`);
}
