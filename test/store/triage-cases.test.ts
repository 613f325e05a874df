// Triage, watchlists, cases and discovery through the Store interface, on both stores: each test
// written once and run on SQLite and on PostgreSQL, with data ingested by the real pipeline (a
// threat thread, look-alikes, an insider leak, then a second batch a watchlist must catch).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { discoverInStore } from '../../src/analyze/discover-store.ts';
import { caseContents } from '../../src/cases/bundle.ts';
import { writeCorpus } from '../../src/generate/write-corpus.ts';
import { ingest } from '../../src/ingest/pipeline.ts';
import type { DiscoveryMessage } from '../../src/model/discovery.ts';
import type { Viewer } from '../../src/model/security.ts';
import { OPEN_ALERT_STATUSES, type Alert } from '../../src/model/triage.ts';
import { parseQuery } from '../../src/search/parse.ts';
import type { Store } from '../../src/store/store.ts';
import { createMessageTriage } from '../../src/triage/message-triage.ts';
import { rescoreDataset } from '../../src/triage/rescore.ts';
import { message, temporaryDirectory, writeJsonl } from '../fixtures.ts';
import { closePostgres } from '../postgres-fixture.ts';
import { STORE_KINDS, eachStore, openStoreOf } from './stores.ts';

after(closePostgres);

const ANALYST: Viewer = { isAdmin: false, mayReviewPrivilege: false };
const ADMIN: Viewer = { isAdmin: true, mayReviewPrivilege: false };
const REVIEWER: Viewer = { isAdmin: false, mayReviewPrivilege: true };

const day = (d: number, h: number) => `2020-04-${String(d).padStart(2, '0')}T${String(h).padStart(2, '0')}:00:00Z`;

const FIRST_BATCH = [
  // the plot: intent with a target, then preparation between the same accounts
  message('t-1', day(1, 20), 'tapeworm', ['jaguar'], 'die rat Kevin moet weg, hij heeft ons verraden'),
  message('t-2', day(2, 21), 'jaguar', ['tapeworm'], 'de AK ligt klaar en ik heb een gestolen golf'),
  message('t-3', day(3, 22), 'tapeworm', ['jaguar'], 'hij woont op de Dorpsstraat 12, elke avond om 22:00 thuis'),
  // look-alikes in the same crew
  message('d-1', day(2, 12), 'jaguar', ['ghost'], 'ik ben kapot moe, dood op van het sporten'),
  message('d-2', day(2, 13), 'ghost', ['jaguar'], 'ik heb hem afgeknald in warzone haha'),
  message('d-3', day(2, 14), 'ghost', ['jaguar'], 'die pizza gaan we klappen vanavond'),
  // an insider leak
  message('l-1', day(4, 10), 'ghost', ['tapeworm'], 'mijn neef bij de politie heeft zijn kenteken nagetrokken in het systeem'),
  // ordinary business, with a number a watchlist will look for
  message('b-1', day(5, 10), 'tapeworm', ['ghost'], 'bel me op 06-12345678 voor de stenen'),
  // what the owners saved their contacts as: caseAccount's aliases
  { kind: 'contact', platform: 'encrochat', owner: 'jaguar', handle: 'tapeworm', alias: 'Tapper' },
  { kind: 'contact', platform: 'encrochat', owner: 'ghost', handle: 'tapeworm', alias: 'Tapper' },
  { kind: 'contact', platform: 'encrochat', owner: 'ghost', handle: 'jaguar', alias: 'Jag' },
];

const SECOND_BATCH = [
  message('w-1', day(8, 10), 'jaguar', ['tapeworm'], 'nieuw nummer van hem: 0612345678'),
  message('w-2', day(8, 11), 'tapeworm', ['jaguar'], 'de container staat in de haven'),
  message('w-3', day(8, 12), 'jaguar', ['tapeworm'], 'lekker weertje vandaag'),
  message('w-4', day(8, 13), 'ghost', ['jaguar'], 'alles goed?'),
];

async function ingestBatch(store: Store, records: readonly object[], name = 'encro-1', dataset = 'encro') {
  const dir = temporaryDirectory();
  return ingest({ store, dataset, paths: [writeJsonl(join(dir, `${name}.jsonl`), records)], useWorker: false });
}

async function queue(store: Store, query: Partial<Parameters<Store['alerts']>[0]> = {}) {
  return store.alerts({ status: OPEN_ALERT_STATUSES, limit: 100, offset: 0, ...query });
}

