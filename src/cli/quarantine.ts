import { integerOption, stringOption, withStore, writeJson, type Command } from './command.ts';

export const quarantineCommand: Command = {
  name: 'quarantine',
  summary: 'List what ingest could not read: the file, its SHA-256, line, byte offset, reason and an excerpt.',
  usage: 'quarantine [--dataset NAME] [--limit N] [--offset N]',
  options: {
    dataset: { type: 'string', short: 'd', description: 'only this dataset', valueName: 'NAME' },
    limit: { type: 'string', short: 'n', description: 'entries to list (default 50)', valueName: 'N' },
    offset: { type: 'string', description: 'entries to skip', valueName: 'N' },
  },
  positionals: { min: 0, max: 0, names: '' },
  async run(args, io) {
    const result = await withStore(args, io, (store) =>
      store.quarantine({ dataset: stringOption(args, 'dataset'), limit: integerOption(args, 'limit', 50, 1, 100_000), offset: integerOption(args, 'offset', 0) }),
    );
    if (args.json) {
      writeJson(io, { total: result.total, entries: result.entries.map(({ id, ...rest }) => ({ id, ...rest })) });
      return 0;
    }
    for (const e of result.entries) {
      io.stdout.write(`${e.sourcePath}:${e.line} (byte ${e.offset}) [${e.dataset}] ${e.reason}\n    ${e.excerpt.slice(0, 160).replace(/\s+/g, ' ')}\n`);
    }
    io.stdout.write(`${result.total} quarantined${result.total > result.entries.length ? ` (showing ${result.entries.length})` : ''}\n`);
    return 0;
  },
};
