// Alerts, watchlists and cases through the API: grants separate datasets in the queue, an alert
// the caller cannot see is answered like a missing one, investigators see only the cases they
// are granted, and an export can be downloaded and verified.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { ingest } from '../../src/ingest/pipeline.ts';
import { getJson, login, startTestServer, type Login, type TestServer, sendJson } from './server-fixture.ts';
import { message, temporaryDirectory, writeJsonl } from '../fixtures.ts';

type Alert = { id: number; kind: string; score: number; item: { id: string; ref?: string; dataset: string }; status: string; assignee?: string; notes: { author: string; text: string }[]; reasons: { text: string }[] };
type Alerts = { total: number; alerts: Alert[] };

let server: TestServer;
let api: string;
let root: Login;
let ana: Login;
let aud: Login;
let ivo: Login;

before(async () => {
  server = await startTestServer();
  api = `${server.url}/api/v1`;
  const dir = temporaryDirectory();
  await ingest({
    store: server.store, dataset: 'zuid', paths: [writeJsonl(join(dir, 'zuid-threat.jsonl'), [
      message('zt-1', '2020-04-05T20:00:00Z', 'tapeworm', ['jaguar'], 'die rat Kevin moet weg, we gaan hem klappen'),
      message('zt-2', '2020-04-06T20:00:00Z', 'jaguar', ['tapeworm'], 'de glock ligt klaar, vluchtauto staat in de garage'),
    ])],
  });
  await ingest({
    store: server.store, dataset: 'noord', paths: [writeJsonl(join(dir, 'noord-threat.jsonl'), [
      message('nt-1', '2020-05-05T20:00:00Z', 'otter', ['bever'], 'we gaan Rico ontvoeren en in de kofferbak stoppen tot zijn broer betaalt'),
    ])],
  });
  [root, ana, aud, ivo] = await Promise.all([login(server.url, 'root'), login(server.url, 'ana'), login(server.url, 'aud'), login(server.url, 'ivo')]);
});
after(() => server.close());

const send = <T = Record<string, unknown>>(method: string, path: string, who: Login | undefined, body?: unknown) => sendJson<T>(`${api}${path}`, method, who, body);
const get = <T = Record<string, unknown>>(path: string, who: Login) => getJson<T>(`${api}${path}`, who.token);

describe('the alert queue', () => {
  test('an admin sees every dataset\'s threats, an analyst only their datasets\'; others none', async () => {
    const all = (await get<Alerts>('/alerts?kind=threat', root)).body;
    const datasets = new Set(all.alerts.map((a) => a.item.dataset));
    assert.deepEqual([...datasets].sort(), ['noord', 'zuid']);
    const mine = (await get<Alerts>('/alerts?kind=threat', ana)).body;
    assert.ok(mine.total > 0 && mine.alerts.every((a) => a.item.dataset === 'zuid'));
    assert.equal(mine.total, all.alerts.filter((a) => a.item.dataset === 'zuid').length, 'the total counts only what the analyst may see');
    assert.equal((await get('/alerts', aud)).status, 403);
    assert.equal((await get('/alerts', ivo)).status, 403);
    assert.equal((await get('/alerts?dataset=noord', ana)).status, 404);
  });

  test('an alert in another dataset answers like a missing one, and cannot be changed', async () => {
    const noord = (await get<Alerts>('/alerts?dataset=noord', root)).body.alerts[0]!;
    assert.equal((await get(`/alerts/${noord.id}`, ana)).status, 404);
    assert.equal((await send('PATCH', `/alerts/${noord.id}`, ana, { status: 'dismissed' })).status, 404);
    assert.equal((await get<Alert>(`/alerts/${noord.id}`, root)).body.status, 'new');
  });

  test('working an alert keeps status, assignee and every note, and is audited', async () => {
    const alert = (await get<Alerts>('/alerts?kind=threat', ana)).body.alerts[0]!;
    const acked = await send<Alert>('PATCH', `/alerts/${alert.id}`, ana, { status: 'acknowledged', assignee: 'ana', note: 'looking into it' });
    assert.equal(acked.status, 200);
    assert.equal(acked.body.status, 'acknowledged');
    assert.equal(acked.body.assignee, 'ana');
    const escalated = await send<Alert>('PATCH', `/alerts/${alert.id}`, ana, { status: 'escalated', note: 'duty officer informed' });
    assert.deepEqual(escalated.body.notes.map((n) => [n.author, n.text]), [['ana', 'looking into it'], ['ana', 'duty officer informed']]);
    assert.equal((await send('PATCH', `/alerts/${alert.id}`, ana, {})).status, 400);
    assert.equal((await send('PATCH', `/alerts/${alert.id}`, ana, { assignee: 'nobody-here' })).status, 400);
    assert.equal((await send('PATCH', `/alerts/${alert.id}`, ana, { status: 'solved' })).status, 400);
    const events = (await get<{ events: { action: string; target?: string }[] }>('/audit?action=alert.update&limit=100', aud)).body.events;
    assert.ok(events.filter((e) => e.target === String(alert.id)).length >= 2);
    const open = (await get<Alerts>('/alerts?status=escalated', ana)).body.alerts;
    assert.ok(open.some((a) => a.id === alert.id));
  });
});

