// The PostgreSQL schema is distributable with Citus as it stands (docs/DEPLOY.md): read back from
// a real server's catalogue, every table is either distributed by dataset_id or a reference
// table, every key of a distributed table includes dataset_id, and no foreign key runs between
// distributed tables.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { DISTRIBUTED_TABLES, REFERENCE_TABLES } from '../../src/store/postgres/schema.ts';
import { closePostgres, openTestPostgresStore } from '../postgres-fixture.ts';

after(closePostgres);

test('every table is distributed by dataset_id or a reference table, and the distributed ones keep to Citus\'s rules', async () => {
  const store = await openTestPostgresStore();
  const db = store.db;
  await db.ready();
  const tables = (await db.query<{ table_name: string }>(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`))
    .map((r) => r.table_name).sort();
  const distributed = new Set<string>(DISTRIBUTED_TABLES);
  assert.deepEqual(tables, [...DISTRIBUTED_TABLES, ...REFERENCE_TABLES].sort(), 'each table is on exactly one list');
  assert.equal(new Set([...DISTRIBUTED_TABLES, ...REFERENCE_TABLES]).size, DISTRIBUTED_TABLES.length + REFERENCE_TABLES.length);

  const keys = await db.query<{ table_name: string; constraint_name: string; constraint_type: string; columns: string[] }>(`
    SELECT tc.table_name, tc.constraint_name, tc.constraint_type, array_agg(kcu.column_name::text ORDER BY kcu.ordinal_position) AS columns
    FROM information_schema.table_constraints tc JOIN information_schema.key_column_usage kcu
      ON kcu.constraint_name = tc.constraint_name AND kcu.table_name = tc.table_name AND kcu.table_schema = tc.table_schema
    WHERE tc.table_schema = 'public' AND tc.constraint_type IN ('PRIMARY KEY', 'UNIQUE', 'FOREIGN KEY')
    GROUP BY tc.table_name, tc.constraint_name, tc.constraint_type`);
  for (const table of DISTRIBUTED_TABLES) {
    const own = keys.filter((k) => k.table_name === table);
    assert.ok(own.some((k) => k.constraint_type === 'PRIMARY KEY'), `${table} has a primary key`);
    for (const key of own.filter((k) => k.constraint_type !== 'FOREIGN KEY')) {
      assert.ok(key.columns.includes('dataset_id'), `${table}'s ${key.constraint_type} (${key.columns.join(', ')}) includes dataset_id`);
    }
  }
  const foreign = await db.query<{ from_table: string; to_table: string }>(`
    SELECT cl.relname AS from_table, ref.relname AS to_table FROM pg_constraint c
    JOIN pg_class cl ON cl.oid = c.conrelid JOIN pg_class ref ON ref.oid = c.confrelid WHERE c.contype = 'f'`);
  for (const fk of foreign) {
    assert.ok(!distributed.has(fk.from_table) && !distributed.has(fk.to_table), `no foreign key between distributed tables: ${fk.from_table} -> ${fk.to_table}`);
  }
  const columns = await db.query<{ table_name: string; column_name: string; data_type: string; is_identity: string; column_default: string | null }>(`
    SELECT table_name, column_name, data_type, is_identity, column_default FROM information_schema.columns WHERE table_schema = 'public'`);
  for (const table of DISTRIBUTED_TABLES) {
    assert.ok(columns.some((c) => c.table_name === table && c.column_name === 'dataset_id' && c.data_type === 'bigint'), `${table}.dataset_id is a bigint column`);
  }
  // identity columns are bigint (Citus 11.2+ allows those on distributed tables); no serial sequences elsewhere
  for (const c of columns.filter((x) => x.is_identity === 'YES')) assert.equal(c.data_type, 'bigint', `${c.table_name}.${c.column_name}`);
  assert.deepEqual(columns.filter((c) => c.column_default?.startsWith('nextval(')).map((c) => `${c.table_name}.${c.column_name}`), []);
});

test('docs/DEPLOY.md distributes and references exactly the tables the schema lists', async () => {
  const { readFileSync } = await import('node:fs');
  const doc = readFileSync(new URL('../../docs/DEPLOY.md', import.meta.url), 'utf8');
  const listAfter = (marker: string) => {
    const at = doc.indexOf(marker);
    assert.ok(at >= 0, marker);
    const array = /ARRAY\[([^\]]+)\]/.exec(doc.slice(at))![1]!;
    return [...array.matchAll(/'([a-z_]+)'/g)].map((m) => m[1]!).sort();
  };
  assert.deepEqual(listAfter('create_reference_table'), [...REFERENCE_TABLES].sort());
  assert.deepEqual(['sources', ...listAfter("colocate_with => 'sources'")].sort(), [...DISTRIBUTED_TABLES].sort());
});
