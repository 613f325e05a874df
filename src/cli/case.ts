// `lode case`: open a case (empty or from a discovery candidate), link evidence to it, annotate
// and tag it (never altering evidence), show it, and export a court bundle. Every step is audited.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Annotation, CaseItemKind } from '../model/cases.ts';
import { caseContents, type CaseContents } from '../cases/bundle.ts';
import { CaseItemError, queryItems, resolveItem, wordListQuery, type ItemRef } from '../cases/case-items.ts';
import { isCandidateSummary, openCase, OpenCaseError } from '../cases/open-case.ts';
import { formatQueryError, QuerySyntaxError } from '../search/parse.ts';
import { cliActor } from './audit.ts';
import { UsageError, UserError, stringOption, withStore, writeJson, type CliIO, type Command, type ParsedCommand } from './command.ts';
import type { Store } from '../store/store.ts';

export const caseCommand: Command = {
  name: 'case',
  summary: 'Cases: link evidence, annotate, tag, and export a court-ready bundle with a verifiable manifest.',
  usage: 'case create NAME [--title T] [--description D] [--from-candidate ID] | list | show NAME'
    + ' | add NAME [ITEM...] [--query Q [--dataset D]] [--wordlist FILE] [--tag T]... | note NAME TEXT [--on ITEM] [--translation]'
    + ' | close NAME | reopen NAME | export NAME --out DIR [--format all|bundle|ftm]',
  details: [
    'ITEM: a message id, account:ID or account:[DATASET/]HANDLE, entity:TYPE:VALUE (phone, iban, email, btc, ...),',
    'person:ID, or alert:ID (its message). --query adds every hit (up to 5000) and --wordlist every message with',
    'any word of the file (one word or phrase a line); both are recorded with the case as used, with their hit',
    'counts. --from-candidate opens a case from lode discover\'s candidate: its messages, accounts and entities.',
    'Notes and translations are annotations beside the evidence; the evidence itself never changes.',
    'export writes report.html, report.pdf, items.jsonl (provenance of every message), queries.json, ftm.jsonl',
    '(FollowTheMoney, for Aleph) and MANIFEST.sha256: check it with `cd DIR && sha256sum -c MANIFEST.sha256`.',
  ].join('\n'),
  options: {
    title: { type: 'string', description: 'a title (create)', valueName: 'T' },
    description: { type: 'string', description: 'what the case is about (create)', valueName: 'D' },
    'from-candidate': { type: 'string', description: 'open from a discovery candidate (create; lode discover)', valueName: 'ID' },
    query: { type: 'string', short: 'q', description: 'add every hit of this query (add)', valueName: 'Q' },
    dataset: { type: 'string', short: 'd', description: 'the dataset of --query/--wordlist', valueName: 'D' },
    wordlist: { type: 'string', description: 'add every message with a word of this file (add)', valueName: 'FILE' },
    tag: { type: 'string', short: 't', multiple: true, description: 'tag the added items (add; repeatable; adding a linked item again adds the tags)', valueName: 'T' },
    on: { type: 'string', description: 'the item a note is about (note)', valueName: 'ITEM' },
    translation: { type: 'boolean', description: 'the note is a translation by hand of the item (note)' },
    out: { type: 'string', short: 'o', description: 'directory to export into, new or empty (export)', valueName: 'DIR' },
    format: { type: 'string', description: 'all (default), bundle or ftm (export)', valueName: 'F' },
  },
  positionals: { min: 1, max: Infinity, names: 'create|list|show|add|note|close|reopen|export NAME ...' },
  async run(args, io) {
    const [action, name, ...rest] = args.positionals as [string, string | undefined, ...string[]];
    if (action === 'list') return list(args, io);
    if (!name) throw new UsageError('missing NAME');
    switch (action) {
      case 'create': return create(args, io, name);
      case 'show': return show(args, io, name);
      case 'add': return add(args, io, name, rest);
      case 'note': return note(args, io, name, rest);
      case 'close':
      case 'reopen': return setStatus(args, io, name, action === 'close' ? 'closed' : 'open');
      case 'export': return exportCommand(args, io, name);
      default: throw new UsageError('the first argument is create, list, show, add, note, close, reopen or export');
    }
  },
};