/** Message ids by the source's ref (every message of the dataset, newest first). */
async function idsByRef(store: Store, dataset = 'encro'): Promise<Map<string, string>> {
  const all = await store.search({ ast: parseQuery(`dataset:${dataset}`), limit: 500, offset: 0, sort: 'newest', facets: false, viewer: { isAdmin: true, mayReviewPrivilege: true } });
  return new Map(all.hits.map((h) => [h.ref!, h.id]));
}

const refsOf = (alerts: readonly Alert[]) => alerts.map((a) => a.item.ref);

eachStore('threats and leaks are raised at ingest, and the queue is highest first, filtered and paged', async (store) => {
  const report = await ingestBatch(store, FIRST_BATCH);
  assert.equal(report.messages, 8);
  assert.equal(report.alerts, 4, 'three threats and one leak');

  const open = await queue(store);
  assert.equal(open.total, 4);
  assert.deepEqual(new Set(refsOf(open.alerts)), new Set(['t-1', 't-2', 't-3', 'l-1']));
  assert.deepEqual(open.alerts.filter((a) => a.kind === 'threat').map((a) => a.item.ref).sort(), ['t-1', 't-2', 't-3']);
  // highest first; equal scores newest message first
  for (let i = 1; i < open.alerts.length; i++) {
    const [a, b] = [open.alerts[i - 1]!, open.alerts[i]!];
    assert.ok(a.score > b.score || (a.score === b.score && a.item.ts! >= b.item.ts!), `${a.item.ref} before ${b.item.ref}`);
  }
  for (const a of open.alerts) {
    assert.ok(a.reasons.length > 0 && a.reasons.every((r) => r.text.length > 0));
    assert.equal(a.status, 'new');
    assert.deepEqual(a.notes, []);
    assert.equal(a.item.dataset, 'encro');
    assert.deepEqual(a.toolrun, { component: 'lode-triage', version: '1.0.0' });
    assert.equal(a.createdAt, a.updatedAt);
  }
  // the preparation message is a threat because of the intent before it
  const prep = open.alerts.find((a) => a.item.ref === 't-2')!;
  assert.ok(prep.reasons.some((r) => r.signal.startsWith('context')), JSON.stringify(prep.reasons));
  assert.equal(prep.item.from, 'jaguar');
  assert.deepEqual(prep.item.to, ['tapeworm']);

  const leaks = await queue(store, { kind: 'leak' });
  assert.deepEqual(refsOf(leaks.alerts), ['l-1']);
  assert.equal(leaks.alerts[0]!.category, 'police');
  assert.equal((await queue(store, { dataset: 'encro' })).total, 4);
  assert.equal((await queue(store, { dataset: 'elsewhere' })).total, 0);
  assert.equal((await queue(store, { datasets: ['encro'] })).total, 4);
  assert.equal((await queue(store, { datasets: [] })).total, 0);
  assert.equal((await queue(store, { status: [] })).total, 0);
  assert.equal((await queue(store, { status: 'dismissed' })).total, 0);

  // pages of the same order
  const page = await queue(store, { limit: 2, offset: 1 });
  assert.equal(page.total, 4);
  assert.deepEqual(page.alerts.map((a) => a.id), open.alerts.slice(1, 3).map((a) => a.id));

  const one = await store.alert(open.alerts[0]!.id);
  assert.deepEqual(one, open.alerts[0]);
  assert.equal(await store.alert(open.alerts[0]!.id, undefined, ['elsewhere']), undefined);
  assert.equal(await store.alert(987_654), undefined);

  // the same file again adds nothing and raises nothing
  const again = await ingestBatch(store, FIRST_BATCH);
  assert.equal(again.alerts, 0);
  assert.equal((await queue(store)).total, 4);
});

