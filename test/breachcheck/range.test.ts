import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { pwnedPassword, pwnedPasswordRange } from 'hibp';
import { formatRange, hashLength, parseRangeMode, parseRangePrefix, rangeKey, rangePrefixText, type RangeRow } from '../../src/breachcheck/range.ts';
import { seededRandom } from './seeded-random.ts';

const HEX = '0123456789abcdefABCDEF'.split('');
const hexString = (length: number) => fc.array(fc.constantFrom(...HEX), { minLength: length, maxLength: length }).map((c) => c.join(''));

test('any 5-hex prefix in any case parses to its number and prints back in upper case', () => {
  fc.assert(fc.property(hexString(5), (text) => {
    const prefix = parseRangePrefix(text);
    assert.equal(prefix, Number.parseInt(text, 16));
    assert.ok(prefix! >= 0 && prefix! <= 0xfffff);
    assert.equal(rangePrefixText(prefix!), text.toUpperCase());
  }));
  assert.equal(parseRangePrefix('00000'), 0);
  assert.equal(parseRangePrefix('fffff'), 0xfffff);
});

test('anything but exactly five hex characters is refused', () => {
  fc.assert(fc.property(fc.string({ maxLength: 12 }), (text) => {
    fc.pre(!/^[0-9a-fA-F]{5}$/.test(text));
    assert.equal(parseRangePrefix(text), undefined);
  }));
  for (const bad of ['', '1234', '123456', '1234g', ' 1234', '1234 ', '0x123', '12 34', '１２３４５', '-1234', '+1234']) assert.equal(parseRangePrefix(bad), undefined, bad);
});

test('the mode is sha1 when absent, sha1 or ntlm in any case, and refused otherwise', () => {
  assert.equal(parseRangeMode(undefined), 'sha1');
  assert.equal(parseRangeMode('SHA1'), 'sha1');
  assert.equal(parseRangeMode('Ntlm'), 'ntlm');
  for (const bad of ['', 'md5', 'sha-1', 'sha256', ' ntlm', 'ntlm2']) assert.equal(parseRangeMode(bad), undefined, bad);
  assert.equal(hashLength('sha1'), 40);
  assert.equal(hashLength('ntlm'), 32);
});

test('a full hash splits into its prefix and upper-case suffix; a wrong length is no hash', () => {
  assert.deepEqual(rangeKey('sha1', '5baa61e4c9b93f3f0682250b6cf8331b7ee68fd8'), { prefix: 0x5baa6, suffix: '1E4C9B93F3F0682250B6CF8331B7EE68FD8' });
  assert.deepEqual(rangeKey('ntlm', '8846F7EAEE8FB117AD06BDD830B7586C'), { prefix: 0x8846f, suffix: '7EAEE8FB117AD06BDD830B7586C' });
  assert.equal(rangeKey('ntlm', '5baa61e4c9b93f3f0682250b6cf8331b7ee68fd8'), undefined);
  assert.equal(rangeKey('sha1', 'z'.repeat(40)), undefined);
});

test('rows are upper-case SUFFIX:COUNT, sorted, joined by CRLF with no trailing CRLF', () => {
  const body = formatRange([
    { suffix: 'ffffffffffffffffffffffffffffffffff0', count: 2 },
    { suffix: '0000000000000000000000000000000000a', count: 7 },
    { suffix: 'A000000000000000000000000000000000B', count: 1 },
  ], { mode: 'sha1', padding: false });
  assert.equal(body, '0000000000000000000000000000000000A:7\r\nA000000000000000000000000000000000B:1\r\nFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF0:2');
  assert.equal(formatRange([], { mode: 'sha1', padding: false }), '');
});

test('a suffix of the wrong length for the mode is a bug, not a row', () => {
  assert.throws(() => formatRange([{ suffix: 'A'.repeat(35), count: 1 }], { mode: 'ntlm', padding: false }), /not a ntlm suffix/);
  assert.throws(() => formatRange([{ suffix: 'A'.repeat(35), count: -1 }], { mode: 'sha1', padding: false }), /not a count/);
});

const realRows = (mode: 'sha1' | 'ntlm', maxLength: number) => fc.uniqueArray(
  fc.record({ suffix: hexString(hashLength(mode) - 5).map((s) => s.toUpperCase()), count: fc.integer({ min: 1, max: 1_000_000 }) }),
  { selector: (r) => r.suffix, maxLength },
);

