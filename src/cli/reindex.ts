import { contextForLanguage, extractEntities } from '../extract/entities/extract.ts';
import { EXTRACTOR_COMPONENT, EXTRACTOR_VERSION, type CountryCode } from '../extract/entities/types.ts';
import { DEFAULT_REGION } from '../ingest/pipeline.ts';
import { fingerprintOf } from '../ingest/prepare.ts';
import { tokenize } from '../extract/tokens.ts';
import { createProgress } from './progress.ts';
import { UsageError, stringOption, withStore, writeJson, type Command } from './command.ts';

export const reindexCommand: Command = {
  name: 'reindex',
  summary: 'Derive again what ingest derives, for data already stored: --entities runs the entity extractor.',
  usage: 'reindex --entities [--dataset NAME] [--region CC]',
  details: [
    'Messages the current extractor version has already seen are skipped, and progress is committed as it',
    'goes: an interrupted run continues where it stopped. Mentions found before are kept. Messages stored',
    'before near-duplicate fingerprints existed get theirs in the same pass (see lode duplicates).',
  ].join('\n'),
  options: {
    entities: { type: 'boolean', description: 'extract entities (phones, IBANs, wallets...) from stored messages' },
    dataset: { type: 'string', short: 'd', description: 'only this dataset', valueName: 'NAME' },
    region: { type: 'string', description: 'country for national phone numbers (default NL)', valueName: 'CC' },
  },
  positionals: { min: 0, max: 0, names: '' },
  async run(args, io) {
    if (args.values.entities !== true) throw new UsageError('say what to derive again: --entities');
    const region = (stringOption(args, 'region')?.toUpperCase() ?? DEFAULT_REGION) as CountryCode;
    const progress = createProgress(io.stderr, io.isTTY, 'reindex', 'messages');
    const started = performance.now();
    const result = await withStore(args, io, (store) =>
      store.reindexEntities({
        dataset: stringOption(args, 'dataset'),
        toolrun: { component: EXTRACTOR_COMPONENT, version: EXTRACTOR_VERSION },
        extract: (body, lang) => extractEntities(body, contextForLanguage(lang, region)),
        fingerprint: (body) => {
          const tokens = tokenize(body);
          return tokens.length > 0 ? fingerprintOf(tokens) : undefined;
        },
        onProgress: (done, total) => progress.update(done, total, done),
        signal: io.signal,
      }), 'ingest');
    progress.finish();
    const seconds = (performance.now() - started) / 1000;
    if (args.json) writeJson(io, { ...result, extractor: `${EXTRACTOR_COMPONENT}@${EXTRACTOR_VERSION}`, seconds: Number(seconds.toFixed(1)) });
    else io.stdout.write(`read ${result.messages} messages, added ${result.mentions} entity mentions in ${seconds.toFixed(1)} s\n`);
    return io.signal?.aborted ? 1 : 0;
  },
};
