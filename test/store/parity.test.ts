// The same generated corpus ingested into both stores gives the same answers: dataset counts,
// search totals and relevance rankings for every construct of the query language, entity counts, alerts, the
// communication graph and its metrics, and discovery's candidates.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ingest } from '../../src/ingest/pipeline.ts';
import { writeCorpus } from '../../src/generate/write-corpus.ts';
import { parseQuery } from '../../src/search/parse.ts';
import { buildGraph } from '../../src/analyze/network/graph.ts';
import { analyseNetwork } from '../../src/analyze/network/analyse.ts';
import { discoverInStore } from '../../src/analyze/discover-store.ts';
import type { Store } from '../../src/store/store.ts';
import { temporaryDirectory } from '../fixtures.ts';
import { closePostgres } from '../postgres-fixture.ts';
import { openStoreOf } from './stores.ts';

after(closePostgres);

let sqlite: Store;
let postgres: Store;
const DATASET = 'parity';

before(async () => {
  const dir = temporaryDirectory();
  const corpus = join(dir, 'corpus.jsonl');
  await writeCorpus({ messages: 6000, seed: 11, out: corpus, malformedRate: 0.002 });
  sqlite = await openStoreOf('sqlite');
  postgres = await openStoreOf('postgres');
  for (const store of [sqlite, postgres]) await ingest({ store, dataset: DATASET, paths: [corpus] });
});

test('dataset summaries are equal', async () => {
  assert.deepEqual(await postgres.summarise(), await sqlite.summarise());
});

const QUERIES = [
  'kilo', 'kilo haven', 'kilo OR coke', 'kilo NOT haven', '-kilo', '"geld cash"', '"kilo haven"~5', 'ki*', 'stenen*', 'kilo~1', 'haven~2',
  'from:tapeworm', 'lang:nl', 'lang:en kilo', 'has:attachment', 'date:[2020-04-01 TO 2020-04-15]', 'kilo date:>=2020-05-01',
  'platform:encrochat container', '(kilo OR pakket) AND NOT (haven OR politie)', 'phone:+31612345678', 'iban:NL91ABNA0417164300',
  'dood', 'politie systeem', '"de haven"', 'cash~1 -geld',
];

test('every query construct finds the same messages, in the same order', async () => {
  for (const query of QUERIES) {
    const ask = (store: Store) => store.search({ ast: parseQuery(query), limit: 20, offset: 0, sort: 'newest', facets: true, days: true });
    const [a, b] = await Promise.all([ask(sqlite), ask(postgres)]);
    assert.equal(b.total, a.total, `total of ${query}`);
    assert.deepEqual(b.hits.map((h) => h.id), a.hits.map((h) => h.id), `page of ${query}`);
    assert.deepEqual(b.expansions, a.expansions, `expansions of ${query}`);
    assert.deepEqual(b.days, a.days, `days of ${query}`);
    assert.deepEqual(b.facets, a.facets, `facets of ${query}`);
  }
});

test('relevance ranks alike: the same hits in the same order with the same scores, every query construct', async () => {
  let ranked = 0;
  for (const query of QUERIES) {
    const ask = (store: Store) => store.search({ ast: parseQuery(query), limit: 5000, offset: 0, sort: 'relevance', facets: false });
    const [a, b] = await Promise.all([ask(sqlite), ask(postgres)]);
    assert.equal(b.sort, a.sort, `sort of ${query}`);
    assert.equal(b.notice, a.notice, `notice of ${query}`);
    assert.deepEqual(b.hits.map((h) => [h.id, h.score]), a.hits.map((h) => [h.id, h.score]), `ranking of ${query}`);
    if (a.sort === 'relevance' && a.hits.length > 1) ranked += 1;
  }
  assert.ok(ranked >= 10, `${ranked} queries ranked by relevance`);
});

test('entity counts are equal', async () => {
  const list = (store: Store) => store.entities({ limit: 500, offset: 0 });
  assert.deepEqual(await list(postgres), await list(sqlite));
});

test('alerts are equal: the same messages, kinds, scores and reasons', async () => {
  const queue = async (store: Store) => (await store.alerts({ limit: 1000, offset: 0 })).alerts
    .map((a) => ({ kind: a.kind, item: a.item.id, score: a.score, status: a.status, reasons: a.reasons.length }));
  const [a, b] = await Promise.all([queue(sqlite), queue(postgres)]);
  assert.ok(a.length > 0, 'the corpus raises alerts');
  assert.deepEqual(b, a);
});

test('the communication graph and its metrics are equal', async () => {
  const edges = async (store: Store) => (await store.communicationEdges({ dataset: DATASET }))
    .map((e) => JSON.stringify(e)).sort();
  const [a, b] = await Promise.all([edges(sqlite), edges(postgres)]);
  assert.ok(a.length > 10);
  assert.deepEqual(b, a);
  const metrics = async (store: Store) => {
    const analysis = analyseNetwork(buildGraph(await store.communicationEdges({ dataset: DATASET })), { seed: 1 });
    return { players: analysis.accounts.slice(0, 15).map((x) => [x.account, x.pagerank.toFixed(9), x.community]), totals: analysis.totals };
  };
  assert.deepEqual(await metrics(postgres), await metrics(sqlite));
});

test('discovery finds the same candidate cases', async () => {
  const candidates = async (store: Store) => {
    const [run] = await discoverInStore(store, [DATASET], { view: 'all' });
    return run!.candidates.map((c) => ({ id: c.id, severity: c.severity, messages: c.messageIds, accounts: c.accounts.length }));
  };
  assert.deepEqual(await candidates(postgres), await candidates(sqlite));
});
