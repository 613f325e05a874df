// `lode migrate --from sqlite:PATH --to postgres://...`: moves a whole store from the embedded
// SQLite file to a PostgreSQL server, then checks every table by its row count and a SHA-256 of
// its rows read back from both sides. Exit 1 when any table does not verify.
import { resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { createProgress } from './progress.ts';
import { UsageError, UserError, stringOption, writeJson, type Command } from './command.ts';
import { cliActor } from './audit.ts';

export const migrateCommand: Command = {
  name: 'migrate',
  summary: 'Move a whole store from SQLite to PostgreSQL, verified table by table (counts and SHA-256).',
  usage: 'migrate --from sqlite:PATH --to postgres://USER:PASSWORD@HOST:PORT/DATABASE',
  details: [
    'The PostgreSQL database must be empty (a new one). Every table moves with its ids and keys, the',
    'audit log with its hashes, so `lode audit verify --store postgres://...` holds afterwards; the',
    'migration itself is the last event of the migrated log. The SQLite file is only read.',
  ].join('\n'),
  options: {
    from: { type: 'string', description: 'the SQLite store: sqlite:PATH', valueName: 'URL' },
    to: { type: 'string', description: 'the PostgreSQL store: postgres://...', valueName: 'URL' },
  },
  positionals: { min: 0, max: 0, names: '' },
  async run(args, io) {
    const from = stringOption(args, 'from');
    const to = stringOption(args, 'to');
    if (!from?.startsWith('sqlite:')) throw new UsageError('--from sqlite:PATH is required');
    if (!to || !/^postgres(ql)?:\/\//.test(to)) throw new UsageError('--to postgres://... is required');
    const path = resolve(from.slice('sqlite:'.length));
    if (!existsSync(path)) throw new UserError(`no SQLite store at ${path}`);
    const { openSqliteStore } = await import('../store/sqlite/sqlite-store.ts');
    const { openPostgresStore } = await import('../store/postgres/pg-store.ts');
    const { migrateSqliteToPostgres, MigrationError } = await import('../store/migrate.ts');
    let target;
    try {
      target = await openPostgresStore({ url: to });
    } catch (error) {
      throw new UserError((error as Error).message);
    }
    const source = openSqliteStore({ path, mmapMiB: 0 });
    const progress = createProgress(io.stderr, io.isTTY, 'migrate', 'rows');
    let report;
    try {
      let done = 0;
      let last = '';
      let lastCount = 0;
      report = await migrateSqliteToPostgres({
        source: source.db, target: target.db,
        onProgress: (table, rows) => {
          if (table !== last) {
            last = table;
            lastCount = 0;
          }
          done += rows - lastCount;
          lastCount = rows;
          progress.update(0, 0, done);
        },
      });
      progress.finish();
      await target.appendAudit({ actor: cliActor(io), action: 'store.migrate', details: { from: source.description, to: target.description, rows: report.rows, verified: report.verified } });
    } catch (error) {
      if (error instanceof MigrationError) throw new UserError(error.message);
      throw error;
    } finally {
      await source.close();
      await target.close();
    }
    if (args.json) writeJson(io, { from: `sqlite:${path}`, to: target.description, ...report });
    else {
      const lines = report.tables.filter((t) => t.rows > 0 || !t.verified).map((t) => `  ${t.table.padEnd(28)} ${String(t.rows).padStart(10)} rows  ${t.verified ? 'verified' : 'DIFFERS'}  ${t.sha256.slice(0, 16)}…`);
      io.stdout.write(`${lines.join('\n')}\n${report.verified ? 'every table verified' : 'some tables differ'}: ${report.rows} rows moved to ${target.description}\n`);
    }
    return report.verified ? 0 : 1;
  },
};