eachStore('an alert is worked: status, assignee and notes by their actor, and dismissed alerts leave the open queue', async (store) => {
  await ingestBatch(store, FIRST_BATCH);
  const first = (await queue(store)).alerts[0]!;
  const escalated = await store.updateAlert(first.id, { status: 'escalated', note: 'called the duty officer' }, 'anna');
  assert.equal(escalated?.status, 'escalated');
  assert.deepEqual(escalated?.notes.map((n) => [n.author, n.text]), [['anna', 'called the duty officer']]);
  assert.ok(escalated!.updatedAt >= escalated!.createdAt);

  const assigned = await store.updateAlert(first.id, { assignee: 'bob' }, 'anna');
  assert.equal(assigned?.assignee, 'bob');
  assert.equal(assigned?.status, 'escalated');
  assert.deepEqual(refsOf((await queue(store, { assignee: 'bob' })).alerts), [first.item.ref]);
  assert.deepEqual(refsOf((await queue(store, { status: 'escalated' })).alerts), [first.item.ref]);

  const dismissed = await store.updateAlert(first.id, { status: 'dismissed', assignee: null, note: 'false alarm after all' }, 'bob');
  assert.equal(dismissed?.status, 'dismissed');
  assert.equal(dismissed?.assignee, undefined);
  assert.deepEqual(dismissed?.notes.map((n) => [n.author, n.text]), [['anna', 'called the duty officer'], ['bob', 'false alarm after all']]);
  assert.ok(!(await queue(store)).alerts.some((a) => a.id === first.id), 'not in the open queue');
  assert.deepEqual((await queue(store, { status: 'dismissed' })).alerts.map((a) => a.id), [first.id]);
  assert.equal((await queue(store, { status: ['new', 'dismissed'] })).total, 4);

  // a change of nothing changes nothing; an unknown alert is undefined
  const unchanged = await store.updateAlert(first.id, {}, 'carla');
  assert.equal(unchanged?.updatedAt, dismissed?.updatedAt);
  assert.equal(await store.updateAlert(987_654, { status: 'acknowledged' }, 'anna'), undefined);
});

eachStore('re-scoring keeps every alert an analyst worked on and withdraws only untouched ones', async (store) => {
  await ingestBatch(store, FIRST_BATCH);
  const open = (await queue(store)).alerts;
  const byRef = new Map(open.map((a) => [a.item.ref, a]));
  await store.updateAlert(byRef.get('t-1')!.id, { note: 'known plot' }, 'anna');
  await store.updateAlert(byRef.get('t-2')!.id, { assignee: 'bob' }, 'anna');
  await store.updateAlert(byRef.get('l-1')!.id, { status: 'acknowledged' }, 'anna');

  // the shipped scorer over the whole dataset finds the same: nothing new, nothing withdrawn
  const { triage, toolrun } = await createMessageTriage({});
  const same = await rescoreDataset(store, 'encro', triage, toolrun);
  assert.equal(same.messages, 8);
  assert.equal(same.alerts, 0);
  assert.equal(same.removed, 0);

  // rows come in time order with their parties
  const rows = await store.triageRows('encro', Number.MIN_SAFE_INTEGER, 100);
  const times = rows.map((r) => r.tsMs!);
  assert.deepEqual(times, [...times].sort((a, b) => a - b));
  const t1 = rows.find((r) => r.body.startsWith('die rat'))!;
  assert.equal(t1.from, 'tapeworm');
  assert.deepEqual(t1.to, ['jaguar']);
  assert.deepEqual(t1.attachments, []);
  assert.deepEqual((await store.triageRows('encro', rows[5]!.key, 100)).map((r) => r.id), rows.slice(6).map((r) => r.id));

  // a scorer that finds nothing: the untouched alert (t-3) goes, the worked ones stay as they were
  const nothing = await store.applyRescore('encro', rows.map((r) => ({ key: r.key, findings: [] })), toolrun);
  assert.deepEqual(nothing, { alerts: 0, removed: 1 });
  const after = (await queue(store, { status: ['new', 'acknowledged', 'escalated', 'dismissed'] })).alerts;
  assert.deepEqual(new Set(refsOf(after)), new Set(['t-1', 't-2', 'l-1']));
  const kept = new Map(after.map((a) => [a.item.ref, a]));
  assert.deepEqual(kept.get('t-1')!.notes.map((n) => n.text), ['known plot']);
  assert.equal(kept.get('t-2')!.assignee, 'bob');
  assert.equal(kept.get('l-1')!.status, 'acknowledged');

  // a new scoring raises on b-1 and refreshes t-1's score, keeping its notes
  const b1 = rows.find((r) => r.body.startsWith('bel me'))!;
  const reasons = [{ signal: 'intent:kill', text: 'made up for the test', weight: 0.9 }];
  const scored = await store.applyRescore('encro', [
    { key: b1.key, findings: [{ finding: { kind: 'threat', score: 0.91, reasons }, alert: true }] },
    { key: t1.key, findings: [{ finding: { kind: 'threat', score: 0.95, reasons }, alert: true }] },
  ], { component: 'lode-triage', version: '9.9.9' });
  assert.deepEqual(scored, { alerts: 1, removed: 0 });
  const rescored = new Map((await queue(store)).alerts.map((a) => [a.item.ref, a]));
  assert.equal(rescored.get('b-1')!.score, 0.91);
  assert.deepEqual(rescored.get('b-1')!.toolrun, { component: 'lode-triage', version: '9.9.9' });
  assert.equal(rescored.get('t-1')!.score, 0.95);
  assert.deepEqual(rescored.get('t-1')!.reasons, reasons);
  assert.deepEqual(rescored.get('t-1')!.notes.map((n) => n.text), ['known plot']);
  assert.deepEqual(refsOf((await queue(store, { kind: 'threat' })).alerts), ['t-1', 'b-1', 't-2']);
  await assert.rejects(store.applyRescore('elsewhere', [], toolrun));
});

