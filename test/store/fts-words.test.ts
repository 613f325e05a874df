// Both stores index Lode's own words (src/extract/tokens.ts), so they find the same messages
// where FTS5's unicode61 tokenizer (Unicode 6.1) did not: a word fused with a newer emoji,
// full-width letters, ligatures; and an existing SQLite store's index is rebuilt on opening.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { ingest } from '../../src/ingest/pipeline.ts';
import { parseQuery } from '../../src/search/parse.ts';
import { searchStore } from '../../src/search/search.ts';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import type { Store } from '../../src/store/store.ts';
import { message, temporaryDirectory, writeJsonl } from '../fixtures.ts';
import { closePostgres } from '../postgres-fixture.ts';
import { eachStore } from './stores.ts';

after(closePostgres);

const corpus = [
  message('u-1', '2020-04-01T09:00:00Z', 'ghost', ['jaguar'], 'stenen🥶 zijn binnen🤝'),
  message('u-2', '2020-04-01T10:00:00Z', 'ghost', ['jaguar'], 'ＫＩＬＯ prijs, ﬁets klaar'),
  message('u-3', '2020-04-01T11:00:00Z', 'jaguar', ['ghost'], 'Het café is dicht 🙄'),
];

async function refs(store: Store, query: string): Promise<string[]> {
  const result = await searchStore(store, { ast: parseQuery(query), limit: 10, offset: 0, sort: 'oldest', facets: false });
  return result.hits.map((h) => h.ref!);
}

async function withCorpus(store: Store): Promise<void> {
  await ingest({ store, paths: [writeJsonl(join(temporaryDirectory(), 'u.jsonl'), corpus)], dataset: 'zuid' });
}

eachStore('a word next to an emoji, in full-width letters or with a ligature is found', async (store) => {
  await withCorpus(store);
  assert.deepEqual(await refs(store, 'stenen'), ['u-1']);
  assert.deepEqual(await refs(store, '"stenen zijn binnen"'), ['u-1']);
  assert.deepEqual(await refs(store, 'kilo'), ['u-2']);
  assert.deepEqual(await refs(store, 'fiets'), ['u-2']);
  assert.deepEqual(await refs(store, 'CAFE AND dicht'), ['u-3']);
  assert.deepEqual(await refs(store, 'bin*'), ['u-1']);
  const [hit] = (await searchStore(store, { ast: parseQuery('binnen'), limit: 1, offset: 0, sort: 'newest', facets: false })).hits;
  assert.equal(hit!.snippet, 'stenen🥶 zijn <mark>binnen</mark>🤝');
});

test('an older SQLite store gets the new index when it is opened, and finds what it missed', async () => {
  const path = join(temporaryDirectory(), 'lode.sqlite');
  const store = openSqliteStore({ path });
  await withCorpus(store);
  await store.close();
  // the index as schema version 7 made it: FTS5's unicode61 over the bodies
  const db = new DatabaseSync(path);
  db.exec(`DROP TABLE message_fts;
           CREATE VIRTUAL TABLE message_fts USING fts5(body, content='messages', content_rowid='rowid', tokenize = 'unicode61 remove_diacritics 2');
           INSERT INTO message_fts (message_fts) VALUES ('rebuild');
           DELETE FROM schema_migrations WHERE version = 8;`);
  const old = (word: string) => db.prepare('SELECT count(*) AS n FROM message_fts WHERE message_fts MATCH ?').get(word)!.n;
  assert.equal(old('stenen'), 0, 'unicode61 fused the word with the emoji');
  assert.equal(old('kilo'), 0, 'nor did it fold full-width letters');
  db.close();

  const reopened = openSqliteStore({ path });
  try {
    assert.deepEqual(await refs(reopened, 'stenen'), ['u-1']);
    assert.deepEqual(await refs(reopened, 'kilo OR fiets OR cafe'), ['u-2', 'u-3']);
  } finally {
    await reopened.close();
  }
});
