// The purge after a privilege destroy on the PostgreSQL store: the destroyed words must be gone from
// the database's files, not only from what queries answer. A destroy alone leaves the old row
// version in the table's heap (until VACUUM) and its postings in the GIN index; the test shows that
// first, reading the server's files (the test server runs on this machine).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ingest } from '../../src/ingest/pipeline.ts';
import { parseQuery } from '../../src/search/parse.ts';
import { searchStore } from '../../src/search/search.ts';
import type { Viewer } from '../../src/model/security.ts';
import type { PostgresStore } from '../../src/store/postgres/pg-store.ts';
import { message, temporaryDirectory, writeJsonl } from '../fixtures.ts';
import { closePostgres, openTestPostgresStore } from '../postgres-fixture.ts';

after(closePostgres);

const REVIEWER: Viewer = { isAdmin: false, mayReviewPrivilege: true };
const SECRET = 'zwaardvis7391';

const corpus = [
  message('p-1', '2020-04-01T09:00:00Z', 'tapeworm', ['jaguar'], 'kilo bij de haven morgen'),
  message('p-2', '2020-04-01T10:00:00Z', 'jaguar', ['tapeworm'], 'kilo cash klaar, zaterdag'),
  message('p-3', '2020-04-03T10:00:00Z', '0612345678', ['tapeworm'], `pleidooi zaterdag kilo, codewoord ${SECRET}`),
  message('p-4', '2020-04-04T10:00:00Z', 'otter', ['bever'], 'zwemmen in juni'),
];

/** The files of the store's database (tables, indexes, TOAST) that hold the word, after a checkpoint wrote every page out. */
async function filesHolding(store: PostgresStore, word: string): Promise<string[]> {
  await store.db.run('CHECKPOINT');
  const directory = String((await store.db.one('SHOW data_directory'))!.data_directory);
  const oid = Number((await store.db.one('SELECT oid FROM pg_database WHERE datname = current_database()'))!.oid);
  const base = join(directory, 'base', String(oid));
  const needle = Buffer.from(word, 'utf8');
  return readdirSync(base).filter((file) => statSync(join(base, file)).isFile() && readFileSync(join(base, file)).includes(needle));
}

async function refs(store: PostgresStore, query: string): Promise<string[]> {
  const result = await searchStore(store, { ast: parseQuery(query), limit: 50, offset: 0, sort: 'oldest', facets: false, viewer: REVIEWER });
  return result.hits.map((h) => h.ref!);
}

test('purgeDestroyed erases a destroyed message\'s words from the PostgreSQL database\'s files', async () => {
  const store = await openTestPostgresStore();
  const dir = temporaryDirectory();
  await ingest({ store, dataset: 'zuid', paths: [writeJsonl(join(dir, 'zuid.jsonl'), corpus)] });
  await store.addPrivileged('phone', '+31612345678', 'mr. De Vries', 'cli:root');
  assert.deepEqual(await refs(store, SECRET), ['p-3']);
  assert.ok((await filesHolding(store, SECRET)).length > 0, 'the word is on disk once ingested');
  const id = (await searchStore(store, { ast: parseQuery(SECRET), limit: 1, offset: 0, sort: 'oldest', facets: false, viewer: REVIEWER })).hits[0]!.id;

  assert.equal((await store.decidePrivilege(id, 'destroyed', 'rita', 'legal advice')).kind, 'decided');
  assert.deepEqual(await refs(store, SECRET), [], 'no query finds it after the destroy');
  assert.ok((await filesHolding(store, SECRET)).length > 0, 'destroy alone leaves the old row version on disk');

  const outcome = await store.purgeDestroyed('cli:root');
  assert.equal(outcome.destroyed, 1);
  assert.ok(outcome.bytesBefore > 0 && outcome.bytesAfter > 0);
  assert.deepEqual(await filesHolding(store, SECRET), []);
  // the words others also had are still there, and so is everything else
  assert.ok((await filesHolding(store, 'zwemmen')).length > 0);
  assert.deepEqual(await refs(store, 'kilo'), ['p-1', 'p-2']);
  assert.deepEqual(await refs(store, 'zaterdag'), ['p-2']);
  assert.deepEqual(await refs(store, 'pleidooi'), []);

  const audit = await store.auditEvents({ limit: 10, offset: 0, action: 'privilege.purge' });
  assert.equal(audit.total, 1);
  assert.equal(audit.events[0]!.actor, 'cli:root');
  assert.equal(audit.events[0]!.details.destroyed, 1);
  assert.equal((await store.verifyAudit()).ok, true);
});
