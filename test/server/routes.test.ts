// The API routes that mirror the rest of the CLI: links, path, status, sources, quarantine,
// duplicates, users and grants, and list lookups; each for an admin and for an analyst granted
// one of two datasets.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ingest } from '../../src/ingest/pipeline.ts';
import { getJson, login, startTestServer, type Login, type TestServer, sendJson } from './server-fixture.ts';
import { message, temporaryDirectory, writeJsonl } from '../fixtures.ts';

type ErrorBody = { error: { code: string; message: string } };
type Ref = { dataset: string; platform: string; handle: string };
type Link = { id: number; a: Ref; b: Ref; kind: string; status: string; decidedBy?: string; note?: string };
type Links = { total: number; links: Link[] };
type AuditEvents = { events: { actor: string; action: string; target?: string; details: Record<string, unknown> }[] };

let server: TestServer;
let api: string;
let root: Login;
let ana: Login;
let aud: Login;

/** An IMEI with a valid Luhn check digit. */
function imei(body14: string): string {
  let sum = 0;
  for (const [i, ch] of [...body14].entries()) {
    const d = Number(ch) * (i % 2 === 1 ? 2 : 1);
    sum += d > 9 ? d - 9 : d;
  }
  return `${body14}${(10 - (sum % 10)) % 10}`;
}

const account = (handle: string, device: string) => ({ kind: 'account', platform: 'encrochat', handle, device: { imei: device, model: 'Aquaris X2' } });

before(async () => {
  server = await startTestServer();
  api = `${server.url}/api/v1`;
  const dir = temporaryDirectory();
  const [shared, crossing] = [imei('35693803564380'), imei('49015420323751')];
  // zuid: ghost and ghost2 share a handset; jaguar shares one with noord's otter (a link across
  // datasets); noord: bever and otter2 share one. Plus a broken line and a copied message in each.
  await ingest({
    store: server.store, dataset: 'zuid', paths: [writeJsonl(join(dir, 'zuid-more.jsonl'), [
      account('ghost', shared), account('ghost2', shared), account('jaguar', crossing),
      message('z-10', '2020-04-03T09:00:00Z', 'ghost', ['tapeworm'], 'dubbel bericht over de haven'),
      message('z-11', '2020-04-03T09:00:00Z', 'ghost', ['tapeworm'], 'dubbel bericht over de haven'),
      'this line is not json (zuid)',
    ])],
  });
  await ingest({
    store: server.store, dataset: 'noord', paths: [writeJsonl(join(dir, 'noord-more.jsonl'), [
      account('otter', crossing), account('bever', imei('86753090000001')), account('otter2', imei('86753090000001')),
      message('n-10', '2020-05-02T09:00:00Z', 'otter', ['bever'], 'geheim dubbel'),
      message('n-11', '2020-05-02T09:00:00Z', 'otter', ['bever'], 'geheim dubbel'),
      'this line is not json (noord)',
    ])],
  });
  [root, ana, aud] = await Promise.all([login(server.url, 'root'), login(server.url, 'ana'), login(server.url, 'aud')]);
});
after(() => server.close());

const send = <T = Record<string, unknown>>(method: string, path: string, who: Login | undefined, body?: unknown) => sendJson<T>(`${api}${path}`, method, who, body);
const get = <T = Record<string, unknown>>(path: string, who: Login) => getJson<T>(`${api}${path}`, who.token);
const auditOf = async (actor: string, action: string) => (await get<AuditEvents>(`/audit?actor=${actor}&action=${action}&limit=1000`, aud)).body.events;

const NEW_ROUTES = [
  ['get', '/api/v1/links'], ['post', '/api/v1/links/update'], ['post', '/api/v1/links/{id}/confirm'], ['post', '/api/v1/links/{id}/reject'],
  ['get', '/api/v1/path'], ['get', '/api/v1/status'], ['get', '/api/v1/sources'], ['get', '/api/v1/quarantine'], ['get', '/api/v1/duplicates'],
  ['get', '/api/v1/users'], ['post', '/api/v1/users'], ['post', '/api/v1/users/{name}/password'], ['post', '/api/v1/users/{name}/disable'],
  ['post', '/api/v1/users/{name}/enable'], ['post', '/api/v1/users/{name}/grants'], ['delete', '/api/v1/users/{name}/grants/{kind}/{target}'],
  ['post', '/api/v1/search/list'],
] as const;

