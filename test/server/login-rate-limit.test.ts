import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { PASSWORD, startTestServer, type TestServer } from './server-fixture.ts';

// its own server: the failures here would lock the other tests' logins out
let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(() => server.close());

const attempt = (username: string, password: string) =>
  fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });

test('five failed logins for a name lock it for a quarter hour with 429 and Retry-After', async () => {
  for (let i = 0; i < 5; i += 1) assert.equal((await attempt('ana', 'not the password')).status, 401);
  const locked = await attempt('ana', PASSWORD);
  assert.equal(locked.status, 429, 'even the right password waits');
  const retryAfter = Number(locked.headers.get('retry-after'));
  assert.ok(retryAfter > 0 && retryAfter <= 15 * 60, `Retry-After ${retryAfter}`);
  const body = (await locked.json()) as { error: { code: string; message: string } };
  assert.equal(body.error.code, 'rate_limited');
  assert.equal((await attempt('root', PASSWORD)).status, 200, 'other names are not locked');
  server.clock.ms += 15 * 60_000 + 1000;
  assert.equal((await attempt('ana', PASSWORD)).status, 200, 'the lock ends with the window');
});

test('many failures from one address lock the address for every name', async () => {
  for (let i = 0; i < 20; i += 1) await attempt(`guess-${i}`, 'x');
  const locked = await attempt('root', PASSWORD);
  assert.equal(locked.status, 429);
  assert.ok(Number(locked.headers.get('retry-after')) > 0);
});
