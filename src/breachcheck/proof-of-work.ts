// A flood brake for the public check form that needs no third party (no CAPTCHA service sees
// who checks an address): the page gets a signed challenge, the browser searches for a number
// whose SHA-256 together with the challenge starts with `bits` zero bits, and the server checks
// that with one hash. The token is self-contained (stateless to issue); only nonces of solved
// challenges are remembered, to refuse a second use, and only until they expire.
import { createHash, createHmac, timingSafeEqual, type KeyObject } from 'node:crypto';
import { hmacKey } from './keyed-identifier.ts';
import { secureRandomBelow, type RandomBelow } from './random.ts';

/**
 * 2^16 hashes expected per solution. Measured with solveChallenge on Node 24 (one core of an
 * AMD EPYC server, 1.7 us per attempt): three runs of 20 challenges took a mean of 80, 102 and
 * 126 ms per solve (fastest 0.2 ms, slowest 412 ms: the number of attempts is geometric, so
 * single solves vary a lot). A browser pays more per hash through WebCrypto's async digest,
 * estimated (not measured here) at 5-20 us per call: about 0.3-1.5 s on a laptop, a few
 * seconds on an older phone. A flooder with native code pays about Node's figure per request,
 * one with a GPU far less: this brakes scripted floods, the rate limiter does the rest.
 */
export const DEFAULT_CHALLENGE_BITS = 16;
export const DEFAULT_CHALLENGE_TTL_MS = 10 * 60_000;
/** Beyond this a solve takes minutes in a browser: a misconfiguration, not a brake. */
export const MAX_CHALLENGE_BITS = 30;

/** Letters and digits no one misreads on a screen or in a mail: no 0/O, 1/I/L. */
export const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const CODE_LENGTH = 6;

const NONCE_BYTES = 16;
// a counter: 20 digits hold any 64-bit value, and the bound keeps the hashed input small
const SOLUTION = /^[0-9]{1,20}$/;
// generous for the payload (about 150 characters) and the tag (43), small enough to refuse junk early
const MAX_CHALLENGE_LENGTH = 512;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

export type IssuedChallenge = {
  /** base64url(JSON payload) + "." + base64url(HMAC-SHA-256 tag). */
  challenge: string;
  bits: number;
  /** Shown on the page and repeated in the mail, so a person can tell our mail from an imitation. */
  code: string;
  /** ISO 8601. */
  expiresAt: string;
};

export type IssueOptions = { nowMs: number; bits?: number; ttlMs?: number; random?: RandomBelow };

export type VerifyFailure = 'malformed' | 'bad-signature' | 'expired' | 'reused' | 'insufficient-work';
export type VerifyResult = { ok: true; code: string } | { ok: false; reason: VerifyFailure };

/** What the token carries (short keys: it travels in every form post). */
type ChallengePayload = { v: 1; iat: number; exp: number; bits: number; nonce: string; code: string };

/** A new challenge for the check page, signed under `secret` (at least 32 bytes). */
export function issueChallenge(secret: Uint8Array | KeyObject, options: IssueOptions): IssuedChallenge {
  const key = hmacKey(secret, 'the challenge secret');
  const bits = options.bits ?? DEFAULT_CHALLENGE_BITS;
  const ttlMs = options.ttlMs ?? DEFAULT_CHALLENGE_TTL_MS;
  if (!Number.isInteger(bits) || bits < 0 || bits > MAX_CHALLENGE_BITS) throw new Error(`challenge bits must be an integer 0..${MAX_CHALLENGE_BITS} (got ${bits})`);
  if (!Number.isSafeInteger(ttlMs) || ttlMs <= 0) throw new Error(`challenge ttlMs must be a positive integer (got ${ttlMs})`);
  const random = options.random ?? secureRandomBelow;
  const nonce = Buffer.from(Array.from({ length: NONCE_BYTES }, () => random(256))).toString('base64url');
  const code = Array.from({ length: CODE_LENGTH }, () => CODE_ALPHABET[random(CODE_ALPHABET.length)]).join('');
  const payload: ChallengePayload = { v: 1, iat: options.nowMs, exp: options.nowMs + ttlMs, bits, nonce, code };
  const body = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
  return { challenge: `${body}.${tag(key, body).toString('base64url')}`, bits, code, expiresAt: new Date(payload.exp).toISOString() };
}

/**
 * Whether `solution` is accepted for `challenge`, checked cheapest first and the signature
 * before anything in the token is believed. A solved challenge is spent: the nonce is
 * recorded in `used` only when everything else holds, so a wrong guess does not burn it.
 */
