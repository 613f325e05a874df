// The query language against both stores: the same corpus, the same queries, the same answers.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ingest } from '../../src/ingest/pipeline.ts';
import { parseQuery } from '../../src/search/parse.ts';
import { searchStore } from '../../src/search/search.ts';
import { QueryCompileError } from '../../src/search/compile-sqlite.ts';
import type { SearchSort } from '../../src/model/search.ts';
import type { Store } from '../../src/store/store.ts';
import { message, temporaryDirectory, writeJsonl } from '../fixtures.ts';
import { closePostgres } from '../postgres-fixture.ts';
import { openStoreOf, STORE_KINDS } from './stores.ts';

const corpus = [
  message('e-1', '2020-04-01T09:00:00Z', 'tapeworm', ['jaguar'], 'Hoeveel kilo heb je voor morgen?'),
  message('e-2', '2020-04-01T10:00:00Z', 'jaguar', ['tapeworm'], '10 kilos bij de haven, geld cash klaar'),
  message('e-3', '2020-04-02T11:00:00Z', 'ghost', ['tapeworm', 'jaguar'], 'Le café est fermé, on se voit demain', { group: 'g-1' }),
  message('e-4', '2020-04-03T12:00:00Z', 'tapeworm', ['ghost'], 'geld is er, cash in de auto', { attachments: [{ name: 'a.jpg', mime: 'image/jpeg' }] }),
  message('e-5', '2020-04-05T13:00:00Z', 'blackbird77', ['ghost'], 'coke en cokes, allemaal coca'),
  message('e-6', '2020-04-06T14:00:00Z', 'ghost', ['blackbird77'], 'die pizza was lekker, klappen maar'),
  message('e-7', '2020-04-07T15:00:00Z', 'jaguar', ['ghost'], 'kilo kilo kilo prijs is omhoog', { platform: 'skyecc' }),
  message('e-8', '2020-04-08T16:00:00.500Z', 'tapeworm', ['jaguar'], 'the stuff arrives tomorrow mate, need the cash', { lang: 'en' }),
  { kind: 'note', platform: 'encrochat', owner: 'tapeworm', ts: '2020-04-09T08:00:00Z', body: 'kilo prijs 28k noteren' },
  message('e-9', '2020-04-10T09:00:00Z', 'ghost', ['tapeworm'], 'alleen voor tapeworm in de groep', { group: 'g-1' }),
  message('e-10', '2020-04-10T10:00:00Z', 'solo', ['solo'], 'notitie aan mezelf'),
];

after(closePostgres);

