// `lode generate` argument handling, kept here so the CLI dispatcher only has
// to call runGenerate(argv). Also runnable directly:
//   node src/generate/cli.ts --messages 100000 --seed 1 --out corpus.jsonl

import { parseArgs } from 'node:util';
import { writeCorpus, defaultTruthPath } from './write-corpus.ts';
import type { WriteCorpusOptions } from './write-corpus.ts';

export const GENERATE_USAGE = `usage: lode generate --out FILE [options]

Writes a synthetic EncroChat-like corpus (lode-jsonl v1) plus planted ground truth.

  --out FILE             corpus file (required; '-' is not supported)
  --messages N           number of messages (default 100000; suffixes k and m allowed)
  --seed N               PRNG seed (default 1); same seed gives byte-identical output
  --truth FILE           truth file (default: FILE with .jsonl replaced by .truth.jsonl)
  --malformed-rate P     probability per line of injecting a broken line (default 0)
  --start ISO            period start (default 2020-03-01T00:00:00Z)
  --days N               period length in days (default 105)
  --quiet                no progress on stderr
`;

export function parseCount(text: string): number {
  const m = /^(\d+(?:\.\d+)?)([kKmM]?)$/.exec(text.replace(/_/g, ''));
  if (!m) throw new Error('not a count: ' + text);
  const mult = m[2] === 'k' || m[2] === 'K' ? 1e3 : m[2] === 'm' || m[2] === 'M' ? 1e6 : 1;
  return Math.round(Number(m[1]) * mult);
}

export function parseGenerateArgs(argv: readonly string[]): WriteCorpusOptions & { quiet: boolean } {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      out: { type: 'string' },
      messages: { type: 'string' },
      seed: { type: 'string' },
      truth: { type: 'string' },
      'malformed-rate': { type: 'string' },
      start: { type: 'string' },
      days: { type: 'string' },
      quiet: { type: 'boolean' },
    },
    strict: true,
  });
  if (!values.out) throw new Error('--out is required');
  const opts: WriteCorpusOptions & { quiet: boolean } = {
    out: values.out,
    messages: values.messages ? parseCount(values.messages) : 100_000,
    seed: values.seed ? Number(values.seed) : 1,
    quiet: values.quiet ?? false,
  };
  if (!Number.isInteger(opts.seed)) throw new Error('--seed must be an integer');
  if (values.truth) opts.truthOut = values.truth;
  if (values['malformed-rate']) {
    const rate = Number(values['malformed-rate']);
    if (!(rate >= 0 && rate < 1)) throw new Error('--malformed-rate must be in [0, 1)');
    opts.malformedRate = rate;
  }
  if (values.start) opts.start = values.start;
  if (values.days) opts.days = parseCount(values.days);
  return opts;
}

export async function runGenerate(argv: readonly string[]): Promise<number> {
  let opts: ReturnType<typeof parseGenerateArgs>;
  try {
    opts = parseGenerateArgs(argv);
  } catch (err) {
    process.stderr.write((err instanceof Error ? err.message : String(err)) + '\n\n' + GENERATE_USAGE);
    return 2;
  }
  const started = performance.now();
  if (!opts.quiet) {
    let last = 0;
    opts.onProgress = (done, total) => {
      const now = performance.now();
      if (now - last < 250 && done < total) return;
      last = now;
      process.stderr.write('\rgenerated ' + done + ' / ' + total + ' messages');
    };
  }
  const result = await writeCorpus(opts);
  const seconds = (performance.now() - started) / 1000;
  if (!opts.quiet) process.stderr.write('\n');
  process.stdout.write(
    JSON.stringify({ ...result, out: opts.out, truth: opts.truthOut ?? defaultTruthPath(opts.out), seconds: Math.round(seconds * 100) / 100, messagesPerSecond: Math.round(result.messages / seconds) }) + '\n',
  );
  return 0;
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  process.exitCode = await runGenerate(process.argv.slice(2));
}