eachStore('watchlists fire on the next batch by query, entity and handle; a backfill raises old hits once', async (store) => {
  await ingestBatch(store, FIRST_BATCH);
  await store.ensureDataset('other');
  const informant = await store.addWatchlist({ name: 'informant', entities: { phone: ['+31612345678'], handle: ['ghost'] }, priority: 0.7, createdBy: 'anna' });
  assert.equal(informant?.name, 'informant');
  assert.deepEqual(informant?.entities, { phone: ['+31612345678'], handle: ['ghost'] });
  assert.equal(informant?.alerts, 0);
  assert.equal((await store.addWatchlist({ name: 'haven', query: 'haven AND container', priority: 0.9, createdBy: 'anna' }))?.query, 'haven AND container');
  assert.equal(await store.addWatchlist({ name: 'haven', query: 'anything', priority: 0.5, createdBy: 'bob' }), undefined, 'the name is taken');
  assert.equal((await store.addWatchlist({ name: 'elders', query: 'haven', dataset: 'other', priority: 0.8, createdBy: 'anna' }))?.dataset, 'other');
  await assert.rejects(store.addWatchlist({ name: 'nowhere', query: 'haven', dataset: 'no-such-dataset', priority: 0.5, createdBy: 'anna' }));
  assert.deepEqual((await store.watchlists()).map((w) => w.name), ['elders', 'haven', 'informant']);
  // a new watchlist looks at new data
  assert.equal((await queue(store, { kind: 'watchlist' })).total, 0);

  const report = await ingestBatch(store, SECOND_BATCH, 'encro-2');
  assert.equal(report.watchlists.checked, 4);
  assert.equal(report.watchlists.raised, 3);
  assert.deepEqual(report.watchlists.watchlists, [
    { name: 'elders', matched: 0, raised: 0 }, { name: 'haven', matched: 1, raised: 1 }, { name: 'informant', matched: 2, raised: 2 },
  ]);
  const alerts = (await queue(store, { kind: 'watchlist' })).alerts;
  assert.deepEqual(refsOf(alerts), ['w-2', 'w-4', 'w-1'], 'the higher priority first, then the newest');
  const byRef = new Map(alerts.map((a) => [a.item.ref, a]));
  assert.equal(byRef.get('w-2')!.watchlist, 'haven');
  assert.equal(byRef.get('w-2')!.score, 0.9);
  assert.deepEqual(byRef.get('w-2')!.reasons.map((r) => r.signal), ['watchlist:query']);
  assert.deepEqual(byRef.get('w-2')!.toolrun, { component: 'lode-watchlists', version: '1.0.0' });
  assert.equal(byRef.get('w-1')!.watchlist, 'informant');
  const phone = byRef.get('w-1')!.reasons[0]!;
  assert.equal(phone.signal, 'watchlist:phone');
  assert.equal(byRef.get('w-1')!.item.body.slice(phone.start, phone.end), '0612345678');
  assert.deepEqual(byRef.get('w-4')!.reasons.map((r) => r.signal), ['watchlist:handle']);

  // the queue was emptied: a run now checks nothing
  assert.deepEqual(await store.runWatchlists(parseQuery), { checked: 0, raised: 0, watchlists: [
    { name: 'elders', matched: 0, raised: 0 }, { name: 'haven', matched: 0, raised: 0 }, { name: 'informant', matched: 0, raised: 0 },
  ] });

  // backfill: the old messages of ghost and with the number, once
  const backfill = await store.runWatchlists(parseQuery, 'informant');
  assert.equal(backfill.checked, 12);
  assert.deepEqual(backfill.watchlists.map((w) => w.name), ['informant']);
  // ghost's d-1 (to), d-2, d-3 and l-1 (from), b-1 (to ghost, and the number), w-1 and w-4 again
  assert.equal(backfill.watchlists[0]!.matched, 7);
  assert.equal(backfill.raised, 5);
  const b1 = (await queue(store, { kind: 'watchlist' })).alerts.find((a) => a.item.ref === 'b-1')!;
  assert.deepEqual(b1.reasons.map((r) => r.signal), ['watchlist:phone', 'watchlist:handle']);
  assert.equal((await store.runWatchlists(parseQuery, 'informant')).raised, 0);
  assert.equal((await store.runWatchlists(parseQuery, 'elders')).raised, 0, 'restricted to a dataset without the words');

  // fuzzy words and dates in a watchlist's query
  await store.addWatchlist({ name: 'fuzzy', query: 'containr~1 date:2020-04-08', priority: 0.6, createdBy: 'anna' });
  const fuzzy = await store.runWatchlists(parseQuery, 'fuzzy');
  assert.equal(fuzzy.raised, 1);
  assert.ok((await queue(store, { kind: 'watchlist' })).alerts.some((a) => a.watchlist === 'fuzzy' && a.item.ref === 'w-2'));

  const listed = new Map((await store.watchlists()).map((w) => [w.name, w.alerts]));
  assert.deepEqual(Object.fromEntries(listed), { elders: 0, fuzzy: 1, haven: 1, informant: 7 });

  // removing a watchlist keeps its alerts (they may be worked on), without its name
  assert.equal(await store.removeWatchlist('haven'), true);
  assert.equal(await store.removeWatchlist('haven'), false);
  const orphan = (await queue(store, { kind: 'watchlist' })).alerts.find((a) => a.item.ref === 'w-2' && a.score === 0.9)!;
  assert.equal(orphan.watchlist, undefined);
  for (const name of ['elders', 'fuzzy', 'informant']) assert.equal(await store.removeWatchlist(name), true);
  // without watchlists nothing is queued
  const third = await ingestBatch(store, [message('x-1', day(9, 10), 'ghost', ['jaguar'], 'de container staat in de haven')], 'encro-3');
  assert.deepEqual(third.watchlists, { checked: 0, raised: 0, watchlists: [] });
});

