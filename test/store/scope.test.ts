// Legal scope and privilege screening in both stores: what a viewer may not see is missing from
// hits, totals, facets, single items and conversations alike.
import { after, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ingest } from '../../src/ingest/pipeline.ts';
import { parseQuery } from '../../src/search/parse.ts';
import { searchStore } from '../../src/search/search.ts';
import { updateLinks } from '../../src/analyze/links-update.ts';
import type { Viewer } from '../../src/model/security.ts';
import type { Store } from '../../src/store/store.ts';
import type { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import type { PostgresStore } from '../../src/store/postgres/pg-store.ts';
import { message, temporaryDirectory, writeJsonl } from '../fixtures.ts';
import { closePostgres } from '../postgres-fixture.ts';
import { openStoreOf, STORE_KINDS } from './stores.ts';

after(closePostgres);

const ANALYST: Viewer = { isAdmin: false, mayReviewPrivilege: false };
const ADMIN: Viewer = { isAdmin: true, mayReviewPrivilege: false };
const REVIEWER: Viewer = { isAdmin: false, mayReviewPrivilege: true };
const LAWYER = '+31612345678';

const corpus = [
  message('z-1', '2020-04-01T09:00:00Z', 'tapeworm', ['jaguar'], 'kilo bij de haven morgen'),
  message('z-2', '2020-04-01T10:00:00Z', 'jaguar', ['tapeworm'], 'kilo cash klaar'),
  message('z-3', '2020-06-01T10:00:00Z', 'otter', ['bever'], 'kilo later in juni'),
  message('z-4', '2020-04-02T10:00:00Z', 'tapeworm', ['+31 6 1234 5678'], 'advocaat dossier vertrouwelijk kilo'),
  message('z-5', '2020-04-03T10:00:00Z', '0612345678', ['tapeworm'], 'pleidooi zaterdag kilo, mail me op raadsman@example.nl'),
];

for (const kind of STORE_KINDS) describe(`the ${kind} store`, () => {
let dir: string;
let store: Store;
let ids: Map<string, string>;

beforeEach(async () => {
  dir = temporaryDirectory();
  store = await openStoreOf(kind);
  await ingest({ store, dataset: 'zuid', paths: [writeJsonl(join(dir, 'zuid.jsonl'), corpus)] });
  const all = await searchStore(store, { ast: parseQuery('kilo'), limit: 50, offset: 0, sort: 'newest', facets: false, viewer: { isAdmin: true, mayReviewPrivilege: true } });
  ids = new Map(all.hits.map((h) => [h.ref!, h.id]));
});

async function find(query: string, viewer?: Viewer) {
  const result = await searchStore(store, { ast: parseQuery(query), limit: 50, offset: 0, sort: 'oldest', facets: true, viewer });
  return { total: result.total, refs: result.hits.map((h) => h.ref), senders: result.facets!.sender.map((b) => b.value), expansions: result.expansions };
}

/** One row of raw SQL, written for each store's dialect: what the test checks beneath the Store interface. */
async function rawRow(sql: { sqlite: string; postgres: string }, ...params: (string | number)[]): Promise<Record<string, unknown>> {
  if (kind === 'sqlite') return { ...(store as SqliteStore).db.prepare(sql.sqlite).get(...params)! };
  return (await (store as PostgresStore).db.one(sql.postgres, params))!;
}

const id = (ref: string) => ids.get(ref)!;

describe('legal scope', () => {
  test('a scope by handles hides messages between others from non-admins, counts and facets included', async () => {
    await store.setScope('zuid', { handles: ['Tapeworm'], warrant: 'RC-2020-17' }, 'cli:root');
    const analyst = await find('kilo', ANALYST);
    assert.deepEqual(analyst.refs, ['z-1', 'z-2', 'z-4', 'z-5']);
    assert.equal(analyst.total, 4);
    assert.equal(analyst.senders.includes('otter'), false);
    // admins see beyond the scope, privileged messages aside (none registered here)
    assert.equal((await find('kilo', ADMIN)).total, 5);
    assert.equal((await find('kilo')).total, 5, 'the local operator sees beyond the scope');
  });

  test('a scope by time window hides messages outside it (to is exclusive)', async () => {
    await store.setScope('zuid', { fromMs: Date.parse('2020-04-01T00:00:00Z'), toMs: Date.parse('2020-04-02T00:00:00Z'), warrant: 'RC-2020-18' }, 'cli:root');
    assert.deepEqual((await find('kilo', ANALYST)).refs, ['z-1', 'z-2']);
    const scope = await store.scopeOf('zuid');
    assert.equal(scope?.warrant, 'RC-2020-18');
    assert.equal(scope?.to, '2020-04-02T00:00:00.000Z');
    assert.equal(scope?.handles, undefined);
  });

  test('message() and conversationAround() answer nothing outside the scope for non-admins', async () => {
    await store.setScope('zuid', { handles: ['jaguar'], fromMs: Date.parse('2020-04-01T09:30:00Z'), warrant: 'RC-2020-19' }, 'cli:root');
    assert.equal(await store.message(id('z-3'), ANALYST), undefined);
    assert.equal(await store.message(id('z-1'), ANALYST), undefined, 'before the window');
    assert.equal((await store.message(id('z-2'), ANALYST))?.ref, 'z-2');
    assert.equal((await store.message(id('z-1'), ADMIN))?.ref, 'z-1');
    assert.deepEqual(await store.conversationAround(id('z-1'), 5, 5, ANALYST), []);
    assert.deepEqual((await store.conversationAround(id('z-2'), 5, 5, ANALYST)).map((m) => m.ref), ['z-2']);
    assert.deepEqual((await store.conversationAround(id('z-2'), 5, 5, ADMIN)).map((m) => m.ref), ['z-1', 'z-2']);
  });

  test('clearing the scope shows everything again; accounts ingested later are matched', async () => {
    await store.setScope('zuid', { handles: ['newcomer'], warrant: 'RC-2020-20' }, 'cli:root');
    assert.equal((await find('kilo', ANALYST)).total, 0);
    await ingest({ store, dataset: 'zuid', paths: [writeJsonl(join(dir, 'more.jsonl'), [message('z-6', '2020-04-04T10:00:00Z', 'newcomer', ['jaguar'], 'kilo nieuw')])] });
    assert.deepEqual((await find('kilo', ANALYST)).refs, ['z-6']);
    assert.equal(await store.clearScope('zuid'), true);
    assert.equal(await store.clearScope('zuid'), false);
    assert.equal((await find('kilo', ANALYST)).total, 6);
  });
});

describe('privilege screening', () => {
  test('a privileged phone as sender or recipient withholds the message from analysts, admins and the operator, not reviewers', async () => {
    const added = await store.addPrivileged('phone', '06 12345678', 'mr. De Vries', 'cli:root');
    if (added.kind !== 'added') assert.fail(JSON.stringify(added));
    assert.equal(added.identifier.value, LAWYER);
    assert.equal(added.identifier.accounts, 2, 'both writings of the number');
    for (const viewer of [ANALYST, ADMIN, undefined]) {
      const seen = await find('kilo', viewer);
      assert.deepEqual(seen.refs, ['z-1', 'z-2', 'z-3'], JSON.stringify(viewer));
      assert.equal(seen.total, 3);
      assert.equal(seen.senders.includes('0612345678'), false);
      assert.equal(await store.message(id('z-5'), viewer), undefined);
      assert.equal((await find('pleidooi', viewer)).total, 0);
    }
    assert.deepEqual((await find('kilo', REVIEWER)).refs, ['z-1', 'z-2', 'z-4', 'z-5', 'z-3']);
    assert.equal((await store.message(id('z-5'), REVIEWER))?.ref, 'z-5');
    const conversation = await store.conversationAround(id('z-1'), 5, 5, ANALYST);
    assert.deepEqual(conversation.map((m) => m.ref), ['z-1', 'z-2']);
  });

  test('an e-mail or platform:handle identifier, and messages ingested after it was added', async () => {
    assert.equal((await store.addPrivileged('email', 'not an address', undefined, 'cli:root')).kind, 'invalid');
    await store.addPrivileged('platform-handle', 'EncroChat:Jaguar', undefined, 'cli:root');
    // jaguar's conversation with tapeworm is withheld whole; a mention of a lawyer's address is not enough
    assert.deepEqual((await find('kilo', ANALYST)).refs, ['z-4', 'z-5', 'z-3']);
    await store.addPrivileged('email', 'Raadsman@Example.NL', undefined, 'cli:root');
    await ingest({ store, dataset: 'noord', paths: [writeJsonl(join(dir, 'noord.jsonl'), [
      { kind: 'message', platform: 'email', id: 'n-1', ts: '2020-04-05T10:00:00Z', from: 'raadsman@example.nl', to: ['otter@example.nl'], body: 'kilo advies' },
    ])] });
    assert.equal((await find('advies', ANALYST)).total, 0);
    assert.equal((await find('advies', REVIEWER)).total, 1);
    assert.deepEqual((await store.privilegedIdentifiers()).map((i) => [i.kind, i.value, i.accounts]), [['email', 'raadsman@example.nl', 1], ['platform-handle', 'encrochat:jaguar', 1]]);
  });

  test('release makes a withheld message visible; the review list shows what is pending and why', async () => {
    await store.addPrivileged('phone', LAWYER, 'mr. De Vries', 'cli:root');
    const pending = await store.withheldMessages({ limit: 10, offset: 0 });
    assert.deepEqual(pending.messages.map((m) => m.ref), ['z-5', 'z-4']);
    assert.equal(pending.total, 2);
    assert.deepEqual(pending.messages[0]!.privilegedParties, [{ handle: '0612345678', identifier: `phone:${LAWYER}`, label: 'mr. De Vries' }]);
    const released = await store.decidePrivilege(id('z-4'), 'released', 'rita', 'no legal advice in it');
    assert.equal(released.kind, 'decided');
    assert.deepEqual((await find('kilo', ANALYST)).refs, ['z-1', 'z-2', 'z-4', 'z-3']);
    assert.deepEqual((await store.withheldMessages({ limit: 10, offset: 0 })).messages.map((m) => m.ref), ['z-5']);
    assert.equal((await store.decidePrivilege(id('z-1'), 'released', 'rita')).kind, 'not-privileged');
    assert.equal((await store.decidePrivilege('m000000000000000000000000000000', 'released', 'rita')).kind, 'not-found');
    assert.equal((await store.decidePrivilege(id('z-5'), 'released', 'rita', undefined, ['noord'])).kind, 'not-found', 'outside the reviewer\'s datasets');
    const audit = await store.auditEvents({ limit: 10, offset: 0, action: 'privilege.release' });
    assert.equal(audit.total, 1);
    assert.equal(audit.events[0]!.actor, 'rita');
  });

  test('destroy removes the words from the index and the row, logs the decision and an audit event', async () => {
    await store.addPrivileged('phone', LAWYER, undefined, 'cli:root');
    const outcome = await store.decidePrivilege(id('z-5'), 'destroyed', 'rita', 'legal advice');
    assert.equal(outcome.kind, 'decided');
    for (const word of ['pleidooi', 'zaterdag', 'raadsman', 'pleidoi~1']) {
      const seen = await find(word, REVIEWER);
      assert.equal(seen.total, 0, word);
      assert.equal(JSON.stringify(seen.expansions ?? {}).includes('pleidooi'), false);
    }
    const row = await rawRow({ sqlite: 'SELECT body, extra, attachments FROM messages WHERE uid = ?', postgres: 'SELECT body, extra, attachments FROM messages WHERE uid = $1' }, id('z-5'));
    assert.match(String(row.body), /^\[destroyed under privilege by rita at \d{4}-\d\d-\d\dT[\d:.]+Z\]$/);
    assert.equal(String(row.body).includes('pleidooi'), false);
    assert.equal(row.extra, null);
    const count = (sql: string) => rawRow({ sqlite: sql, postgres: sql }).then((r) => Number(r.n));
    assert.equal(await count(`SELECT count(*) AS n FROM vocabulary WHERE term = 'pleidooi'`), 0);
    assert.equal(await count(`SELECT count(*) AS n FROM entities WHERE value = 'raadsman@example.nl'`), 0, 'its entities are gone');
    if (kind === 'sqlite') {
      // the external-content index still matches its table exactly
      (store as SqliteStore).db.prepare(`INSERT INTO message_fts (message_fts, rank) VALUES ('integrity-check', 1)`).run();
    } else {
      // the full-text vector is the tombstone's: no word of the old body is left in it
      assert.equal(await count(`SELECT count(*) AS n FROM messages WHERE terms @@ 'pleidooi'::tsquery OR terms @@ 'raadsman'::tsquery`), 0);
    }
    const decision = await rawRow({ sqlite: 'SELECT status, decided_by, note FROM privilege_decisions WHERE uid = ?', postgres: 'SELECT status, decided_by, note FROM privilege_decisions WHERE uid = $1' }, id('z-5'));
    assert.deepEqual({ ...decision }, { status: 'destroyed', decided_by: 'rita', note: 'legal advice' });
    const audit = await store.auditEvents({ limit: 10, offset: 0, action: 'privilege.destroy' });
    assert.equal(audit.events[0]?.target, id('z-5'));
    assert.equal((await store.verifyAudit()).ok, true);
    // still withheld from everyone else; a reviewer sees the tombstone, and it cannot be undone
    assert.equal(await store.message(id('z-5'), ADMIN), undefined);
    assert.match((await store.message(id('z-5'), REVIEWER))!.body, /^\[destroyed under privilege/);
    assert.equal((await store.decidePrivilege(id('z-5'), 'released', 'rita')).kind, 'destroyed');
    assert.equal((await find('kilo', REVIEWER)).refs.includes('z-5'), false);
  });
});

describe('derived views obey scope and privilege', () => {
  const entityValues = async (viewer?: Viewer, dataset?: string) =>
    (await store.entities({ dataset, limit: 100, offset: 0 }, viewer)).entities.map((e) => `${e.type}:${e.value}:${e.mentions}`);
  const edgesOf = async (viewer?: Viewer) =>
    (await store.communicationEdges({ dataset: 'zuid' }, viewer)).map((e) => `${e.from}>${e.to}:${e.messages}`).sort();
  const tapeworm = async () => (await store.findAccounts('tapeworm', 'zuid'))[0]!.id;

  test('a privileged phone: its message\'s entities are left out for analysts and the operator, counted for reviewers', async () => {
    // the address is in the lawyer's message and in one ordinary message: it stays, with one mention
    await ingest({ store, dataset: 'zuid', paths: [writeJsonl(join(dir, 'more.jsonl'), [
      message('z-6', '2020-04-04T10:00:00Z', 'jaguar', ['tapeworm'], 'schrijf naar raadsman@example.nl of kluis@example.nl'),
      message('z-7', '2020-04-04T11:00:00Z', '0612345678', ['tapeworm'], 'alleen via geheim@example.nl'),
    ])] });
    const before = await entityValues();
    assert.ok(before.includes('email:geheim@example.nl:1'), 'nothing registered yet: the fast counter path');
    assert.ok(before.includes('email:raadsman@example.nl:2'));
    await store.addPrivileged('phone', LAWYER, undefined, 'cli:root');
    for (const viewer of [ANALYST, ADMIN, undefined]) {
      const seen = await entityValues(viewer);
      assert.equal(seen.some((e) => e.startsWith('email:geheim@')), false, JSON.stringify(viewer));
      assert.ok(seen.includes('email:raadsman@example.nl:1'), 'only the visible mention counts');
      assert.ok(seen.includes('email:kluis@example.nl:1'));
      const listed = await store.entities({ type: 'email', limit: 100, offset: 0 }, viewer);
      assert.equal(listed.total, 2, 'the total counts only entities with a visible mention');
    }
    const reviewer = await entityValues(REVIEWER);
    assert.ok(reviewer.includes('email:geheim@example.nl:1'));
    assert.ok(reviewer.includes('email:raadsman@example.nl:2'));
    // paging the computed counts
    const page = await store.entities({ type: 'email', limit: 1, offset: 1 }, ANALYST);
    assert.equal(page.total, 2);
    assert.equal(page.entities.length, 1);
  });

  test('entity and handle occurrences (search --list) skip privileged messages', async () => {
    await store.addPrivileged('phone', LAWYER, undefined, 'cli:root');
    for (const viewer of [ANALYST, undefined]) {
      const mail = await store.entityOccurrences(['email'], 'raadsman@example.nl', undefined, 5, viewer);
      assert.deepEqual([mail.messages, mail.datasets, mail.examples], [0, [], []]);
      const lawyer = await store.handleOccurrences('0612345678', undefined, 5, viewer);
      assert.deepEqual([lawyer.messages, lawyer.datasets, lawyer.examples, lawyer.firstSeen], [0, [], [], undefined]);
      const client = await store.handleOccurrences('tapeworm', 'zuid', 5, viewer);
      assert.equal(client.messages, 1, 'z-4 to the lawyer is not counted');
      assert.deepEqual(client.datasets, ['zuid']);
      assert.deepEqual(client.examples, [id('z-1')]);
      assert.equal(client.lastSeen, '2020-04-01T09:00:00.000Z');
    }
    const mail = await store.entityOccurrences(['email'], 'raadsman@example.nl', undefined, 5, REVIEWER);
    assert.deepEqual([mail.messages, mail.examples], [1, [id('z-5')]]);
    assert.equal((await store.handleOccurrences('tapeworm', 'zuid', 5, REVIEWER)).messages, 2);
  });

  test('account facts of the lawyer\'s client count no privileged message', async () => {
    const account = await tapeworm();
    const open = await store.accountFacts(account, 10);
    assert.deepEqual([open.sent, open.received], [2, 2], 'nothing registered yet');
    await store.addPrivileged('phone', LAWYER, undefined, 'cli:root');
    for (const viewer of [ANALYST, ADMIN, undefined]) {
      const facts = await store.accountFacts(account, 10, viewer);
      assert.deepEqual([facts.sent, facts.received], [1, 1], JSON.stringify(viewer));
      assert.deepEqual(facts.contacts.map((c) => c.handle), ['jaguar']);
      assert.equal(facts.entities.length, 0);
      assert.equal(facts.firstSeen, '2020-04-01T09:00:00.000Z');
      assert.equal(facts.lastSeen, '2020-04-01T10:00:00.000Z', 'z-5 (April 3rd) is privileged');
      assert.equal(facts.activity.byHour.reduce((a, b) => a + b, 0), 1);
    }
    const reviewer = await store.accountFacts(account, 10, REVIEWER);
    assert.deepEqual([reviewer.sent, reviewer.received], [2, 2]);
    assert.deepEqual(reviewer.contacts.map((c) => c.handle).sort(), ['+31 6 1234 5678', '0612345678', 'jaguar']);
    const lawyer = (await store.findAccounts('0612345678', 'zuid', undefined, REVIEWER))[0]!.id;
    const hidden = await store.accountFacts(lawyer, 10, ANALYST);
    assert.deepEqual([hidden.sent, hidden.received, hidden.entities, hidden.contacts, hidden.firstSeen], [0, 0, [], [], undefined]);
  });

  test('communication edges leave out the privileged pair\'s messages', async () => {
    assert.ok((await edgesOf()).includes('encrochat:0612345678>encrochat:tapeworm:1'));
    await store.addPrivileged('phone', LAWYER, undefined, 'cli:root');
    const expected = ['encrochat:jaguar>encrochat:tapeworm:1', 'encrochat:otter>encrochat:bever:1', 'encrochat:tapeworm>encrochat:jaguar:1'];
    for (const viewer of [ANALYST, ADMIN, undefined]) assert.deepEqual(await edgesOf(viewer), expected, JSON.stringify(viewer));
    assert.equal((await edgesOf(REVIEWER)).length, 5);
  });

  test('duplicate candidates leave out privileged copies: one visible copy is no duplicate', async () => {
    await ingest({ store, dataset: 'zuid', paths: [writeJsonl(join(dir, 'copies.jsonl'), [
      message('c-5', '2020-04-03T10:00:00Z', '0612345678', ['tapeworm'], 'pleidooi zaterdag kilo, mail me op raadsman@example.nl'),
      message('c-1', '2020-04-01T09:00:00Z', 'tapeworm', ['jaguar'], 'kilo bij de haven morgen'),
    ])] });
    await store.addPrivileged('phone', LAWYER, undefined, 'cli:root');
    const senders = async (viewer?: Viewer) => [...new Set((await store.duplicateCandidates('zuid', viewer)).map((c) => c.sender))].sort();
    assert.deepEqual(await senders(ANALYST), ['tapeworm']);
    assert.deepEqual(await senders(), ['tapeworm']);
    assert.deepEqual(await senders(REVIEWER), ['0612345678', 'tapeworm']);
    // privilege released for one copy only: still no pair visible
    await store.decidePrivilege(id('z-5'), 'released', 'rita');
    assert.deepEqual(await senders(ANALYST), ['tapeworm']);
  });

  test('a scoped dataset hides out-of-scope messages from these views for non-admins only', async () => {
    await ingest({ store, dataset: 'zuid', paths: [writeJsonl(join(dir, 'outside.jsonl'), [
      message('z-8', '2020-06-02T10:00:00Z', 'otter', ['bever'], 'de buit staat op buit@example.org'),
    ])] });
    await store.setScope('zuid', { handles: ['tapeworm'], warrant: 'RC-2020-21' }, 'cli:root');
    assert.equal((await entityValues(ANALYST)).some((e) => e.includes('buit@example.org')), false);
    assert.ok((await entityValues(ADMIN)).includes('email:buit@example.org:1'));
    assert.ok((await entityValues()).includes('email:buit@example.org:1'), 'the local operator sees beyond the scope');
    assert.equal((await store.entityOccurrences(['email'], 'buit@example.org', 'zuid', 3, ANALYST)).messages, 0);
    const otter = await store.handleOccurrences('otter', undefined, 3, ANALYST);
    assert.deepEqual([otter.messages, otter.datasets], [0, []]);
    assert.deepEqual((await store.handleOccurrences('otter', undefined, 3, ADMIN)).datasets, ['zuid']);
    const edges = await edgesOf(ANALYST);
    assert.equal(edges.some((e) => e.includes('otter')), false);
    assert.ok((await edgesOf(ADMIN)).some((e) => e.includes('otter')));
    const otterId = (await store.findAccounts('otter', 'zuid'))[0]!.id;
    assert.equal((await store.accountFacts(otterId, 10, ANALYST)).sent, 0);
    assert.equal((await store.accountFacts(otterId, 10, ADMIN)).sent, 2);
    // out-of-scope senders mentioning an entity do not supply link evidence
    assert.deepEqual(await store.sendersMentioning('email', 'buit@example.org', ANALYST), []);
    assert.equal((await store.sendersMentioning('email', 'buit@example.org', ADMIN)).length, 1);
  });
});

describe('dataset summaries, account lookups and link evidence leave privileged parties out', () => {
  const summary = async (viewer?: Viewer) => {
    const zuid = (await store.summarise(viewer)).find((d) => d.name === 'zuid')!;
    return { messages: zuid.messages, notes: zuid.notes, firstTs: zuid.firstTs, lastTs: zuid.lastTs, accounts: zuid.accounts };
  };

  test('summarise() counts only the messages the viewer may see, and their time range', async () => {
    const open = await summary();
    assert.deepEqual([open.messages, open.firstTs, open.lastTs], [5, '2020-04-01T09:00:00.000Z', '2020-06-01T10:00:00.000Z'], 'nothing registered: the fast path');
    await store.addPrivileged('phone', LAWYER, undefined, 'cli:root');
    for (const viewer of [ANALYST, ADMIN, undefined]) assert.equal((await summary(viewer)).messages, 3, JSON.stringify(viewer));
    assert.equal((await summary(REVIEWER)).messages, 5);
    await store.setScope('zuid', { toMs: Date.parse('2020-05-01T00:00:00Z'), warrant: 'RC-2020-22' }, 'cli:root');
    const analyst = await summary(ANALYST);
    assert.deepEqual([analyst.messages, analyst.notes, analyst.firstTs, analyst.lastTs], [2, 0, '2020-04-01T09:00:00.000Z', '2020-04-01T10:00:00.000Z']);
    assert.equal((await summary(ADMIN)).lastTs, '2020-06-01T10:00:00.000Z', 'admins see beyond the scope');
    assert.deepEqual([(await summary(REVIEWER)).messages, (await summary(REVIEWER)).lastTs], [4, '2020-04-03T10:00:00.000Z']);
    await store.clearScope('zuid');
    await store.decidePrivilege(id('z-5'), 'released', 'rita');
    assert.equal((await summary(ANALYST)).messages, 4, 'a released message counts');
  });

  test('a leak\'s exposures on no account still count once a privileged party is registered', async () => {
    writeFileSync(join(dir, 'leak.txt'), 'jan@x.nl:Welkom01\npiet@y.com:hunter2\n');
    await ingest({ store, dataset: 'zuid', paths: [join(dir, 'leak.txt')] });
    const exposures = async (viewer?: Viewer) => (await store.summarise(viewer)).find((d) => d.name === 'zuid')!.exposures;
    assert.equal(await exposures(ANALYST), 2);
    await store.addPrivileged('phone', LAWYER, undefined, 'cli:root');
    for (const viewer of [ANALYST, ADMIN, REVIEWER, undefined]) assert.equal(await exposures(viewer), 2, JSON.stringify(viewer));
  });

  test('findAccounts() finds a privileged party\'s own account for reviewers only', async () => {
    assert.equal((await store.findAccounts('0612345678', 'zuid', undefined, ANALYST)).length, 1, 'nothing registered yet');
    await store.addPrivileged('phone', LAWYER, undefined, 'cli:root');
    for (const viewer of [ANALYST, ADMIN, undefined]) {
      assert.deepEqual(await store.findAccounts('0612345678', 'zuid', undefined, viewer), [], JSON.stringify(viewer));
      assert.deepEqual(await store.findAccounts('+31 6 1234 5678', undefined, undefined, viewer), []);
      assert.equal((await store.findAccounts('tapeworm', 'zuid', undefined, viewer)).length, 1, 'the client is found');
    }
    assert.equal((await store.findAccounts('0612345678', 'zuid', undefined, REVIEWER))[0]?.handle, '0612345678');
    assert.equal((await store.findAccounts('+31 6 1234 5678', undefined, 'encrochat', REVIEWER)).length, 1);
  });

  const NAMES_LAWYER = /1234\s?5678/;
  const linksText = async () => JSON.stringify((await store.links({ limit: 100, offset: 0 })).links);
  const disclose = () => ingest({ store, dataset: 'zuid', paths: [writeJsonl(join(dir, 'disclose.jsonl'), [
    message('z-6', '2020-04-04T10:00:00Z', 'jaguar', ['tapeworm'], 'bel de advocaat op 06 12345678'),
  ])] });

  test('without a registered lawyer, link evidence names the number (the check below is not empty by accident)', async () => {
    await disclose();
    await updateLinks(store);
    assert.match(await linksText(), NAMES_LAWYER);
  });

  test('a link update proposes nothing that names a privileged party\'s number', async () => {
    await disclose();
    await store.addPrivileged('phone', LAWYER, undefined, 'cli:root');
    await updateLinks(store);
    const text = await linksText();
    assert.doesNotMatch(text, NAMES_LAWYER);
    const evidence = await store.linkEvidence();
    assert.equal(JSON.stringify(evidence).match(NAMES_LAWYER), null, 'neither handle is link evidence');
  });
});
});
