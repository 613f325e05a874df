import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, pbkdf2Sync } from 'node:crypto';
import { argon2id, bcrypt } from 'hash-wasm';
import fc from 'fast-check';
import { createNtlmHasher, passwordNtlm, passwordSha1, recogniseHashType } from '../../../src/ingest/formats/password-hash.ts';

const hex = (algorithm: string, text: string) => createHash(algorithm).update(text).digest('hex');
const salt16 = new Uint8Array(16).fill(7);

test('SHA-1 and NTLM digests of a password match the published vectors', async () => {
  assert.equal(passwordSha1('password'), '5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD8');
  assert.equal(await passwordNtlm('password'), '8846F7EAEE8FB117AD06BDD830B7586C');
  assert.equal(await passwordNtlm(''), '31D6CFE0D16AE931B73C59D7E0C089C0');
  // NTLM hashes the UTF-16LE code units, so a non-ASCII password differs from its UTF-8 MD4
  assert.equal(passwordSha1('müller'), hex('sha1', 'müller').toUpperCase());
});

test('a reused NTLM hasher gives the same digest as a fresh one, password after password', async () => {
  const ntlm = await createNtlmHasher();
  for (const password of ['password', 'Welkom01!', 'müller', '🙂 emoji', '']) {
    assert.equal(ntlm(password), await passwordNtlm(password));
  }
  assert.equal(ntlm('password'), '8846F7EAEE8FB117AD06BDD830B7586C');
});

test('hash types are recognised from real values of each kind', async () => {
  const bcryptHash = await bcrypt({ password: 'password', salt: salt16, costFactor: 4, outputType: 'encoded' });
  const argon2Hash = await argon2id({ password: 'password', salt: salt16, parallelism: 1, iterations: 2, memorySize: 64, hashLength: 32, outputType: 'encoded' });
  const djangoHash = `pbkdf2_sha256$260000$c2FsdHNhbHQ$${pbkdf2Sync('password', 'c2FsdHNhbHQ', 1000, 32, 'sha256').toString('base64')}`;
  const table: Array<[string, string]> = [
    [hex('md5', 'password'), 'md5-or-ntlm'],
    ['8846F7EAEE8FB117AD06BDD830B7586C', 'md5-or-ntlm'],
    [hex('sha1', 'password'), 'sha1'],
    ['5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD8', 'sha1'],
    [hex('sha256', 'password'), 'sha256'],
    [hex('sha512', 'password'), 'sha512'],
    ['*2470C0C06DEE42FD1618BB99005ADCA2EC9D1E19', 'mysql'],
    [bcryptHash, 'bcrypt'],
    [bcryptHash.replace(/^\$2[ab]\$/, '$2y$'), 'bcrypt'],
    [bcryptHash.replace(/^\$2[ab]\$/, '$2a$'), 'bcrypt'],
    [argon2Hash, 'argon2'],
    ['$argon2i$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$wWKIMhR9lyDFvRz9YTZweHKfbftvj+qf+YFY4NeBbtA', 'argon2'],
    ['$P$984478476IagS59wHZvyQMArzfx58u.', 'phpass'],
    ['$H$9IQRaTwmfeRo7ud9Fh4E2PdI0S3r.L0', 'phpass'],
    ['$1$saltsalt$qjXMvbEw8oaL.CzflDugX/', 'md5crypt'],
    ['$5$saltstring$5B8vYYiY.CVt1RlTTf8KbXBH3hsxY/GNooZF4wbSVQ6', 'sha256crypt'],
    ['$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1', 'sha512crypt'],
    ['$6$rounds=10000$saltstringsaltst$OW1/O6BYHV6BcXZu8QVeXbDWra3Oeqh0sbHbbMCVNSnCM/UrjmM0Dp8vOuZeHBy/YTBmSK6H9qs/y3RnOaw5v.', 'sha512crypt'],
    [djangoHash, 'django-pbkdf2-sha256'],
    [`${hex('md5', 'password')}:x7Yq`, 'md5-or-ntlm-salted'],
    [`${hex('sha1', 'password')}:saltysalt`, 'sha1-salted'],
    [`${hex('sha256', 'password')}:a1b2`, 'sha256-salted'],
    [`${hex('sha512', 'password')}:s`, 'sha512-salted'],
    [`  ${hex('sha1', 'password')} `, 'sha1'],
  ];
  for (const [value, type] of table) assert.equal(recogniseHashType(value), type, value);
});

test('near misses of every hash kind are not taken for hashes', () => {
  const md5 = hex('md5', 'password');
  const nearMisses = [
    'password',
    '',
    md5.slice(1), // 31 hex digits
    md5 + 'a', // 33
    md5.slice(1) + 'g', // not hex
    hex('sha1', 'password').slice(2), // 38
    hex('sha256', 'password') + '0', // 65
    '*' + hex('sha1', 'password').slice(1), // MySQL with 39 hex
    '2470C0C06DEE42FD1618BB99005ADCA2EC9D1E19*',
    '$2a$10$tooshort',
    '$2c$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy', // no $2c$
    '$2a$1$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy', // one-digit cost
    '$argon2id$garbage',
    '$argon2x$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$wWKIMhR9lyDFvRz9YTZweHKfbftvj+qf+YFY4NeBbtA',
    '$P$984478476IagS59wHZvyQMArzfx58', // short
    '$Q$984478476IagS59wHZvyQMArzfx58u.',
    '$1$saltsalt$qjXMvbEw8oaL.CzflDugX', // 21 chars of hash
    '$1$toolongsalt$qjXMvbEw8oaL.CzflDugX/',
    '$6$saltstring$short',
    '$5$saltstring$5B8vYYiY.CVt1RlTTf8KbXBH3hsxY/GNooZF4wbSVQ6x',
    'pbkdf2_sha1$260000$salt$abc',
    'pbkdf2_sha256$abc$salt$' + 'A'.repeat(44),
    `${md5}:`, // empty salt
    `${md5}:two words`,
    `${md5}:${'s'.repeat(65)}`,
    `x${md5}:salt`,
    '$2y$10$ is what my password starts with',
  ];
  for (const value of nearMisses) assert.equal(recogniseHashType(value), undefined, value);
});

test('property: recognised values are exactly the hex digests of the four lengths, case-insensitively', () => {
  fc.assert(
    fc.property(fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEF'), minLength: 0, maxLength: 140 }), (value) => {
      const expected = new Map([[32, 'md5-or-ntlm'], [40, 'sha1'], [64, 'sha256'], [128, 'sha512']]).get(value.length);
      assert.equal(recogniseHashType(value), expected);
    }),
  );
  fc.assert(
    fc.property(fc.string({ maxLength: 40 }), (value) => {
      // recognition never throws and only names kinds it knows
      const type = recogniseHashType(value);
      assert.ok(type === undefined || typeof type === 'string');
    }),
  );
});
