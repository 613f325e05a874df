// How the server hands out the workbench: files of the build with their types and caching, the
// app for browser navigations to deep links, the API's 404 for everything else, nothing outside
// web/dist, and the security headers on all of it.
import { before, after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Hono } from 'hono';
import { startServer, type RunningServer } from '../../src/server/listen.ts';
import { CONTENT_SECURITY_POLICY } from '../../src/server/app.ts';
import { WEB_ROOT, ensureWorkbenchBuilt, isWorkbenchStale, serveWorkbench } from '../../src/server/static.ts';
import { openTestStore, temporaryDirectory } from '../fixtures.ts';

const HTML = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

describe('serveWorkbench on a made-up build', () => {
  const dist = join(temporaryDirectory(), 'dist');
  mkdirSync(join(dist, 'assets'), { recursive: true });
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>app</title>');
  writeFileSync(join(dist, 'assets', 'index-AbCdEf12.js'), 'export {};');
  writeFileSync(join(dist, 'assets', 'plain.css'), 'body{}');
  writeFileSync(join(dist, '..', 'secret.txt'), 'outside the build');
  const app = new Hono();
  app.use('*', serveWorkbench({ dist }));
  app.notFound((c) => c.json({ error: { code: 'not_found', message: 'no route' } }, 404));

  test('hashed assets are immutable and typed; other files are revalidated', async () => {
    const js = await app.request('/assets/index-AbCdEf12.js');
    assert.equal(js.status, 200);
    assert.equal(js.headers.get('content-type'), 'text/javascript; charset=utf-8');
    assert.equal(js.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    const css = await app.request('/assets/plain.css');
    assert.equal(css.headers.get('content-type'), 'text/css; charset=utf-8');
    assert.equal(css.headers.get('cache-control'), 'no-cache');
    const again = await app.request('/assets/plain.css', { headers: { 'if-none-match': css.headers.get('etag')! } });
    assert.equal(again.status, 304);
  });

  test('a browser navigation to a deep link gets index.html; a fetch or a missing asset gets the 404', async () => {
    for (const path of ['/', '/items/m05e8468a0123456789abcdef01234', '/accounts/tapeworm']) {
      const response = await app.request(path, { headers: { accept: HTML } });
      assert.equal(response.status, 200, path);
      assert.equal(await response.text(), '<!doctype html><title>app</title>');
      assert.equal(response.headers.get('cache-control'), 'no-cache');
    }
    assert.equal((await app.request('/items/x', { headers: { accept: '*/*' } })).status, 404);
    assert.equal((await app.request('/assets/missing-12345678.js', { headers: { accept: HTML } })).status, 404);
    assert.equal((await app.request('/api/v1/nothing', { headers: { accept: HTML } })).status, 404);
    assert.equal((await app.request('/', { method: 'POST', headers: { accept: HTML } })).status, 404);
  });

  test('no path reaches outside the build', async () => {
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/..%5csecret.txt', '/%00index.html', '/%E0%A4%A']) {
      const response = await app.request(path, { headers: { accept: '*/*' } });
      assert.equal(response.status, 404, path);
      assert.doesNotMatch(await response.text(), /outside the build/, path);
    }
  });
});

describe('the workbench on the real server', () => {
  let server: RunningServer;
  before(async () => {
    await ensureWorkbenchBuilt((line) => process.stderr.write(`e2e: ${line}\n`));
    const store = openTestStore(temporaryDirectory());
    server = await startServer({ store, host: '127.0.0.1', port: 0, log: () => {} });
  });
  after(() => server.close());

  test('the build is current after ensureWorkbenchBuilt', () => {
    assert.equal(isWorkbenchStale(), false);
  });

  test('the shell and its assets come with the security headers, and the shell has no inline script', async () => {
    const index = await fetch(`${server.url}/search?q=kilo`, { headers: { accept: HTML } });
    assert.equal(index.status, 200);
    assert.equal(index.headers.get('content-security-policy'), CONTENT_SECURITY_POLICY);
    assert.equal(index.headers.get('x-frame-options'), 'DENY');
    assert.equal(index.headers.get('x-content-type-options'), 'nosniff');
    const html = await index.text();
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    assert.ok(scripts.length > 0);
    for (const [, attributes, body] of scripts) {
      assert.match(attributes!, /src="\/assets\//);
      assert.equal(body!.trim(), '', 'no inline script');
    }
    const asset = readdirSync(join(WEB_ROOT, 'dist', 'assets')).find((f) => f.endsWith('.js'))!;
    const js = await fetch(`${server.url}/assets/${asset}`);
    assert.equal(js.status, 200);
    assert.equal(js.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.equal(js.headers.get('content-security-policy'), CONTENT_SECURITY_POLICY);
  });

  test('API routes stay behind the session and answer JSON', async () => {
    const response = await fetch(`${server.url}/api/v1/me`, { headers: { accept: HTML } });
    assert.equal(response.status, 401);
    assert.equal(((await response.json()) as { error: { code: string } }).error.code, 'unauthenticated');
  });
});
