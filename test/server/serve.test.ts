import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { temporaryDirectory } from '../fixtures.ts';

const node = process.execPath;
const main = new URL('../../src/cli/main.ts', import.meta.url).pathname;

test('lode serve creates an admin on an empty store, serves on loopback and stops on SIGTERM', async () => {
  const home = temporaryDirectory();
  const child = spawn(node, ['--disable-warning=ExperimentalWarning', main, 'serve', '--port', '0', '--home', home], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const started = new Promise<void>((resolve, reject) => {
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (/listening on http:\/\/127\.0\.0\.1:\d+/.test(stderr)) resolve();
    });
    child.once('exit', () => reject(new Error(`serve exited early: ${stderr}`)));
  });
  try {
    await started;
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stderr)![1]!;
    const password = /created user "admin" with password (\S+)/.exec(stderr)?.[1];
    assert.ok(password, `no password printed: ${stderr}`);
    assert.equal(stdout, '', 'nothing on stdout');
    const response = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password }) });
    assert.equal(response.status, 200);
    const { token } = (await response.json()) as { token: string };
    const me = await fetch(`${url}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
    assert.deepEqual(((await me.json()) as { user: object }).user, { name: 'admin', role: 'admin' });
  } finally {
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const [code] = await exited;
    assert.equal(code, 0, stderr);
  }
  assert.match(stderr, /stopped/);
});
