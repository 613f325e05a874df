import { createProgress, formatCount } from './progress.ts';
import { UsageError, integerOption, stringOption, writeJson, type Command } from './command.ts';

export const generateCommand: Command = {
  name: 'generate',
  summary: 'Write a synthetic, seeded EncroChat-like corpus (lode-jsonl) with its planted ground truth.',
  usage: 'generate --messages N --out FILE [--seed S] [--truth FILE] [--malformed-rate R]',
  details: 'The ground truth (entities, aliases, threats and decoys, leaks, cases) goes to FILE.truth.jsonl unless --truth says otherwise. See docs/GENERATOR.md.',
  options: {
    messages: { type: 'string', short: 'n', description: 'number of messages, e.g. 200000, 250k, 5m (up to 50m)', valueName: 'N' },
    out: { type: 'string', short: 'o', description: 'corpus file to write', valueName: 'FILE' },
    seed: { type: 'string', description: 'seed (default 1): the same seed writes the same bytes', valueName: 'S' },
    truth: { type: 'string', description: 'ground-truth file (default FILE.truth.jsonl)', valueName: 'FILE' },
    start: { type: 'string', description: 'start of the period (default 2020-03-01T00:00:00Z)', valueName: 'ISO' },
    days: { type: 'string', description: 'length of the period in days (default 105)', valueName: 'N' },
    'malformed-rate': { type: 'string', description: 'fraction of broken lines to inject, for quarantine tests (default 0)', valueName: 'R' },
  },
  positionals: { min: 0, max: 0, names: '' },
  async run(args, io) {
    const out = stringOption(args, 'out');
    if (!out) throw new UsageError('--out FILE is required');
    const count = stringOption(args, 'messages');
    if (count === undefined) throw new UsageError('--messages N is required');
    const messages = parseCount(count);
    if (messages === undefined || messages < 1 || messages > 50_000_000) throw new UsageError(`--messages must be a count from 1 to 50m, got "${count}"`);
    const start = stringOption(args, 'start');
    if (start !== undefined && !Number.isFinite(Date.parse(start))) throw new UsageError(`--start must be an ISO 8601 time, got "${start}"`);
    const rateText = stringOption(args, 'malformed-rate') ?? '0';
    const malformedRate = Number(rateText);
    if (!Number.isFinite(malformedRate) || malformedRate < 0 || malformedRate > 0.5) throw new UsageError('--malformed-rate must be a number from 0 to 0.5');
    const progress = createProgress(io.stderr, io.isTTY, 'generate', 'messages');
    const started = performance.now();
    // the generator's grammars take a tenth of a second to load: only for this command
    const { writeCorpus } = await import('../generate/write-corpus.ts');
    const stats = await writeCorpus({
      messages, seed: integerOption(args, 'seed', 1), out, truthOut: stringOption(args, 'truth'), malformedRate,
      start, days: stringOption(args, 'days') === undefined ? undefined : integerOption(args, 'days', 105, 1, 3650),
      onProgress: (done, total) => progress.update(done, total, done),
    });
    const seconds = (performance.now() - started) / 1000;
    progress.finish();
    if (args.json) writeJson(io, { out, ...stats, seconds: Math.round(seconds * 10) / 10 });
    else io.stdout.write(`wrote ${out}: ${formatCount(stats.messages)} messages, ${stats.accounts} accounts, ${stats.lines} lines, ${stats.truthRecords} ground-truth records in ${seconds.toFixed(1)} s\n`);
    return 0;
  },
};

/** "5m" = 5,000,000, "250k" = 250,000, "1_000" = 1000; undefined when not a count. */
export function parseCount(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)([kKmM]?)$/.exec(text.replaceAll('_', ''));
  if (!match) return undefined;
  const multiplier = match[2] === '' ? 1 : match[2]!.toLowerCase() === 'k' ? 1e3 : 1e6;
  return Math.round(Number(match[1]) * multiplier);
}
