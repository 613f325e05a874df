// `lode migrate`: a SQLite store holding every kind of thing Lode keeps (chats with alerts and
// entities, a site database and a credential leak, users and sessions, a case, a watchlist, links
// and persons, a legal scope, a destroyed privileged message, a campaign with its history, the
// audit log) moved by the real CLI into a new PostgreSQL database; then the new store answers as
// the old one did, the audit chain verifies, and work goes on there with fresh ids.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { updateLinks } from '../../src/analyze/links-update.ts';
import { discoverInStore } from '../../src/analyze/discover-store.ts';
import { createCountryResolver } from '../../src/campaigns/country.ts';
import { storeCampaign } from '../../src/campaigns/create.ts';
import { selectRecipients } from '../../src/campaigns/select.ts';
import { markRecipient } from '../../src/campaigns/tracking.ts';
import { caseContents } from '../../src/cases/bundle.ts';
import { writeCorpus } from '../../src/generate/write-corpus.ts';
import { writeMarketDump } from '../../src/generate/write-market.ts';
import { ingest } from '../../src/ingest/pipeline.ts';
import type { Viewer } from '../../src/model/security.ts';
import { parseQuery } from '../../src/search/parse.ts';
import { hashPassword } from '../../src/security/passwords.ts';
import { TABLES } from '../../src/store/migrate.ts';
import { openPostgresStore } from '../../src/store/postgres/pg-store.ts';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import type { Store } from '../../src/store/store.ts';
import { message, temporaryDirectory, writeJsonl } from '../fixtures.ts';
import { closePostgres, postgresDatabase } from '../postgres-fixture.ts';

after(closePostgres);

const LODE = new URL('../../bin/lode', import.meta.url).pathname;
const ANALYST: Viewer = { isAdmin: false, mayReviewPrivilege: false };
const QUERIES = ['kilo', 'politie OR douane', '"de haven"', 'cash~1', 'phone:+31612345678', 'zwemmen', 'from:ghost'];

let home: string;
let sqlitePath: string;
let url: string;
let migration: { code: number; json: Record<string, unknown>; stderr: string };