eachStore('a case links items of every kind with merged tags, annotations and queries, and reads its evidence', async (store) => {
  await ingestBatch(store, FIRST_BATCH);
  const ids = await idsByRef(store);
  const id = (ref: string) => ids.get(ref)!;
  const [tapeworm] = await store.findAccounts('tapeworm', 'encro');
  assert.ok(tapeworm);

  const created = await store.createCase({ name: 'op-kevin', title: 'Planned killing of Kevin' }, 'anna');
  assert.equal(created?.name, 'op-kevin');
  assert.equal(created?.status, 'open');
  assert.equal(created?.createdBy, 'anna');
  assert.equal(await store.createCase({ name: 'op-kevin' }, 'bob'), undefined, 'the name is taken');
  assert.deepEqual(await store.findCase('op-kevin'), created);
  assert.equal(await store.findCase('op-nothing'), undefined);

  assert.equal(await store.addCaseItems('op-kevin', [
    { kind: 'message', ref: id('t-1'), tags: ['urgent'] },
    { kind: 'account', ref: String(tapeworm.id), tags: ['urgent'] },
    { kind: 'entity', ref: 'phone:+31612345678' },
    // named twice in one call: one item with both tag lists
    { kind: 'message', ref: id('t-3'), tags: ['address'] },
    { kind: 'message', ref: id('t-3'), tags: ['address', 'target'] },
  ], 'anna'), 4);
  // linked again: its tags are merged, no second item
  assert.equal(await store.addCaseItems('op-kevin', [{ kind: 'account', ref: String(tapeworm.id), tags: ['checked', 'urgent'] }, { kind: 'message', ref: id('b-1') }], 'bob'), 1);
  await assert.rejects(store.addCaseItems('op-nothing', [{ kind: 'message', ref: id('t-1') }], 'anna'));
  const items = await store.caseItems('op-kevin');
  // in the order added, then by kind and ref (bytewise)
  const [firstMessage, secondMessage] = [id('t-1'), id('t-3')].sort((a, b) => (a < b ? -1 : 1));
  assert.deepEqual(items.map((i) => [i.kind, i.ref, i.addedBy]), [
    ['account', String(tapeworm.id), 'anna'], ['entity', 'phone:+31612345678', 'anna'], ['message', firstMessage, 'anna'], ['message', secondMessage, 'anna'],
    ['message', id('b-1'), 'bob'],
  ]);
  const tags = new Map(items.map((i) => [i.ref, i.tags]));
  assert.deepEqual(tags.get(String(tapeworm.id)), ['urgent', 'checked']);
  assert.deepEqual(tags.get(id('t-3')), ['address', 'target']);
  assert.deepEqual(tags.get(id('t-1')), ['urgent']);
  assert.deepEqual(tags.get(id('b-1')), []);
  assert.deepEqual(await store.caseItems('op-nothing'), []);

  const note = await store.addAnnotation('op-kevin', { kind: 'note', text: 'Kevin is known to the unit', author: 'anna' });
  assert.equal(note?.target, undefined);
  await store.addAnnotation('op-kevin', { kind: 'translation', target: { kind: 'message', ref: id('t-1') }, text: 'that rat Kevin has to go', author: 'bob' });
  assert.equal(await store.addAnnotation('op-nothing', { kind: 'note', text: 'x', author: 'anna' }), undefined);
  const annotations = await store.annotations('op-kevin');
  assert.deepEqual(annotations.map((a) => [a.kind, a.text, a.author, a.target?.ref]), [
    ['note', 'Kevin is known to the unit', 'anna', undefined], ['translation', 'that rat Kevin has to go', 'bob', id('t-1')],
  ]);
  assert.deepEqual(annotations[0], note);

  await store.addCaseQuery('op-kevin', { kind: 'query', text: 'rat AND verraden', dataset: 'encro', hits: 1, addedBy: 'anna' });
  await store.addCaseQuery('op-kevin', { kind: 'wordlist', text: 'AK\ngestolen golf', addedBy: 'anna' });
  await assert.rejects(store.addCaseQuery('op-nothing', { kind: 'query', text: 'x', addedBy: 'anna' }));
  assert.deepEqual((await store.caseQueries('op-kevin')).map((q) => [q.kind, q.text, q.dataset, q.hits, q.addedBy]), [
    ['query', 'rat AND verraden', 'encro', 1, 'anna'], ['wordlist', 'AK\ngestolen golf', undefined, undefined, 'anna'],
  ]);

  await store.createCase({ name: 'op-later', description: 'a second one' }, 'bob');
  assert.deepEqual((await store.cases()).map((c) => [c.name, c.items]), [['op-later', 0], ['op-kevin', 5]]);
  assert.deepEqual((await store.cases(['op-kevin'])).map((c) => c.name), ['op-kevin']);
  assert.deepEqual(await store.cases([]), []);
  assert.equal(await store.setCaseStatus('op-later', 'closed'), true);
  assert.equal((await store.findCase('op-later'))?.status, 'closed');
  assert.equal(await store.setCaseStatus('op-nothing', 'closed'), false);

  // the evidence behind the items
  const alerts = await store.alertsOfMessages([id('t-3'), 'm-unknown', id('t-1'), id('b-1')]);
  assert.deepEqual(refsOf(alerts), ['t-3', 't-1']);
  assert.ok(alerts.every((a) => a.kind === 'threat'));
  const account = await store.caseAccount(tapeworm.id);
  assert.deepEqual(account, { id: tapeworm.id, dataset: 'encro', platform: 'encrochat', handle: 'tapeworm', aliases: ['Tapper'], messages: 3 });
  assert.equal(await store.caseAccount(987_654), undefined);
  const entities = await store.entityCounts([id('b-1'), id('t-1'), 'm-unknown']);
  assert.ok(entities.some((e) => e.type === 'phone' && e.value === '+31612345678' && e.mentions === 1), JSON.stringify(entities));
  assert.deepEqual(await store.entityCounts([]), []);
  const toolruns = await store.toolrunsOf([id('t-1'), id('b-1')]);
  assert.deepEqual(toolruns.map((t) => t.component).sort(), ['lode-extract-entities', 'lode-triage']);
  assert.deepEqual(await store.toolrunsOf(['m-unknown']), []);

  // the bundle an export is made of
  const bundle = (await caseContents(store, 'op-kevin', undefined, 'anna'))!;
  assert.deepEqual(bundle.messages.map((m) => m.ref), ['t-1', 't-3', 'b-1']);
  assert.equal(bundle.withheld, 0);
  assert.deepEqual(bundle.alerts.map((a) => a.item), [id('t-1'), id('t-3')]);
  assert.ok(bundle.accounts.some((a) => a.handle === 'tapeworm' && a.aliases.includes('Tapper')));
  assert.ok(bundle.entities.some((e) => e.type === 'phone' && e.value === '+31612345678'));
  assert.deepEqual(bundle.producedBy.toolruns.map((t) => t.component).sort(), ['lode-extract-entities', 'lode-triage']);
});

