// The public side of a real server: the victim check mails a real SMTP server on loopback, the
// range API and the breach list are read by the `hibp` client from the npm registry.
import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { md4 } from 'hash-wasm';
import { breach, breaches, dataClasses, pwnedPassword, pwnedPasswordRange } from 'hibp';
import { ingest } from '../../src/ingest/pipeline.ts';
import { openPublicCheck } from '../../src/main.ts';
import { publishDataset } from '../../src/breachcheck/publish.ts';
import { leadingZeroBits, solveChallenge } from '../../src/breachcheck/proof-of-work.ts';
import { startServer, type RunningServer } from '../../src/server/listen.ts';
import type { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import type { CheckService } from '../../src/breachcheck/check-service.ts';
import { openTestStore, temporaryDirectory } from '../fixtures.ts';
import { startTestSmtp, type TestSmtp } from '../mail/smtp-fixture.ts';

const KNOWN = 'Alice.Victim@Example.NL';
const OTHER_KNOWN = 'bob@example.be';
const UNKNOWN = 'nobody-here@example.org';
const PASSWORD = 'Zomer2020!';
const BITS = 8;

let smtp: TestSmtp;
let server: RunningServer;
let store: SqliteStore;
let check: CheckService;
let closeCheck: () => Promise<void>;
let home: string;

before(async () => {
  home = temporaryDirectory();
  store = openTestStore(home);
  const leak = join(home, 'leak.txt');
  const lines = [`${KNOWN.toLowerCase()}:${PASSWORD}`, `${OTHER_KNOWN}:hunter2`, 'carol@example.de:Zomer2020!', 'dave@example.fr:another-one'];
  (await import('node:fs')).writeFileSync(leak, `${lines.join('\n')}\n`);
  await ingest({ store, dataset: 'leak-2020', paths: [leak] });
  smtp = await startTestSmtp();
  const settings = { home, env: {} };
  const opened = await openPublicCheck(settings, {
    mail: { url: smtp.url, ca: smtp.ca }, from: 'Politie Check <check@politie.example>', organisation: 'Politie Nederland', challengeBits: BITS,
    log: () => {}, onNotified: async (event) => {
      await store.appendAudit({ actor: 'public check', action: 'check.notified', details: { digest: event.digest, breaches: event.breaches, language: event.language } });
    },
  });
  check = opened.service;
  closeCheck = opened.close;
  const key = Buffer.from(readFileSync(join(home, 'secrets', 'check.key'), 'utf8').trim(), 'hex');
  await publishDataset({ store, index: opened.index, key, meta: { name: 'Leak2020', title: 'Combolijst 2020', breachDate: '2020-06-01', domain: 'leak.example', dataset: 'leak-2020' }, at: '2026-12-01T00:00:00Z' });
  // generous limits: this file checks many addresses from one; the limits are tested on their own server below
  server = await startServer({ store, host: '127.0.0.1', port: 0, log: () => {}, check: opened.service, checkIndex: opened.index, checkLimits: { checks: 1000, challenges: 1000 } });
});

after(async () => {
  await server.close();
  await closeCheck();
  await smtp.close();
});

async function solvedChallenge(): Promise<{ challenge: string; solution: string; code: string }> {
  const response = await fetch(`${server.url}/api/v1/check/challenge`, { method: 'POST' });
  assert.equal(response.status, 200);
  const body = await response.json() as { challenge: string; bits: number; code: string };
  assert.equal(body.bits, BITS);
  return { challenge: body.challenge, solution: solveChallenge(body.challenge, body.bits), code: body.code };
}

async function postCheck(email: string, solved: { challenge: string; solution: string }, language = 'nl') {
  const response = await fetch(`${server.url}/api/v1/check`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, language, challenge: solved.challenge, solution: solved.solution }),
  });
  return { status: response.status, headers: response.headers, body: await response.text() };
}

function sha1(text: string): string {
  return createHash('sha1').update(text).digest('hex').toUpperCase();
}

test('the hibp client reads the range API: a leaked password has its count, another has none', async () => {
  assert.equal(await pwnedPassword(PASSWORD, { baseUrl: server.url }), 2);
  assert.equal(await pwnedPassword('never-leaked-passphrase', { baseUrl: server.url }), 0);
  const hash = sha1(PASSWORD);
  const range = await pwnedPasswordRange(hash.slice(0, 5), { baseUrl: server.url });
  assert.deepEqual(range, { [hash.slice(5)]: 2 });
});

test('NTLM mode and Add-Padding: the real row is there among 800-1000 rows of count 0', async () => {
  const ntlm = (await md4(Buffer.from('hunter2', 'utf16le'))).toUpperCase();
  const range = await pwnedPasswordRange(ntlm.slice(0, 5), { baseUrl: server.url, mode: 'ntlm', addPadding: true });
  const rows = Object.entries(range);
  assert.equal(range[ntlm.slice(5)], 1);
  assert.ok(rows.length >= 800 && rows.length <= 1001, `padded to ${rows.length} rows`);
  assert.equal(rows.filter(([, count]) => count > 0).length, 1);
  assert.ok(rows.every(([suffix]) => suffix.length === 27));
});

