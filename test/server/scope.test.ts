// Legal scope and privilege review through the HTTP API: the viewer comes from the session's role.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ingest } from '../../src/ingest/pipeline.ts';
import { hashPassword } from '../../src/security/passwords.ts';
import { message, temporaryDirectory, writeJsonl } from '../fixtures.ts';
import { PASSWORD, getJson, login, startTestServer, type Login, type TestServer } from './server-fixture.ts';

type SearchBody = { total: number; hits: { id: string; ref?: string }[] };
type DatasetsBody = { datasets: { name: string; messages: number; lastTs?: string }[] };
type ReviewBody = { total: number; messages: { id: string; ref?: string; body: string; privilegedParties: { identifier: string }[] }[] };

let server: TestServer;
let api: string;
let root: Login;
let ana: Login;
let rita: Login;

before(async () => {
  server = await startTestServer();
  api = `${server.url}/api/v1`;
  await ingest({ store: server.store, dataset: 'zuid', paths: [writeJsonl(join(temporaryDirectory(), 'lawyer.jsonl'), [
    message('z-9', '2020-04-03T09:00:00Z', 'tapeworm', ['+31 6 11111111'], 'advocaat: zeg niets over de kilo'),
  ])] });
  await server.store.createUser('rita', 'privilege-reviewer', await hashPassword(PASSWORD));
  await server.store.grant('rita', 'dataset', 'zuid', 'root');
  [root, ana, rita] = await Promise.all([login(server.url, 'root'), login(server.url, 'ana'), login(server.url, 'rita')]);
});
after(() => server.close());