async function create(args: ParsedCommand, io: CliIO, name: string): Promise<number> {
  const actor = cliActor(io);
  const candidateId = stringOption(args, 'from-candidate');
  const outcome = await withStore(args, io, async (store) => {
    let candidate;
    if (candidateId !== undefined) {
      const found = (await store.candidates('all')).find((c) => c.id === candidateId || c.id.startsWith(candidateId));
      if (!found) throw new UserError(`no discovery candidate ${candidateId} (lode discover lists them)`);
      if (!isCandidateSummary(found.candidate)) throw new UserError(`candidate ${candidateId} is not readable by this version; run lode discover again`);
      candidate = found.candidate;
    }
    try {
      const opened = await openCase(store, name, actor, { title: stringOption(args, 'title'), description: stringOption(args, 'description'), candidate });
      await store.appendAudit({ actor, action: 'case.create', target: name, details: { candidate: candidate?.id, items: opened.items } });
      return opened;
    } catch (error) {
      if (error instanceof OpenCaseError) throw new UserError(error.message);
      throw error;
    }
  }, 'ingest');
  if (args.json) writeJson(io, outcome);
  else io.stdout.write(`case ${name} opened${outcome.items > 0 ? ` with ${outcome.items} items from candidate ${candidateId}` : ''}\n`);
  return 0;
}

async function list(args: ParsedCommand, io: CliIO): Promise<number> {
  const cases = await withStore(args, io, (store) => store.cases());
  if (args.json) writeJson(io, { cases });
  else io.stdout.write(cases.length === 0 ? 'no cases\n' : cases.map((c) => `${c.name}  ${c.status.padEnd(6)} ${String(c.items).padStart(5)} items  ${c.title ?? ''}  (by ${c.createdBy}, ${c.createdAt.slice(0, 10)})\n`).join(''));
  return 0;
}

async function contentsOrFail(store: Store, name: string, actor: string): Promise<CaseContents> {
  const contents = await caseContents(store, name, undefined, actor);
  if (!contents) throw new UserError(`no case ${name}`);
  return contents;
}