describe('the new routes', () => {
  test('are in the OpenAPI document with their schemas, and refuse unauthenticated requests', async () => {
    type Operation = { security?: unknown[]; responses: Record<string, { content?: Record<string, { schema: unknown }> }>; requestBody?: unknown };
    const { body } = await get<{ paths: Record<string, Record<string, Operation>> }>('/openapi.json', root);
    for (const [method, path] of NEW_ROUTES) {
      const operation = body.paths[path]?.[method];
      assert.ok(operation, `${method} ${path} is documented`);
      assert.ok(operation.security === undefined || operation.security.length > 0, `${method} ${path} needs a session`);
      const success = operation.responses['200'] ?? operation.responses['201'];
      assert.ok(success?.content?.['application/json']?.schema, `${method} ${path} documents its answer`);
      assert.ok(operation.responses['401'], `${method} ${path} documents 401`);
      const response = await fetch(`${server.url}${path.replace(/\{[^}]+\}/g, 'x')}`, { method: method.toUpperCase() });
      assert.equal(response.status, 401, `${method} ${path}`);
    }
    for (const path of ['/api/v1/users', '/api/v1/users/{name}/grants', '/api/v1/search/list']) assert.ok(body.paths[path]!.post!.requestBody, `${path} documents its body`);
  });

  test('are closed to roles without evidence or without admin rights', async () => {
    for (const path of ['/links', '/path?a=tapeworm&b=jaguar', '/status', '/sources', '/quarantine', '/duplicates']) {
      assert.equal((await get(path, aud)).status, 403, path);
    }
    assert.equal((await send('POST', '/search/list', aud, { lines: ['jaguar'] })).status, 403);
    assert.equal((await send('POST', '/links/update', aud)).status, 403);
  });
});