export function verifySolution(secret: Uint8Array | KeyObject, challenge: string, solution: string, options: { nowMs: number; used: ReplayGuard }): VerifyResult {
  const key = hmacKey(secret, 'the challenge secret');
  if (challenge.length > MAX_CHALLENGE_LENGTH || !SOLUTION.test(solution)) return { ok: false, reason: 'malformed' };
  const parts = challenge.split('.');
  const [body, sent] = parts;
  if (parts.length !== 2 || !body || !sent || !BASE64URL.test(body) || !BASE64URL.test(sent)) return { ok: false, reason: 'malformed' };
  const expected = tag(key, body);
  const given = Buffer.from(sent, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'bad-signature' };
  const payload = parsePayload(body);
  if (!payload) return { ok: false, reason: 'malformed' };
  if (options.nowMs >= payload.exp) return { ok: false, reason: 'expired' };
  if (leadingZeroBits(workHash(challenge, solution)) < payload.bits) return { ok: false, reason: 'insufficient-work' };
  if (!options.used.spend(payload.nonce, payload.exp, options.nowMs)) return { ok: false, reason: 'reused' };
  return { ok: true, code: payload.code };
}

/** The smallest solution (as a decimal string) for a challenge: for tests, benchmarks and the CLI; the page does the same with WebCrypto. */
export function solveChallenge(challenge: string, bits: number): string {
  if (!Number.isInteger(bits) || bits < 0 || bits > MAX_CHALLENGE_BITS) throw new Error(`challenge bits must be an integer 0..${MAX_CHALLENGE_BITS} (got ${bits})`);
  for (let n = 0; ; n += 1) {
    const solution = String(n);
    if (leadingZeroBits(workHash(challenge, solution)) >= bits) return solution;
  }
}

/** The number of zero bits the hash begins with. */
export function leadingZeroBits(hash: Uint8Array): number {
  let bits = 0;
  for (const byte of hash) {
    if (byte === 0) {
      bits += 8;
      continue;
    }
    return bits + Math.clz32(byte) - 24;
  }
  return bits;
}

/**
 * Nonces of spent challenges until they expire. Memory is bounded by `capacity` entries (about
 * 100 bytes each: 100,000 is some 10 MB): expired nonces are dropped first, and when the set is
 * still full the oldest nonce is forgotten. That opens a replay of one old, unexpired challenge
 * only after `capacity` newer ones were solved within its lifetime, so a flooder still pays the
 * work for all but a vanishing share of requests, while memory stays fixed however hard they push.
 */
export class ReplayGuard {
  readonly capacity: number;
  /** Nonce → expiry (ms), in the order spent; with one TTL that is expiry order too. */
  private readonly spent = new Map<string, number>();

  constructor(capacity = 100_000) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) throw new Error(`replay guard capacity must be a positive integer (got ${capacity})`);
    this.capacity = capacity;
  }

  get size(): number {
    return this.spent.size;
  }

  /** Records a nonce as spent; false when it already was. */
  spend(nonce: string, expiresAtMs: number, nowMs: number): boolean {
    this.forgetExpired(nowMs);
    if (this.spent.has(nonce)) return false;
    if (this.spent.size >= this.capacity) {
      const oldest = this.spent.keys().next();
      if (!oldest.done) this.spent.delete(oldest.value);
    }
    this.spent.set(nonce, expiresAtMs);
    return true;
  }

  /**
   * Drops expired nonces from the old end. It stops at the first live one: with mixed TTLs a
   * longer-lived nonce can shelter shorter ones behind it until capacity evicts them, which
   * costs memory within the bound, never a replay.
   */
  private forgetExpired(nowMs: number): void {
    for (const [nonce, expiresAtMs] of this.spent) {
      if (expiresAtMs > nowMs) return;
      this.spent.delete(nonce);
    }
  }
}

function tag(secret: KeyObject, body: string): Buffer {
  return createHmac('sha256', secret).update(body, 'utf8').digest();
}

function workHash(challenge: string, solution: string): Buffer {
  return createHash('sha256').update(`${challenge}:${solution}`, 'utf8').digest();
}

function parsePayload(body: string): ChallengePayload | undefined {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const p = value as Record<string, unknown>;
  const isInteger = (x: unknown): x is number => Number.isSafeInteger(x);
  if (p.v !== 1 || !isInteger(p.iat) || !isInteger(p.exp) || !isInteger(p.bits) || typeof p.nonce !== 'string' || typeof p.code !== 'string') return undefined;
  return { v: 1, iat: p.iat, exp: p.exp, bits: p.bits, nonce: p.nonce, code: p.code };
}