eachStore('discovery streams a dataset in time order with entities and threat scores; candidates are stored per view', async (store) => {
  await ingestBatch(store, [
    ...FIRST_BATCH,
    // neither an undated message nor a note is read by discovery
    { kind: 'message', platform: 'encrochat', id: 'u-1', from: 'tapeworm', to: ['jaguar'], body: 'zonder tijd' },
    { kind: 'note', platform: 'encrochat', id: 'n-1', ts: day(6, 10), from: 'tapeworm', body: 'een notitie' },
  ]);
  const rows: DiscoveryMessage[] = [];
  for await (const row of store.discoveryMessages('encro')) rows.push(row);
  assert.equal(rows.length, 8);
  assert.deepEqual(rows.map((r) => r.tsMs), [...rows.map((r) => r.tsMs)].sort((a, b) => a - b));
  assert.ok(rows.every((r) => r.dataset === 'encro'));
  const byBody = (start: string) => rows.find((r) => r.body.startsWith(start))!;
  assert.deepEqual(byBody('bel me').entities.filter((e) => e.type === 'phone'), [{ type: 'phone', value: '+31612345678' }]);
  assert.equal(byBody('bel me').from, 'tapeworm');
  assert.deepEqual(byBody('bel me').to, ['ghost']);
  assert.ok(byBody('die rat').threat! >= 0.6);
  assert.equal(byBody('ik ben kapot').threat, undefined);
  const none: DiscoveryMessage[] = [];
  for await (const row of store.discoveryMessages('no-such-dataset')) none.push(row);
  assert.deepEqual(none, []);

  // a generated corpus has plots to find
  const dir = temporaryDirectory();
  const corpus = join(dir, 'corpus.jsonl');
  await writeCorpus({ messages: 4000, seed: 5, out: corpus });
  await ingest({ store, dataset: 'gen', paths: [corpus], useWorker: false });
  const [run] = await discoverInStore(store, ['gen'], { view: 'all' });
  assert.ok(run!.messages > 3000);
  assert.ok(run!.candidates.length > 0);
  const stored = await store.candidates('all');
  assert.deepEqual(stored.map((c) => c.id), [...run!.candidates].sort((a, b) => b.score - a.score).map((c) => c.id));
  assert.deepEqual(stored.map((c) => c.rank), stored.map((c) => run!.candidates.findIndex((x) => x.id === c.id) + 1));
  assert.deepEqual(stored[0]!.candidate, JSON.parse(JSON.stringify(run!.candidates.find((c) => c.id === stored[0]!.id))));
  assert.ok(stored.every((c) => c.dataset === 'gen' && c.foundAt.length > 0));
  assert.deepEqual(await store.candidates('all', ['encro']), []);
  assert.deepEqual(await store.candidates('all', []), []);
  assert.equal((await store.candidates('all', ['gen'])).length, stored.length);
  assert.deepEqual(await store.candidates('user:anna'), []);

  // a run for one user is kept apart; a later run replaces the view's list
  await store.saveCandidates('gen', 'user:anna', [{ id: 'cand-a', score: 1, candidate: { note: 'a' } }, { id: 'cand-b', score: 2, candidate: { note: 'b' } }], { component: 'test', version: '1' });
  assert.deepEqual((await store.candidates('user:anna')).map((c) => [c.id, c.rank]), [['cand-b', 2], ['cand-a', 1]]);
  await store.saveCandidates('gen', 'user:anna', [{ id: 'cand-c', score: 0.5, candidate: null }], { component: 'test', version: '1' });
  assert.deepEqual((await store.candidates('user:anna')).map((c) => [c.id, c.candidate]), [['cand-c', null]]);
  assert.equal((await store.candidates('all')).length, stored.length);
  await assert.rejects(store.saveCandidates('no-such-dataset', 'all', [], { component: 'test', version: '1' }));
});