describe('watchlists', () => {
  test('an analyst watches their own dataset; the next batch raises alerts', async () => {
    assert.equal((await send('POST', '/watchlists', ana, { name: 'haven', query: 'haven AND container', dataset: 'noord' })).status, 404);
    const made = await send<{ watchlist: { name: string; dataset: string } }>('POST', '/watchlists', ana, { name: 'haven', query: 'haven AND container', priority: 0.8 });
    assert.equal(made.status, 201);
    assert.equal(made.body.watchlist.dataset, 'zuid', 'the one dataset the analyst has');
    assert.equal((await send('POST', '/watchlists', ana, { name: 'haven', query: 'x' })).status, 409);
    assert.equal((await send('POST', '/watchlists', ana, { name: 'bad', query: 'haven AND (' })).status, 400);
    const dir = temporaryDirectory();
    await ingest({ store: server.store, dataset: 'zuid', paths: [writeJsonl(join(dir, 'zuid-next.jsonl'), [message('zw-1', '2020-04-09T10:00:00Z', 'jaguar', ['tapeworm'], 'container staat in de haven')])] });
    await ingest({ store: server.store, dataset: 'noord', paths: [writeJsonl(join(dir, 'noord-next.jsonl'), [message('nw-1', '2020-05-09T10:00:00Z', 'otter', ['bever'], 'container staat in de haven')])] });
    const hits = (await get<Alerts>('/alerts?kind=watchlist', root)).body.alerts;
    assert.deepEqual(hits.map((a) => a.item.ref), ['zw-1'], 'only the watched dataset');
    assert.equal(hits[0]!.score, 0.8);
  });
});

describe('cases', () => {
  test('an analyst opens a case from their datasets only; an investigator sees it once granted', async () => {
    const zuid = (await get<{ hits: { id: string }[] }>('/search?q=glock', ana)).body.hits[0]!.id;
    const noord = (await get<{ hits: { id: string }[] }>('/search?q=ontvoeren', root)).body.hits[0]!.id;
    assert.equal((await send('POST', '/cases', ana, { name: 'op-kevin', title: 'Kevin' })).status, 201);
    assert.equal((await send('POST', '/cases', ana, { name: 'op-kevin' })).status, 409);
    assert.equal((await send('POST', '/cases', ana, { name: '../etc' })).status, 400);
    assert.equal((await send('POST', '/cases/op-kevin/items', ana, { items: [noord] })).status, 400, 'another dataset\'s message');
    const added = await send<{ added: number }>('POST', '/cases/op-kevin/items', ana, { items: [zuid, 'account:zuid/tapeworm'], query: 'kevin', tags: ['threat'] });
    assert.equal(added.status, 200, JSON.stringify(added.body));
    assert.ok(added.body.added >= 3);
    assert.equal((await send('POST', '/cases/op-kevin/annotations', ana, { text: 'translation', kind: 'translation' })).status, 400);
    assert.equal((await send('POST', '/cases/op-kevin/annotations', ana, { text: 'the glock is the weapon', target: { kind: 'message', ref: zuid } })).status, 201);

    assert.equal((await get('/cases/op-kevin', ivo)).status, 404);
    assert.deepEqual((await get<{ cases: unknown[] }>('/cases', ivo)).body.cases, []);
    await server.store.grant('ivo', 'case', 'op-kevin', 'root');
    const ivoLogin = await login(server.url, 'ivo');
    const seen = await get<{ messages: { id: string; dataset: string }[]; queries: { text: string; hits: number }[]; annotations: unknown[] }>('/cases/op-kevin', ivoLogin);
    assert.equal(seen.status, 200);
    assert.ok(seen.body.messages.some((m) => m.id === zuid), 'the investigator reads the case\'s evidence without a dataset grant');
    assert.deepEqual(seen.body.queries.map((q) => q.text), ['kevin']);
    // but cannot search the dataset, nor add evidence from it
    assert.equal((await get('/search?q=glock', ivoLogin)).status, 403);
    assert.equal((await send('POST', '/cases/op-kevin/items', ivoLogin, { items: [zuid] })).status, 400);
    assert.equal((await send('POST', '/cases/op-kevin/annotations', ivoLogin, { text: 'checked by the investigator' })).status, 201);
  });

  test('an export is written, listed with hashes, and its files download with a matching SHA-256', async () => {
    const exported = await send<{ export: string; files: { path: string; sha256: string }[]; download: string; manifestSha256: string }>('POST', '/cases/op-kevin/export', ana);
    assert.equal(exported.status, 200, JSON.stringify(exported.body));
    const names = exported.body.files.map((f) => f.path);
    for (const name of ['report.html', 'report.pdf', 'items.jsonl', 'ftm.jsonl']) assert.ok(names.includes(name), name);
    for (const file of exported.body.files) {
      const response = await fetch(`${server.url}${exported.body.download}${file.path}`, { headers: { authorization: `Bearer ${ana.token}` } });
      assert.equal(response.status, 200, file.path);
      const bytes = Buffer.from(await response.arrayBuffer());
      assert.equal(createHash('sha256').update(bytes).digest('hex'), file.sha256, file.path);
      if (file.path === 'report.html') assert.match(response.headers.get('content-security-policy') ?? '', /sandbox/);
    }
    const manifest = await fetch(`${server.url}${exported.body.download}MANIFEST.sha256`, { headers: { authorization: `Bearer ${ana.token}` } });
    const text = Buffer.from(await manifest.arrayBuffer());
    assert.equal(createHash('sha256').update(text).digest('hex'), exported.body.manifestSha256);
    for (const file of exported.body.files) assert.ok(text.toString().includes(`${file.sha256}  ${file.path}`), file.path);
    assert.equal((await fetch(`${server.url}${exported.body.download}..%2F..%2Fstore.db`, { headers: { authorization: `Bearer ${ana.token}` } })).status, 400);
    assert.equal((await fetch(`${server.url}${exported.body.download}report.html`, { headers: { authorization: `Bearer ${aud.token}` } })).status, 403);
  });
});