describe('links', () => {
  let visibleToAna: Links;
  let all: Links;

  before(async () => {
    const updated = await send<{ added: number; updated?: number; total: number }>('POST', '/links/update', root);
    assert.equal(updated.status, 200);
    assert.ok(updated.body.added >= 3, JSON.stringify(updated.body));
    all = (await get<Links>('/links?limit=1000', root)).body;
    visibleToAna = (await get<Links>('/links?limit=1000', ana)).body;
  });

  test('an admin sees every link, an analyst only those between accounts of their datasets', () => {
    const pairs = (l: Links) => l.links.map((x) => [x.a.handle, x.b.handle].sort().join('~')).sort();
    assert.ok(pairs(all).includes('ghost~ghost2'));
    assert.ok(pairs(all).includes('jaguar~otter'), 'the link across datasets exists');
    assert.ok(pairs(all).includes('bever~otter2'));
    assert.ok(pairs(visibleToAna).includes('ghost~ghost2'));
    assert.ok(visibleToAna.links.every((l) => l.a.dataset === 'zuid' && l.b.dataset === 'zuid'), JSON.stringify(visibleToAna.links));
    assert.equal(visibleToAna.total, visibleToAna.links.length);
    assert.ok(visibleToAna.total < all.total);
  });

  test('filters by account and status, within the grants', async () => {
    const ghost = await get<Links>('/links?account=ghost', ana);
    assert.equal(ghost.status, 200);
    assert.deepEqual(ghost.body.links.map((l) => [l.a.handle, l.b.handle].sort()), [['ghost', 'ghost2']]);
    assert.equal((await get<ErrorBody>('/links?account=otter', ana)).status, 404, 'an account of another dataset is unknown');
    assert.equal((await get<Links>('/links?account=otter', root)).status, 200);
    // jaguar is visible, its link into noord is not
    assert.equal((await get<Links>('/links?account=jaguar', ana)).body.total, 0);
    assert.equal((await get<Links>('/links?account=jaguar', root)).body.total, 1);
    assert.equal((await get('/links?status=maybe', ana)).status, 400);
    const rejected = await get<Links>('/links?status=rejected', ana);
    assert.ok(rejected.body.links.every((l) => l.status === 'rejected'));
  });

  test('an analyst may gather evidence again; the answer counts only what they may see', async () => {
    const again = await send<{ added: number; updated?: number; total: number }>('POST', '/links/update', ana);
    assert.equal(again.status, 200);
    assert.equal(again.body.updated, undefined);
    assert.equal(again.body.total, visibleToAna.total);
  });

  test('confirming changes the status, records who and why, forms a person, and is audited', async () => {
    const link = visibleToAna.links.find((l) => [l.a.handle, l.b.handle].sort().join('~') === 'ghost~ghost2')!;
    const confirmed = await send<{ link: Link; person?: { accounts: Ref[] } }>('POST', `/links/${link.id}/confirm`, ana, { note: 'same handset, same habits' });
    assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));
    assert.equal(confirmed.body.link.status, 'confirmed');
    assert.equal(confirmed.body.link.decidedBy, 'ana');
    assert.equal(confirmed.body.link.note, 'same handset, same habits');
    assert.deepEqual(confirmed.body.person?.accounts.map((a) => a.handle).sort(), ['ghost', 'ghost2']);
    const listed = await get<Links>('/links?status=confirmed', ana);
    assert.ok(listed.body.links.some((l) => l.id === link.id));
    const events = await auditOf('ana', 'link.confirm');
    const event = events.find((e) => e.target === String(link.id));
    assert.ok(event, 'the decision is in the audit log');
    assert.equal(event.details.status, 'confirmed');
    assert.equal(event.details.note, 'same handset, same habits');
  });

  test('rejecting works without a body', async () => {
    const link = all.links.find((l) => [l.a.handle, l.b.handle].sort().join('~') === 'bever~otter2')!;
    const rejected = await send<{ link: Link; person?: unknown }>('POST', `/links/${link.id}/reject`, root);
    assert.equal(rejected.status, 200, JSON.stringify(rejected.body));
    assert.equal(rejected.body.link.status, 'rejected');
    assert.equal(rejected.body.link.decidedBy, 'root');
    assert.equal(rejected.body.person, undefined);
  });

  test('a link into another dataset cannot be decided by the analyst, and answers like an unknown one', async () => {
    const crossing = all.links.find((l) => [l.a.handle, l.b.handle].sort().join('~') === 'jaguar~otter')!;
    const denied = await send<ErrorBody>('POST', `/links/${crossing.id}/confirm`, ana, { note: 'x' });
    const unknown = await send<ErrorBody>('POST', '/links/999999/confirm', ana, { note: 'x' });
    assert.equal(denied.status, 404);
    assert.deepEqual([unknown.status, unknown.body.error.code], [404, denied.body.error.code]);
    const after = (await get<Links>('/links?limit=1000', root)).body.links.find((l) => l.id === crossing.id)!;
    assert.equal(after.status, 'proposed', 'the refused decision changed nothing');
    assert.equal((await send('POST', '/links/abc/confirm', root)).status, 400);
    assert.equal((await send('POST', `/links/${crossing.id}/confirm`, root, { note: 'x'.repeat(3000) })).status, 400);
  });

  test('a decision through the session cookie needs the CSRF token', async () => {
    const link = visibleToAna.links[0]!;
    const session = await login(server.url, 'ana');
    const post = (headers: Record<string, string>) => fetch(`${api}/links/${link.id}/reject`, { method: 'POST', headers: { cookie: session.cookie, 'content-type': 'application/json', ...headers }, body: '{}' });
    const without = await post({});
    assert.equal(without.status, 403);
    assert.equal(((await without.json()) as ErrorBody).error.code, 'csrf');
    assert.equal((await post({ 'x-csrf-token': session.csrfToken })).status, 200);
  });
});