eachStore('a privileged party hides its messages and their alerts from all but privilege reviewers; a scope from non-admins', async (store) => {
  await ingestBatch(store, FIRST_BATCH);
  const leak = (await queue(store, { kind: 'leak' })).alerts[0]!;
  assert.equal(leak.item.from, 'ghost');
  const added = await store.addPrivileged('platform-handle', 'encrochat:ghost', 'mr. Ghost, lawyer', 'root');
  assert.equal(added.kind, 'added');

  for (const viewer of [undefined, ANALYST, ADMIN]) {
    const seen = await queue(store, { viewer });
    assert.equal(seen.total, 3, `hidden from ${JSON.stringify(viewer)}`);
    assert.ok(!refsOf(seen.alerts).includes('l-1'));
    assert.equal(await store.alert(leak.id, viewer), undefined);
    assert.equal((await queue(store, { viewer, kind: 'leak' })).total, 0);
  }
  assert.equal((await queue(store, { viewer: REVIEWER })).total, 4);
  assert.equal((await store.alert(leak.id, REVIEWER))?.item.ref, 'l-1');
  // worked only by whom may see it: for the others there is no such alert, and it stays as it was
  assert.equal(await store.updateAlert(leak.id, { status: 'dismissed', note: 'nothing' }, 'anna', ANALYST), undefined);
  assert.equal(await store.updateAlert(leak.id, { status: 'dismissed' }, 'cli:root'), undefined);
  const worked = await store.updateAlert(leak.id, { status: 'escalated', note: 'advice to a client?' }, 'rita', REVIEWER);
  assert.deepEqual([worked?.status, worked?.notes.map((n) => [n.author, n.text])], ['escalated', [['rita', 'advice to a client?']]]);

  // a case holding the privileged message: the reviewer's bundle keeps it and its alert, others' withhold both
  await store.createCase({ name: 'op-ghost' }, 'root');
  await store.addCaseItems('op-ghost', [{ kind: 'message', ref: leak.item.id }], 'root');
  const reviewed = (await caseContents(store, 'op-ghost', REVIEWER, 'root'))!;
  assert.deepEqual(reviewed.alerts.map((a) => [a.id, a.kind]), [[leak.id, 'leak']]);
  const withheld = (await caseContents(store, 'op-ghost', ANALYST, 'anna'))!;
  assert.deepEqual([withheld.messages.length, withheld.alerts.length, withheld.withheld], [0, 0, 1]);

  const seenBy = async (viewer?: Viewer) => {
    const bodies: string[] = [];
    for await (const row of store.discoveryMessages('encro', viewer)) bodies.push(row.body);
    return bodies;
  };
  assert.equal((await seenBy(REVIEWER)).length, 8);
  // ghost is a party to d-1, d-2, d-3, l-1 and b-1
  assert.equal((await seenBy(ANALYST)).length, 3);
  assert.equal((await seenBy()).length, 3);

  // a warrant's window from 3 April: non-admins see only the alerts of messages inside it
  await store.setScope('encro', { fromMs: Date.parse(day(3, 0)), warrant: 'RC-2020-17' }, 'root');
  assert.deepEqual(refsOf((await queue(store, { viewer: ANALYST })).alerts), ['t-3']);
  assert.equal((await queue(store, { viewer: ADMIN })).total, 3);
  assert.deepEqual(refsOf((await queue(store, { viewer: REVIEWER })).alerts).sort(), ['l-1', 't-3']);
});

