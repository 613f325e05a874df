// `npm start` on a fresh home and again on the same home.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { temporaryDirectory } from '../fixtures.ts';

const START = new URL('../../src/cli/start.ts', import.meta.url).pathname;

function start(home: string): string {
  const result = spawnSync(process.execPath, ['--disable-warning=ExperimentalWarning', START], {
    encoding: 'utf8', env: { ...process.env, LODE_HOME: home, LODE_STORE: '' },
  });
  assert.equal(result.status, 0, result.stderr);
  return result.stdout;
}

test('npm start fills an empty store with the synthetic demo once, and only shows it the second time', { timeout: 120_000 }, () => {
  const home = temporaryDirectory();
  const first = start(home);
  assert.match(first, /generating a SYNTHETIC demo corpus of 50000 messages/);
  assert.match(first, /ingested 50000 messages/);
  const summary = /demo-encrochat-synthetic: (\d+) messages/.exec(first);
  assert.ok(summary, first);
  assert.match(first, /Example search: .*\n {2}[1-9]\d* hits/);

  const second = start(home);
  assert.doesNotMatch(second, /generating|ingested/);
  assert.equal(/demo-encrochat-synthetic: (\d+) messages/.exec(second)?.[1], summary[1]);
});
