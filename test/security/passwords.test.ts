import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ARGON2_PARAMETERS, hashPassword, needsRehash, newPassword, passwordProblem, verifyPassword } from '../../src/security/passwords.ts';
import { newSecret, secretDigest } from '../../src/security/tokens.ts';

test('the right password verifies, a wrong one does not', async () => {
  const encoded = await hashPassword('correct horse battery staple');
  assert.equal(await verifyPassword('correct horse battery staple', encoded), true);
  assert.equal(await verifyPassword('correct horse battery stapler', encoded), false);
  assert.equal(await verifyPassword('', encoded), false);
});

test('the encoding is PHC argon2id with OWASP parameters and a 16-byte salt', async () => {
  const encoded = await hashPassword('correct horse battery staple');
  const match = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/.exec(encoded);
  assert.ok(match, encoded);
  assert.deepEqual([Number(match[1]), Number(match[2]), Number(match[3])], [19_456, 2, 1]);
  assert.equal(Buffer.from(match[4]!, 'base64').length, ARGON2_PARAMETERS.saltBytes);
  assert.equal(Buffer.from(match[5]!, 'base64').length, ARGON2_PARAMETERS.hashBytes);
  assert.equal(needsRehash(encoded), false);
});

test('two hashes of one password differ (random salt) and both verify', async () => {
  const [a, b] = await Promise.all([hashPassword('same password here'), hashPassword('same password here')]);
  assert.notEqual(a, b);
  assert.equal(await verifyPassword('same password here', a), true);
  assert.equal(await verifyPassword('same password here', b), true);
});

test('a hash made with other parameters still verifies and asks to be rehashed', async () => {
  const { argon2id } = await import('hash-wasm');
  const older = await argon2id({ password: 'an older password', salt: new Uint8Array(16).fill(7), iterations: 1, parallelism: 1, memorySize: 1024, hashLength: 32, outputType: 'encoded' });
  assert.equal(await verifyPassword('an older password', older), true);
  assert.equal(needsRehash(older), true);
});

test('an unknown user (no hash) and a malformed or absurd hash never verify', async () => {
  assert.equal(await verifyPassword('anything at all', undefined), false);
  assert.equal(await verifyPassword('anything at all', 'plaintext'), false);
  assert.equal(await verifyPassword('x', '$argon2i$v=19$m=19456,t=2,p=1$AAAAAAAAAAAAAAAAAAAAAA$dRzY82fgceWJKqstlAB6sn56dYrekptRpYPqbR1lZQg'), false);
  assert.equal(await verifyPassword('x', '$argon2id$v=19$m=99999999,t=2,p=1$AAAAAAAAAAAAAAAAAAAAAA$dRzY82fgceWJKqstlAB6sn56dYrekptRpYPqbR1lZQg'), false, 'a hash may not ask for 95 GiB');
});

test('chosen passwords need 12 characters; generated ones are long and distinct', () => {
  assert.match(passwordProblem('short') ?? '', /at least 12/);
  assert.equal(passwordProblem('twelve chars'), undefined);
  const generated = newPassword();
  assert.equal(generated.length, 24);
  assert.notEqual(generated, newPassword());
  assert.equal(passwordProblem(generated), undefined);
});

test('secrets are 32 random bytes in base64url; only their SHA-256 is kept', () => {
  const secret = newSecret();
  assert.match(secret, /^[A-Za-z0-9_-]{43}$/);
  assert.equal(Buffer.from(secret, 'base64url').length, 32);
  assert.notEqual(secret, newSecret());
  assert.match(secretDigest(secret), /^[0-9a-f]{64}$/);
  assert.equal(secretDigest('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
});
