import { parseQuery, formatQueryError, QuerySyntaxError } from '../search/parse.ts';
import type { SearchResult, SearchSort } from '../model/search.ts';
import { UserError, UsageError, integerOption, stringOption, withStore, writeJson, type Command } from './command.ts';
import { searchStore } from '../search/search.ts';

const SORTS: readonly SearchSort[] = ['newest', 'oldest', 'relevance'];

export const searchCommand: Command = {
  name: 'search',
  summary: 'Search messages and notes with the query language (docs/QUERY.md).',
  usage: 'search "QUERY" [--dataset NAME] [--limit N] [--offset N] [--sort newest|oldest|relevance]',
  details: [
    'Examples:',
    '  lode search \'kilo~1 AND haven\'',
    '  lode search \'"geld cash"~5 from:tapeworm date:[2020-04-01 TO 2020-05-01]\'',
    '  lode search \'coke* -pizza lang:nl\' --sort relevance',
    'Results are newest first; relevance ranking applies to hit sets of at most 5000.',
  ].join('\n'),
  options: {
    dataset: { type: 'string', short: 'd', description: 'only this dataset', valueName: 'NAME' },
    limit: { type: 'string', short: 'n', description: 'hits to return (default 20, at most 1000)', valueName: 'N' },
    offset: { type: 'string', description: 'hits to skip (paging)', valueName: 'N' },
    sort: { type: 'string', description: 'newest (default), oldest or relevance', valueName: 'ORDER' },
    'no-facets': { type: 'boolean', description: 'skip the facet counts' },
  },
  positionals: { min: 1, max: 1, names: 'QUERY', isFreeText: true },
  async run(args, io) {
    const query = args.positionals[0]!;
    const sort = (stringOption(args, 'sort') ?? 'newest') as SearchSort;
    if (!SORTS.includes(sort)) throw new UsageError(`--sort must be one of ${SORTS.join(', ')}`);
    const limit = integerOption(args, 'limit', 20, 1, 1000);
    const offset = integerOption(args, 'offset', 0);
    let result;
    try {
      const ast = parseQuery(query);
      result = await withStore(args, io, (store) =>
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
