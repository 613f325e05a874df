import { groupDuplicates } from '../ingest/duplicates.ts';
import { integerOption, stringOption, withStore, writeJson, type Command } from './command.ts';

export const duplicatesCommand: Command = {
  name: 'duplicates',
  summary: 'Report messages stored more than once under different ids: exact copies and near-duplicates.',
  usage: 'duplicates [--dataset NAME] [--limit N]',
  details: [
    'Two converters of the same phone, or a message sent twice, give copies that ingest cannot merge',
    'safely. They are kept, each with its provenance, and listed here: the same sender and the same',
    'words (case, accents, punctuation and spacing folded) within two minutes of each other.',
    'exact: the same body at the same time; near: the same words, a different writing or time.',
  ].join('\n'),
  options: {
    dataset: { type: 'string', short: 'd', description: 'only this dataset', valueName: 'NAME' },
    limit: { type: 'string', short: 'n', description: 'groups to list (default 50); the counts cover all', valueName: 'N' },
  },
  positionals: { min: 0, max: 0, names: '' },
  async run(args, io) {
    const dataset = stringOption(args, 'dataset');
    const limit = integerOption(args, 'limit', 50, 1, 1_000_000);
    const groups = groupDuplicates(await withStore(args, io, (store) => store.duplicateCandidates(dataset)));
    const counts = {
      groups: groups.length,
      exact: groups.filter((g) => g.kind === 'exact').length,
      near: groups.filter((g) => g.kind === 'near').length,
      items: groups.reduce((sum, g) => sum + g.items.length, 0),
    };
    if (args.json) {
      writeJson(io, { ...counts, groups: groups.slice(0, limit) });
      return 0;
    }
    for (const g of groups.slice(0, limit)) {
      io.stdout.write(`${g.kind} [${g.dataset}] ${g.sender}: ${g.excerpt.replace(/\s+/g, ' ').slice(0, 80)}\n`);
      for (const item of g.items) io.stdout.write(`    ${item.id} ${item.ts ?? '(no time)'} ${item.source}:${item.line}\n`);
    }
    io.stdout.write(`${counts.groups} duplicate groups (${counts.exact} exact, ${counts.near} near) covering ${counts.items} messages` +
      `${groups.length > limit ? ` (showing ${limit})` : ''}\n`);
    return 0;
  },
};
