// The operator's CLI capabilities over the API (issue 6): legal scope, privileged parties,
// re-scoring, re-extraction and ingesting an uploaded file; admins only, every call audited.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, type RunningServer } from '../../src/server/listen.ts';
import { getJson, login, startTestServer, type Login, type TestServer, sendJson } from './server-fixture.ts';
import { message, temporaryDirectory } from '../fixtures.ts';

type ErrorBody = { error: { code: string; message: string } };
type SearchBody = { total: number; hits: { id: string; ref?: string; dataset: string }[] };
type AuditEvents = { events: { actor: string; action: string; target?: string; details: Record<string, unknown> }[] };
type IngestBody = {
  dataset: string; upload: { filename: string; sha256: string; sizeBytes: number };
  sources: { path: string; sha256: string | null; format: string | null; records: number; quarantined: number; status: string }[];
  messages: number; accounts: number; alerts: number; duplicates: number;
};

let server: TestServer;
let api: string;
let root: Login;
let ana: Login;
let aud: Login;

before(async () => {
  server = await startTestServer();
  api = `${server.url}/api/v1`;
  [root, ana, aud] = await Promise.all([login(server.url, 'root'), login(server.url, 'ana'), login(server.url, 'aud')]);
});
after(() => server.close());

const send = <T = Record<string, unknown>>(method: string, path: string, who: Login | undefined, body?: unknown, base = api) => sendJson<T>(`${base}${path}`, method, who, body);