test('the range answer is upper-case SUFFIX:COUNT lines joined by CRLF, public and cacheable; a bad prefix or mode is a 400', async () => {
  const hash = sha1(PASSWORD);
  const response = await fetch(`${server.url}/range/${hash.slice(0, 5).toLowerCase()}`);
  assert.equal(response.status, 200);
  assert.equal(await response.text(), `${hash.slice(5)}:2`);
  assert.equal(response.headers.get('access-control-allow-origin'), '*');
  assert.match(response.headers.get('cache-control') ?? '', /public/);
  const many = await (await fetch(`${server.url}/range/00000`, { headers: { 'Add-Padding': 'true' } })).text();
  assert.ok(many.includes('\r\n') && !many.endsWith('\r\n'));
  assert.ok(many.split('\r\n').every((line) => /^[0-9A-F]{35}:0$/.test(line)));
  for (const bad of ['ABCD', 'ABCDEF', 'GHIJK', 'AB%20C']) assert.equal((await fetch(`${server.url}/range/${bad}`)).status, 400, bad);
  // a password manager in a browser asks first whether it may send Add-Padding from its origin
  const preflight = await fetch(`${server.url}/range/ABCDE`, { method: 'OPTIONS', headers: { origin: 'https://vault.example', 'access-control-request-method': 'GET', 'access-control-request-headers': 'add-padding' } });
  assert.equal(preflight.status, 204);
  assert.equal(preflight.headers.get('access-control-allow-origin'), '*');
  assert.match(preflight.headers.get('access-control-allow-headers') ?? '', /add-padding/i);
  assert.equal((await fetch(`${server.url}/range/ABCDE?mode=md5`)).status, 400);
});

test('the published dataset in Have I Been Pwned\'s v3 shape, through the hibp client; no account look-up exists', async () => {
  const baseUrl = `${server.url}/api/v3`;
  const all = await breaches({ baseUrl });
  assert.equal(all.length, 1);
  assert.equal(all[0]!.Name, 'Leak2020');
  assert.equal(all[0]!.PwnCount, 4);
  assert.equal(all[0]!.BreachDate, '2020-06-01');
  assert.deepEqual(all[0]!.DataClasses, ['Email addresses', 'Passwords']);
  assert.equal((await breach('leak2020', { baseUrl }))?.Title, 'Combolijst 2020');
  assert.equal(await breach('Nothing', { baseUrl }), null);
  assert.deepEqual(await breaches({ baseUrl, domain: 'other.example' }), []);
  assert.deepEqual(await dataClasses({ baseUrl }), ['Email addresses', 'Passwords']);
  const lookup = await fetch(`${baseUrl}/breachedaccount/${encodeURIComponent(KNOWN)}`);
  assert.equal(lookup.status, 404);
  assert.ok(!(await lookup.text()).includes('Leak2020'));
});

