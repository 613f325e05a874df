// The purge after a privilege destroy: the destroyed words must be gone from the bytes of the
// store's files, not only from what queries answer. A destroy alone leaves them behind (in an
// FTS5 segment under a delete marker, in WAL frames, on freed pages); the test shows that first.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ingest } from '../../src/ingest/pipeline.ts';
import { parseQuery } from '../../src/search/parse.ts';
import { searchStore } from '../../src/search/search.ts';
import type { Viewer } from '../../src/model/security.ts';
import type { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { message, openTestStore, temporaryDirectory, writeJsonl } from '../fixtures.ts';

const REVIEWER: Viewer = { isAdmin: false, mayReviewPrivilege: true };
const SECRET = 'zwaardvis7391';
// FTS5 stores a term after the first on a leaf page as a suffix of the term before it, so the
// full word need not occur in a segment: a suffix no other word of the corpus ends in catches both
const SECRET_SUFFIX = 'aardvis7391';

const corpus = [
  message('p-1', '2020-04-01T09:00:00Z', 'tapeworm', ['jaguar'], 'kilo bij de haven morgen'),
  message('p-2', '2020-04-01T10:00:00Z', 'jaguar', ['tapeworm'], 'kilo cash klaar, zaterdag'),
  message('p-3', '2020-04-03T10:00:00Z', '0612345678', ['tapeworm'], `pleidooi zaterdag kilo, codewoord ${SECRET}`),
  message('p-4', '2020-04-04T10:00:00Z', 'otter', ['bever'], 'zwemmen in juni'),
];

/** Every byte the store has on disk: the database file and, when there is one, its WAL. */
function fileBytes(path: string): Buffer {
  return Buffer.concat([path, `${path}-wal`].filter((p) => existsSync(p)).map((p) => readFileSync(p)));
}

const holds = (bytes: Buffer, word: string) => bytes.includes(Buffer.from(word, 'utf8'));

async function refs(store: SqliteStore, query: string): Promise<string[]> {
  const result = await searchStore(store, { ast: parseQuery(query), limit: 50, offset: 0, sort: 'oldest', facets: false, viewer: REVIEWER });
  return result.hits.map((h) => h.ref!);
}

/** FTS5 segment blocks holding the word's bytes: proof that the index itself kept it. */
function segmentsHolding(store: SqliteStore, word: string): number {
  return Number(store.db.prepare('SELECT count(*) AS n FROM message_fts_data WHERE instr(block, CAST(? AS BLOB)) > 0').get(word)!.n);
}

test('purgeDestroyed erases a destroyed message\'s words from the database file and its WAL', async () => {
  const dir = temporaryDirectory();
  const path = join(dir, 'lode.sqlite');
  const store = openTestStore(dir);
  await ingest({ store, dataset: 'zuid', paths: [writeJsonl(join(dir, 'zuid.jsonl'), corpus)] });
  await store.addPrivileged('phone', '+31612345678', 'mr. De Vries', 'cli:root');
  assert.deepEqual(await refs(store, SECRET), ['p-3']);
  const id = (await searchStore(store, { ast: parseQuery(SECRET), limit: 1, offset: 0, sort: 'oldest', facets: false, viewer: REVIEWER })).hits[0]!.id;

  assert.equal((await store.decidePrivilege(id, 'destroyed', 'rita', 'legal advice')).kind, 'decided');
  assert.deepEqual(await refs(store, SECRET), [], 'no query finds it after the destroy');
  // ...yet it is still in the files: the FTS segment keeps the posting under a delete marker
  assert.ok(segmentsHolding(store, SECRET_SUFFIX) > 0, 'destroy alone leaves the word in an FTS5 segment');
  assert.ok(holds(fileBytes(path), SECRET_SUFFIX), 'destroy alone leaves the word in the file bytes');

  const outcome = await store.purgeDestroyed('cli:root');
  assert.equal(outcome.destroyed, 1);
  assert.ok(outcome.bytesBefore > 0 && outcome.bytesAfter > 0);
  assert.equal(segmentsHolding(store, SECRET_SUFFIX), 0);
  store.db.prepare(`INSERT INTO message_fts (message_fts, rank) VALUES ('integrity-check', 1)`).run();
  const audit = await store.auditEvents({ limit: 10, offset: 0, action: 'privilege.purge' });
  assert.equal(audit.total, 1);
  assert.equal(audit.events[0]!.actor, 'cli:root');
  assert.equal(audit.events[0]!.details.destroyed, 1);
  assert.equal((await store.verifyAudit()).ok, true);

  // still open (the WAL as a running server leaves it): nothing holds the word
  for (const word of [SECRET, SECRET_SUFFIX]) assert.equal(holds(fileBytes(path), word), false, `${word} in the open store's files`);
  await store.close();
  for (const word of [SECRET, SECRET_SUFFIX]) assert.equal(holds(fileBytes(path), word), false, `${word} in the closed store's files`);
  // the words of the destroyed message that others also had are still there, as is everything else
  assert.ok(holds(fileBytes(path), 'haven'));

  const reopened = openTestStore(dir);
  try {
    assert.deepEqual(await refs(reopened, SECRET), []);
    assert.deepEqual(await refs(reopened, 'kilo'), ['p-1', 'p-2']);
    assert.deepEqual(await refs(reopened, 'zaterdag'), ['p-2']);
    assert.deepEqual(await refs(reopened, 'zwemmen'), ['p-4']);
    assert.deepEqual(await refs(reopened, 'pleidooi'), []);
  } finally {
    await reopened.close();
  }
});

test('purgeDestroyed with nothing destroyed still compacts and is audited', async () => {
  const dir = temporaryDirectory();
  const store = openTestStore(dir);
  try {
    await ingest({ store, dataset: 'zuid', paths: [writeJsonl(join(dir, 'zuid.jsonl'), corpus)] });
    const outcome = await store.purgeDestroyed('cli:root');
    assert.equal(outcome.destroyed, 0);
    assert.deepEqual(await refs(store, SECRET), ['p-3'], 'nothing that was not destroyed is lost');
    assert.equal((await store.auditEvents({ limit: 10, offset: 0, action: 'privilege.purge' })).total, 1);
  } finally {
    await store.close();
  }
});
