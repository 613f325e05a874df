// A real PostgreSQL for the tests: the server `npm test` started (scripts/test.ts passes its admin
// URL in LODE_TEST_POSTGRES), or, for a test file run on its own, one started for this process.
// Each call gives a new, empty database on it, so test files and tests do not share state.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { startPostgres, type RunningPostgres } from '../scripts/postgres-server.ts';
import { openPostgresStore, type PostgresStore } from '../src/store/postgres/pg-store.ts';

let own: Promise<RunningPostgres> | undefined;
const opened: PostgresStore[] = [];

async function adminUrl(): Promise<string> {
  if (process.env.LODE_TEST_POSTGRES) return process.env.LODE_TEST_POSTGRES;
  own ??= startPostgres();
  return (await own).url;
}

/** The URL of a new, empty database. */
export async function postgresDatabase(): Promise<string> {
  const admin = await adminUrl();
  const name = `lode_test_${randomUUID().replaceAll('-', '').slice(0, 20)}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return url.toString();
}

/** A PostgreSQL store on a new database, closed when the test process ends. */
export async function openTestPostgresStore(): Promise<PostgresStore> {
  const store = await openPostgresStore({ url: await postgresDatabase(), poolSize: 4 });
  opened.push(store);
  return store;
}

/** Closes the stores this process opened and stops its own server, if it started one (an after() hook's job). */
export async function closePostgres(): Promise<void> {
  await Promise.all(opened.splice(0).map((s) => s.close().catch(() => {})));
  if (own) await (await own).stop();
  own = undefined;
}