test('a known address gets one mail, at that address only, with the page\'s code, the dataset and what leaked, and no link', async () => {
  const before = smtp.received.length;
  const solved = await solvedChallenge();
  const answer = await postCheck(`  ${KNOWN} `, solved);
  assert.equal(answer.status, 202);
  assert.equal(answer.body, '{"status":"accepted"}');
  const [mail] = (await smtp.waitFor(before + 1)).slice(before);
  assert.deepEqual(mail!.envelopeTo, [KNOWN.toLowerCase()]);
  assert.ok(mail!.isSecure, 'sent over STARTTLS');
  const text = mail!.mail.text ?? '';
  assert.ok(text.includes(solved.code), 'repeats the code the page showed');
  assert.ok(text.includes('Combolijst 2020'));
  assert.match(text, /Wachtwoorden/);
  assert.doesNotMatch(text, /https?:|www\.|:\/\//);
  assert.ok(!text.toLowerCase().includes(KNOWN.toLowerCase()), 'the body does not repeat the address');
  assert.equal(mail!.mail.html, false, 'plain text only');
});

test('an unknown address gets the same answer, byte for byte, and no mail to anyone', async () => {
  await check.idle();
  const before = smtp.received.length;
  const known = await postCheck(OTHER_KNOWN, await solvedChallenge(), 'en');
  const unknown = await postCheck(UNKNOWN, await solvedChallenge(), 'en');
  assert.equal(known.status, unknown.status);
  assert.equal(known.body, unknown.body);
  const headers = (h: Headers) => [...h.entries()].filter(([name]) => name !== 'date');
  assert.deepEqual(headers(known.headers), headers(unknown.headers));
  await smtp.waitFor(before + 1);
  await check.idle();
  const arrived = smtp.received.slice(before);
  assert.deepEqual(arrived.map((m) => m.envelopeTo), [[OTHER_KNOWN]]);
  assert.match(arrived[0]!.mail.subject ?? '', /seized/i, 'in the language asked for');
});

test('the answer does not wait for the look-up: a slow database delays neither a known nor an unknown address', async () => {
  await check.idle();
  const index = (check as unknown as { options: { index: { findings(d: Uint8Array): Promise<unknown> } } }).options.index;
  const original = index.findings.bind(index);
  index.findings = async (digest) => {
    await new Promise((resolve) => setTimeout(resolve, 400));
    return original(digest);
  };
  try {
    for (const email of [KNOWN, UNKNOWN]) {
      const solved = await solvedChallenge();
      const started = performance.now();
      const answer = await postCheck(email, solved);
      const tookMs = performance.now() - started;
      assert.equal(answer.status, 202);
      assert.ok(tookMs < 300, `${email}: answered in ${tookMs.toFixed(0)} ms, before the 400 ms look-up`);
    }
  } finally {
    await check.idle();
    index.findings = original;
  }
});

test('asking twice within a day sends one mail; the audit log has the keyed identifier, never the address', async () => {
  await check.idle();
  const before = smtp.received.length;
  await postCheck(KNOWN, await solvedChallenge());
  await postCheck(KNOWN.toUpperCase(), await solvedChallenge());
  await check.idle();
  assert.equal(smtp.received.length, before, 'no mail beyond the first of the day');
  const audit = await store.auditEvents({ limit: 100, offset: 0, action: 'check.notified' });
  assert.equal(audit.total, 2);
  assert.ok(audit.events.every((e) => typeof e.details.digest === 'string' && /^[0-9a-f]{64}$/.test(String(e.details.digest))));
  assert.ok(!JSON.stringify(audit.events).toLowerCase().includes('alice.victim'));
});

test('a challenge works once; a forged, unsolved or missing one is refused with a 400 that says nothing about the address', async () => {
  const solved = await solvedChallenge();
  assert.equal((await postCheck(UNKNOWN, solved)).status, 202);
  const again = await postCheck(UNKNOWN, solved);
  assert.equal(again.status, 400);
  assert.match(again.body, /reload/);
  const fresh = await solvedChallenge();
  const forged = `${fresh.challenge.slice(0, -2)}AA`;
  assert.equal((await postCheck(UNKNOWN, { challenge: forged, solution: fresh.solution })).status, 400);
  const unsolved = await solvedChallenge();
  const isWork = (n: number) => leadingZeroBits(createHash('sha256').update(`${unsolved.challenge}:${n}`).digest()) >= BITS;
  const wrong = Array.from({ length: 1000 }, (_, n) => n).find((n) => !isWork(n))!;
  const refused = await postCheck(KNOWN, { challenge: unsolved.challenge, solution: String(wrong) });
  assert.equal(refused.status, 400);
  const invalid = await postCheck('not-an-address', await solvedChallenge());
  assert.equal(invalid.status, 400);
  assert.equal(JSON.parse(invalid.body).error.code, 'invalid_email');
  assert.equal(JSON.parse(again.body).error.code, 'invalid_challenge');
  const missing = await fetch(`${server.url}/api/v1/check`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: KNOWN }) });
  assert.equal(missing.status, 400);
  await check.idle();
});

test('the check needs no session while the evidence routes still do', async () => {
  const page = await fetch(`${server.url}/check`);
  assert.ok(page.status === 200 || page.status === 404, 'the page is public (404 only when web/dist is not built)');
  assert.equal((await fetch(`${server.url}/api/v1/search?q=x`)).status, 401);
  assert.equal((await fetch(`${server.url}/api/v1/datasets`)).status, 401);
});

test('a flood from one address is refused with 429 and Retry-After, whatever the addresses asked', async () => {
  const limited = await startServer({ store, host: '127.0.0.1', port: 0, log: () => {}, check, checkLimits: { checks: 2, challenges: 3 } });
  try {
    const statuses: number[] = [];
    let refused: Response | undefined;
    for (let i = 0; i < 4; i++) {
      const response = await fetch(`${limited.url}/api/v1/check/challenge`, { method: 'POST' });
      statuses.push(response.status);
      if (response.status === 429) refused = response;
    }
    assert.deepEqual(statuses, [200, 200, 200, 429]);
    assert.ok(Number(refused!.headers.get('retry-after')) > 0);
    assert.equal((await refused!.json() as { error: { code: string } }).error.code, 'rate_limited');
    const post = (email: string) => fetch(`${limited.url}/api/v1/check`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, challenge: 'x', solution: '1' }) });
    assert.deepEqual([(await post(KNOWN)).status, (await post(UNKNOWN)).status, (await post(KNOWN)).status], [400, 400, 429]);
  } finally {
    await limited.close();
  }
});
