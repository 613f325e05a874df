// Legal scope and privilege review through the HTTP API: the viewer comes from the session's role.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ingest } from '../../src/ingest/pipeline.ts';
import { hashPassword } from '../../src/security/passwords.ts';
import { message, temporaryDirectory, writeJsonl } from '../fixtures.ts';
import { PASSWORD, getJson, login, startTestServer, type Login, type TestServer } from './server-fixture.ts';

type SearchBody = { total: number; hits: { id: string; ref?: string }[] };
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
  const added = await server.store.addPrivileged('phone', '+31611111111', 'mr. Bakker', 'cli:root');
  assert.equal(added.kind, 'added');
  assert.equal((await search(ana, 'advocaat')).body.total, 0);
  assert.equal((await search(root, 'advocaat')).body.total, 0);

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
