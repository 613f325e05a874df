import { createProgress, formatCount } from './progress.ts';
import { UsageError, UserError, integerOption, stringOption, writeJson, type CliIO, type Command, type ParsedCommand } from './command.ts';

export const generateCommand: Command = {
  name: 'generate',
  summary: 'Write a synthetic, seeded EncroChat-like corpus (lode-jsonl), or with --market a leak market\'s MySQL dump, with its planted ground truth.',
  usage: 'generate --messages N --out FILE [--seed S] [--truth FILE] [--malformed-rate R]\n       lode generate --market --people N --out FILE [--seed S] [--truth FILE]',
  details: 'The ground truth (entities, aliases, threats and decoys, leaks, cases; for --market each person\'s country, accounts, ' +
    'payments and planted country evidence) goes to FILE.truth.jsonl unless --truth says otherwise. See docs/GENERATOR.md.',
  options: {
    market: { type: 'boolean', description: 'write a seized leak market\'s database (mysqldump) instead of a corpus' },
    people: { type: 'string', description: 'with --market: number of people, e.g. 400, 50k, 1m (up to 3m)', valueName: 'N' },
    messages: { type: 'string', short: 'n', description: 'number of messages, e.g. 200000, 250k, 5m (up to 50m)', valueName: 'N' },
    out: { type: 'string', short: 'o', description: 'corpus (or with --market: dump) file to write', valueName: 'FILE' },
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
    if (args.values.market === true) return generateMarket(args, io, out);
    if (stringOption(args, 'people') !== undefined) throw new UsageError('--people goes with --market');
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

async function generateMarket(args: ParsedCommand, io: CliIO, out: string): Promise<number> {
  const corpusOnly = ['messages', 'malformed-rate', 'start', 'days'].filter((name) => stringOption(args, name) !== undefined);
  if (corpusOnly.length > 0) throw new UsageError(`--market cannot be combined with ${corpusOnly.map((n) => `--${n}`).join(', ')}`);
  const count = stringOption(args, 'people');
  if (count === undefined) throw new UsageError('--people N is required with --market');
  // the generator is loaded for this command only, like the corpus's
  const [{ MAX_MARKET_PEOPLE }, { writeMarketDump }] = await Promise.all([import('../generate/market.ts'), import('../generate/write-market.ts')]);
  const people = parseCount(count);
  if (people === undefined || people < 1 || people > MAX_MARKET_PEOPLE) throw new UsageError(`--people must be a count from 1 to 3m, got "${count}"`);
  const seed = integerOption(args, 'seed', 1);
  const progress = createProgress(io.stderr, io.isTTY, 'generate', 'people');
  const started = performance.now();
  const result = await writeMarketDump({
    // five passes over everyone (four tables, the truth): shown as the people they add up to
    people, seed, out, truthOut: stringOption(args, 'truth'), onProgress: (done, total) => progress.update(done, total, Math.floor((done * people) / total)),
  }).catch((error: unknown) => {
    const code = (error as NodeJS.ErrnoException).code;
    throw code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR' ? new UserError((error as Error).message) : error;
  });
  const seconds = (performance.now() - started) / 1000;
  progress.finish();
  const { summary } = result;
  if (args.json) {
    writeJson(io, {
      out, truth: result.truthOut, bytes: result.bytes, truthRecords: result.truthRecords, database: summary.database, seed: summary.seed,
      people: summary.people, accounts: summary.accounts, accountsWithEmail: summary.accountsWithEmail, emails: summary.emails, linkedPeople: summary.linkedPeople,
      payments: summary.payments, searches: summary.searches, logins: summary.logins, countries: summary.countries, seconds: Math.round(seconds * 10) / 10,
    });
  } else {
    const countries = Object.entries(summary.countries).map(([country, c]) => `${country} ${c.people}`).join(', ');
    io.stdout.write(`wrote ${out}: ${formatCount(summary.people)} people (${countries}), ${formatCount(summary.accounts)} accounts, ` +
      `${formatCount(summary.payments)} payments, ${formatCount(summary.searches)} searches, ${formatCount(summary.logins)} logins; truth in ${result.truthOut} (${seconds.toFixed(1)} s)\n`);
  }
  return 0;
}

/** "5m" = 5,000,000, "250k" = 250,000, "1_000" = 1000; undefined when not a count. */
export function parseCount(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)([kKmM]?)$/.exec(text.replaceAll('_', ''));
  if (!match) return undefined;
  const multiplier = match[2] === '' ? 1 : match[2]!.toLowerCase() === 'k' ? 1e3 : 1e6;
  return Math.round(Number(match[1]) * multiplier);
}
