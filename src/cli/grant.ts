import type { Grant } from '../model/security.ts';
import { cliActor } from './audit.ts';
import { UsageError, UserError, stringOption, withStore, writeJson, type Command, type ParsedCommand } from './command.ts';

const TARGET_OPTIONS = {
  dataset: { type: 'string', short: 'd', description: 'a dataset (its evidence)', valueName: 'D' },
  case: { type: 'string', short: 'c', description: 'a case (for investigators, who see only their cases)', valueName: 'C' },
} as const;

export const grantCommand: Command = {
  name: 'grant',
  summary: 'Give a user access to a dataset or a case.',
  usage: 'grant NAME --dataset D | --case C',
  details: 'Access is per dataset and per case; a user sees nothing they were not granted. The grant is written to the audit log.',
  options: TARGET_OPTIONS,
  positionals: { min: 1, max: 1, names: 'NAME' },
  async run(args, io) {
    const [name] = args.positionals as [string];
    const { kind, target } = grantTarget(args);
    const result = await withStore(args, io, async (store) => {
      const given = await store.grant(name, kind, target, cliActor(io));
      if (!given) throw new UserError(`no user "${name}"`);
      await store.appendAudit({ actor: cliActor(io), action: 'grant', target: name, details: { kind, target } });
      const isUnknown = kind === 'dataset' ? !(await store.findDataset(target)) : !(await store.findCase(target));
      return { grant: given, isUnknown };
    }, 'ingest');
    if (result.isUnknown) io.stderr.write(`lode grant: note: there is no ${kind} "${target}" yet; the grant applies once it is ${kind === 'dataset' ? 'ingested' : 'opened'}\n`);
    if (args.json) writeJson(io, { grant: result.grant });
    else io.stdout.write(`${name} may see ${kind} ${target}\n`);
    return 0;
  },
};

export const revokeCommand: Command = {
  name: 'revoke',
  summary: 'Take a user\'s access to a dataset or a case away.',
  usage: 'revoke NAME --dataset D | --case C',
  details: 'Takes effect at the user\'s next request. The revocation is written to the audit log.',
  options: TARGET_OPTIONS,
  positionals: { min: 1, max: 1, names: 'NAME' },
  async run(args, io) {
    const [name] = args.positionals as [string];
    const { kind, target } = grantTarget(args);
    const revoked = await withStore(args, io, async (store) => {
      if (!(await store.findUser(name))) throw new UserError(`no user "${name}"`);
      const had = await store.revoke(name, kind, target);
      if (had) await store.appendAudit({ actor: cliActor(io), action: 'revoke', target: name, details: { kind, target } });
      return had;
    }, 'ingest');
    if (!revoked) throw new UserError(`${name} had no grant for ${kind} ${target}`);
    if (args.json) writeJson(io, { revoked: { user: name, kind, target } });
    else io.stdout.write(`${name} may no longer see ${kind} ${target}\n`);
    return 0;
  },
};

function grantTarget(args: ParsedCommand): { kind: Grant['kind']; target: string } {
  const dataset = stringOption(args, 'dataset');
  const caseName = stringOption(args, 'case');
  if ((dataset === undefined) === (caseName === undefined)) throw new UsageError('give exactly one of --dataset D or --case C');
  const [kind, target] = dataset !== undefined ? ['dataset', dataset] as const : ['case', caseName!] as const;
  if (target.trim() === '') throw new UsageError(`--${kind} needs a name`);
  return { kind, target };
}
