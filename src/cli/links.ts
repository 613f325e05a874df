import { personOfLink, updateLinks } from '../analyze/links-update.ts';
import type { AccountLink, LinkStatus } from '../model/attribution.ts';
import { UsageError, UserError, integerOption, stringOption, withStore, writeJson, type Command } from './command.ts';

const STATUSES: readonly LinkStatus[] = ['proposed', 'confirmed', 'rejected'];

export const linksCommand: Command = {
  name: 'links',
  summary: 'Accounts one person may hold: shared handsets, numbers, e-mails, disclosed identifiers, agreeing names.',
  usage: 'links [--update] [--status proposed|confirmed|rejected] [--account HANDLE] [--limit N]',
  details: [
    '--update gathers the evidence again (all datasets) and stores new or changed proposals; links an analyst',
    'confirmed or rejected keep that decision. Decide with `lode link confirm|reject ID`.',
    'Scores: shared handset 0.9, shared phone or e-mail 0.85, names agreeing 0.55-0.7 (common names are shared by strangers),',
    'a disclosed identifier 0.5-0.7.',
  ].join('\n'),
  options: {
    update: { type: 'boolean', description: 'gather the evidence again and store proposals first' },
    status: { type: 'string', description: 'only links with this status', valueName: 'S' },
    account: { type: 'string', description: 'only links of this handle', valueName: 'HANDLE' },
    limit: { type: 'string', short: 'n', description: 'links to list (default 50)', valueName: 'N' },
    offset: { type: 'string', description: 'links to skip', valueName: 'N' },
  },
  positionals: { min: 0, max: 0, names: '' },
  async run(args, io) {
    const status = stringOption(args, 'status') as LinkStatus | undefined;
    if (status !== undefined && !STATUSES.includes(status)) throw new UsageError(`--status must be one of ${STATUSES.join(', ')}`);
    const result = await withStore(args, io, async (store) => {
      const saved = args.values.update === true ? await updateLinks(store) : undefined;
      let account: number | undefined;
      const handle = stringOption(args, 'account');
      if (handle !== undefined) {
        const found = await store.findAccounts(handle);
        if (found.length !== 1) throw new UserError(found.length === 0 ? `no account "${handle}"` : `"${handle}" is several accounts; use lode account to pick one`);
        account = found[0]!.id;
      }
      const listed = await store.links({ status, account, limit: integerOption(args, 'limit', 50, 1, 100_000), offset: integerOption(args, 'offset', 0) });
      return { ...listed, ...(saved ? { updated: saved } : {}) };
    }, args.values.update === true ? 'ingest' : 'read');
    if (args.json) writeJson(io, result);
    else {
      if (result.updated) io.stdout.write(`evidence gathered: ${result.updated.added} new links, ${result.updated.updated} changed\n`);
      for (const link of result.links) io.stdout.write(describeLink(link));
      io.stdout.write(`${result.total} links${result.total > result.links.length ? ` (showing ${result.links.length})` : ''}\n`);
    }
    return 0;
  },
};

export const linkCommand: Command = {
  name: 'link',
  summary: 'Decide a proposed link: confirm (the accounts join one person) or reject.',
  usage: 'link confirm|reject ID [--note TEXT] [--by NAME]',
  options: {
    note: { type: 'string', description: 'why (kept with the decision)', valueName: 'TEXT' },
    by: { type: 'string', description: 'who decides (default: the user running lode)', valueName: 'NAME' },
  },
  positionals: { min: 2, max: 2, names: 'confirm|reject ID' },
  async run(args, io) {
    const [action, idText] = args.positionals as [string, string];
    const status: LinkStatus | undefined = action === 'confirm' ? 'confirmed' : action === 'reject' ? 'rejected' : undefined;
    if (!status) throw new UsageError('the first argument is confirm or reject');
    const id = Number(idText.replace(/^#/, ''));
    if (!Number.isInteger(id) || id <= 0) throw new UsageError(`"${idText}" is not a link id`);
    const by = stringOption(args, 'by') ?? io.env.USER ?? 'unknown';
    const result = await withStore(args, io, async (store) => {
      const link = await store.decideLink(id, status, by, stringOption(args, 'note'));
      if (!link) return undefined;
      return { link, person: status === 'confirmed' ? await personOfLink(store, link) : undefined };
    }, 'ingest');
    if (!result) throw new UserError(`no link #${id}`);
    if (args.json) writeJson(io, result);
    else {
      io.stdout.write(describeLink(result.link));
      if (result.person) io.stdout.write(`person #${result.person.id}${result.person.name ? ` ${result.person.name}` : ''}: ${result.person.accounts.map((a) => `${a.platform}:${a.handle} [${a.dataset}]`).join(', ')}\n`);
    }
    return 0;
  },
};

function describeLink(l: AccountLink): string {
  const head = `#${l.id} ${l.kind} ${l.score.toFixed(2)} ${l.status}${l.decidedBy ? ` by ${l.decidedBy}` : ''}: ${l.a.platform}:${l.a.handle} [${l.a.dataset}] ~ ${l.b.platform}:${l.b.handle} [${l.b.dataset}]`;
  const evidence = l.evidence.slice(0, 3).map((e) => `    ${e.what} ${e.value}: ${e.a}; ${e.b}`);
  return `${[head, ...evidence, ...(l.note ? [`    note: ${l.note}`] : [])].join('\n')}\n`;
}
