// `lode privileged`: lawyers' and other privileged parties' identifiers, and the review of the
// messages they withhold. Reviewing needs a named privilege reviewer (--as-reviewer): the
// console operator is not one, and the audit log names who saw and decided what.
import type { User } from '../model/security.ts';
import { PRIVILEGED_IDENTIFIER_RULE, parsePrivilegedIdentifier } from '../security/privileged-identifier.ts';
import type { Store, WithheldMessage } from '../store/store.ts';
import { cliActor } from './audit.ts';
import { UsageError, UserError, integerOption, stringOption, withStore, writeJson, type CliIO, type Command, type ParsedCommand } from './command.ts';

export const privilegedCommand: Command = {
  name: 'privileged',
  summary: 'Register privileged parties (lawyers) and review, release, destroy and purge the messages they withhold.',
  usage: 'privileged add phone:NUMBER | email:ADDR | PLATFORM:HANDLE [--label L] | list'
    + ' | review [--dataset D] --as-reviewer NAME | release ID --as-reviewer NAME [--note N] | destroy ID --as-reviewer NAME [--note N] | purge',
  details: [
    'A message is privileged when its sender or a recipient is a registered identifier: an account',
    'PLATFORM:HANDLE, or any account whose handle is the phone number (in any writing) or the e-mail address.',
    'A message that only mentions a lawyer\'s number is not: privilege protects communication with the lawyer.',
    'Privileged messages are withheld from everyone (admins and this console included) but privilege reviewers,',
    'until a reviewer releases them. Destroying replaces the text with a tombstone and removes its words from',
    'the index: it cannot be undone. review, release and destroy need --as-reviewer NAME, a user with the role',
    'privilege-reviewer, and cover the datasets that user is granted (lode grant). Everything is audited.',
    'A destroyed message\'s words can linger in the store file (index segments not merged yet, old pages):',
    'purge merges the index and rewrites the file (VACUUM) so they are physically gone. It rewrites the whole',
    'store, which takes minutes on a big one and needs free disk space of about its size; run it after destroying.',
  ].join('\n'),
  options: {
    label: { type: 'string', short: 'l', description: 'who the identifier belongs to (add)', valueName: 'L' },
    'as-reviewer': { type: 'string', description: 'the privilege reviewer acting (review, release, destroy)', valueName: 'NAME' },
    dataset: { type: 'string', short: 'd', description: 'only this dataset (review)', valueName: 'D' },
    note: { type: 'string', description: 'why (release, destroy)', valueName: 'N' },
    limit: { type: 'string', short: 'n', description: 'messages to list (review, default 50)', valueName: 'N' },
    offset: { type: 'string', description: 'messages to skip (review)', valueName: 'N' },
  },
  positionals: { min: 1, max: 2, names: 'add|list|review|release|destroy|purge [IDENTIFIER|ID]' },
  async run(args, io) {
    const [action, argument] = args.positionals as [string, string | undefined];
    switch (action) {
      case 'add':
        if (argument === undefined) throw new UsageError('missing phone:NUMBER, email:ADDR or PLATFORM:HANDLE');
        return add(args, io, argument);
      case 'list':
        if (argument !== undefined) throw new UsageError(`unexpected argument "${argument}"`);
        return list(args, io);
      case 'review':
        if (argument !== undefined) throw new UsageError(`unexpected argument "${argument}"`);
        return review(args, io);
      case 'release':
      case 'destroy':
        if (argument === undefined) throw new UsageError('missing ID (from lode privileged review)');
        return decide(args, io, action, argument);
      case 'purge':
        if (argument !== undefined) throw new UsageError(`unexpected argument "${argument}"`);
        return purge(args, io);
      default:
        throw new UsageError('the first argument is add, list, review, release, destroy or purge');
    }
  },
};

async function add(args: ParsedCommand, io: CliIO, text: string): Promise<number> {
  const parsed = parsePrivilegedIdentifier(text);
  if (!parsed) throw new UsageError(`"${text}" is not ${PRIVILEGED_IDENTIFIER_RULE}`);
  const { kind, value } = parsed;
  const label = stringOption(args, 'label');
  const outcome = await withStore(args, io, async (store) => {
    const result = await store.addPrivileged(kind, value, label, cliActor(io));
    if (result.kind === 'invalid') throw new UsageError(result.reason);
    if (result.kind === 'added') {
      await store.appendAudit({ actor: cliActor(io), action: 'privileged.add', target: `${kind}:${result.identifier.value}`, details: { label, accounts: result.identifier.accounts } });
    }
    return result;
  }, 'ingest');
  if (args.json) writeJson(io, { identifier: outcome.identifier, added: outcome.kind === 'added' });
  else {
    const i = outcome.identifier;
    io.stdout.write(`${outcome.kind === 'added' ? 'registered' : 'already registered'}: ${i.kind} ${i.value}${i.label ? ` (${i.label})` : ''}, ${i.accounts} accounts; their messages are withheld\n`);
  }
  return 0;
}

