import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { getJson, login, startTestServer, type Login, type TestServer } from './server-fixture.ts';

type SearchBody = { total: number; hits: { id: string; dataset: string; ref?: string }[]; expansions?: unknown };
type ErrorBody = { error: { code: string; message: string; position?: number } };
type OpenApiDocument = { paths: Record<string, Record<string, { security?: unknown[] }>> };

let server: TestServer;
let api: string;
let root: Login;
let ana: Login;
let aud: Login;
let ivo: Login;

before(async () => {
  server = await startTestServer();
  api = `${server.url}/api/v1`;
  [root, ana, aud, ivo] = await Promise.all([login(server.url, 'root'), login(server.url, 'ana'), login(server.url, 'aud'), login(server.url, 'ivo')]);
});
after(() => server.close());

/** Percent-encodes every byte: raw bytes go through as they are, invalid UTF-8 included. */
const encodeBytes = (bytes: Uint8Array) => Array.from(bytes, (b) => `%${b.toString(16).padStart(2, '0')}`).join('');
const search = (who: Login, q: string | Uint8Array, more = '') =>
  getJson<SearchBody>(`${api}/search?q=${encodeBytes(typeof q === 'string' ? Buffer.from(q, 'utf8') : q)}${more}`, who.token);

describe('authentication', () => {
  test('every route in the OpenAPI document but login and the public check refuses an unauthenticated request', async () => {
    const { status, body } = await getJson<OpenApiDocument>(`${api}/openapi.json`, root.token);
    assert.equal(status, 200);
    const routes = Object.entries(body.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method, op })));
    assert.ok(routes.length >= 10, `only ${routes.length} routes documented`);
    for (const expected of ['/api/v1/search', '/api/v1/items/{id}', '/api/v1/entities', '/api/v1/accounts/{handle}', '/api/v1/graph', '/api/v1/datasets', '/api/v1/audit']) {
      assert.ok(expected in body.paths, `${expected} is documented`);
    }
    const guarded = routes.filter((r) => !(Array.isArray(r.op.security) && r.op.security.length === 0));
    assert.deepEqual(routes.filter((r) => !guarded.includes(r)).map((r) => r.path).sort(), ['/api/v1/auth/login', '/api/v1/check', '/api/v1/check/challenge']);
    for (const { path, method } of [...guarded, { path: '/api/v1/openapi.json', method: 'get' }]) {
      const url = `${server.url}${path.replace(/\{[^}]+\}/g, 'x')}?q=kilo&dataset=zuid`;
      for (const headers of [{}, { authorization: 'Bearer not-a-token' }, { cookie: 'lode_session=forged' }, { authorization: 'Basic cm9vdDpyb290' }]) {
        const response = await fetch(url, { method: method.toUpperCase(), headers });
        assert.equal(response.status, 401, `${method} ${path} with ${JSON.stringify(headers)}`);
        assert.equal(((await response.json()) as ErrorBody).error.code, 'unauthenticated');
      }
    }
  });

  test('a bearer token works, and is not accepted as a session cookie', async () => {
    assert.equal((await getJson(`${api}/me`, ana.token)).status, 200);
    const asCookie = await fetch(`${api}/me`, { headers: { cookie: `lode_session=${ana.token}` } });
    assert.equal(asCookie.status, 401);
  });

  test('the session cookie is HttpOnly, SameSite=Strict and Path=/', async () => {
    const response = await fetch(`${api}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'ana', password: 'correct horse battery staple' }) });
    const cookie = response.headers.getSetCookie().find((c) => c.startsWith('lode_session='))!;
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Strict/);
    assert.match(cookie, /Path=\//);
  });

  test('a wrong password and an unknown user get the same 401', async () => {
    const attempt = async (username: string) => {
      const r = await fetch(`${api}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'wrong password!' }) });
      return { status: r.status, body: await r.json() };
    };
    const known = await attempt('aud');
    const unknown = await attempt('nobody-here');
    assert.equal(known.status, 401);
    assert.deepEqual(known, unknown);
  });
});

