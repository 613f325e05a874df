import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import fc from 'fast-check';
import { CODE_ALPHABET, CODE_LENGTH, DEFAULT_CHALLENGE_BITS, ReplayGuard, issueChallenge, leadingZeroBits, solveChallenge, verifySolution } from '../../src/breachcheck/proof-of-work.ts';
import { seededRandom } from './seeded-random.ts';

const SECRET = new Uint8Array(32).fill(3);
const NOW = Date.parse('2026-03-01T12:00:00Z');
const BITS = 10;

function issued(options: { bits?: number; ttlMs?: number; seed?: number } = {}) {
  return issueChallenge(SECRET, { nowMs: NOW, bits: options.bits ?? BITS, ttlMs: options.ttlMs ?? 60_000, random: seededRandom(options.seed ?? 1) });
}

test('a solved challenge verifies once and gives back the code the page showed', () => {
  const challenge = issued();
  const solution = solveChallenge(challenge.challenge, challenge.bits);
  const used = new ReplayGuard();
  assert.deepEqual(verifySolution(SECRET, challenge.challenge, solution, { nowMs: NOW + 1000, used }), { ok: true, code: challenge.code });
  assert.deepEqual(verifySolution(SECRET, challenge.challenge, solution, { nowMs: NOW + 2000, used }), { ok: false, reason: 'reused' });
});

