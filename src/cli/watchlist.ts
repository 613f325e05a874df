// `lode watchlist`: saved queries and entity lists that run on every new batch (each ingest run
// ends by running them over what it added) and raise alerts. `lode triage --rescore` scores
// stored messages again with the current lexicons.
import { readFile } from 'node:fs/promises';
import type { Watchlist } from '../model/triage.ts';
import { parseQuery, formatQueryError } from '../search/parse.ts';
import { watchlistEntities } from '../triage/watchlist-entry.ts';
import { rescoreDataset, type RescoreOutcome } from '../triage/rescore.ts';
import { createMessageTriage } from '../triage/message-triage.ts';
import { cliActor } from './audit.ts';
import { createProgress } from './progress.ts';
import { UsageError, UserError, stringOption, withStore, writeJson, type CliIO, type Command, type ParsedCommand } from './command.ts';

export const watchlistCommand: Command = {
  name: 'watchlist',
  summary: 'Saved queries and entity lists that run on every new batch and raise alerts.',
  usage: 'watchlist add NAME (--query Q | --entities FILE) [--dataset D] [--priority P] [--backfill] | list | remove NAME | run [NAME --backfill]',
  details: [
    'Every ingest run ends by running every watchlist over the messages it added; hits become alerts of kind',
    'watchlist (lode alerts --kind watchlist), scored with the watchlist\'s priority (0..1, default 0.7).',
    '--query takes the query language (docs/QUERY.md). --entities takes a file with one entry a line:',
    'phone:+31612345678, iban:..., email:..., btc:..., handle:tapeworm, or a bare value (classified as lode',
    'search --list does; phone numbers in any writing). A new watchlist looks only at new data; --backfill also',
    'raises alerts for what is already stored. run: runs the watchlists over what is queued (an interrupted ingest).',
  ].join('\n'),
  options: {
    query: { type: 'string', short: 'q', description: 'a query in the query language', valueName: 'Q' },
    entities: { type: 'string', short: 'e', description: 'a file of identifiers and handles, one a line', valueName: 'FILE' },
    dataset: { type: 'string', short: 'd', description: 'only this dataset', valueName: 'D' },
    priority: { type: 'string', short: 'p', description: 'score of its alerts, 0..1 (default 0.7)', valueName: 'P' },
    backfill: { type: 'boolean', description: 'also raise alerts for what is stored already' },
  },
  positionals: { min: 1, max: 2, names: 'add|list|remove|run [NAME]' },
  async run(args, io) {
    const [action, name] = args.positionals as [string, string | undefined];
    switch (action) {
      case 'add':
        if (!name) throw new UsageError('missing NAME');
        return add(args, io, name);
      case 'list':
        return list(args, io);
      case 'remove': {
        if (!name) throw new UsageError('missing NAME');
        const removed = await withStore(args, io, async (store) => {
          const done = await store.removeWatchlist(name);
          if (done) await store.appendAudit({ actor: cliActor(io), action: 'watchlist.remove', target: name });
          return done;
        }, 'ingest');
        if (!removed) throw new UserError(`no watchlist ${name}`);
        if (args.json) writeJson(io, { removed: name });
        else io.stdout.write(`removed watchlist ${name} (its alerts stay)\n`);
        return 0;
      }
      case 'run': {
        if (name && !args.values.backfill) throw new UsageError('run NAME needs --backfill (without a name, run checks what is queued)');
        const run = await withStore(args, io, async (store) => {
          if (name && !(await store.watchlists()).some((w) => w.name === name)) throw new UserError(`no watchlist ${name}`);
          const outcome = await store.runWatchlists(parseQuery, name);
          await store.appendAudit({ actor: cliActor(io), action: 'watchlist.run', target: name, details: { ...outcome } });
          return outcome;
        }, 'ingest');
        if (args.json) writeJson(io, run);
        else io.stdout.write(`checked ${run.checked} messages: ${run.raised} new alerts\n${run.watchlists.map((w) => `  ${w.name}: ${w.matched} matching, ${w.raised} new alerts\n`).join('')}`);
        return 0;
      }
      default:
        throw new UsageError('the first argument is add, list, remove or run');
    }
  },
};