describe('CSRF for cookie sessions', () => {
  const post = (path: string, headers: Record<string, string>) => fetch(`${api}${path}`, { method: 'POST', headers });

  test('a cookie-authenticated POST needs the X-CSRF-Token header', async () => {
    const session = await login(server.url, 'ana');
    const without = await post('/auth/logout', { cookie: session.cookie });
    assert.equal(without.status, 403);
    assert.equal(((await without.json()) as ErrorBody).error.code, 'csrf');
    const wrong = await post('/auth/logout', { cookie: session.cookie, 'x-csrf-token': ana.csrfToken });
    assert.equal(wrong.status, 403, 'the token of another session does not fit');
    const crossSite = await post('/auth/logout', { cookie: session.cookie, 'x-csrf-token': session.csrfToken, 'sec-fetch-site': 'cross-site' });
    assert.equal(crossSite.status, 403);
    const otherOrigin = await post('/auth/logout', { cookie: session.cookie, 'x-csrf-token': session.csrfToken, origin: 'https://evil.example' });
    assert.equal(otherOrigin.status, 403);
    const ok = await post('/auth/logout', { cookie: session.cookie, 'x-csrf-token': session.csrfToken, origin: server.url, 'sec-fetch-site': 'same-origin' });
    assert.equal(ok.status, 200);
    assert.equal((await fetch(`${api}/me`, { headers: { cookie: session.cookie } })).status, 401, 'the session ended');
  });

  test('a cookie-authenticated GET needs no token', async () => {
    const response = await fetch(`${api}/me`, { headers: { cookie: ana.cookie } });
    assert.equal(response.status, 200);
  });

  test('bearer requests are exempt from CSRF checks', async () => {
    const session = await login(server.url, 'ana');
    const response = await post('/auth/logout', { authorization: `Bearer ${session.token}` });
    assert.equal(response.status, 200);
    assert.equal((await getJson(`${api}/me`, session.token)).status, 401);
  });
});

describe('grants separate datasets', () => {
  test('an analyst finds only the granted dataset', async () => {
    const own = await search(ana, 'kilo');
    assert.equal(own.status, 200);
    assert.ok(own.body.total > 0);
    assert.deepEqual([...new Set(own.body.hits.map((h) => h.dataset))], ['zuid']);
    const all = await search(root, 'kilo');
    assert.deepEqual([...new Set(all.body.hits.map((h) => h.dataset))].sort(), ['noord', 'zuid']);
  });

  test('neither a dataset: field nor the dataset parameter reaches another dataset', async () => {
    for (const q of ['geheim', 'kilo dataset:noord', 'dataset:noord', 'geheim OR dataset:noord', '-nothingatall', 'from:otter', 'kilo~1']) {
      for (const more of ['', '&dataset=noord', '&dataset=zuid']) {
        const { status, body } = await search(ana, q, more);
        assert.equal(status, 200, `${q} ${more}`);
        assert.ok(body.hits.every((h) => h.dataset === 'zuid'), `${q} ${more} leaked ${JSON.stringify(body.hits)}`);
        if (more === '&dataset=noord') assert.equal(body.total, 0);
      }
    }
    assert.equal((await search(ana, 'geheim')).body.total, 0);
    assert.equal((await search(root, 'geheim')).body.total, 2);
  });

  test('fuzzy expansions (a shared vocabulary) are not shown to a restricted analyst', async () => {
    assert.equal((await search(ana, 'geheimm~1')).body.expansions, undefined);
    assert.ok((await search(root, 'geheimm~1')).body.expansions);
  });

  test('an item of another dataset is 404, like an unknown one', async () => {
    const other = (await search(root, 'geheim')).body.hits[0]!;
    const own = (await search(ana, 'haven')).body.hits[0]!;
    const denied = await getJson<ErrorBody>(`${api}/items/${other.id}`, ana.token);
    const unknown = await getJson<ErrorBody>(`${api}/items/m000000000000000000000000000`, ana.token);
    assert.equal(denied.status, 404);
    assert.equal(unknown.status, 404);
    assert.equal(denied.body.error.code, unknown.body.error.code);
    assert.equal((await getJson(`${api}/items/${other.id}`, root.token)).status, 200);
    const shown = await getJson<{ item: { id: string; provenance: object }; conversation: { dataset: string }[] }>(`${api}/items/${own.id}`, ana.token);
    assert.equal(shown.status, 200);
    assert.equal(shown.body.item.id, own.id);
    assert.ok(shown.body.conversation.length >= 2);
  });

  test('datasets, entities, accounts and the graph stay within the grants', async () => {
    const datasets = await getJson<{ datasets: { name: string }[] }>(`${api}/datasets`, ana.token);
    assert.deepEqual(datasets.body.datasets.map((d) => d.name), ['zuid']);
    const everything = await getJson<{ datasets: { name: string }[] }>(`${api}/datasets`, root.token);
    assert.deepEqual(everything.body.datasets.map((d) => d.name).sort(), ['noord', 'zuid']);

    assert.equal((await getJson(`${api}/entities?dataset=noord`, ana.token)).status, 404);
    assert.equal((await getJson(`${api}/entities?dataset=nonexistent`, ana.token)).status, 404);
    const entities = await getJson<{ entities: { dataset: string }[] }>(`${api}/entities`, ana.token);
    assert.equal(entities.status, 200);
    assert.ok(entities.body.entities.length > 0);
    assert.ok(entities.body.entities.every((e) => e.dataset === 'zuid'));

    assert.equal((await getJson(`${api}/accounts/otter`, ana.token)).status, 404);
    assert.equal((await getJson(`${api}/accounts/otter?dataset=noord`, ana.token)).status, 404);
    assert.equal((await getJson(`${api}/accounts/otter`, root.token)).status, 200);
    const profile = await getJson<{ handle: string; dataset: string }>(`${api}/accounts/tapeworm`, ana.token);
    assert.equal(profile.status, 200);
    assert.equal(profile.body.dataset, 'zuid');

    assert.equal((await getJson(`${api}/graph?dataset=noord`, ana.token)).status, 404);
    const graph = await getJson<{ keyPlayers: { account: string }[]; ties: { from: string; to: string; messages: number }[] }>(`${api}/graph`, ana.token);
    assert.equal(graph.status, 200);
    const accounts = graph.body.keyPlayers.map((p) => p.account);
    assert.ok(accounts.some((a) => a.endsWith(':tapeworm')));
    assert.ok(!accounts.some((a) => a.endsWith(':otter') || a.endsWith(':bever')));
    // the ties to draw: tapeworm and jaguar wrote each other three messages in zuid, both directions summed
    const tie = graph.body.ties.find((t) => [t.from, t.to].some((k) => k.endsWith(':tapeworm')) && [t.from, t.to].some((k) => k.endsWith(':jaguar')));
    assert.equal(tie?.messages, 3);
    for (const t of graph.body.ties) assert.ok(accounts.includes(t.from) && accounts.includes(t.to), 'ties only between listed accounts');
  });
});

