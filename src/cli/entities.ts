import { ENTITY_TYPES } from '../extract/entities/types.ts';
import { UsageError, integerOption, stringOption, withAuditedRead, writeJson, type Command } from './command.ts';

export const entitiesCommand: Command = {
  name: 'entities',
  summary: 'List the entities found in the evidence (phones, IBANs, wallets, e-mails...) with how often each is mentioned.',
  usage: 'entities [--type T] [--dataset NAME] [--limit N] [--offset N]',
  details: [
    `Types: ${ENTITY_TYPES.join(', ')}.`,
    'Values are normalised (phones in E.164, IBANs compact and upper case), so every writing counts as one entity.',
    'Find the messages with a search filter, e.g. lode search \'phone:+31612345678\'.',
  ].join('\n'),
  options: {
    type: { type: 'string', short: 't', description: 'only this type', valueName: 'T' },
    dataset: { type: 'string', short: 'd', description: 'only this dataset', valueName: 'NAME' },
    limit: { type: 'string', short: 'n', description: 'entities to list (default 50)', valueName: 'N' },
    offset: { type: 'string', description: 'entities to skip', valueName: 'N' },
  },
  positionals: { min: 0, max: 0, names: '' },
  async run(args, io) {
    const type = stringOption(args, 'type');
    if (type !== undefined && !(ENTITY_TYPES as readonly string[]).includes(type)) throw new UsageError(`--type must be one of ${ENTITY_TYPES.join(', ')}`);
    const result = await withAuditedRead(args, io, { action: 'entities.view', details: () => ({ type: type ?? null, dataset: stringOption(args, 'dataset') ?? null }) }, (store) =>
      store.entities({ type, dataset: stringOption(args, 'dataset'), limit: integerOption(args, 'limit', 50, 1, 1_000_000), offset: integerOption(args, 'offset', 0) }),
    );
    if (args.json) {
      writeJson(io, { total: result.total, entities: result.entities.map((e) => ({ type: e.type, value: e.value, count: e.mentions, dataset: e.dataset })) });
      return 0;
    }
    for (const e of result.entities) io.stdout.write(`${String(e.mentions).padStart(7)}  ${e.type.padEnd(11)} ${e.value}  [${e.dataset}]\n`);
    io.stdout.write(`${result.total} entities${result.total > result.entities.length ? ` (showing ${result.entities.length})` : ''}\n`);
    return 0;
  },
};