async function list(args: ParsedCommand, io: CliIO): Promise<number> {
  const identifiers = await withStore(args, io, (store) => store.privilegedIdentifiers());
  if (args.json) writeJson(io, { identifiers });
  else {
    for (const i of identifiers) io.stdout.write(`${i.kind.padEnd(16)} ${i.value.padEnd(32)} ${String(i.accounts).padStart(5)} accounts  ${i.label ?? ''}\n`);
    io.stdout.write(`${identifiers.length} identifiers\n`);
  }
  return 0;
}

/** The named user, who must be an enabled privilege reviewer, and the datasets they are granted. */
async function reviewer(args: ParsedCommand, store: Store): Promise<{ user: User; datasets: string[] }> {
  const name = stringOption(args, 'as-reviewer');
  if (name === undefined) throw new UsageError('--as-reviewer NAME is required: only a privilege reviewer may see or decide on privileged messages');
  const user = await store.findUser(name);
  if (!user || user.role !== 'privilege-reviewer' || user.disabled) throw new UserError(`"${name}" is not an enabled user with the role privilege-reviewer`);
  const datasets = (await store.grantsOf(name)).filter((g) => g.kind === 'dataset').map((g) => g.target);
  return { user, datasets };
}

async function review(args: ParsedCommand, io: CliIO): Promise<number> {
  const dataset = stringOption(args, 'dataset');
  const limit = integerOption(args, 'limit', 50, 1, 1000);
  const offset = integerOption(args, 'offset', 0);
  const answer = await withStore(args, io, async (store) => {
    const { user, datasets } = await reviewer(args, store);
    if (datasets.length === 0) io.stderr.write(`lode privileged: note: ${user.name} is granted no dataset; lode grant ${user.name} --dataset D\n`);
    const found = await store.withheldMessages({ dataset, datasets, limit, offset });
    await store.appendAudit({ actor: user.name, action: 'privilege.review', target: dataset, details: { via: cliActor(io), total: found.total, shown: found.messages.map((m) => m.id) } });
    return found;
  }, 'ingest');
  if (args.json) writeJson(io, answer);
  else {
    for (const m of answer.messages) io.stdout.write(describe(m));
    io.stdout.write(`${answer.total} withheld messages awaiting review (showing ${answer.messages.length})\n`);
  }
  return 0;
}

async function decide(args: ParsedCommand, io: CliIO, action: 'release' | 'destroy', id: string): Promise<number> {
  const note = stringOption(args, 'note');
  const outcome = await withStore(args, io, async (store) => {
    const { user, datasets } = await reviewer(args, store);
    // the store appends the audit event of the decision itself
    return store.decidePrivilege(id, action === 'release' ? 'released' : 'destroyed', user.name, note, datasets);
  }, 'ingest');
  if (outcome.kind === 'not-found') throw new UserError(`no item with id "${id}" in the reviewer's datasets`);
  if (outcome.kind === 'not-privileged') throw new UserError(`${id} is not privileged: there is nothing to ${action}`);
  if (outcome.kind === 'destroyed') throw new UserError(`${id} was destroyed already`);
  if (args.json) writeJson(io, { decision: outcome.decision });
  else {
    io.stdout.write(`${id} ${outcome.decision.status} by ${outcome.decision.decidedBy} at ${outcome.decision.decidedAt}\n`);
    if (action === 'destroy') io.stdout.write('run lode privileged purge to erase the words from the file\n');
  }
  return 0;
}

/** Erases destroyed messages' words from the store file; the store appends the audit event. */
async function purge(args: ParsedCommand, io: CliIO): Promise<number> {
  const outcome = await withStore(args, io, (store) => store.purgeDestroyed(cliActor(io)), 'ingest');
  if (args.json) writeJson(io, outcome);
  else io.stdout.write(`purged: ${outcome.destroyed} destroyed messages erased from the file; ${mib(outcome.bytesBefore)} -> ${mib(outcome.bytesAfter)}\n`);
  return 0;
}

function mib(bytes: number): string {
  return `${(bytes / (1 << 20)).toFixed(1)} MiB`;
}

function describe(m: WithheldMessage): string {
  const parties = m.privilegedParties.map((p) => `${p.handle} = ${p.identifier}${p.label ? ` (${p.label})` : ''}`).join('; ');
  return [
    `${m.id}  ${m.ts ?? 'undated'}  [${m.dataset}/${m.platform}]  ${m.from}${m.to.length > 0 ? ` -> ${m.to.join(', ')}` : ''}`,
    `    privileged: ${parties}`,
    ...m.body.split('\n').map((l) => `    ${l}`),
    '',
  ].join('\n');
}