describe('path', () => {
  type Path = { from: string; to: string; found: boolean; hops?: number; accounts?: string[] };

  test('an analyst finds chains within their datasets only', async () => {
    const own = await get<Path>('/path?a=tapeworm&b=jaguar', ana);
    assert.equal(own.status, 200);
    assert.deepEqual([own.body.found, own.body.hops, own.body.from, own.body.to], [true, 1, 'encrochat:tapeworm', 'encrochat:jaguar']);
    assert.equal((await get('/path?a=otter&b=bever', ana)).status, 404);
    assert.equal((await get('/path?a=tapeworm&b=jaguar&dataset=noord', ana)).status, 404);
    const theirs = await get<Path>('/path?a=otter&b=bever', root);
    assert.deepEqual([theirs.status, theirs.body.found, theirs.body.hops], [200, true, 1]);
    const none = await get<Path>('/path?a=tapeworm&b=otter', root);
    assert.deepEqual([none.status, none.body.found], [200, false]);
    assert.equal((await get('/path?a=tapeworm', ana)).status, 400);
    assert.equal((await get('/path?a=tapeworm&b=jaguar&from=garbage', ana)).status, 400);
    assert.ok((await auditOf('ana', 'path.view')).some((e) => e.target === 'tapeworm ~ jaguar'));
  });
});

describe('store status, sources, quarantine and duplicates', () => {
  test('status shows the caller\'s datasets and sources; the store location only to admins', async () => {
    type Status = { store?: string; datasets: { name: string; messages: number }[]; sources: { dataset: string }[] };
    const own = await get<Status>('/status', ana);
    assert.equal(own.status, 200);
    assert.deepEqual(own.body.datasets.map((d) => d.name), ['zuid']);
    assert.ok(own.body.sources.length >= 2 && own.body.sources.every((s) => s.dataset === 'zuid'));
    assert.equal(own.body.store, undefined);
    const everything = await get<Status>('/status', root);
    assert.deepEqual(everything.body.datasets.map((d) => d.name).sort(), ['noord', 'zuid']);
    assert.equal(typeof everything.body.store, 'string');
    const sources = await get<{ sources: { dataset: string }[] }>('/sources', ana);
    assert.ok(sources.body.sources.every((s) => s.dataset === 'zuid'));
    assert.equal((await get('/sources?dataset=noord', ana)).status, 404);
    assert.equal((await get<{ sources: unknown[] }>('/sources?dataset=noord', root)).body.sources.length, 2);
    assert.ok((await auditOf('ana', 'status.view')).length > 0);
  });

  test('quarantine is for admins only (raw excerpts escape scope and privilege screening), and pages', async () => {
    type Quarantine = { total: number; entries: { dataset: string; reason: string; excerpt: string }[] };
    const refused = await get<{ error: { code: string } }>('/quarantine', ana);
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error.code, 'forbidden');
    assert.equal((await get('/quarantine?dataset=zuid', ana)).status, 403);
    assert.equal((await get('/quarantine?dataset=nowhere', root)).status, 404);
    const own = await get<Quarantine>('/quarantine?dataset=zuid', root);
    assert.equal(own.body.total, 1);
    assert.match(own.body.entries[0]!.excerpt, /zuid/);
    const all = await get<Quarantine>('/quarantine', root);
    assert.equal(all.body.total, 2);
    const second = await get<Quarantine>('/quarantine?limit=1&offset=1', root);
    assert.deepEqual([second.body.total, second.body.entries.length], [2, 1]);
    assert.equal((await get('/quarantine?limit=0', root)).status, 400);
    assert.ok((await auditOf('ana', 'quarantine.list')).some((e) => e.details.refused === 'admins only'), 'the refusal is logged');
  });

  test('duplicates are reported per dataset the caller may see', async () => {
    type Duplicates = { total: number; exact: number; items: number; groups: { dataset: string; kind: string; items: { id: string }[] }[] };
    const own = await get<Duplicates>('/duplicates', ana);
    assert.equal(own.status, 200);
    assert.ok(own.body.total >= 1);
    assert.ok(own.body.groups.every((g) => g.dataset === 'zuid'));
    assert.ok(own.body.groups.some((g) => g.kind === 'exact' && g.items.length === 2));
    const all = await get<Duplicates>('/duplicates', root);
    assert.deepEqual([...new Set(all.body.groups.map((g) => g.dataset))].sort(), ['noord', 'zuid']);
    assert.equal((await get('/duplicates?dataset=noord', ana)).status, 404);
    assert.equal((await get<Duplicates>('/duplicates?limit=1', root)).body.groups.length, 1);
    assert.ok((await auditOf('ana', 'duplicates.list')).length > 0);
  });
});

