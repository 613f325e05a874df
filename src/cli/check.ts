// `lode check`: what the public victim check knows. publish copies a dataset's credential
// exposures into the public service's own database as keyed identifiers (HMAC) and password
// hashes, under a public name and title; unpublish takes them out again; list shows what is
// published. `lode serve` answers the check page and the range API from that database.
import { validateBreachMeta } from '../breachcheck/breaches.ts';
import { checkIndexPath, checkKey, openCheckIndex } from '../main.ts';
import { cliActor } from './audit.ts';
import { createProgress } from './progress.ts';
import { UsageError, UserError, stringOption, withStore, writeJson, type CliIO, type Command, type ParsedCommand } from './command.ts';

export const checkCommand: Command = {
  name: 'check',
  summary: 'The public victim check: publish a dataset\'s exposed addresses and passwords (as keyed hashes), list, unpublish.',
  usage: 'check publish DATASET --name NAME --title T --breach-date DAY [--domain D] [--description TEXT] [--sensitive] | unpublish NAME | list',
  details: [
    'publish reads the dataset\'s credential exposures (site dumps, credential leaks) and writes them to the',
    'public database (LODE_CHECK_INDEX, else HOME/public/check.sqlite): each e-mail address as an HMAC under the',
    'check key (LODE_CHECK_KEY, else HOME/secrets/check.key, made on first use: keep it off the public database\'s',
    'backups), passwords as the SHA-1/NTLM hashes the range API serves. Publishing a name again replaces it.',
    'NAME is the public name (letters and digits, as Have I Been Pwned names a breach); TITLE is what the check',
    'mail calls it and must not look like a web or mail address.',
  ].join('\n'),
  options: {
    name: { type: 'string', description: 'public name: letters and digits (publish)', valueName: 'NAME' },
    title: { type: 'string', description: 'public title, as the check mail names the dataset (publish)', valueName: 'T' },
    'breach-date': { type: 'string', description: 'when the data was taken or the site seized, YYYY-MM-DD (publish)', valueName: 'DAY' },
    domain: { type: 'string', description: 'the site\'s domain, for /api/v3/breaches?domain= (publish)', valueName: 'D' },
    description: { type: 'string', description: 'a public description, plain text (publish)', valueName: 'TEXT' },
    sensitive: { type: 'boolean', description: 'mark it sensitive, as Have I Been Pwned does (publish)' },
  },
  positionals: { min: 1, max: 2, names: 'publish DATASET | unpublish NAME | list' },
  async run(args, io) {
    const [action, target] = args.positionals;
    if (action === 'list') return list(args, io);
    if (action !== 'publish' && action !== 'unpublish') throw new UsageError('the first argument is publish, unpublish or list');
    if (!target) throw new UsageError(action === 'publish' ? 'missing DATASET' : 'missing NAME');
    return action === 'publish' ? publish(args, io, target) : unpublish(args, io, target);
  },
};

function settings(args: ParsedCommand, io: CliIO) {
  return { home: stringOption(args, 'home'), store: stringOption(args, 'store'), env: io.env };
}

async function publish(args: ParsedCommand, io: CliIO, dataset: string): Promise<number> {
  const validated = validateBreachMeta({
    name: stringOption(args, 'name'), title: stringOption(args, 'title'), breachDate: stringOption(args, 'breach-date'), dataset,
    ...(stringOption(args, 'domain') !== undefined ? { domain: stringOption(args, 'domain') } : {}),
    ...(stringOption(args, 'description') !== undefined ? { description: stringOption(args, 'description') } : {}),
    ...(args.values.sensitive ? { sensitive: true } : {}),
  });
  if (!validated.ok) throw new UsageError(validated.problems.join('; '));
  const meta = validated.meta;
  const actor = cliActor(io);
  const outcome = await withStore(args, io, async (store) => {
    if (!(await store.findDataset(dataset))) throw new UserError(`no dataset ${dataset}`);
    let key: Uint8Array;
    try {
      key = checkKey(settings(args, io), { create: true })!;
    } catch (error) {
      throw new UserError((error as Error).message);
    }
    const index = await openCheckIndex(settings(args, io));
    const progress = createProgress(io.stderr, io.isTTY, 'publish', 'exposures');
    try {
      const { publishDataset } = await import('../breachcheck/publish.ts');
      const counts = await publishDataset({ store, index, key, meta, at: new Date().toISOString(), onProgress: (n) => progress.update(0, 0, n) });
      progress.finish();
      await store.appendAudit({ actor, action: 'check.publish', target: meta.name, details: { dataset, title: meta.title, ...counts } });
      return { ...counts, breach: await index.breach(meta.name) };
    } finally {
      await index.close();
    }
  });
  if (args.json) writeJson(io, { name: meta.name, dataset, index: checkIndexPath(settings(args, io)), ...outcome });
  else io.stdout.write(`published ${meta.name} ("${meta.title}") from ${dataset}: ${outcome.identifiers} addresses, ${outcome.sha1} SHA-1 and ${outcome.ntlm} NTLM password hashes `
    + `(${outcome.exposures} exposures read) into ${checkIndexPath(settings(args, io))}\n`);
  return 0;
}

async function unpublish(args: ParsedCommand, io: CliIO, name: string): Promise<number> {
  const actor = cliActor(io);
  const removed = await withStore(args, io, async (store) => {
    const index = await openCheckIndex(settings(args, io));
    try {
      const done = await index.unpublish(name);
      if (done) await store.appendAudit({ actor, action: 'check.unpublish', target: name, details: {} });
      return done;
    } finally {
      await index.close();
    }
  });
  if (!removed) throw new UserError(`nothing is published as ${name} (lode check list)`);
  if (args.json) writeJson(io, { unpublished: name });
  else io.stdout.write(`unpublished ${name}: the check no longer finds its addresses, the range API no longer counts its passwords\n`);
  return 0;
}

async function list(args: ParsedCommand, io: CliIO): Promise<number> {
  const index = await openCheckIndex(settings(args, io));
  try {
    const breaches = await index.breaches();
    if (args.json) writeJson(io, { index: checkIndexPath(settings(args, io)), breaches });
    else io.stdout.write(breaches.length === 0 ? 'nothing published\n' : breaches.map((b) => `${b.Name}  ${b.Title}  ${b.BreachDate}  ${b.PwnCount} addresses  ${b.DataClasses.join(', ')}\n`).join(''));
  } finally {
    await index.close();
  }
  return 0;
}