test('a challenge carries its bits, a readable code and its expiry', () => {
  const challenge = issueChallenge(SECRET, { nowMs: NOW });
  assert.equal(challenge.bits, DEFAULT_CHALLENGE_BITS);
  assert.match(challenge.code, new RegExp(`^[${CODE_ALPHABET}]{${CODE_LENGTH}}$`));
  assert.doesNotMatch(CODE_ALPHABET, /[0O1IL]/);
  assert.equal(challenge.expiresAt, new Date(NOW + 10 * 60_000).toISOString());
  assert.match(challenge.challenge, /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
  assert.notEqual(issueChallenge(SECRET, { nowMs: NOW }).challenge, challenge.challenge);
});

test('codes use the whole alphabet', () => {
  const random = seededRandom(5);
  const seen = new Set(Array.from({ length: 200 }, () => issueChallenge(SECRET, { nowMs: NOW, bits: 0, random }).code).join(''));
  assert.equal(seen.size, CODE_ALPHABET.length);
});

test('a tampered token fails its signature: bits lowered, code changed, or signed under another secret', () => {
  const challenge = issued();
  const [body, tag] = challenge.challenge.split('.') as [string, string];
  const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  const forged = (change: object) => `${Buffer.from(JSON.stringify({ ...payload, ...change })).toString('base64url')}.${tag}`;
  const used = new ReplayGuard();
  for (const token of [forged({ bits: 0 }), forged({ code: 'AAAAAA' }), forged({ exp: NOW + 1e9 })]) {
    assert.deepEqual(verifySolution(SECRET, token, solveChallenge(token, 0), { nowMs: NOW, used }), { ok: false, reason: 'bad-signature' });
  }
  const flipped = tag.slice(0, -2) + (tag.at(-2) === 'A' ? 'B' : 'A') + tag.at(-1);
  assert.deepEqual(verifySolution(SECRET, `${body}.${flipped}`, '1', { nowMs: NOW, used }), { ok: false, reason: 'bad-signature' });
  const foreign = issueChallenge(new Uint8Array(32).fill(4), { nowMs: NOW, bits: 0 });
  assert.deepEqual(verifySolution(SECRET, foreign.challenge, '0', { nowMs: NOW, used }), { ok: false, reason: 'bad-signature' });
  assert.equal(used.size, 0);
});

test('an expired challenge is refused even with a right solution', () => {
  const challenge = issued({ ttlMs: 5_000 });
  const solution = solveChallenge(challenge.challenge, challenge.bits);
  assert.deepEqual(verifySolution(SECRET, challenge.challenge, solution, { nowMs: NOW + 5_000, used: new ReplayGuard() }), { ok: false, reason: 'expired' });
  assert.equal(verifySolution(SECRET, challenge.challenge, solution, { nowMs: NOW + 4_999, used: new ReplayGuard() }).ok, true);
});

test('a wrong solution is insufficient work and does not spend the challenge', () => {
  const challenge = issued({ bits: 12 });
  const right = solveChallenge(challenge.challenge, 12);
  const wrong = Array.from({ length: 5000 }, (_, n) => String(n)).find((n) => leadingZeroBits(createHash('sha256').update(`${challenge.challenge}:${n}`).digest()) < 12)!;
  const used = new ReplayGuard();
  assert.deepEqual(verifySolution(SECRET, challenge.challenge, wrong, { nowMs: NOW, used }), { ok: false, reason: 'insufficient-work' });
  assert.equal(verifySolution(SECRET, challenge.challenge, right, { nowMs: NOW, used }).ok, true);
});

test('the solution is the hash of challenge ":" solution with the required leading zero bits', () => {
  const challenge = issued({ bits: 12 });
  const solution = solveChallenge(challenge.challenge, 12);
  const hash = createHash('sha256').update(`${challenge.challenge}:${solution}`).digest();
  assert.ok(leadingZeroBits(hash) >= 12);
  assert.ok(hash[0] === 0 && hash[1]! < 16);
});

test('malformed tokens and solutions are refused before any work is checked', () => {
  const { challenge } = issued();
  const used = new ReplayGuard();
  for (const [token, solution] of [
    ['', '1'], ['no-dot', '1'], ['a.b.c', '1'], [`${challenge}.x`, '1'], ['.abc', '1'], ['abc.', '1'], ['a b.c', '1'], ['x'.repeat(600) + '.y', '1'],
    [challenge, ''], [challenge, '-1'], [challenge, '1.5'], [challenge, '1e3'], [challenge, '0x10'], [challenge, '1'.repeat(21)], [challenge, ' 1'],
  ] as const) {
    assert.deepEqual(verifySolution(SECRET, token, solution, { nowMs: NOW, used }), { ok: false, reason: 'malformed' }, `${token.slice(0, 20)} / ${solution}`);
  }
  // signed but not our payload (a future version's, or junk under a leaked secret)
  const body = Buffer.from('{"v":2}').toString('base64url');
  const token = `${body}.${createHmac('sha256', SECRET).update(body).digest('base64url')}`;
  assert.deepEqual(verifySolution(SECRET, token, '1', { nowMs: NOW, used }), { ok: false, reason: 'malformed' });
});

test('leading zero bits are counted across bytes', () => {
  assert.equal(leadingZeroBits(Uint8Array.of(0x80)), 0);
  assert.equal(leadingZeroBits(Uint8Array.of(0x01)), 7);
  assert.equal(leadingZeroBits(Uint8Array.of(0, 0, 0x10)), 19);
  assert.equal(leadingZeroBits(Uint8Array.of(0, 0)), 16);
  fc.assert(fc.property(fc.uint8Array({ minLength: 1, maxLength: 8 }), (bytes) => {
    const bits = [...bytes].map((b) => b.toString(2).padStart(8, '0')).join('');
    assert.equal(leadingZeroBits(bytes), bits.indexOf('1') === -1 ? bits.length : bits.indexOf('1'));
  }));
});

test('a short secret and absurd bits are refused', () => {
  assert.throws(() => issueChallenge(new Uint8Array(16), { nowMs: NOW }), /at least 32 bytes/);
  assert.throws(() => issueChallenge(SECRET, { nowMs: NOW, bits: 31 }), /bits/);
  assert.throws(() => issueChallenge(SECRET, { nowMs: NOW, bits: 1.5 }), /bits/);
  assert.throws(() => verifySolution(new Uint8Array(8), 'a.b', '1', { nowMs: NOW, used: new ReplayGuard() }), /at least 32 bytes/);
});

test('the replay guard forgets expired nonces and never holds more than its capacity', () => {
  const guard = new ReplayGuard(100);
  for (let i = 0; i < 1000; i++) assert.equal(guard.spend(`n${i}`, NOW + 60_000, NOW + i), true);
  assert.equal(guard.size, 100);
  // the newest are still refused, the oldest were forgotten to stay within the bound
  assert.equal(guard.spend('n999', NOW + 60_000, NOW + 1000), false);
  assert.equal(guard.spend('n0', NOW + 60_000, NOW + 1000), true);
  // once everything has expired, one spend sweeps the lot
  guard.spend('late', NOW + 200_000, NOW + 100_000);
  assert.equal(guard.size, 1);
});

test('under a flood of solved challenges the guard stays bounded and still refuses every live replay it holds', () => {
  const guard = new ReplayGuard(50);
  const random = seededRandom(9);
  const spent: string[] = [];
  for (let i = 0; i < 400; i++) {
    const challenge = issueChallenge(SECRET, { nowMs: NOW + i * 100, bits: 0, ttlMs: 2_000, random });
    assert.equal(verifySolution(SECRET, challenge.challenge, '0', { nowMs: NOW + i * 100, used: guard }).ok, true);
    spent.push(challenge.challenge);
    assert.ok(guard.size <= 50);
  }
  // with 100 ms between challenges and a 2 s lifetime, at most 20 are alive: all of them are held
  assert.ok(guard.size <= 21, `${guard.size}`);
  for (const token of spent.slice(-19)) assert.deepEqual(verifySolution(SECRET, token, '0', { nowMs: NOW + 399 * 100, used: guard }), { ok: false, reason: 'reused' });
});