describe('users and grants', () => {
  test('are for admins only', async () => {
    for (const [method, path, body] of [
      ['GET', '/users', undefined], ['POST', '/users', { name: 'sneaky', role: 'admin' }], ['POST', '/users/ana/disable', undefined], ['POST', '/users/root/password', undefined],
      ['POST', '/users/ana/grants', { kind: 'dataset', target: 'noord' }], ['DELETE', '/users/ana/grants/dataset/zuid', undefined],
    ] as const) {
      const refused = await send<ErrorBody>(method, path, ana, body);
      assert.equal(refused.status, 403, `${method} ${path}`);
      assert.equal(refused.body.error.code, 'forbidden');
    }
    assert.equal((await send('GET', '/users', aud)).status, 403);
    assert.equal((await get<{ grants: unknown[] }>('/me', ana)).body.grants.length, 1, 'the refused grant was not given');
  });

  test('an admin adds a user whose one-time password logs in; grants, revokes, disables and enables', async () => {
    const added = await send<{ user: { name: string; role: string; disabled: boolean; grants: unknown[] }; password: string }>('POST', '/users', root, { name: 'newbie', role: 'analyst' });
    assert.equal(added.status, 201, JSON.stringify(added.body));
    assert.deepEqual([added.body.user.name, added.body.user.role, added.body.user.disabled, added.body.user.grants], ['newbie', 'analyst', false, []]);
    assert.ok(added.body.password.length >= 20);
    assert.equal((await get<{ users: { name: string; password?: unknown }[] }>('/users', root)).body.users.filter((u) => u.name === 'newbie').length, 1);
    const listed = await get<{ users: Record<string, unknown>[] }>('/users', root);
    assert.ok(listed.body.users.every((u) => !('passwordHash' in u) && !('password' in u)), 'no secrets listed');

    const newbie = await login(server.url, 'newbie', added.body.password);
    assert.deepEqual((await get<{ datasets: unknown[] }>('/datasets', newbie)).body.datasets, []);
    const granted = await send<{ grant: { kind: string; target: string; grantedBy: string } }>('POST', '/users/newbie/grants', root, { kind: 'dataset', target: 'noord' });
    assert.equal(granted.status, 200);
    assert.deepEqual([granted.body.grant.kind, granted.body.grant.target, granted.body.grant.grantedBy], ['dataset', 'noord', 'root']);
    assert.deepEqual((await get<{ datasets: { name: string }[] }>('/datasets', newbie)).body.datasets.map((d) => d.name), ['noord']);
    const future = await send<{ notice?: string }>('POST', '/users/newbie/grants', root, { kind: 'dataset', target: 'later' });
    assert.match(future.body.notice ?? '', /no dataset "later"/);
    const futureCase = await send<{ notice?: string }>('POST', '/users/newbie/grants', root, { kind: 'case', target: 'op-later' });
    assert.match(futureCase.body.notice ?? '', /no case "op-later" yet; the grant applies once it is opened/);

    assert.equal((await send('DELETE', '/users/newbie/grants/dataset/noord', root)).status, 200);
    assert.deepEqual((await get<{ datasets: unknown[] }>('/datasets', newbie)).body.datasets, [], 'revoked from the next request on');
    assert.equal((await send('DELETE', '/users/newbie/grants/dataset/noord', root)).status, 404, 'no such grant any more');

    assert.deepEqual((await send('POST', '/users/newbie/disable', root)).body, { user: 'newbie', disabled: true });
    assert.equal((await get('/me', newbie)).status, 401, 'disabling ends the token');
    await assert.rejects(login(server.url, 'newbie', added.body.password));
    assert.deepEqual((await send('POST', '/users/newbie/enable', root)).body, { user: 'newbie', disabled: false });
    await login(server.url, 'newbie', added.body.password);

    const reset = await send<{ password: string }>('POST', '/users/newbie/password', root);
    assert.equal(reset.status, 200);
    await assert.rejects(login(server.url, 'newbie', added.body.password));
    await login(server.url, 'newbie', reset.body.password);

    const actions = (await get<AuditEvents>('/audit?actor=root&limit=1000', aud)).body.events.filter((e) => e.target === 'newbie').map((e) => e.action);
    for (const action of ['user.add', 'grant', 'revoke', 'user.disable', 'user.enable', 'user.password']) assert.ok(actions.includes(action), action);
    assert.ok(!JSON.stringify(await get('/audit?limit=1000', aud)).includes(added.body.password), 'the password is not logged');
  });

  test('refuses taken names, bad names and roles, unknown users, and disabling oneself', async () => {
    const taken = await send<ErrorBody>('POST', '/users', root, { name: 'ana', role: 'analyst' });
    assert.deepEqual([taken.status, taken.body.error.code], [409, 'conflict']);
    for (const body of [{ name: 'has space', role: 'analyst' }, { name: 'x', role: 'overlord' }, { name: '', role: 'admin' }, { name: 'a'.repeat(65), role: 'admin' }, {}]) {
      assert.equal((await send('POST', '/users', root, body)).status, 400, JSON.stringify(body));
    }
    assert.equal((await send('POST', '/users/nobody/disable', root)).status, 404);
    assert.equal((await send('POST', '/users/nobody/grants', root, { kind: 'dataset', target: 'zuid' })).status, 404);
    assert.equal((await send('DELETE', '/users/nobody/grants/dataset/zuid', root)).status, 404);
    assert.equal((await send('DELETE', '/users/ana/grants/planet/zuid', root)).status, 400);
    assert.equal((await send('POST', '/users/ana/grants', root, { kind: 'dataset', target: '  ' })).status, 400);
    assert.equal((await send('POST', '/users/root/disable', root)).status, 400);
    assert.equal((await get('/me', root)).status, 200);
  });
});