async function upload<T = IngestBody>(query: string, who: Login | undefined, bytes: Uint8Array | string, base = api): Promise<{ status: number; body: T }> {
  const response = await fetch(`${base}/ingest?${query}`, {
    method: 'POST', headers: { 'content-type': 'application/octet-stream', ...(who ? { authorization: `Bearer ${who.token}` } : {}) }, body: bytes,
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
}

const jsonl = (records: object[]) => records.map((r) => JSON.stringify(r)).join('\n') + '\n';
const search = (who: Login, q: string) => getJson<SearchBody>(`${api}/search?q=${encodeURIComponent(q)}`, who.token);
const auditOf = async (action: string) => (await getJson<AuditEvents>(`${api}/audit?actor=root&action=${action}&limit=1000`, aud.token)).body.events;

const ROUTES = [
  ['GET', '/datasets/zuid/scope', undefined], ['PUT', '/datasets/zuid/scope', { warrant: 'RC-1', from: '2020-04-02' }], ['DELETE', '/datasets/zuid/scope', undefined],
  ['GET', '/privileged', undefined], ['POST', '/privileged', { identifier: 'email:counsel@example.nl' }],
  ['POST', '/triage/rescore', {}], ['POST', '/reindex', {}], ['POST', '/ingest?dataset=zuid', 'x'],
] as const;

describe('who may call them', () => {
  test('every operation refuses an analyst (403) and an unauthenticated caller (401), and is documented', async () => {
    for (const [method, path, body] of ROUTES) {
      const asAnalyst = typeof body === 'string' ? await upload<ErrorBody>('dataset=zuid', ana, body) : await send<ErrorBody>(method, path, ana, body);
      assert.equal(asAnalyst.status, 403, `${method} ${path} as analyst`);
      assert.equal(asAnalyst.body.error.code, 'forbidden');
      const anonymous = typeof body === 'string' ? await upload<ErrorBody>('dataset=zuid', undefined, body) : await send<ErrorBody>(method, path, undefined, body);
      assert.equal(anonymous.status, 401, `${method} ${path} unauthenticated`);
      const asAuditor = typeof body === 'string' ? await upload('dataset=zuid', aud, body) : await send(method, path, aud, body);
      assert.equal(asAuditor.status, 403, `${method} ${path} as auditor`);
    }
    const { body } = await getJson<{ paths: Record<string, Record<string, unknown>> }>(`${api}/openapi.json`, root.token);
    for (const path of ['/api/v1/datasets/{name}/scope', '/api/v1/privileged', '/api/v1/triage/rescore', '/api/v1/reindex', '/api/v1/ingest']) assert.ok(path in body.paths, path);
    assert.deepEqual(Object.keys(body.paths['/api/v1/datasets/{name}/scope']!).sort(), ['delete', 'get', 'put']);
  });
});

describe('legal scope', () => {
  test('a scope set through the API limits what an analyst sees, until it is cleared', async () => {
    const before = await search(ana, 'klaar');
    assert.equal(before.body.total, 2);
    const none = await send<{ dataset: string; scope: null }>('GET', '/datasets/zuid/scope', root);
    assert.deepEqual(none, { status: 200, body: { dataset: 'zuid', scope: null } });

    const set = await send<{ scope: { dataset: string; warrant: string; from: string; setBy: string } }>('PUT', '/datasets/zuid/scope', root, { warrant: 'RC-7', from: '2020-04-02' });
    assert.equal(set.status, 200);
    assert.equal(set.body.scope.warrant, 'RC-7');
    assert.equal(set.body.scope.setBy, 'root');
    assert.match(set.body.scope.from, /^2020-04-02T00:00:00/);
    const shown = await send<{ scope: { warrant: string } }>('GET', '/datasets/zuid/scope', root);
    assert.equal(shown.body.scope.warrant, 'RC-7');
    const scoped = await search(ana, 'klaar');
    assert.deepEqual(scoped.body.hits.map((h) => h.ref), ['z-3']);
    assert.equal((await search(root, 'klaar')).body.total, 2, 'admins see outside the scope');

    const cleared = await send('DELETE', '/datasets/zuid/scope', root);
    assert.deepEqual(cleared, { status: 200, body: { dataset: 'zuid', cleared: true } });
    assert.equal((await search(ana, 'klaar')).body.total, 2);
    assert.deepEqual((await send('DELETE', '/datasets/zuid/scope', root)).body, { dataset: 'zuid', cleared: false });

    assert.deepEqual((await auditOf('scope.set')).map((e) => e.target), ['zuid']);
    assert.equal((await auditOf('scope.clear')).length, 2);
  });

  test('an unknown dataset is a 404; a scope without a warrant, a limit or with a reversed window is a 400', async () => {
    assert.equal((await send('GET', '/datasets/nowhere/scope', root)).status, 404);
    assert.equal((await send('PUT', '/datasets/nowhere/scope', root, { warrant: 'RC-1', handles: ['tapeworm'] })).status, 404);
    assert.equal((await send('DELETE', '/datasets/nowhere/scope', root)).status, 404);
    for (const body of [
      { handles: ['tapeworm'] }, { warrant: 'RC-1' }, { warrant: 'RC-1', from: 'yesterday' },
      { warrant: 'RC-1', from: '2020-05-01', to: '2020-04-01' }, { warrant: 'RC-1', handles: [] },
    ]) {
      const answer = await send<ErrorBody>('PUT', '/datasets/zuid/scope', root, body);
      assert.equal(answer.status, 400, JSON.stringify(body));
      assert.equal(answer.body.error.code, 'bad_request');
    }
    assert.equal((await send('GET', '/datasets/zuid/scope', root)).body.scope, null, 'nothing was set');
  });

  test('a date as the end includes that day', async () => {
    const set = await send<{ scope: { to: string } }>('PUT', '/datasets/noord/scope', root, { warrant: 'RC-2', handles: ['otter'], to: '2020-05-01' });
    assert.equal(set.status, 200);
    assert.match(set.body.scope.to, /^2020-05-02T00:00:00/);
    assert.equal((await send('DELETE', '/datasets/noord/scope', root)).status, 200);
  });
});

describe('privileged parties', () => {
  test('an identifier added is listed; adding it again answers 200; an invalid one 400', async () => {
    const added = await send<{ identifier: { kind: string; value: string; label?: string }; added: boolean }>('POST', '/privileged', root, { identifier: 'email:Counsel@Example.NL', label: 'counsel' });
    assert.equal(added.status, 201);
    assert.deepEqual([added.body.added, added.body.identifier.kind, added.body.identifier.label], [true, 'email', 'counsel']);
    const again = await send<{ added: boolean }>('POST', '/privileged', root, { identifier: 'email:counsel@example.nl' });
    assert.equal(again.status, 200);
    assert.equal(again.body.added, false);
    const list = await send<{ identifiers: { kind: string; value: string }[] }>('GET', '/privileged', root);
    assert.equal(list.status, 200);
    assert.deepEqual(list.body.identifiers.map((i) => `${i.kind}:${i.value}`), [`email:${added.body.identifier.value}`]);

    for (const identifier of ['no-prefix', ':tapeworm', 'phone:not a number']) {
      const refused = await send<ErrorBody>('POST', '/privileged', root, { identifier });
      assert.equal(refused.status, 400, identifier);
      assert.equal(refused.body.error.code, 'bad_request');
    }
    assert.equal((await send<{ identifiers: unknown[] }>('GET', '/privileged', root)).body.identifiers.length, 1);
    assert.equal((await auditOf('privileged.add')).length, 2);
  });
});

describe('maintenance', () => {
  test('rescore scores every dataset, or the one named', async () => {
    const all = await send<{ toolrun: { component: string }; datasets: { dataset: string; messages: number }[] }>('POST', '/triage/rescore', root, {});
    assert.equal(all.status, 200);
    assert.deepEqual(all.body.datasets.map((d) => [d.dataset, d.messages]).sort(), [['noord', 2], ['zuid', 3]]);
    assert.ok(all.body.toolrun.component);
    const one = await send<{ datasets: { dataset: string }[] }>('POST', '/triage/rescore', root, { dataset: 'noord' });
    assert.deepEqual(one.body.datasets.map((d) => d.dataset), ['noord']);
    assert.equal((await send('POST', '/triage/rescore', root, { dataset: 'nowhere' })).status, 404);
    assert.equal((await auditOf('triage.rescore')).length, 2);
  });

  test('reindex reads the messages the extractor has not seen, of one dataset or all; a rerun has nothing left', async () => {
    const first = await send<{ messages: number; mentions: number; extractor: string }>('POST', '/reindex', root, { dataset: 'zuid' });
    assert.equal(first.status, 200);
    assert.equal(typeof first.body.messages, 'number');
    assert.equal(typeof first.body.mentions, 'number');
    assert.match(first.body.extractor, /@/);
    assert.equal(first.body.messages, 3, 'the messages of zuid');
    const rest = await send<{ messages: number }>('POST', '/reindex', root, {});
    assert.deepEqual([rest.status, rest.body.messages], [200, 2], 'only noord was left');
    const again = await send<{ messages: number; mentions: number }>('POST', '/reindex', root, {});
    assert.deepEqual([again.status, again.body.messages, again.body.mentions], [200, 0, 0]);
    assert.equal((await send('POST', '/reindex', root, { dataset: 'nowhere' })).status, 404);
    assert.equal((await send('POST', '/reindex', root, { region: 'Netherlands' })).status, 400);
  });
});

describe('ingesting an upload', () => {
  const file = jsonl([
    message('u-1', '2020-06-01T09:00:00Z', 'zeppelin', ['tapeworm'], 'de zeppelin landt om negen uur'),
    message('u-2', '2020-06-01T09:05:00Z', 'tapeworm', ['zeppelin'], 'zeppelin ontvangen'),
  ]);

  test('an uploaded lode-jsonl file is ingested, kept under its SHA-256 and searchable; the same upload again adds nothing', async () => {
    const first = await upload('dataset=luchtvaart&filename=../../etc/chats.jsonl', root, file);
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.equal(first.body.dataset, 'luchtvaart');
    assert.equal(first.body.messages, 2);
    assert.equal(first.body.upload.filename, 'chats.jsonl');
    assert.equal(first.body.upload.sizeBytes, Buffer.byteLength(file));
    const [source] = first.body.sources;
    assert.deepEqual([source?.format, source?.status, source?.records, source?.sha256], ['lode-jsonl', 'ingested', 2, first.body.upload.sha256]);
    assert.ok(source!.path.endsWith(join(first.body.upload.sha256, 'chats.jsonl')), source!.path);
    assert.ok(existsSync(source!.path), 'the upload stays where its provenance points');
    assert.equal((await search(root, 'zeppelin')).body.total, 2);

    const second = await upload('dataset=luchtvaart&filename=chats.jsonl', root, file);
    assert.equal(second.status, 200);
    assert.equal(second.body.messages, 0);
    assert.equal(second.body.sources[0]?.status, 'already-ingested');
    assert.equal((await search(root, 'zeppelin')).body.total, 2);
    const folder = join(source!.path, '..', '..');
    assert.deepEqual(readdirSync(folder).filter((n) => !n.startsWith('.')), [first.body.upload.sha256], 'one copy, no leftovers');
    assert.deepEqual(readdirSync(folder).filter((n) => n.startsWith('.incoming-')), []);

    const events = await auditOf('ingest.upload');
    assert.equal(events.length, 2);
    assert.equal(events[0]?.details['sha256'], first.body.upload.sha256);
  });

  test('an unknown format, a missing dataset or an empty body is a 400; a file Lode cannot read is reported refused', async () => {
    const unknown = await upload<ErrorBody>('dataset=zuid&format=nonsense', root, file);
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body.error.code, 'bad_request');
    assert.equal((await upload('format=lode-jsonl', root, file)).status, 400);
    assert.equal((await upload('dataset=zuid', root, '')).status, 400);
    const unreadable = await upload('dataset=zuid&filename=blob.bin', root, new Uint8Array([0, 1, 2, 3, 255, 254, 0, 7]));
    assert.equal(unreadable.status, 200);
    assert.equal(unreadable.body.sources[0]?.status, 'refused');
    assert.equal(unreadable.body.messages, 0);
  });

  test('a body declared larger than the cap is refused before it is read (413)', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const r = request(`${api}/ingest?dataset=zuid`, {
        method: 'POST', headers: { authorization: `Bearer ${root.token}`, 'content-type': 'application/octet-stream', 'content-length': String(5 * 1024 ** 3) },
      }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
        r.destroy();
      });
      r.on('error', reject);
      r.write('{"kind":"message"');
    });
    assert.equal(status, 413);
  });

  describe('on a server with a small cap and one without an upload folder', () => {
    let small: RunningServer;
    let none: RunningServer;
    let uploads: string;
    before(async () => {
      uploads = join(temporaryDirectory(), 'uploads');
      small = await startServer({ store: server.store, host: '127.0.0.1', port: 0, log: () => {}, uploadDirectory: uploads, uploadMaxBytes: 1024 });
      none = await startServer({ store: server.store, host: '127.0.0.1', port: 0, log: () => {} });
    });
    after(async () => {
      await small.close();
      await none.close();
    });

    test('a body over the cap is refused with a 413 whether declared or streamed, and nothing is kept', async () => {
      const big = jsonl(Array.from({ length: 40 }, (_, i) => message(`big-${i}`, '2020-06-02T09:00:00Z', 'walrus', ['otter'], `walrus bericht ${i} `.repeat(3))));
      assert.ok(Buffer.byteLength(big) > 1024);
      const declared = await upload<ErrorBody>('dataset=groot', root, big, `${small.url}/api/v1`);
      assert.equal(declared.status, 413);
      assert.equal(declared.body.error.code, 'payload_too_large');
      // without Content-Length the route counts as it streams
      const streamed = await fetch(`${small.url}/api/v1/ingest?dataset=groot`, {
        method: 'POST', headers: { authorization: `Bearer ${root.token}`, 'content-type': 'application/octet-stream' }, duplex: 'half',
        body: new ReadableStream({ start(controller) { for (let i = 0; i < 4; i++) controller.enqueue(Buffer.from(big.slice(i * 512, (i + 1) * 512))); controller.close(); } }),
      } as RequestInit & { duplex: 'half' });
      assert.equal(streamed.status, 413);
      assert.equal(((await streamed.json()) as ErrorBody).error.code, 'payload_too_large');
      assert.equal((await search(root, 'walrus')).body.total, 0);
      assert.deepEqual(existsSync(uploads) ? readdirSync(uploads) : [], []);
      const small2 = await upload('dataset=klein', root, jsonl([message('k-1', '2020-06-03T09:00:00Z', 'narwal', ['otter'], 'narwal klein')]), `${small.url}/api/v1`);
      assert.equal(small2.status, 200);
      assert.equal(small2.body.messages, 1);
      const refusals = (await auditOf('ingest.upload.refused')).filter((e) => String(e.details['reason']).includes('1024 bytes'));
      assert.equal(refusals.length, 2);
    });

    test('a server without an upload folder answers 409', async () => {
      const refused = await upload<ErrorBody>('dataset=zuid', root, file, `${none.url}/api/v1`);
      assert.equal(refused.status, 409);
      assert.equal(refused.body.error.code, 'conflict');
    });
  });
});
