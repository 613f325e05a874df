import { withStore, writeJson, type Command } from './command.ts';

export const statusCommand: Command = {
  name: 'status',
  summary: 'What the store holds: datasets, their messages, accounts and time span, and unfinished ingests.',
  usage: 'status',
  options: {},
  positionals: { min: 0, max: 0, names: '' },
  async run(args, io) {
    const { description, datasets, sources } = await withStore(args, io, async (store) => ({
      description: store.description, datasets: await store.summarise(), sources: await store.sources(),
    }));
    if (args.json) {
      writeJson(io, { store: description, datasets, sources });
      return 0;
    }
    io.stdout.write(`store ${description}\n`);
    if (datasets.length === 0) io.stdout.write('no datasets yet: lode ingest PATH --dataset NAME\n');
    for (const d of datasets) {
      io.stdout.write(
        `  ${d.name}: ${d.messages} messages, ${d.notes} notes, ${d.accounts} accounts, ${d.contacts} contacts, ${d.events} events, ${d.exposures} exposures, ` +
          `${d.sources} sources, ${d.quarantined} quarantined${d.firstTs ? `, ${d.firstTs.slice(0, 10)} .. ${d.lastTs!.slice(0, 10)}` : ''}\n`,
      );
    }
    for (const source of sources.filter((s) => s.status !== 'complete')) {
      io.stdout.write(`  unfinished: ${source.path} in ${source.dataset}, stored up to line ${source.checkpoint.line}; ` +
        `run lode ingest on it again to continue\n`);
    }
    return 0;
  },
};