describe('list lookup', () => {
  type ListAnswer = { total: number; found: number; matches: { input: string; as: string; found: boolean; messages: number; datasets: string[]; examples: string[] }[] };
  const lines = ['06-1234 5678', 'handle:otter', 'handle:tapeworm', '', '# a comment', 'geheim'];

  test('looks up only the caller\'s datasets', async () => {
    const own = await send<ListAnswer>('POST', '/search/list', ana, { lines });
    assert.equal(own.status, 200, JSON.stringify(own.body));
    assert.deepEqual(own.body.matches.map((m) => [m.as, m.found]), [['phone', true], ['handle', false], ['handle', true], ['handle', false]]);
    assert.ok(own.body.matches.every((m) => m.datasets.every((d) => d === 'zuid')));
    const all = await send<ListAnswer>('POST', '/search/list', root, { lines });
    assert.deepEqual(all.body.matches.map((m) => m.found), [true, true, true, false]);
    assert.deepEqual(all.body.matches[1]!.datasets, ['noord']);
    assert.equal((await send('POST', '/search/list', ana, { lines, dataset: 'noord' })).status, 404);
    const named = await send<ListAnswer>('POST', '/search/list', ana, { lines, dataset: 'zuid' });
    assert.deepEqual(named.body.matches.map((m) => m.found), own.body.matches.map((m) => m.found));
    const event = (await auditOf('ana', 'search.list'))[0]!;
    assert.ok((event.details.values as string[]).includes('handle:otter'), 'the looked-up values are logged');
  });

  test('an analyst with several grants gets the answers of each merged', async () => {
    const added = await send<{ password: string }>('POST', '/users', root, { name: 'both', role: 'analyst' });
    for (const target of ['zuid', 'noord']) await send('POST', '/users/both/grants', root, { kind: 'dataset', target });
    const both = await login(server.url, 'both', added.body.password);
    const answer = await send<ListAnswer>('POST', '/search/list', both, { lines: ['handle:otter', 'handle:tapeworm', 'kilo'] });
    const all = await send<ListAnswer>('POST', '/search/list', root, { lines: ['handle:otter', 'handle:tapeworm', 'kilo'] });
    assert.deepEqual(answer.body.matches.map((m) => [m.found, m.messages, m.datasets]), all.body.matches.map((m) => [m.found, m.messages, m.datasets]));
  });

  test('takes up to 10,000 lines, more than other bodies may hold', async () => {
    const many = Array.from({ length: 10_000 }, (_, i) => `+316${String(10_000_000 + i)}`);
    const answer = await send<ListAnswer>('POST', '/search/list', ana, { lines: many });
    assert.equal(answer.status, 200);
    assert.equal(answer.body.total, 10_000);
    const tooMany = await send<ErrorBody>('POST', '/search/list', ana, { lines: [...many, 'one more'] });
    assert.equal(tooMany.status, 400);
    assert.equal((await send('POST', '/search/list', ana, { lines: 'jaguar' })).status, 400);
    assert.equal((await send('POST', '/search/list', ana, {})).status, 400);
  });
});