for (const kind of STORE_KINDS) {
let store: Store;

describe(`the ${kind} store`, () => {
before(async () => {
  const dir = temporaryDirectory();
  store = await openStoreOf(kind);
  await ingest({ store, paths: [writeJsonl(join(dir, 'a.jsonl'), corpus)], dataset: 'zuid' });
  await ingest({ store, paths: [writeJsonl(join(dir, 'b.jsonl'), [message('x-1', '2020-05-01T10:00:00Z', 'otter', ['bever'], 'andere zaak kilo')])], dataset: 'noord' });
});

async function refs(query: string, options: { dataset?: string; sort?: SearchSort; limit?: number; offset?: number } = {}): Promise<string[]> {
  const result = await searchStore(store, { ast: parseQuery(query), limit: options.limit ?? 50, offset: options.offset ?? 0, sort: options.sort ?? 'newest', facets: false, dataset: options.dataset });
  assert.equal(result.total >= result.hits.length, true);
  return result.hits.map((h) => h.ref ?? `note:${h.body.slice(0, 4)}`);
}

describe('query constructs', () => {
  test('a term matches whole words, newest first', async () => {
    assert.deepEqual(await refs('kilo'), ['x-1', 'note:kilo', 'e-7', 'e-1']);
  });
  test('case and diacritics are folded both ways', async () => {
    assert.deepEqual(await refs('CAFE'), ['e-3']);
    assert.deepEqual(await refs('fërmé'), ['e-3']);
  });
  test('implicit AND requires every term', async () => {
    assert.deepEqual(await refs('geld cash'), ['e-4', 'e-2']);
  });
  test('OR takes either side', async () => {
    assert.deepEqual(await refs('pizza OR café'), ['e-6', 'e-3']);
  });
  test('NOT and - exclude', async () => {
    assert.deepEqual(await refs('cash NOT auto'), ['e-8', 'e-2']);
    assert.deepEqual(await refs('cash -auto'), ['e-8', 'e-2']);
  });
  test('a purely negative query returns everything else', async () => {
    const all = await refs('-kilo');
    assert.equal(all.length, 8);
    assert.ok(!all.includes('e-7'));
  });
  test('parentheses group', async () => {
    assert.deepEqual(await refs('(pizza OR cafe) AND demain'), ['e-3']);
  });
  test('a phrase needs the words in order and adjacent', async () => {
    assert.deepEqual(await refs('"cash geld"'), []);
    assert.deepEqual(await refs('"geld cash"'), ['e-2']);
    assert.deepEqual(await refs('"cash klaar"'), ['e-2']);
  });
  test('proximity allows words in between', async () => {
    assert.deepEqual(await refs('"cash geld"~2'), ['e-4', 'e-2']);
  });
  test('a prefix matches every word that starts with it', async () => {
    assert.deepEqual(await refs('cok*'), ['e-5']);
    assert.deepEqual(await refs('kilo*'), ['x-1', 'note:kilo', 'e-7', 'e-2', 'e-1']);
  });
  test('fuzzy ~1 matches words one edit away through the vocabulary', async () => {
    const result = await searchStore(store, { ast: parseQuery('kila~1'), limit: 50, offset: 0, sort: 'newest', facets: false });
    assert.deepEqual(result.expansions, { 'kila~1': ['kila', 'kilo'] });
    assert.equal(result.total, 4);
    assert.equal((await refs('klio~1')).length, 4, 'a swapped pair of letters is one edit');
    assert.deepEqual(await refs('kilo~0'), await refs('kilo'));
    assert.equal((await refs('kila~2')).length, 5, '~2 also reaches kilos');
  });
  test('to: finds direct, group and self-addressed messages a handle received, and no others', async () => {
    assert.deepEqual(await refs('to:jaguar'), ['e-8', 'e-3', 'e-1']);
    assert.deepEqual(await refs('to:tapeworm'), ['e-9', 'e-3', 'e-2']);
    assert.deepEqual(await refs('to:solo'), ['e-10']);
    assert.deepEqual(await refs('NOT to:tapeworm from:ghost'), ['e-6']);
  });
  test('from: and to: match handles regardless of case', async () => {
    assert.deepEqual(await refs('from:TAPEWORM'), ['note:kilo', 'e-8', 'e-4', 'e-1']);
    assert.deepEqual(await refs('to:ghost cash'), ['e-4']);
  });
  test('dataset:, platform: and lang: filter', async () => {
    assert.deepEqual(await refs('dataset:noord'), ['x-1']);
    assert.deepEqual(await refs('kilo', { dataset: 'zuid' }), ['note:kilo', 'e-7', 'e-1']);
    assert.deepEqual(await refs('platform:skyecc'), ['e-7']);
    assert.deepEqual(await refs('lang:en'), ['e-8']);
    assert.deepEqual(await refs('lang:fr'), ['e-3']);
  });
  test('has:attachment finds messages with files', async () => {
    assert.deepEqual(await refs('has:attachment'), ['e-4']);
  });
  test('date ranges are inclusive by day and exact to the millisecond', async () => {
    assert.deepEqual(await refs('date:[2020-04-02 TO 2020-04-03]'), ['e-4', 'e-3']);
    assert.deepEqual(await refs('kilo date:2020-04-01'), ['e-1']);
    assert.deepEqual(await refs('date:{2020-04-01 TO 2020-04-03}'), ['e-3']);
    assert.deepEqual(await refs('date:>=2020-04-08T16:00:00.500Z'), ['x-1', 'e-10', 'e-9', 'note:kilo', 'e-8']);
    assert.deepEqual(await refs('date:<2020-04-08T16:00:00.500Z from:tapeworm'), ['e-4', 'e-1']);
  });
  test('filters mix with text inside OR', async () => {
    assert.deepEqual(await refs('pizza OR from:blackbird77'), ['e-6', 'e-5']);
    assert.deepEqual(await refs('NOT (from:tapeworm OR from:ghost) kilo'), ['x-1', 'e-7']);
  });
  test('oldest first and paging', async () => {
    assert.deepEqual(await refs('kilo', { sort: 'oldest' }), ['e-1', 'e-7', 'note:kilo', 'x-1']);
    assert.deepEqual(await refs('kilo', { limit: 2, offset: 1 }), ['note:kilo', 'e-7']);
  });
  test('relevance ranks a small hit set by BM25', async () => {
    const result = await searchStore(store, { ast: parseQuery('kilo'), limit: 10, offset: 0, sort: 'relevance', facets: false });
    assert.equal(result.sort, 'relevance');
    assert.equal(result.hits[0]!.ref, 'e-7', 'three times kilo in a short message ranks first');
    assert.ok(result.hits.every((h, i) => i === 0 || h.score! <= result.hits[i - 1]!.score!));
  });
  test('snippets highlight the matched words and escape the rest', async () => {
    const [hit] = (await searchStore(store, { ast: parseQuery('fermé'), limit: 1, offset: 0, sort: 'newest', facets: false })).hits;
    assert.equal(hit!.snippet, 'Le café est <mark>fermé</mark>, on se voit demain');
  });
  test('a phrase is marked as one span where it occurs, and its words not on their own', async () => {
    const snippetOf = async (query: string) => (await searchStore(store, { ast: parseQuery(query), limit: 1, offset: 0, sort: 'newest', facets: false })).hits[0]!.snippet;
    assert.equal(await snippetOf('"geld cash"'), '10 kilos bij de haven, <mark>geld cash</mark> klaar');
    // NEAR matches each word on its own, wherever it stands
    assert.equal(await snippetOf('"geld auto"~5'), '<mark>geld</mark> is er, cash in de <mark>auto</mark>');
  });
  test('facets count senders, datasets, platforms, languages and days', async () => {
    const result = await searchStore(store, { ast: parseQuery('kilo OR cash'), limit: 1, offset: 0, sort: 'newest', facets: true });
    const f = result.facets!;
    assert.equal(f.sampled, false);
    assert.deepEqual(f.dataset, [{ value: 'zuid', count: 6 }, { value: 'noord', count: 1 }]);
    assert.deepEqual(f.sender[0], { value: 'tapeworm', count: 4 });
    assert.deepEqual(f.platform, [{ value: 'encrochat', count: 6 }, { value: 'skyecc', count: 1 }]);
    assert.equal(f.day.reduce((n, d) => n + d.count, 0), result.total);
    assert.ok(f.language.some((l) => l.value === 'en'));
  });
  test('an entity filter with a value that is not valid for its type is refused at its position', async () => {
    await assert.rejects(
      searchStore(store, { ast: parseQuery('kilo phone:061234'), limit: 1, offset: 0, sort: 'newest', facets: false }),
      (error: unknown) => error instanceof QueryCompileError && error.position === 5 && /not a valid phone/.test(error.message),
    );
    await assert.rejects(
      searchStore(store, { ast: parseQuery('iban:NL00ABNA0417164300'), limit: 1, offset: 0, sort: 'newest', facets: false }),
      (error: unknown) => error instanceof QueryCompileError && /not a valid iban/.test(error.message),
    );
  });
  test('a one-letter prefix is refused instead of expanding to the whole index', async () => {
    await assert.rejects(searchStore(store, { ast: parseQuery('k*'), limit: 1, offset: 0, sort: 'newest', facets: false }), QueryCompileError);
  });
});

describe('show and conversation context', () => {
  test('an item is found by its id with the conversation around it', async () => {
    const [hit] = (await searchStore(store, { ast: parseQuery('morgen'), limit: 1, offset: 0, sort: 'newest', facets: false })).hits;
    const around = await store.conversationAround(hit!.id, 5, 5);
    assert.deepEqual(around.map((m) => m.ref), ['e-1', 'e-2', 'e-8']);
    const item = await store.message(hit!.id);
    assert.equal(item!.ref, 'e-1');
    assert.equal(item!.provenance.line, 1);
    assert.equal(await store.message('m00000000000000000000'), undefined);
  });
});
});
}