async function add(args: ParsedCommand, io: CliIO, name: string): Promise<number> {
  const query = stringOption(args, 'query');
  const entitiesFile = stringOption(args, 'entities');
  if (query === undefined && entitiesFile === undefined) throw new UsageError('a watchlist needs --query Q and/or --entities FILE');
  if (query !== undefined) {
    try {
      parseQuery(query);
    } catch (error) {
      throw new UsageError(formatQueryError(query, error));
    }
  }
  let entities: Record<string, string[]> | undefined;
  if (entitiesFile !== undefined) {
    let text: string;
    try {
      text = await readFile(entitiesFile, 'utf8');
    } catch (error) {
      throw new UserError(`cannot read ${entitiesFile}: ${(error as Error).message}`);
    }
    const parsed = watchlistEntities(text.split(/\r?\n/));
    if (parsed.invalid.length > 0) throw new UserError(`${entitiesFile}: not valid: ${parsed.invalid.slice(0, 5).join(', ')}${parsed.invalid.length > 5 ? ` and ${parsed.invalid.length - 5} more` : ''}`);
    if (Object.keys(parsed.entities).length === 0) throw new UserError(`${entitiesFile} holds no entries`);
    entities = parsed.entities;
  }
  const priorityText = stringOption(args, 'priority');
  const priority = priorityText === undefined ? 0.7 : Number(priorityText);
  if (!(priority >= 0 && priority <= 1)) throw new UsageError(`--priority is a number from 0 to 1; got "${priorityText}"`);
  const dataset = stringOption(args, 'dataset');
  const actor = cliActor(io);
  const outcome = await withStore(args, io, async (store) => {
    if (dataset && !(await store.findDataset(dataset))) throw new UserError(`no dataset ${dataset}`);
    const created = await store.addWatchlist({ name, query, entities, dataset, priority, createdBy: actor });
    if (!created) throw new UserError(`a watchlist called ${name} exists already`);
    await store.appendAudit({ actor, action: 'watchlist.add', target: name, details: { query, entities, dataset, priority } });
    const backfill = args.values.backfill ? await store.runWatchlists(parseQuery, name) : undefined;
    return { watchlist: created, backfill };
  }, 'ingest');
  if (args.json) writeJson(io, outcome);
  else {
    io.stdout.write(`watchlist ${name} added: it runs on every new batch\n`);
    if (outcome.backfill) io.stdout.write(`backfill: ${outcome.backfill.raised} alerts on stored messages\n`);
  }
  return 0;
}

async function list(args: ParsedCommand, io: CliIO): Promise<number> {
  const lists = await withStore(args, io, (store) => store.watchlists());
  if (args.json) writeJson(io, { watchlists: lists });
  else io.stdout.write(lists.length === 0 ? 'no watchlists\n' : lists.map(describe).join(''));
  return 0;
}

function describe(w: Watchlist): string {
  const what = [
    w.query !== undefined ? `query ${w.query}` : '',
    w.entities ? Object.entries(w.entities).map(([type, values]) => `${values.length} ${type}`).join(', ') : '',
  ].filter(Boolean).join('; ');
  return `${w.name}: ${what}${w.dataset ? ` (dataset ${w.dataset})` : ''}, priority ${w.priority}, ${w.alerts} alerts, by ${w.createdBy}\n`;
}

export const triageCommand: Command = {
  name: 'triage',
  summary: 'Score stored messages again for threats to life and insider leaks (after extending a lexicon).',
  usage: 'triage --rescore [--dataset D]',
  details: [
    'Ingest scores every message; run this after adding terms to a lexicon (docs/TRIAGE.md, LODE_LEXICONS),',
    'for data ingested with --skip-triage, or so that a threat in one file gives context to another file.',
    'Messages are read in time order. Alerts are raised or refreshed; an alert the new scoring no longer',
    'raises is removed only when nobody worked on it (still new, unassigned, without notes).',
  ].join('\n'),
  options: {
    rescore: { type: 'boolean', description: 'score the stored messages again' },
    dataset: { type: 'string', short: 'd', description: 'only this dataset', valueName: 'D' },
  },
  positionals: { min: 0, max: 0, names: '' },
  async run(args, io) {
    if (!args.values.rescore) throw new UsageError('triage needs --rescore');
    const only = stringOption(args, 'dataset');
    const actor = cliActor(io);
    const outcomes = await withStore(args, io, async (store) => {
      const datasets = (await store.summarise()).map((d) => ({ name: d.name, messages: d.messages }))
        .filter((d) => only === undefined || d.name === only);
      if (only !== undefined && datasets.length === 0) throw new UserError(`no dataset ${only}`);
      const results: RescoreOutcome[] = [];
      let toolrun: { component: string; version: string } | undefined;
      for (const d of datasets) {
        // a fresh scorer per dataset: one dataset's threats give no context to another's messages
        const configured = await createMessageTriage(io.env);
        toolrun = configured.toolrun;
        const progress = createProgress(io.stderr, io.isTTY, `triage ${d.name}`, 'messages');
        results.push(await rescoreDataset(store, d.name, configured.triage, configured.toolrun, (done) => progress.update(done, d.messages, done), io.signal));
        progress.finish();
      }
      await store.appendAudit({ actor, action: 'triage.rescore', target: only, details: { toolrun, results } });
      return { results, toolrun };
    }, 'ingest');
    if (args.json) writeJson(io, { toolrun: outcomes.toolrun, datasets: outcomes.results });
    else {
      for (const o of outcomes.results) io.stdout.write(`${o.dataset}: ${o.messages} messages scored, ${o.findings} findings, ${o.alerts} new alerts, ${o.removed} untouched alerts withdrawn\n`);
    }
    return 0;
  },
};