describe('roles', () => {
  test('an auditor reads the audit log but no evidence', async () => {
    assert.equal((await getJson(`${api}/audit`, aud.token)).status, 200);
    assert.equal((await getJson(`${api}/audit/verify`, aud.token)).status, 200);
    const refused = await getJson<ErrorBody>(`${api}/search?q=kilo`, aud.token);
    assert.equal(refused.status, 403);
    assert.match(refused.body.error.message, /audit/);
  });

  test('an analyst cannot read the audit log', async () => {
    assert.equal((await getJson(`${api}/audit`, ana.token)).status, 403);
  });

  test('an investigator sees nothing until cases exist, and is told so', async () => {
    for (const path of ['/search?q=kilo', '/datasets', '/items/x', '/entities', '/accounts/tapeworm', '/graph']) {
      const { status, body } = await getJson<ErrorBody>(`${api}${path}`, ivo.token);
      assert.equal(status, 403, path);
      assert.match(body.error.message, /cases/);
    }
  });

  test('GET /me tells the role and grants', async () => {
    const me = await getJson<{ user: { name: string; role: string }; grants: { kind: string; target: string }[] }>(`${api}/me`, ana.token);
    assert.deepEqual(me.body.user, { name: 'ana', role: 'analyst' });
    assert.deepEqual(me.body.grants.map((g) => [g.kind, g.target]), [['dataset', 'zuid']]);
  });
});

