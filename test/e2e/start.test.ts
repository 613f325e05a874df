// `npm start` as a new user meets it: a fresh home gets the synthetic demo and an admin whose
// password is printed once and works; the workbench and the API answer on loopback; Ctrl-C stops
// it. A second start on the same home loads nothing again and prints no password.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { solveChallenge } from '../../src/breachcheck/proof-of-work.ts';
import { temporaryDirectory } from '../fixtures.ts';

const START = new URL('../../src/cli/start.ts', import.meta.url).pathname;

type Started = { url: string; stdout: () => string; stop: () => Promise<number | null> };

async function start(home: string, args: string[] = []): Promise<Started> {
  const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', START, '--port', '0', ...args], {
    env: { ...process.env, LODE_HOME: home, LODE_STORE: '' }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start did not serve within 90 s:\n${stdout}\n${stderr}`)), 90_000);
    child.stdout.on('data', () => {
      // the password (when there is one) follows the URL in the same write
      const found = /Lode workbench: (http:\/\/127\.0\.0\.1:\d+)[^\n]*\n(?:\n {2}Log in as admin[^\n]*\n|Log in with)/.exec(stdout);
      if (found) {
        clearTimeout(timer);
        resolve(found[1]!);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited with ${code}:\n${stdout}\n${stderr}`));
    });
  });
  return {
    url, stdout: () => stdout,
    stop: async () => {
      const exited = once(child, 'exit');
      child.kill('SIGINT');
      return ((await exited) as [number | null])[0];
    },
  };
}

test('npm start serves the workbench on a fresh home with the synthetic demo and a one-time admin password', { timeout: 180_000 }, async () => {
  const home = temporaryDirectory();
  const first = await start(home);
  let password: string | undefined;
  try {
    const out = first.stdout();
    assert.match(out, /Generating a SYNTHETIC demo corpus of 50000 messages/);
    assert.match(out, /demo-encrochat-synthetic: 50000 messages, \d+ accounts, .*\[SYNTHETIC demo data\]/);
    // the workbench opens on work to do: alerts from ingest and candidate cases from discovery
    const [, alerts, candidates] = /(\d+) alerts raised, (\d+) candidate cases found/.exec(out) ?? [];
    assert.ok(Number(alerts) > 0 && Number(candidates) > 0, out);
    password = /Log in as admin with password: {2}(\S+)/.exec(out)?.[1];
    assert.ok(password && password.length >= 20, out);

    const shell = await fetch(`${first.url}/search`, { headers: { accept: 'text/html' } });
    assert.equal(shell.status, 200);
    assert.match(await shell.text(), /<div id="root"><\/div>/);
    const login = await fetch(`${first.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password }) });
    assert.equal(login.status, 200);
    const { token } = (await login.json()) as { token: string };
    const datasets = await fetch(`${first.url}/api/v1/datasets`, { headers: { authorization: `Bearer ${token}` } });
    const names = ((await datasets.json()) as { datasets: { name: string; messages: number }[] }).datasets.map((d) => [d.name, d.messages]);
    assert.deepEqual(names, [['demo-combolist-synthetic', 0], ['demo-encrochat-synthetic', 50000], ['demo-leakmarket-synthetic', 0]]);
    // a campaign to work on, and a public check that answers and mails into the outbox
    const campaigns = await fetch(`${first.url}/api/v1/campaigns`, { headers: { authorization: `Bearer ${token}` } });
    const demo = ((await campaigns.json()) as { campaigns: { name: string; recipients: number }[] }).campaigns;
    assert.equal(demo[0]?.name, 'demo-nl');
    assert.ok(demo[0]!.recipients > 0);
    const breaches = (await (await fetch(`${first.url}/api/v3/breaches`)).json()) as { Name: string; PwnCount: number }[];
    assert.deepEqual(breaches.map((b) => [b.Name, b.PwnCount]), [['DemoCombolist', 5000]]);
    const example = /\(try (\S+@\S+)\)/.exec(out)?.[1];
    assert.ok(example, out);
    const challenge = (await (await fetch(`${first.url}/api/v1/check/challenge`, { method: 'POST' })).json()) as { challenge: string; bits: number; code: string };
    const checked = await fetch(`${first.url}/api/v1/check`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: example, language: 'en', challenge: challenge.challenge, solution: solveChallenge(challenge.challenge, challenge.bits) }),
    });
    assert.equal(checked.status, 202);
    const outbox = join(home, 'outbox');
    for (let i = 0; i < 100 && !(existsSync(outbox) && readdirSync(outbox).length > 0); i++) await new Promise((resolve) => setTimeout(resolve, 100));
    const [mail] = readdirSync(outbox);
    assert.ok(readFileSync(join(outbox, mail!), 'utf8').includes(challenge.code), 'the check mailed the outbox with the page\'s code');
  } finally {
    assert.equal(await first.stop(), 0);
  }
  assert.match(first.stdout(), /stopping/);

  const second = await start(home);
  try {
    const out = second.stdout();
    assert.doesNotMatch(out, /Generating|Ingested|Log in as admin/);
    assert.match(out, /Log in with your user/);
    const login = await fetch(`${second.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password }) });
    assert.equal(login.status, 200, 'the first password still works');
  } finally {
    assert.equal(await second.stop(), 0);
  }
});

test('npm start -- --help documents the options; a bad option is a usage error', async () => {
  const run = (args: string[]) => new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', START, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
  const help = await run(['--help']);
  assert.equal(help.code, 0);
  for (const option of ['--port', '--home', '--demo', '--no-demo']) assert.ok(help.stdout.includes(option), option);
  const bad = await run(['--port', 'eighty']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--port takes a number/);
});