describe('hostile input to the new routes never gives a 5xx', () => {
  test('parameters, paths and bodies', async () => {
    const gets = [
      '/links?account=%00', '/links?limit=abc', '/links?offset=-1', '/links?account=%27%3B--', '/path?a=%00&b=x', '/path?a=:&b=:', '/path?a=x:&b=:y',
      '/path?a=tapeworm&b=jaguar&to=9999-99-99', '/quarantine?dataset=%00', '/quarantine?offset=1e9', '/duplicates?limit=-1', '/duplicates?dataset=%FF',
      '/sources?dataset=', '/status?x=1',
    ];
    for (const path of gets) {
      for (const who of [root, ana]) {
        const { status } = await get(path, who);
        assert.ok(status < 500, `GET ${path} gave ${status}`);
      }
    }
    const oddLines = { lines: ['\0', 'x'.repeat(1000), '\uD800', 'phone:', 'handle:', 'iban:NL00', 'ip:999.1.1.1', '%', '*'] };
    const writes: [string, string, unknown][] = [
      ['POST', '/users/%00/disable', undefined], ['POST', '/links/0/confirm', undefined], ['POST', '/links/1e99/confirm', undefined], ['POST', '/links/-1/reject', undefined],
      ['DELETE', '/users/ana/grants/dataset/%2F..%2F', undefined], ['POST', '/users', { name: 'has space', role: 'admin', extra: { deep: [1, 2] } }], ['POST', '/users', []],
      ['POST', '/users/ana/grants', { kind: 'dataset' }], ['POST', '/links/1/confirm', { note: 12 }], ['POST', '/links/1/confirm', null],
      ['POST', '/search/list', oddLines],
      ['POST', '/search/list', { lines: [1, 2] }], ['POST', '/search/list', { lines: ['x'.repeat(1001)] }],
    ];
    for (const [method, path, body] of writes) {
      const { status } = await send(method, path, root, body);
      // odd lines are values that are not found, not a bad request
      if (body === oddLines) assert.equal(status, 200, `${method} ${path}`);
      else assert.ok(status >= 400 && status < 500, `${method} ${path} gave ${status}`);
    }
    const notJson = await fetch(`${api}/links/1/confirm`, { method: 'POST', headers: { authorization: `Bearer ${root.token}`, 'content-type': 'text/plain' }, body: 'note' });
    assert.ok(notJson.status >= 400 && notJson.status < 500, `text/plain gave ${notJson.status}`);
  });
});