async function show(args: ParsedCommand, io: CliIO, name: string): Promise<number> {
  const actor = cliActor(io);
  const contents = await withStore(args, io, async (store) => {
    const found = await contentsOrFail(store, name, actor);
    await store.appendAudit({ actor, action: 'case.view', target: name, details: { messages: found.messages.length } });
    return found;
  });
  if (args.json) {
    writeJson(io, contents);
    return 0;
  }
  const c = contents.case;
  const lines = [
    `case ${c.name}${c.title ? `: ${c.title}` : ''} (${c.status}, opened by ${c.createdBy} ${c.createdAt.slice(0, 10)}${c.candidate ? `, from candidate ${c.candidate}` : ''})`,
    ...(c.description ? [c.description] : []),
    `${contents.messages.length} messages${contents.withheld > 0 ? ` (+${contents.withheld} withheld by privilege or scope)` : ''}, ${contents.accounts.length} accounts, ${contents.entities.length} entities, ${contents.persons.length} persons, ${contents.alerts.length} alerts, ${contents.annotations.length} annotations`,
    '',
    'timeline:',
    ...contents.timeline.slice(0, 40).map((t) => `  ${t.ts.slice(0, 16)}  ${t.kind.padEnd(10)} ${t.summary}`),
    ...(contents.timeline.length > 40 ? [`  ... ${contents.timeline.length - 40} more (--json for all)`] : []),
    ...(contents.queries.length > 0 ? ['', 'built with:', ...contents.queries.map((q) => `  ${q.kind} ${q.text}${q.hits !== undefined ? ` (${q.hits} hits)` : ''} by ${q.addedBy}`)] : []),
  ];
  io.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

async function add(args: ParsedCommand, io: CliIO, name: string, items: readonly string[]): Promise<number> {
  const query = stringOption(args, 'query');
  const wordlist = stringOption(args, 'wordlist');
  if (items.length === 0 && query === undefined && wordlist === undefined) throw new UsageError('add needs ITEMs, --query or --wordlist');
  const dataset = stringOption(args, 'dataset');
  const tags = (args.values.tag as string[] | undefined) ?? [];
  const words = wordlist === undefined ? undefined : await readLines(wordlist);
  const actor = cliActor(io);
  const outcome = await withStore(args, io, async (store) => {
    if (!(await store.findCase(name))) throw new UserError(`no case ${name}`);
    const refs: ItemRef[] = [];
    try {
      for (const item of items) refs.push(await resolveItem(store, item));
      const used: { kind: 'query' | 'wordlist'; text: string; total: number }[] = [];
      if (query !== undefined) {
        const found = await queryItems(store, query, dataset);
        refs.push(...found.refs);
        used.push({ kind: 'query', text: query, total: found.total });
      }
      if (words !== undefined) {
        const asQuery = wordListQuery(words);
        const found = await queryItems(store, asQuery, dataset);
        refs.push(...found.refs);
        used.push({ kind: 'wordlist', text: words.filter((w) => w.trim() !== '' && !w.trim().startsWith('#')).join('\n'), total: found.total });
      }
      const added = await store.addCaseItems(name, refs.map((r) => ({ ...r, tags })), actor);
      for (const u of used) await store.addCaseQuery(name, { kind: u.kind, text: u.text, dataset, hits: u.total, addedBy: actor });
      await store.appendAudit({ actor, action: 'case.add', target: name, details: { items: refs.length, added, queries: used.map((u) => u.text), tags } });
      return { linked: refs.length, added, queries: used };
    } catch (error) {
      if (error instanceof CaseItemError) throw new UserError(error.message);
      if (error instanceof QuerySyntaxError) throw new UserError(formatQueryError(query ?? '', error));
      throw error;
    }
  }, 'ingest');
  if (args.json) writeJson(io, outcome);
  else {
    io.stdout.write(`${outcome.added} items added to ${name} (${outcome.linked - outcome.added} were linked already)\n`);
    for (const q of outcome.queries) if (q.total > 5000) io.stderr.write(`the ${q.kind} has ${q.total} hits; only the first 5000 were linked: narrow it\n`);
  }
  return 0;
}

async function note(args: ParsedCommand, io: CliIO, name: string, words: readonly string[]): Promise<number> {
  const text = words.join(' ').trim();
  if (text === '') throw new UsageError('note needs a TEXT');
  const on = stringOption(args, 'on');
  const kind: Annotation['kind'] = args.values.translation ? 'translation' : 'note';
  if (kind === 'translation' && on === undefined) throw new UsageError('a translation needs --on ITEM (the message it translates)');
  const actor = cliActor(io);
  const annotation = await withStore(args, io, async (store) => {
    if (!(await store.findCase(name))) throw new UserError(`no case ${name}`);
    let target: { kind: CaseItemKind; ref: string } | undefined;
    if (on !== undefined) {
      try {
        target = await resolveItem(store, on);
      } catch (error) {
        if (error instanceof CaseItemError) throw new UserError(error.message);
        throw error;
      }
    }
    const added = await store.addAnnotation(name, { kind, text, author: actor, ...(target ? { target } : {}) });
    await store.appendAudit({ actor, action: 'case.annotate', target: name, details: { annotation: added?.id, kind, on: target } });
    return added!;
  }, 'ingest');
  if (args.json) writeJson(io, annotation);
  else io.stdout.write(`${kind} #${annotation.id} added to ${name}\n`);
  return 0;
}

async function setStatus(args: ParsedCommand, io: CliIO, name: string, status: 'open' | 'closed'): Promise<number> {
  const actor = cliActor(io);
  const done = await withStore(args, io, async (store) => {
    const changed = await store.setCaseStatus(name, status);
    if (changed) await store.appendAudit({ actor, action: 'case.status', target: name, details: { status } });
    return changed;
  }, 'ingest');
  if (!done) throw new UserError(`no case ${name}`);
  if (args.json) writeJson(io, { case: name, status });
  else io.stdout.write(`case ${name} is ${status}\n`);
  return 0;
}

async function exportCommand(args: ParsedCommand, io: CliIO, name: string): Promise<number> {
  const out = stringOption(args, 'out');
  if (!out) throw new UsageError('export needs --out DIR');
  const format = stringOption(args, 'format') ?? 'all';
  if (!['all', 'bundle', 'ftm'].includes(format)) throw new UsageError(`--format is all, bundle or ftm; got "${format}"`);
  const actor = cliActor(io);
  const result = await withStore(args, io, async (store) => {
    const contents = await contentsOrFail(store, name, actor);
    // pdfkit and the report code load only for an export, not for every case command
    const { exportCase } = await import('../cases/export/export-case.ts');
    let exported;
    try {
      exported = await exportCase(contents, resolve(out), { formats: format === 'all' ? ['bundle', 'ftm'] : [format as 'bundle' | 'ftm'] });
    } catch (error) {
      throw new UserError((error as Error).message);
    }
    await store.appendAudit({
      actor, action: 'case.export', target: name,
      details: { dir: exported.dir, manifestSha256: exported.manifestSha256, files: exported.files.length, messages: contents.messages.length, withheld: contents.withheld },
    });
    return { ...exported, withheld: contents.withheld };
  });
  if (args.json) writeJson(io, result);
  else {
    io.stdout.write(`exported case ${name} to ${result.dir}: ${result.files.length} files\n${result.files.map((f) => `  ${f.sha256}  ${f.path} (${f.bytes} bytes)\n`).join('')}`);
    io.stdout.write(`MANIFEST.sha256 ${result.manifestSha256}\ncheck: cd ${result.dir} && sha256sum -c MANIFEST.sha256\n`);
    if (result.withheld > 0) io.stderr.write(`${result.withheld} linked messages are withheld (privilege or scope) and were not exported\n`);
  }
  return 0;
}

async function readLines(path: string): Promise<string[]> {
  try {
    return (await readFile(path, 'utf8')).split(/\r?\n/);
  } catch (error) {
    throw new UserError(`cannot read ${path}: ${(error as Error).message}`);
  }
}
