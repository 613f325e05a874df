import { parseQuery, formatQueryError, QuerySyntaxError } from '../search/parse.ts';
import type { SearchResult, SearchSort } from '../model/search.ts';
import { UserError, UsageError, integerOption, stringOption, withAuditedRead, writeJson, type Command } from './command.ts';
import { searchStore } from '../search/search.ts';
import { readFile } from 'node:fs/promises';
import { lookupList } from '../analyze/list-lookup.ts';
import type { ListMatch } from '../model/entities.ts';

const SORTS: readonly SearchSort[] = ['newest', 'oldest', 'relevance'];

export const searchCommand: Command = {
  name: 'search',
  summary: 'Search messages and notes with the query language (docs/QUERY.md).',
  usage: 'search "QUERY" [--dataset NAME] [--limit N] [--offset N] [--sort newest|oldest|relevance] | search --list FILE',
  details: [
    'Examples:',
    '  lode search \'kilo~1 AND haven\'',
    '  lode search \'"geld cash"~5 from:tapeworm date:[2020-04-01 TO 2020-05-01]\'',
    '  lode search \'coke* -pizza lang:nl\' --sort relevance',
    'Results are newest first; relevance ranking applies to hit sets of at most 5000.',
    'Entity filters take any writing of the value: phone:0612345678 phone:"+31 6 1234 5678" iban:nl91abna0417164300.',
    '',
    '--list FILE looks up many values at once, one a line (phone numbers, e-mails, IBANs, wallets, IMEIs,',
    'IPs, or account handles; a prefix such as phone: or handle: forces the reading): which appear, where, how often.',
  ].join('\n'),
  options: {
    dataset: { type: 'string', short: 'd', description: 'only this dataset', valueName: 'NAME' },
    limit: { type: 'string', short: 'n', description: 'hits to return (default 20, at most 1000)', valueName: 'N' },
    offset: { type: 'string', description: 'hits to skip (paging)', valueName: 'N' },
    sort: { type: 'string', description: 'newest (default), oldest or relevance', valueName: 'ORDER' },
    'no-facets': { type: 'boolean', description: 'skip the facet counts' },
    list: { type: 'string', description: 'look up every value in FILE (one a line) instead of a query', valueName: 'FILE' },
  },
  positionals: { min: 0, max: 1, names: 'QUERY', isFreeText: true },
  async run(args, io) {
    const listPath = stringOption(args, 'list');
    if (listPath !== undefined) {
      if (args.positionals.length > 0) throw new UsageError('give either a QUERY or --list FILE, not both');
      return searchList(listPath, args, io);
    }
    const query = args.positionals[0];
    if (query === undefined) throw new UsageError('missing QUERY (or --list FILE)');
    const sort = (stringOption(args, 'sort') ?? 'newest') as SearchSort;
    if (!SORTS.includes(sort)) throw new UsageError(`--sort must be one of ${SORTS.join(', ')}`);
    const limit = integerOption(args, 'limit', 20, 1, 1000);
    const offset = integerOption(args, 'offset', 0);
    let result;
    try {
      const ast = parseQuery(query);
      result = await withAuditedRead<SearchResult>(args, io, { action: 'search', details: (r) => ({ query, dataset: stringOption(args, 'dataset') ?? null, total: r.total, hits: r.hits.map((h) => h.id) }) }, (store) =>
        searchStore(store, { ast, dataset: stringOption(args, 'dataset'), limit, offset, sort, facets: args.values['no-facets'] !== true }),
      );
    } catch (error) {
      // both a syntax error and a query the store cannot answer point at the position
      if (error instanceof QuerySyntaxError) throw new UserError(formatQueryError(query, error));
      throw error;
    }
    if (args.json) writeJson(io, result);
    else io.stdout.write(describe(result, io.isTTY));
    return 0;
  },
};

async function searchList(path: string, args: Parameters<Command['run']>[0], io: Parameters<Command['run']>[1]): Promise<number> {
  let lines: string[];
  try {
    lines = (await readFile(path, 'utf8')).split(/\r?\n/);
  } catch (error) {
    throw new UserError(`cannot read list ${path}: ${(error as Error).message}`);
  }
  const started = performance.now();
  const matches = await withAuditedRead<ListMatch[]>(args, io, { action: 'search.list', target: path, details: (m) => ({ lines: m.length, found: m.filter((x) => x.found).length }) },
    (store) => lookupList(store, lines, stringOption(args, 'dataset')));
  const found = matches.filter((m) => m.found);
  if (args.json) {
    writeJson(io, { total: matches.length, found: found.length, took_ms: Math.round(performance.now() - started), matches });
    return 0;
  }
  for (const m of matches) {
    const where = m.found ? `${m.messages} messages in ${m.datasets.join(', ')}${m.firstSeen ? `, ${m.firstSeen.slice(0, 10)} .. ${m.lastSeen!.slice(0, 10)}` : ''}` : 'not found';
    io.stdout.write(`${m.found ? '+' : '-'} ${m.input}  (${m.as} ${m.value})  ${where}${m.examples.length > 0 ? `  e.g. ${m.examples.join(' ')}` : ''}\n`);
  }
  io.stdout.write(`${found.length} of ${matches.length} found\n`);
  return 0;
}

function describe(result: SearchResult, color: boolean): string {
  const out: string[] = [];
  const mark = (html: string) =>
    unescapeHtml(html.replace(/<mark>/g, color ? '\x1b[1;33m' : '[').replace(/<\/mark>/g, color ? '\x1b[0m' : ']'));
  for (const hit of result.hits) {
    const to = hit.to.length > 0 ? ` -> ${hit.to.join(', ')}` : hit.kind === 'note' ? ' (note)' : '';
    out.push(`${hit.ts ?? 'undated'}  ${hit.from}${to}  [${hit.dataset}/${hit.platform}]  ${hit.id}`);
    out.push(`    ${mark(hit.snippet).replace(/\s*\n\s*/g, ' ')}`);
  }
  if (result.notice) out.push(`note: ${result.notice}`);
  for (const [term, words] of Object.entries(result.expansions ?? {})) out.push(`${term} matched: ${words.slice(0, 12).join(', ')}${words.length > 12 ? ', ...' : ''}`);
  out.push(`${result.total} hits (${result.sort} first, showing ${result.hits.length}) in ${result.took_ms} ms`);
  if (result.facets && result.total > 0) {
    const f = result.facets;
    const line = (name: string, buckets: { value: string; count: number }[]) =>
      buckets.length > 0 ? `  ${name.padEnd(9)} ${buckets.slice(0, 6).map((b) => `${b.value} (${b.count})`).join(', ')}` : '';
    out.push(`facets${f.sampled ? ` (over the newest ${f.sampleSize} hits)` : ''}:`);
    out.push(...[line('sender', f.sender), line('dataset', f.dataset), line('platform', f.platform), line('language', f.language)].filter(Boolean));
    if (f.day.length > 0) out.push(`  day       ${f.day[0]!.value} .. ${f.day[f.day.length - 1]!.value} (${f.day.length} days)`);
  }
  return `${out.join('\n')}\n`;
}

function unescapeHtml(text: string): string {
  return text.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));
}
