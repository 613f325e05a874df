// `lode scope`: the legal scope a warrant gives a dataset. Outside it, nobody but admins sees a
// message (the local operator counts as admin: they hold the store file anyway).
import type { LegalScope } from '../model/security.ts';
import { cliActor } from './audit.ts';
import { UsageError, UserError, stringOption, withStore, writeJson, type Command, type ParsedCommand } from './command.ts';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

export const scopeCommand: Command = {
  name: 'scope',
  summary: 'Set, show or clear the legal scope of a dataset (the handles and time window a warrant authorises).',
  usage: 'scope set DATASET [--handles a,b] [--from DATE] [--to DATE] --warrant REF | scope show DATASET | scope clear DATASET',
  details: [
    'Outside the scope a message is invisible to everyone but admins: in searches (hits, totals, facets),',
    'single items and conversations. A message is inside when its sender or a recipient is one of the',
    'handles (phone handles match in any writing) and its time lies in the window; an undated message is',
    'outside any window. --from is inclusive; --to is inclusive for a date (through the end of that day,',
    'UTC) and exclusive for a full time (2020-05-01T12:00:00Z). set replaces the previous scope.',
    'Every change is written to the audit log.',
  ].join('\n'),
  options: {
    handles: { type: 'string', description: 'comma-separated handles the warrant names', valueName: 'a,b' },
    from: { type: 'string', description: 'first day or time of the window (UTC)', valueName: 'DATE' },
    to: { type: 'string', description: 'last day of the window, or the time it ends', valueName: 'DATE' },
    warrant: { type: 'string', short: 'w', description: 'the warrant\'s reference (required for set)', valueName: 'REF' },
  },
  positionals: { min: 2, max: 2, names: 'set|show|clear DATASET' },
  async run(args, io) {
    const [action, dataset] = args.positionals as [string, string];
    if (action === 'set') {
      const scope = parseScope(args);
      const set = await withStore(args, io, async (store) => {
        const result = await store.setScope(dataset, scope, cliActor(io));
        if (!result) throw new UserError(`no dataset "${dataset}"`);
        await store.appendAudit({ actor: cliActor(io), action: 'scope.set', target: dataset, details: { ...result } });
        return result;
      }, 'ingest');
      if (args.json) writeJson(io, { scope: set });
      else io.stdout.write(`scope of ${dataset} set:\n${describe(set)}`);
      return 0;
    }
    if (Object.keys(SCOPE_OPTIONS).some((name) => args.values[name] !== undefined)) throw new UsageError(`--handles, --from, --to and --warrant belong to scope set`);
    if (action === 'show') {
      const shown = await withStore(args, io, async (store) => {
        if (!(await store.findDataset(dataset))) throw new UserError(`no dataset "${dataset}"`);
        return (await store.scopeOf(dataset)) ?? null;
      });
      if (args.json) writeJson(io, { dataset, scope: shown });
      else io.stdout.write(shown ? describe(shown) : `${dataset} has no legal scope: every message is in it\n`);
      return 0;
    }
    if (action === 'clear') {
      const cleared = await withStore(args, io, async (store) => {
        if (!(await store.findDataset(dataset))) throw new UserError(`no dataset "${dataset}"`);
        const had = await store.clearScope(dataset);
        if (had) await store.appendAudit({ actor: cliActor(io), action: 'scope.clear', target: dataset, details: {} });
        return had;
      }, 'ingest');
      if (args.json) writeJson(io, { dataset, cleared });
      else io.stdout.write(cleared ? `scope of ${dataset} cleared\n` : `${dataset} had no legal scope\n`);
      return 0;
    }
    throw new UsageError('the first argument is set, show or clear');
  },
};

const SCOPE_OPTIONS = { handles: true, from: true, to: true, warrant: true } as const;

function parseScope(args: ParsedCommand): { handles?: string[]; fromMs?: number; toMs?: number; warrant: string } {
  const warrant = stringOption(args, 'warrant')?.trim();
  if (!warrant) throw new UsageError('--warrant REF is required: a scope without its warrant cannot be checked');
  const handlesText = stringOption(args, 'handles');
  const handles = handlesText?.split(',').map((h) => h.trim()).filter((h) => h !== '');
  if (handlesText !== undefined && handles!.length === 0) throw new UsageError('--handles needs at least one handle');
  const fromMs = parseDate('from', stringOption(args, 'from'), false);
  const toMs = parseDate('to', stringOption(args, 'to'), true);
  if (fromMs !== undefined && toMs !== undefined && fromMs >= toMs) throw new UsageError('--from must lie before --to');
  if (handles === undefined && fromMs === undefined && toMs === undefined) throw new UsageError('give --handles, --from or --to: a scope limits something');
  return { ...(handles ? { handles } : {}), ...(fromMs === undefined ? {} : { fromMs }), ...(toMs === undefined ? {} : { toMs }), warrant };
}

function parseDate(name: string, text: string | undefined, isEnd: boolean): number | undefined {
  if (text === undefined) return undefined;
  const isDay = DATE_ONLY.test(text);
  const ms = Date.parse(isDay ? `${text}T00:00:00Z` : text);
  if (Number.isNaN(ms)) throw new UsageError(`--${name} takes a date such as 2020-04-01 or a time such as 2020-04-01T12:00:00Z, got "${text}"`);
  // a warrant's "until 30 April" includes that day
  return isDay && isEnd ? ms + DAY_MS : ms;
}

function describe(scope: LegalScope): string {
  return [
    `  dataset   ${scope.dataset}`,
    `  warrant   ${scope.warrant}`,
    `  handles   ${scope.handles ? scope.handles.join(', ') : '(all)'}`,
    `  window    ${scope.from ?? '(open)'} .. ${scope.to ? `${scope.to} (exclusive)` : '(open)'}`,
    `  set by    ${scope.setBy} at ${scope.setAt}`,
    '',
  ].join('\n');
}
