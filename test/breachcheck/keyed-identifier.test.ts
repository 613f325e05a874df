import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { keyedDigest, normaliseCheckEmail } from '../../src/breachcheck/keyed-identifier.ts';

const KEY = new Uint8Array(32).fill(1);

test('normalisation trims, lower-cases and composes, so typed variants meet the published digest', () => {
  assert.equal(normaliseCheckEmail('  Jan@Example.NL '), 'jan@example.nl');
  assert.deepEqual(keyedDigest(KEY, normaliseCheckEmail('  Jan@Example.NL ')!), keyedDigest(KEY, 'jan@example.nl'));
  // e + combining acute (NFD, as some keyboards send it) equals the precomposed é
  assert.equal(normaliseCheckEmail('Rene\u0301@example.fr'), normaliseCheckEmail('René@example.fr'));
  assert.equal(normaliseCheckEmail('rené@café.fr'), 'rené@café.fr');
});

test('what cannot be an address is refused', () => {
  for (const bad of ['', '   ', 'jan', 'jan@', '@example.nl', 'jan@example', 'jan@@example.nl', 'a@b@example.nl', 'jan de vries@example.nl',
    'jan@example..nl', 'jan@.example.nl', 'jan@example.nl.', 'jan\u0000@example.nl', 'jan\u200b@example.nl', 'jan\t@example.nl',
    `${'a'.repeat(65)}@example.nl`, `jan@${'a'.repeat(250)}.nl`]) {
    assert.equal(normaliseCheckEmail(bad), undefined, JSON.stringify(bad));
  }
  assert.equal(normaliseCheckEmail(`${'a'.repeat(64)}@example.nl`), `${'a'.repeat(64)}@example.nl`);
});

test('a normalised address normalises to itself', () => {
  fc.assert(fc.property(fc.emailAddress(), (address) => {
    const once = normaliseCheckEmail(address);
    if (once !== undefined) assert.equal(normaliseCheckEmail(once), once);
  }));
});

test('the digest is HMAC-SHA-256: 32 bytes, stable per key, different under another key', () => {
  const a = keyedDigest(KEY, 'jan@example.nl');
  assert.equal(a.length, 32);
  assert.deepEqual(keyedDigest(KEY, 'jan@example.nl'), a);
  assert.notDeepEqual(keyedDigest(new Uint8Array(32).fill(2), 'jan@example.nl'), a);
  assert.notDeepEqual(keyedDigest(KEY, 'piet@example.nl'), a);
  // known answer, so a change of algorithm (which would orphan every published digest) fails here
  // (computed independently with Python's hmac module)
  assert.equal(keyedDigest(new Uint8Array(32), 'jan@example.nl').toString('hex'), '49afcc3a54dd7cce8ae58341d65208f6c0eeddf6c21544c5133e8211e95dee49');
});

test('a key shorter than 32 bytes is refused', () => {
  assert.throws(() => keyedDigest(new Uint8Array(31), 'jan@example.nl'), /at least 32 bytes/);
});
