// Command-line options of `npm run bench`.
import { parseArgs } from 'node:util';

export type BenchOptions = {
  sizes: number[];
  outDir: string;
  queryRuns: number;
  json: boolean;
};

export const USAGE = `Usage: npm run bench -- [--sizes 1000000,5000000] [--out bench/out] [--queries-runs 5] [--json]
  --sizes         corpus sizes in messages, comma separated (default 1000000,5000000)
  --out           directory for corpora, stores and results-N.json (default bench/out)
  --queries-runs  runs of each query; the first is reported as cold (default 5, at least 2)
  --json          print the results as one JSON document instead of Markdown
Progress goes to stderr, the report to stdout.`;

export class OptionsError extends Error {}

export function parseOptions(argv: string[]): BenchOptions | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        sizes: { type: 'string', default: '1000000,5000000' },
        out: { type: 'string', default: 'bench/out' },
        'queries-runs': { type: 'string', default: '5' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new OptionsError((error as Error).message);
  }
  const values = parsed.values;
  if (values.help) return 'help';
  const sizes = values.sizes.split(',').map((s) => parsePositiveInteger(s.trim().replace(/_/g, ''), '--sizes'));
  const queryRuns = parsePositiveInteger(values['queries-runs'], '--queries-runs');
  if (queryRuns < 2) throw new OptionsError('--queries-runs must be at least 2 (one cold run, then warm runs)');
  return { sizes, outDir: values.out, queryRuns, json: values.json };
}

function parsePositiveInteger(text: string, option: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1) throw new OptionsError(`${option}: "${text}" is not a positive whole number`);
  return Number(text);
}
