// The PostgreSQL store's connection: a pool, queries with parameters only, transactions that are
// retried when the server chose them as a deadlock or serialization victim (two ingest processes
// adding the same accounts at once), and the schema migrated once per database under a lock.
import pg from 'pg';
import { PG_MIGRATIONS } from './schema.ts';

export type SqlValue = string | number | boolean | null | readonly (string | number | null)[] | Buffer;
export type Row = Record<string, unknown>;

/** What both the pool and a transaction's client answer: the module functions take either. */
export interface Queryable {
  query<T extends Row = Row>(text: string, params?: readonly SqlValue[]): Promise<T[]>;
  one<T extends Row = Row>(text: string, params?: readonly SqlValue[]): Promise<T | undefined>;
  /** Rows changed by an INSERT/UPDATE/DELETE. */
  run(text: string, params?: readonly SqlValue[]): Promise<number>;
}

// bigint (int8) and numeric come back as numbers: every id, key and count here is below 2^53
const TYPES = {
  getTypeParser: (oid: number, format?: string) => {
    if (oid === 20 || oid === 1700) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format as 'text');
  },
} as unknown as pg.CustomTypesConfig;

const RETRYABLE = new Set(['40001', '40P01']);
const MAX_TRIES = 5;
// one number for the migration lock: two processes opening a new database migrate it once
const MIGRATION_LOCK = 724_019_611;

export class PgDatabase implements Queryable {
  readonly pool: pg.Pool;
  private migrated: Promise<void> | undefined;

  constructor(url: string, options: { max?: number } = {}) {
    this.pool = new pg.Pool({ connectionString: url, max: options.max ?? 10, types: TYPES, application_name: 'lode' });
    // an idle client that loses its connection must not take the process down
    this.pool.on('error', () => {});
  }

  /** Migrates on first use; every query waits for it. */
  ready(): Promise<void> {
    this.migrated ??= migrate(this.pool);
    return this.migrated;
  }

  async query<T extends Row = Row>(text: string, params: readonly SqlValue[] = []): Promise<T[]> {
    await this.ready();
    return (await this.pool.query<T>(text, withoutNul(params))).rows;
  }

  async one<T extends Row = Row>(text: string, params: readonly SqlValue[] = []): Promise<T | undefined> {
    return (await this.query<T>(text, params))[0];
  }

  async run(text: string, params: readonly SqlValue[] = []): Promise<number> {
    await this.ready();
    return (await this.pool.query(text, withoutNul(params))).rowCount ?? 0;
  }

  /** Runs `work` in a transaction on one client; retried from the start when PostgreSQL picked it as a deadlock or serialization victim. */
  async tx<T>(work: (client: PgClient) => Promise<T>): Promise<T> {
    await this.ready();
    for (let attempt = 1; ; attempt++) {
      const connection = await this.pool.connect();
      const client = new PgClient(connection);
      try {
        await connection.query('BEGIN');
        const result = await work(client);
        await connection.query('COMMIT');
        return result;
      } catch (error) {
        await connection.query('ROLLBACK').catch(() => {});
        const code = (error as { code?: string }).code;
        if (attempt < MAX_TRIES && code !== undefined && RETRYABLE.has(code)) {
          await new Promise((resolve) => setTimeout(resolve, 20 * attempt * Math.random()));
          continue;
        }
        throw error;
      } finally {
        connection.release();
      }
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/** A client inside a transaction; `raw` for COPY streams. */
export class PgClient implements Queryable {
  readonly raw: pg.PoolClient;

  constructor(raw: pg.PoolClient) {
    this.raw = raw;
  }

  async query<T extends Row = Row>(text: string, params: readonly SqlValue[] = []): Promise<T[]> {
    return (await this.raw.query<T>(text, withoutNul(params))).rows;
  }

  async one<T extends Row = Row>(text: string, params: readonly SqlValue[] = []): Promise<T | undefined> {
    return (await this.query<T>(text, params))[0];
  }

  async run(text: string, params: readonly SqlValue[] = []): Promise<number> {
    return (await this.raw.query(text, withoutNul(params))).rowCount ?? 0;
  }
}

/**
 * PostgreSQL text cannot hold U+0000, which seized data sometimes does (a binary field read as
 * text): it is stored as U+FFFD, the character for what could not be kept.
 */
export function textForPostgres(text: string): string {
  return text.includes('\0') ? text.replaceAll('\0', '\uFFFD') : text;
}

function withoutNul(params: readonly SqlValue[]): unknown[] {
  return params.map((p) => (typeof p === 'string' ? textForPostgres(p)
    : Array.isArray(p) ? p.map((v: unknown) => (typeof v === 'string' ? textForPostgres(v) : v)) : p));
}

async function migrate(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
    const applied = new Set((await client.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((r) => Number(r.version)));
    for (const migration of PG_MIGRATIONS) {
      if (applied.has(migration.version)) continue;
      await client.query('BEGIN');
      try {
        await client.query(migration.sql);
        await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [migration.version, migration.name, new Date().toISOString()]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {});
    client.release();
  }
}

/** Numbered placeholders for a statement built piece by piece: `p.add(value)` gives `$N`. */
export class Params {
  readonly values: SqlValue[] = [];

  add(value: SqlValue): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}