test('padding brings every answer to 800-1,000 rows of count 0, interleaved in order, every real row intact', () => {
  fc.assert(fc.property(fc.constantFrom('sha1' as const, 'ntlm' as const), fc.integer(), fc.integer({ min: 0, max: 850 }), (mode, seed, size) => {
    const rows = fc.sample(realRows(mode, size), { numRuns: 1, seed })[0]!;
    const lines = formatRange(rows, { mode, padding: true, random: seededRandom(seed) }).split('\r\n');
    const parsed = lines.map((line) => {
      const match = /^([0-9A-F]+):(\d+)$/.exec(line);
      assert.ok(match, line);
      assert.equal(match[1]!.length, hashLength(mode) - 5);
      return { suffix: match[1]!, count: Number(match[2]) };
    });
    const real = new Map(rows.map((r) => [r.suffix, r.count]));
    assert.ok(parsed.length >= Math.max(800, rows.length) && parsed.length <= Math.max(800, rows.length) + 200, `${parsed.length} rows for ${rows.length}`);
    assert.deepEqual(parsed.map((r) => r.suffix), parsed.map((r) => r.suffix).sort());
    assert.equal(new Set(parsed.map((r) => r.suffix)).size, parsed.length);
    for (const row of parsed) assert.equal(row.count, real.get(row.suffix) ?? 0);
    assert.equal(parsed.filter((r) => r.count > 0).length, rows.length);
  }), { numRuns: 40 });
});

test('the padded size is spread over the whole 800-1,000 range, not fixed', () => {
  const random = seededRandom(7);
  const sizes = Array.from({ length: 200 }, () => formatRange([], { mode: 'sha1', padding: true, random }).split('\r\n').length);
  assert.ok(Math.min(...sizes) >= 800 && Math.max(...sizes) <= 1000);
  assert.ok(Math.max(...sizes) - Math.min(...sizes) > 150, `sizes ${Math.min(...sizes)}..${Math.max(...sizes)}`);
});

test('a padding suffix that collides with a real one is drawn again, never overwriting its count', () => {
  const real = '0'.repeat(35);
  // a source that offers the real suffix first: 0 for every draw until the padding has tried it
  let draws = 0;
  const colliding = (below: number) => (draws++ < 8 ? 0 : seededRandom(draws)(below));
  const lines = formatRange([{ suffix: real, count: 5 }], { mode: 'sha1', padding: true, random: colliding }).split('\r\n');
  assert.ok(lines.includes(`${real}:5`));
  assert.equal(lines.filter((l) => l.startsWith(real)).length, 1);
});

test('the hibp client reads our answers, padded or not, SHA-1 and NTLM', async () => {
  const password = 'correct horse battery staple';
  const sha1 = createHash('sha1').update(password).digest('hex').toUpperCase();
  const held: Record<string, RangeRow[]> = { [sha1.slice(0, 5)]: [{ suffix: sha1.slice(5), count: 42 }, { suffix: 'F'.repeat(35), count: 3 }] };
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const prefix = url.pathname.split('/').pop() ?? '';
    const mode = parseRangeMode(url.searchParams.get('mode') ?? undefined);
    if (parseRangePrefix(prefix) === undefined || !mode) {
      response.writeHead(400).end('The hash prefix was not in a valid format');
      return;
    }
    const rows = mode === 'sha1' ? held[prefix.toUpperCase()] ?? [] : [{ suffix: 'A'.repeat(27), count: 9 }];
    response.writeHead(200, { 'content-type': 'text/plain' }).end(formatRange(rows, { mode, padding: request.headers['add-padding'] === 'true' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    assert.equal(await pwnedPassword(password, { baseUrl }), 42);
    assert.equal(await pwnedPassword(password, { baseUrl, addPadding: true }), 42);
    assert.equal(await pwnedPassword('not in the set', { baseUrl, addPadding: true }), 0);
    const padded = await pwnedPasswordRange(sha1.slice(0, 5), { baseUrl, addPadding: true });
    assert.equal(padded[sha1.slice(5)], 42);
    assert.equal(padded['F'.repeat(35)], 3);
    assert.ok(Object.keys(padded).length >= 800);
    assert.equal(Object.values(padded).filter((count) => count > 0).length, 2);
    const ntlm = await pwnedPasswordRange('ABCDE', { baseUrl, mode: 'ntlm' });
    assert.deepEqual(ntlm, { ['A'.repeat(27)]: 9 });
  } finally {
    server.close();
  }
});
