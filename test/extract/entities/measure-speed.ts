// Cost of entity extraction per message over a generated corpus, for docs/BENCH.md:
//   node test/extract/entities/measure-speed.ts [messages=200000] [seed=42]
// Language detection is done beforehand: ingest already runs it for every message.

import { detectLanguage } from '../../../src/extract/language.ts';
import { tokenize } from '../../../src/extract/tokens.ts';
import { contextForLanguage, extractEntities } from '../../../src/extract/entities/extract.ts';
import { generateCorpus } from '../../../src/generate/corpus.ts';

const messages = Number(process.argv[2] ?? 200_000);
const seed = Number(process.argv[3] ?? 42);
const bodies: string[] = [];
const languages: (string | undefined)[] = [];
for (const { record } of generateCorpus({ messages, seed })) {
  if (record?.kind !== 'message' && record?.kind !== 'note') continue;
  const body = String(record.body);
  bodies.push(body);
  languages.push(detectLanguage(tokenize(body)));
}

let mentions = 0;
const passes: number[] = [];
for (let pass = 0; pass < 4; pass++) {
  mentions = 0;
  const started = process.hrtime.bigint();
  for (let i = 0; i < bodies.length; i++) mentions += extractEntities(bodies[i] ?? '', contextForLanguage(languages[i], 'NL')).length;
  passes.push(Number(process.hrtime.bigint() - started) / 1e3 / bodies.length);
}
const best = Math.min(...passes.slice(1));
console.log(`${bodies.length} texts, ${mentions} mentions; µs/message per pass: ${passes.map((p) => p.toFixed(2)).join(' ')}; best warm ${best.toFixed(2)} µs (${Math.round(1e6 / best).toLocaleString('en')} messages/s)`);