// The same data through both stores gives the same answers, order included: what the suite above
// checks store by store, compared field by field (ids and times of writing aside).
test('both stores answer alike: queue, watchlists, re-scoring, case evidence and discovery', async () => {
  const answers = [];
  for (const kind of STORE_KINDS) {
    const store = await openStoreOf(kind);
    try {
      await ingestBatch(store, FIRST_BATCH);
      await store.addWatchlist({ name: 'informant', entities: { phone: ['+31612345678'], handle: ['ghost'] }, priority: 0.7, createdBy: 'anna' });
      await store.addWatchlist({ name: 'haven', query: 'haven OR stenen', priority: 0.7, createdBy: 'anna' });
      const second = await ingestBatch(store, [
        ...SECOND_BATCH,
        // two entities each, written in the other order: both stores hand them over in the same order
        message('e-1', day(9, 10), 'jaguar', ['ghost'], 'mail me op jag@example.nl of bel 0612345679'),
        message('e-2', day(9, 11), 'ghost', ['jaguar'], 'bel 0612345679 of mail jag@example.nl'),
      ], 'encro-2');
      const backfill = await store.runWatchlists(parseQuery, 'informant');
      const { triage, toolrun } = await createMessageTriage({});
      const rescored = await rescoreDataset(store, 'encro', triage, toolrun);
      const all = await queue(store, { status: ['new', 'acknowledged', 'escalated', 'dismissed'] });
      const ids = [...(await idsByRef(store)).values()].sort();
      const discovery: DiscoveryMessage[] = [];
      for await (const row of store.discoveryMessages('encro')) discovery.push(row);
      answers.push({
        watchlists: [second.watchlists, backfill],
        rescored,
        queue: all.alerts.map((a) => ({ ...a, id: 0, createdAt: '', updatedAt: '' })),
        alertsOfMessages: (await store.alertsOfMessages(ids)).map((a) => [a.item.ref, a.kind, a.watchlist]),
        entityCounts: await store.entityCounts(ids),
        toolruns: (await store.toolrunsOf(ids)).map((t) => t.component).sort(),
        discovery,
      });
    } finally {
      if (kind === 'sqlite') await store.close();
    }
  }
  const [sqlite, postgres] = answers;
  for (const key of Object.keys(sqlite!) as (keyof typeof sqlite)[]) assert.deepEqual(postgres![key], sqlite![key], key);
});