const search = (who: Login, q: string) => getJson<SearchBody>(`${api}/search?q=${encodeURIComponent(q)}&facets=true`, who.token);
const post = (who: Login, path: string, body?: object) => fetch(`${api}${path}`, {
  method: 'POST', headers: { authorization: `Bearer ${who.token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}),
});

test('an analyst searching a scoped dataset sees only what the warrant covers; an admin sees all', async () => {
  await server.store.setScope('zuid', { fromMs: Date.parse('2020-04-02T00:00:00Z'), warrant: 'RC-1' }, 'cli:root');
  try {
    const analyst = await search(ana, 'klaar');
    assert.equal(analyst.status, 200);
    assert.deepEqual(analyst.body.hits.map((h) => h.ref), ['z-3']);
    assert.equal(analyst.body.total, 1);
    assert.equal((await search(root, 'klaar')).body.total, 2);
    const outside = (await search(root, 'haven')).body.hits[0]!.id;
    assert.equal((await getJson(`${api}/items/${outside}`, ana.token)).status, 404, 'an item outside the scope is like no item');
    assert.equal((await getJson(`${api}/items/${outside}`, root.token)).status, 200);
  } finally {
    await server.store.clearScope('zuid');
  }
  assert.equal((await search(ana, 'klaar')).body.total, 2);
});

test('privileged messages: withheld from analysts and admins, reviewed and released by a reviewer only', async () => {
  const zuidCount = async (who: Login, path = '/datasets') => {
    const answer = await getJson<DatasetsBody>(`${api}${path}`, who.token);
    assert.equal(answer.status, 200);
    return answer.body.datasets.find((d) => d.name === 'zuid')!.messages;
  };
  const before = await zuidCount(ana);
  const added = await server.store.addPrivileged('phone', '+31611111111', 'mr. Bakker', 'cli:root');
  assert.equal(added.kind, 'added');
  assert.equal((await search(ana, 'advocaat')).body.total, 0);
  assert.equal((await search(root, 'advocaat')).body.total, 0);
  // dataset counts (GET /datasets, GET /status) leave the withheld message out but for reviewers
  for (const who of [ana, root]) {
    assert.equal(await zuidCount(who), before - 1);
    assert.equal(await zuidCount(who, '/status'), before - 1);
  }
  const reviewer = (await server.store.summarise({ isAdmin: false, mayReviewPrivilege: true })).find((d) => d.name === 'zuid')!;
  assert.equal(reviewer.messages, before, 'a reviewer\'s counts include it');
  assert.equal((await server.store.summarise()).find((d) => d.name === 'zuid')!.messages, before - 1, 'lode status: the operator is no reviewer');

  for (const who of [ana, root]) {
    const refused = await getJson<{ error: { code: string } }>(`${api}/privileged/review`, who.token);
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error.code, 'forbidden');
  }
  const review = await getJson<ReviewBody>(`${api}/privileged/review`, rita.token);
  assert.equal(review.status, 200);
  assert.deepEqual(review.body.messages.map((m) => m.ref), ['z-9']);
  assert.equal(review.body.messages[0]!.privilegedParties[0]!.identifier, 'phone:+31611111111');
  const id = review.body.messages[0]!.id;
  assert.equal((await getJson(`${api}/items/${id}`, ana.token)).status, 404);

  assert.equal((await post(ana, `/privileged/${id}/release`)).status, 403);
  assert.equal((await post(root, `/privileged/${id}/destroy`)).status, 403);
  const released = await post(rita, `/privileged/${id}/release`, { note: 'no advice in it' });
  assert.equal(released.status, 200, await released.clone().text());
  assert.equal(((await released.json()) as { decision: { status: string; decidedBy: string } }).decision.decidedBy, 'rita');
  assert.equal((await search(ana, 'advocaat')).body.total, 1);
  assert.equal((await getJson(`${api}/items/${id}`, ana.token)).status, 200);

  const notPrivileged = (await search(ana, 'haven')).body.hits[0]!.id;
  assert.equal((await post(rita, `/privileged/${notPrivileged}/destroy`)).status, 409);
  const audit = await server.store.auditEvents({ limit: 50, offset: 0, actor: 'rita' });
  assert.deepEqual(audit.events.map((e) => e.action).filter((a) => a.startsWith('privilege.')).sort(), ['privilege.destroy.refused', 'privilege.release', 'privilege.review']);
});

test('entities, accounts, graph and search/list do not reveal a privileged message\'s entity or contact', async () => {
  type Entities = { total: number; entities: { type: string; value: string; count: number }[] };
  type Profile = { sent: number; received: number; contacts: { handle: string }[]; entities: { value: string }[]; lastSeen?: string };
  type Graph = { keyPlayers: { account: string }[]; groups: { members: string[] }[] };
  type ListResult = { found: number; matches: { as: string; found: boolean; messages: number; datasets: string[]; examples: string[] }[] };
  await ingest({ store: server.store, dataset: 'zuid', paths: [writeJsonl(join(temporaryDirectory(), 'counsel.jsonl'), [
    message('z-10', '2020-04-05T09:00:00Z', '+31 6 22222222', ['tapeworm'], 'stuur het dossier naar dossier@advocaat.example'),
    message('z-11', '2020-04-05T10:00:00Z', 'tapeworm', ['+31 6 22222222'], 'dank, ik bel morgen'),
  ])] });
  const lines = ['dossier@advocaat.example', 'handle:+31 6 22222222'];
  const lookup = async (who: Login) => {
    const response = await post(who, '/search/list', { lines });
    assert.equal(response.status, 200);
    return (await response.json()) as ListResult;
  };
  const reveals = (text: string) => text.includes('22222222') || text.includes('advocaat.example');
  // before the number is registered, everything shows: the checks below are not empty by accident
  assert.ok((await getJson<Entities>(`${api}/entities?type=email`, ana.token)).body.entities.some((e) => e.value === 'dossier@advocaat.example'));
  assert.equal((await lookup(ana)).found, 2);
  assert.equal((await getJson(`${api}/accounts/${encodeURIComponent('+31 6 22222222')}?dataset=zuid`, ana.token)).status, 200);

  assert.equal((await server.store.addPrivileged('phone', '+31622222222', 'mr. Smit', 'cli:root')).kind, 'added');
  for (const who of [ana, root]) {
    const entities = await getJson<Entities>(`${api}/entities?type=email`, who.token);
    assert.equal(entities.status, 200);
    assert.equal(reveals(JSON.stringify(entities.body)), false);

    const profile = await getJson<Profile>(`${api}/accounts/tapeworm?dataset=zuid`, who.token);
    assert.equal(profile.status, 200);
    assert.equal(reveals(JSON.stringify(profile.body)), false);
    assert.equal(profile.body.lastSeen?.startsWith('2020-04-05'), false);

    const graph = await getJson<Graph>(`${api}/graph?dataset=zuid`, who.token);
    assert.equal(graph.status, 200);
    assert.ok(graph.body.keyPlayers.length > 0);
    assert.equal(reveals(JSON.stringify(graph.body)), false);

    const listed = await lookup(who);
    assert.equal(listed.found, 0);
    assert.deepEqual(listed.matches.map((m) => [m.found, m.messages, m.datasets, m.examples]), [[false, 0, [], []], [false, 0, [], []]]);
  }
  // the lawyer's own account is like an unknown handle for all but reviewers
  for (const who of [ana, root]) {
    const path = await getJson<{ error: { code: string; message: string } }>(`${api}/path?a=tapeworm&b=${encodeURIComponent('+31 6 22222222')}`, who.token);
    assert.equal(path.status, 404);
    assert.deepEqual(path.body.error, { ...path.body.error, code: 'not_found', message: 'no account "+31 6 22222222"' });
    const account = await getJson<{ error: { message: string } }>(`${api}/accounts/${encodeURIComponent('+31 6 22222222')}`, who.token);
    assert.equal(account.status, 404);
    assert.equal(account.body.error.message, 'no account "+31 6 22222222"');
    assert.equal((await getJson(`${api}/accounts/${encodeURIComponent('+31 6 22222222')}?dataset=zuid`, who.token)).status, 404);
  }
  assert.equal((await getJson(`${api}/accounts/nobody-at-all`, ana.token)).status, 404, 'the same answer as an unknown handle');
  const reviewer = { isAdmin: false, mayReviewPrivilege: true };
  assert.equal((await server.store.findAccounts('+31 6 22222222', 'zuid', undefined, reviewer)).length, 1, 'a reviewer finds it');
});

test('POST /privileged/purge: privilege reviewers only, audited with their name', async () => {
  for (const who of [ana, root]) assert.equal((await post(who, '/privileged/purge')).status, 403);
  const purged = await post(rita, '/privileged/purge');
  assert.equal(purged.status, 200, await purged.clone().text());
  const body = (await purged.json()) as { destroyed: number; bytesBefore: number; bytesAfter: number };
  assert.equal(typeof body.destroyed, 'number');
  assert.ok(body.bytesBefore >= 0 && body.bytesAfter >= 0);
  const audit = await server.store.auditEvents({ limit: 10, offset: 0, action: 'privilege.purge' });
  assert.equal(audit.total, 1);
  assert.equal(audit.events[0]!.actor, 'rita');
  assert.equal((await search(ana, 'advocaat')).body.total, 1, 'the store still answers after the rewrite');
});

test('dataset counts of accounts and contacts leave out what the viewer may not see', async () => {
  const countsOf = async (viewer?: { isAdmin: boolean; mayReviewPrivilege: boolean }) => (await server.store.summarise(viewer)).find((d) => d.name === 'zuid')!;
  const analyst = { isAdmin: false, mayReviewPrivilege: false };
  // the lawyer's number is an account only reviewers count (registered here too when run alone)
  await server.store.addPrivileged('phone', '+31611111111', 'mr. Bakker', 'cli:root');
  const all = await countsOf({ isAdmin: true, mayReviewPrivilege: true });
  const lawyers = Number(server.store.db.prepare(`SELECT count(*) AS n FROM privileged_accounts p JOIN accounts a ON a.id = p.account_id
    JOIN datasets d ON d.id = a.dataset_id WHERE d.name = 'zuid'`).get()!.n);
  assert.ok(lawyers >= 1, 'the lawyer\'s number is an account of zuid');
  assert.equal((await countsOf(analyst)).accounts, all.accounts - lawyers, 'an analyst');
  assert.equal((await countsOf({ isAdmin: false, mayReviewPrivilege: true })).accounts, all.accounts, 'a reviewer');
  // a warrant naming one handle: analysts count that account only, admins all but the lawyer
  await server.store.setScope('zuid', { handles: ['tapeworm'], warrant: 'RC-2' }, 'cli:root');
  try {
    assert.equal((await countsOf(analyst)).accounts, 1, 'an analyst under the warrant');
    assert.equal((await countsOf({ isAdmin: true, mayReviewPrivilege: false })).accounts, all.accounts - lawyers, 'an admin under the warrant');
    const datasets = await getJson<{ datasets: { name: string; accounts: number }[] }>(`${api}/datasets`, ana.token);
    assert.equal(datasets.body.datasets.find((d) => d.name === 'zuid')!.accounts, 1);
  } finally {
    await server.store.clearScope('zuid');
  }
});
