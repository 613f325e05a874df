import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ingest } from '../../src/ingest/pipeline.ts';
import { parseQuery } from '../../src/search/parse.ts';
import { message, temporaryDirectory, writeJsonl } from '../fixtures.ts';
import { closePostgres, openTestPostgresStore } from '../postgres-fixture.ts';

after(closePostgres);

test('a PostgreSQL store ingests, finds and shows messages', async () => {
  const store = await openTestPostgresStore();
  const dir = temporaryDirectory();
  const file = writeJsonl(join(dir, 'a.jsonl'), [
    message('e-1', '2020-04-01T09:00:00Z', 'tapeworm', ['jaguar'], 'Hoeveel kilo heb je voor morgen? Bel +31612345678'),
    message('e-2', '2020-04-01T10:00:00Z', 'jaguar', ['tapeworm'], '10 kilo bij de haven, geld cash klaar'),
    message('e-3', '2020-04-02T11:00:00Z', 'tapeworm', ['jaguar'], 'de kilos liggen klaar in het café'),
  ]);
  const report = await ingest({ store, dataset: 'zuid', paths: [file] });
  assert.equal(report.messages, 3);
  const again = await ingest({ store, dataset: 'zuid', paths: [file] });
  assert.equal(again.messages, 0);
  const search = async (q: string) => store.search({ ast: parseQuery(q), limit: 10, offset: 0, sort: 'newest', facets: true });
  assert.equal((await search('kilo')).total, 2);
  assert.equal((await search('kilo*')).total, 3);
  assert.equal((await search('"geld cash"')).total, 1);
  assert.equal((await search('cafe')).total, 1);
  assert.equal((await search('from:tapeworm')).total, 2);
  assert.equal((await search('phone:0612345678')).total, 1);
  const result = await search('haven');
  assert.match(result.hits[0]!.snippet, /<mark>haven<\/mark>/);
  const shown = await store.message(result.hits[0]!.id);
  assert.equal(shown?.body, '10 kilo bij de haven, geld cash klaar');
  assert.equal(shown?.provenance.line, 2);
  const [summary] = await store.summarise();
  assert.equal(summary?.messages, 3);
});