describe('hostile input on the triage and case routes', () => {
  test('bad parameters, ids, bodies and item references never give a 5xx', async () => {
    const gets = [
      '/alerts?kind=nonsense', '/alerts?status=%00', '/alerts?limit=-1', '/alerts?limit=1e9', '/alerts?dataset=%FF', '/alerts/abc', '/alerts/0',
      `/alerts/${'9'.repeat(30)}`, '/cases/%00', '/cases/..%2F..', `/cases/${'x'.repeat(500)}`, '/discover?dataset=%00', '/discover?limit=abc',
      '/cases/op-kevin/exports/..%2F/x', '/cases/op-kevin/exports/20200101T000000Z/%00', '/watchlists?x=%FF',
    ];
    for (const path of gets) {
      const response = await fetch(`${api}${path}`, { headers: { authorization: `Bearer ${root.token}` } });
      assert.ok(response.status < 500, `GET ${path} gave ${response.status}: ${await response.text()}`);
    }
    const writes: [string, string, string][] = [
      ['PATCH', '/alerts/1', '{'], ['PATCH', '/alerts/1', 'null'], ['PATCH', '/alerts/1', '{"status":null}'], ['PATCH', '/alerts/1', '{"note":""}'],
      ['PATCH', '/alerts/1', JSON.stringify({ note: 'x'.repeat(5000) })], ['PATCH', '/alerts/1', '{"extra":1}'],
      ['POST', '/cases', '[]'], ['POST', '/cases', '{"name":"\\u0000"}'], ['POST', '/cases', '{"name":"ok-name","fromCandidate":"nope-nope"}'],
      ['POST', '/cases/op-kevin/items', '{"items":["\\u0000","entity:phone:abc","account:","person:x","alert:-1","entity:nonsense:1","m"]}'],
      ['POST', '/cases/op-kevin/items', '{"query":"kilo AND ("}'], ['POST', '/cases/op-kevin/items', '{"wordlist":[]}'],
      ['POST', '/cases/op-kevin/annotations', '{"text":"x","target":{"kind":"message","ref":"\\u0000"}}'],
      ['POST', '/cases/op-kevin/status', '{"status":"gone"}'], ['POST', '/discover', '{}'], ['POST', '/discover', '{"dataset":"\\u0000"}'],
      ['POST', '/watchlists', '{"name":"w1","entries":["phone:not a phone"]}'], ['POST', '/watchlists', '{"name":"w2","query":"\\"unclosed"}'],
      ['DELETE', '/watchlists/%00', ''],
    ];
    for (const [method, path, body] of writes) {
      const response = await fetch(`${api}${path}`, { method, headers: { authorization: `Bearer ${root.token}`, 'content-type': 'application/json' }, ...(body ? { body } : {}) });
      const text = await response.text();
      assert.ok(response.status >= 400 && response.status < 500, `${method} ${path} ${body.slice(0, 60)} gave ${response.status}: ${text}`);
      assert.ok((JSON.parse(text) as { error: { message: string } }).error.message.length > 0);
    }
  });
});

describe('search with days', () => {
  test('counts every hit per day, within the caller\'s datasets', async () => {
    const all = await get<{ total: number; days: { value: string; count: number }[] }>('/search?q=kilo&days=true&facets=false', root);
    assert.equal(all.status, 200);
    assert.equal(all.body.days.reduce((n, d) => n + d.count, 0), all.body.total, 'every hit is in a day');
    assert.deepEqual(all.body.days.map((d) => d.value), [...all.body.days.map((d) => d.value)].sort(), 'oldest first');
    // ana sees zuid only: z-1 and z-2 on 1 April, z-3 ("kilos") is not "kilo"
    const mine = await get<{ total: number; days: { value: string; count: number }[] }>('/search?q=kilo&days=true', ana);
    assert.deepEqual(mine.body.days, [{ value: '2020-04-01', count: mine.body.total }]);
    assert.ok(mine.body.total < all.body.total);
    assert.equal((await get<{ days?: unknown }>('/search?q=kilo', ana)).body.days, undefined, 'only when asked');
  });
});