describe('hostile input never gives a 5xx', () => {
  const queries = [
    "'; DROP TABLE messages; --", '"unclosed', '(((', ')))', 'a\0b', '"\0"', '\0', '*', 'a~99', 'kilo~2', 'date:[x TO y]', 'date:[2020-01-01 TO *]',
    'NEAR(a b)', '"a" NOT "b"', 'kilo*', 'k*', '-', 'NOT', 'a OR', 'from:', 'to:"', 'phone:abc', 'iban:NL00', 'dataset:\'x', "dataset:noord' OR 1=1 --",
    'x" OR 1=1; --', '\\', '%00', '${jndi:ldap://x}', '<script>alert(1)</script>', '\uD800', '\uFFFF\uFFFE', 'a'.repeat(5000), '('.repeat(3000),
    'kilo '.repeat(800), 'has:attachment', 'lang:nl AND lang:', '"kilo haven"~5', '"kilo haven"~-1',
    randomBytes(10 * 1024).toString('latin1'), randomBytes(2048).toString('utf8'), randomBytes(300).toString('latin1'),
    randomBytes(10 * 1024), randomBytes(200), Buffer.from([0xff, 0xfe, 0x00, 0xc0, 0x80]),
  ];

  test('queries', async () => {
    for (const who of [ana, root]) {
      for (const q of queries) {
        const { status, body } = await search(who, q);
        assert.ok(status < 500, `${JSON.stringify(typeof q === 'string' ? q.slice(0, 40) : q.subarray(0, 20))} gave ${status}`);
        if (status === 400) assert.ok((body as unknown as ErrorBody).error.message.length > 0);
      }
    }
  });

  test('a syntax error answers 400 with the position', async () => {
    const { status, body } = await getJson<ErrorBody>(`${api}/search?q=${encodeURIComponent('kilo AND (haven')}`, ana.token);
    assert.equal(status, 400);
    assert.equal(body.error.code, 'query_syntax');
    assert.equal(typeof body.error.position, 'number');
  });

  test('raw bytes, bad parameters and bad bodies', async () => {
    const paths = [
      '/search?q=%FF%FE%00', '/search?q=%', '/search?q=%E0%80', '/search', '/search?q=', '/search?q=kilo&limit=-1', '/search?q=kilo&limit=abc', '/search?q=kilo&limit=1e9',
      '/search?q=kilo&offset=1.5', '/search?q=kilo&sort=sideways', '/search?q=kilo&dataset=%00', '/search?q=kilo&q=haven',
      '/items/%00', '/items/m%FF', `/items/${'m'.repeat(99)}`, '/items/..%2F..%2Fetc%2Fpasswd', '/entities?type=nonsense', '/entities?limit=0',
      '/accounts/%27%3B%20DROP%20TABLE%20accounts', '/accounts/x?platform=%00', '/graph?from=garbage', '/graph?from=2020-01-01&to=9999-99-99', '/audit?limit=-5',
      `/search?q=${encodeURIComponent(randomBytes(1024).toString('base64'))}`,
    ];
    for (const path of paths) {
      const response = await fetch(`${api}${path}`, { headers: { authorization: `Bearer ${root.token}` } });
      assert.ok(response.status < 500, `${path} gave ${response.status}: ${await response.text()}`);
    }
    const bodies: [string, string][] = [
      ['application/json', '{'], ['application/json', '[]'], ['application/json', 'null'], ['application/json', '{"username":1,"password":[]}'],
      ['text/plain', 'username=root'], ['application/json', JSON.stringify({ username: 'root', password: 'x'.repeat(70_000) })],
      ['application/json', JSON.stringify({ username: '\0', password: '\0' })],
    ];
    for (const [type, body] of bodies) {
      const response = await fetch(`${api}/auth/login`, { method: 'POST', headers: { 'content-type': type }, body });
      assert.ok(response.status >= 400 && response.status < 500, `login with ${body.slice(0, 40)} gave ${response.status}`);
      assert.ok(((await response.json()) as ErrorBody).error.code);
    }
  });

  test('unknown routes answer 404 JSON once authenticated', async () => {
    const { status, body } = await getJson<ErrorBody>(`${api}/nothing-here`, root.token);
    assert.equal(status, 404);
    assert.equal(body.error.code, 'not_found');
    assert.equal((await getJson<ErrorBody>(`${server.url}/elsewhere`, undefined)).status, 404);
  });
});

describe('security headers', () => {
  test('are on answers, errors included', async () => {
    for (const [path, token] of [['/api/v1/me', ana.token], ['/api/v1/me', undefined], ['/api/v1/nothing', root.token], ['/nothing', undefined]] as const) {
      const { headers } = await getJson(`${server.url}${path}`, token);
      assert.match(headers.get('content-security-policy') ?? '', /default-src 'self'.*frame-ancestors 'none'/);
      assert.equal(headers.get('x-content-type-options'), 'nosniff');
      assert.equal(headers.get('x-frame-options'), 'DENY');
      assert.equal(headers.get('referrer-policy'), 'no-referrer');
      if (path.startsWith('/api/')) assert.equal(headers.get('cache-control'), 'no-store');
    }
  });
});

describe('audit', () => {
  test('searches and views are recorded with the actor', async () => {
    const q = 'haven OR cash';
    const found = await search(ana, q);
    const id = found.body.hits[0]!.id;
    await getJson(`${api}/items/${id}`, ana.token);
    type Events = { total: number; events: { actor: string; action: string; target?: string; details: Record<string, unknown> }[] };
    const searches = await getJson<Events>(`${api}/audit?actor=ana&action=search&limit=1000`, aud.token);
    const event = searches.body.events.find((e) => e.target === q);
    assert.ok(event, 'the search is in the log');
    assert.equal(event.details.total, found.body.total);
    const views = await getJson<Events>(`${api}/audit?actor=ana&action=item.view`, aud.token);
    assert.ok(views.body.events.some((e) => e.target === id));
    const logins = await getJson<Events>(`${api}/audit?action=login`, root.token);
    assert.ok(logins.body.events.some((e) => e.actor === 'ana'));
    const verdict = await getJson<{ ok: boolean; events: number }>(`${api}/audit/verify`, aud.token);
    assert.equal(verdict.body.ok, true);
    assert.ok(verdict.body.events > 0);
  });
});