function lode(args: string[]): { code: number; stdout: string; stderr: string } {
  const result = spawnSync(LODE, args, { encoding: 'utf8', env: { ...process.env, LODE_HOME: home, LODE_STORE: '' } });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** What a store answers that a migration must keep, read the same way from either store. */
async function answers(store: Store) {
  const searches = [];
  for (const query of QUERIES) {
    const result = await store.search({ ast: parseQuery(query), limit: 10, offset: 0, sort: 'newest', facets: false });
    searches.push({ query, total: result.total, page: result.hits.map((h) => h.id) });
    // ranked with the index's totals, which the migration counts from the bodies (word_totals)
    const ranked = await store.search({ ast: parseQuery(query), limit: 10, offset: 0, sort: 'relevance', facets: false });
    searches.push({ query, sort: ranked.sort, ranked: ranked.hits.map((h) => [h.id, h.score]) });
  }
  const scoped = await store.search({ ast: parseQuery('kilo'), limit: 10, offset: 0, sort: 'newest', facets: false, viewer: ANALYST });
  const bundle = (await caseContents(store, 'op-haven', undefined, 'root', new Date('2026-12-06T00:00:00Z')))!;
  const campaign = (await store.campaigns())[0]!;
  const recipients = await store.recipients(campaign.name);
  return {
    summary: await store.summarise(),
    sources: (await store.sources()).map((s) => [s.dataset, s.sha256, s.records, s.status]),
    quarantine: (await store.quarantine({ limit: 100, offset: 0 })).entries.map((e) => [e.line, e.reason]),
    searches,
    scoped: [scoped.total, scoped.hits.map((h) => h.id)],
    entities: await store.entities({ limit: 50, offset: 0 }),
    alerts: (await store.alerts({ limit: 500, offset: 0, status: ['new', 'acknowledged', 'escalated', 'dismissed'] })).alerts,
    watchlists: await store.watchlists(),
    links: await store.links({ limit: 500, offset: 0 }),
    persons: await Promise.all((await store.links({ status: 'confirmed', limit: 50, offset: 0 })).links
      .map(async (l) => store.personOf((await store.findAccounts(l.a.handle, l.a.dataset, l.a.platform))[0]!.id))),
    users: await store.users(),
    grants: await store.grantsOf('anna'),
    scope: await store.scopeOf('encro'),
    privileged: await store.privilegedIdentifiers(),
    bundle: { ...bundle, exportedAt: undefined },
    candidates: await store.candidates('all'),
    campaign,
    recipients,
    history: await store.recipientHistory(campaign.name, recipients[0]!.reference),
    audit: (await store.auditEvents({ limit: 1000, offset: 0 })).events,
  };
}

let before_: Awaited<ReturnType<typeof answers>>;

before(async () => {
  home = temporaryDirectory();
  sqlitePath = join(home, 'lode.sqlite');
  const corpus = join(home, 'encro.jsonl');
  await writeCorpus({ messages: 3000, seed: 5, out: corpus });
  const extra = writeJsonl(join(home, 'extra.jsonl'), [
    { kind: 'account', platform: 'encrochat', handle: 'ghost', device: { imei: '356938035643809', model: 'Aquaris X2', since: '2020-01-02' } },
    { kind: 'contact', platform: 'encrochat', owner: 'ghost', handle: 'jaguar', alias: 'Mo Bakkal' },
    message('x-1', '2020-04-01T09:00:00Z', 'ghost', ['jaguar'], 'kilo bij de haven, bel 0612345678'),
    message('x-2', '2020-04-02T09:00:00Z', 'jaguar', ['ghost'], 'we gaan hem morgen doodmaken bij de haven'),
    message('x-3', '2020-04-03T09:00:00Z', 'lawyer', ['ghost'], 'vertrouwelijk pleidooi7391: zwemmen in juni'),
    '{"broken json',
  ]);
  const market = join(home, 'market.sql');
  await writeMarketDump({ people: 60, seed: 3, out: market });
  const combo = join(home, 'combo.txt');
  writeFileSync(combo, 'jan@x.nl:Welkom01\npiet@y.com:hunter2\n');

  const store = openSqliteStore({ path: sqlitePath });
  try {
    await ingest({ store, dataset: 'encro', paths: [corpus, extra] });
    await ingest({ store, dataset: 'market', paths: [market] });
    await ingest({ store, dataset: 'leak', paths: [combo] });
    const root = await store.createUser('root', 'admin', await hashPassword('correct horse battery'));
    await store.createUser('anna', 'analyst', await hashPassword('another long password'));
    await store.grant('anna', 'dataset', 'encro', 'root');
    await store.createSession('ab'.repeat(32), root!.id, 'session', '2099-01-01T00:00:00.000Z');
    const [first] = (await store.alerts({ limit: 1, offset: 0 })).alerts;
    await store.updateAlert(first!.id, { status: 'escalated', assignee: 'anna', note: 'looks real' }, 'anna');
    await store.createCase({ name: 'op-haven', title: 'De haven' }, 'anna');
    const hits = await store.search({ ast: parseQuery('haven'), limit: 5, offset: 0, sort: 'newest', facets: false });
    await store.addCaseItems('op-haven', hits.hits.map((h) => ({ kind: 'message' as const, ref: h.id, tags: ['haven'] })), 'anna');
    await store.addAnnotation('op-haven', { target: { kind: 'message', ref: hits.hits[0]!.id }, kind: 'note', text: 'begin hier', author: 'anna' });
    await store.addCaseQuery('op-haven', { kind: 'query', text: 'haven', hits: hits.total, addedBy: 'anna' });
    await store.addWatchlist({ name: 'haven', query: 'haven', priority: 0.6, createdBy: 'anna' });
    await store.runWatchlists(parseQuery, 'haven');
    await updateLinks(store);
    const [proposed] = (await store.links({ limit: 1, offset: 0 })).links;
    if (proposed) await store.decideLink(proposed.id, 'confirmed', 'anna', 'same device');
    await discoverInStore(store, ['encro'], { view: 'all' });
    await store.addPrivileged('platform-handle', 'encrochat:lawyer', 'mr. X', 'root');
    const privileged = await store.search({ ast: parseQuery('pleidooi7391'), limit: 1, offset: 0, sort: 'newest', facets: false, viewer: { isAdmin: true, mayReviewPrivilege: true } });
    assert.equal((await store.decidePrivilege(privileged.hits[0]!.id, 'destroyed', 'root', 'legal advice')).kind, 'decided');
    await store.setScope('encro', { fromMs: Date.parse('2020-01-01T00:00:00Z'), warrant: 'RC-1' }, 'root');
    const selection = await selectRecipients({ store, criteria: { dataset: 'market', countries: ['NL'], paid: true }, countries: await createCountryResolver() });
    const stored = await storeCampaign(store, { name: 'stop-nl', criteria: { dataset: 'market', countries: ['NL'], paid: true }, language: 'nl', createdBy: 'root', settings: {} }, selection);
    await markRecipient(store, 'stop-nl', stored!.people[0]!.reference, { status: 'letter-sent', note: 'sent by post' }, 'root');
    await store.appendAudit({ actor: 'root', action: 'search', details: { query: 'kilo' } });
    before_ = await answers(store);
  } finally {
    await store.close();
  }
  url = await postgresDatabase();
  const run = lode(['migrate', '--from', `sqlite:${sqlitePath}`, '--to', url, '--json']);
  migration = { code: run.code, json: run.code === 0 ? JSON.parse(run.stdout) as Record<string, unknown> : {}, stderr: run.stderr };
});

test('migrate moves every table and verifies each by its rows and their SHA-256', () => {
  assert.equal(migration.code, 0, migration.stderr);
  const tables = migration.json.tables as { table: string; rows: number; verified: boolean }[];
  assert.equal(migration.json.verified, true);
  assert.deepEqual(tables.filter((t) => !t.verified), []);
  const rows = new Map(tables.map((t) => [t.table, t.rows]));
  // the store held something in every kind of table the test means to move
  for (const table of ['messages', 'accounts', 'devices', 'contacts', 'events', 'exposures', 'quarantine', 'entities', 'mentions', 'alerts', 'alert_notes',
    'watchlists', 'account_links', 'persons', 'users', 'grants', 'sessions', 'audit_events', 'dataset_scopes', 'privileged_identifiers', 'privilege_decisions',
    'cases', 'case_items', 'case_annotations', 'case_queries', 'case_candidates', 'campaigns', 'campaign_recipients', 'campaign_history', 'vocabulary']) {
    assert.ok((rows.get(table) ?? 0) > 0, `${table} had rows to move`);
  }
  assert.equal(migration.json.rows, tables.reduce((n, t) => n + t.rows, 0));
});

test('every table of the PostgreSQL schema is one migrate copies (or the audit chain\'s own two)', async () => {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ table_name: string }>(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`);
    const copied = new Set(TABLES.map((t) => t.table));
    assert.deepEqual(rows.map((r) => r.table_name).filter((t) => !copied.has(t)).sort(), ['audit_genesis', 'audit_head', 'schema_migrations']);
  } finally {
    await client.end();
  }
});

test('the new store answers as the old one: searches, scope, alerts, links, case, campaign, users, audit', async () => {
  const store = await openPostgresStore({ url });
  try {
    const now = await answers(store);
    // the migration itself is the new store's first audit event of its own
    const [migrated, ...moved] = now.audit;
    assert.deepEqual([migrated!.action, migrated!.details.verified], ['store.migrate', true]);
    now.audit = moved;
    for (const key of Object.keys(before_) as (keyof typeof before_)[]) assert.deepEqual(now[key], before_[key], key);
    assert.deepEqual(await store.verifyAudit(), { ...(await store.verifyAudit()), ok: true });
    const session = await store.findSession('ab'.repeat(32));
    assert.equal(session?.user.name, 'root');
  } finally {
    await store.close();
  }
});

test('work goes on in the new store: ids continue, a new file is ingested, the audit chain grows and verifies', async () => {
  const store = await openPostgresStore({ url });
  try {
    const highest = Math.max(...before_.audit.map((e) => e.seq));
    const appended = await store.appendAudit({ actor: 'root', action: 'store.check', details: {} });
    assert.ok(appended.seq > highest);
    const caseBefore = await store.findCase('op-haven');
    const next = await store.createCase({ name: 'op-next' }, 'root');
    assert.ok(next!.id > caseBefore!.id);
    const report = await ingest({ store, dataset: 'encro', paths: [writeJsonl(join(home, 'later.jsonl'), [message('y-1', '2020-05-01T09:00:00Z', 'ghost', ['jaguar'], 'nieuwe levering kilo')])] });
    assert.equal(report.messages, 1);
    assert.equal((await store.search({ ast: parseQuery('levering'), limit: 5, offset: 0, sort: 'newest', facets: false })).total, 1);
    // the same corpus again adds nothing: the sources' hashes came along
    const again = await ingest({ store, dataset: 'encro', paths: [join(home, 'encro.jsonl')] });
    assert.equal(again.messages, 0);
    assert.equal((await store.verifyAudit()).ok, true);
  } finally {
    await store.close();
  }
});

test('migrating into a database that already holds a store is refused, and nothing is added', () => {
  const run = lode(['migrate', '--from', `sqlite:${sqlitePath}`, '--to', url, '--json']);
  assert.equal(run.code, 1);
  assert.match(run.stderr, /not empty: migrate into a new database/);
  const missing = lode(['migrate', '--from', `sqlite:${join(home, 'nothing.sqlite')}`, '--to', url]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /no SQLite store at/);
});
