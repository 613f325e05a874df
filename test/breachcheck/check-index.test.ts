import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { createMD4 } from 'hash-wasm';
import type { BreachMeta } from '../../src/breachcheck/breaches.ts';
import { exposureEntry, type PublishEntry } from '../../src/breachcheck/check-index.ts';
import { keyedDigest, normaliseCheckEmail } from '../../src/breachcheck/keyed-identifier.ts';
import { rangeKey } from '../../src/breachcheck/range.ts';
import { openSqliteCheckIndex } from '../../src/store/sqlite/check-index.ts';
import { openTestStore, temporaryDirectory } from '../fixtures.ts';

const KEY = new Uint8Array(32).fill(7);
const AT = '2026-03-01T10:00:00.000Z';
const LATER = '2026-03-08T10:00:00.000Z';

const digestOf = (address: string) => keyedDigest(KEY, normaliseCheckEmail(address)!);
const sha1 = (password: string) => createHash('sha1').update(password).digest('hex').toUpperCase();
// OpenSSL 3 has no MD4 by default; hash-wasm's is what ingest uses for NTLM
const md4 = await createMD4();
const ntlm = (password: string) => md4.init().update(Buffer.from(password, 'utf16le')).digest('hex').toUpperCase();

const MARKET: BreachMeta = { name: 'NightMarket', title: 'Night Market', domain: 'nightmarket.example', breachDate: '2024-11-05', dataset: 'op-nightfall' };
const FORUM: BreachMeta = { name: 'OldForum', title: 'Old Forum', breachDate: '2019-03-01', dataset: 'op-forum', sensitive: true };

function entry(address: string | undefined, dataClasses: string[], password?: string): PublishEntry {
  return {
    ...(address !== undefined && { digest: digestOf(address) }),
    dataClasses,
    ...(password !== undefined && { sha1: sha1(password), ntlm: ntlm(password) }),
  };
}

const MARKET_ENTRIES = [
  entry('jan@example.nl', ['email', 'password', 'ip'], 'hunter2'),
  entry('piet@example.nl', ['email', 'password'], 'welkom01'),
  entry('Jan@Example.NL', ['email', 'phone']),
  entry(undefined, ['username', 'password'], 'hunter2'),
];
const FORUM_ENTRIES = [
  entry('jan@example.nl', ['email', 'username', 'password-hash'], 'hunter2'),
  entry('klaas@example.nl', ['email'], 'qwerty'),
];

async function* slowly<T>(items: readonly T[], pause: () => Promise<void> = () => Promise.resolve()): AsyncGenerator<T> {
  for (const item of items) {
    await pause();
    yield item;
  }
}

async function published(dir = temporaryDirectory()) {
  const index = openSqliteCheckIndex(join(dir, 'check.sqlite'));
  const market = await index.publish(MARKET, slowly(MARKET_ENTRIES), AT);
  const forum = await index.publish(FORUM, FORUM_ENTRIES, AT);
  return { index, dir, market, forum };
}

test('publication counts distinct identifiers and the entries carrying each hash', async () => {
  const { index, market, forum } = await published();
  assert.deepEqual(market, { identifiers: 2, sha1: 3, ntlm: 3 });
  assert.deepEqual(forum, { identifiers: 2, sha1: 2, ntlm: 2 });
  const breach = await index.breach('NightMarket');
  assert.equal(breach?.PwnCount, 2);
  assert.deepEqual(breach?.DataClasses, ['Email addresses', 'IP addresses', 'Passwords', 'Phone numbers', 'Usernames']);
  assert.equal(breach?.AddedDate, '2026-03-01T10:00:00Z');
  await index.close();
});

test('an address in two breaches has a finding in each, oldest first, with the classes exposed with it there', async () => {
  const { index } = await published();
  assert.deepEqual(await index.findings(digestOf('  JAN@example.nl ')), [
    { breach: 'OldForum', title: 'Old Forum', breachDate: '2019-03-01', dataClasses: ['Email addresses', 'Passwords', 'Usernames'] },
    // listed twice in the market: one identifier with the union of both entries' classes
    { breach: 'NightMarket', title: 'Night Market', breachDate: '2024-11-05', dataClasses: ['Email addresses', 'IP addresses', 'Passwords', 'Phone numbers'] },
  ]);
  assert.deepEqual((await index.findings(digestOf('piet@example.nl'))).map((f) => f.breach), ['NightMarket']);
  assert.deepEqual(await index.findings(digestOf('nobody@example.nl')), []);
  assert.deepEqual(await index.findings(keyedDigest(new Uint8Array(32).fill(8), 'jan@example.nl')), [], 'another key finds nothing');
  await index.close();
});

test('a range sums a password over breaches, per mode, sorted by suffix', async () => {
  const { index } = await published();
  const hunter = rangeKey('sha1', sha1('hunter2'))!;
  const rows = await index.range('sha1', hunter.prefix);
  // twice in the market (with and without an address), once in the forum
  assert.deepEqual(rows.find((r) => r.suffix === hunter.suffix), { suffix: hunter.suffix, count: 3 });
  assert.deepEqual(rows.map((r) => r.suffix), rows.map((r) => r.suffix).sort());
  const hunterNtlm = rangeKey('ntlm', ntlm('hunter2'))!;
  assert.deepEqual(await index.range('ntlm', hunterNtlm.prefix), [{ suffix: hunterNtlm.suffix, count: 3 }]);
  const qwerty = rangeKey('sha1', sha1('qwerty'))!;
  assert.deepEqual(await index.range('sha1', qwerty.prefix), [{ suffix: qwerty.suffix, count: 1 }]);
  assert.deepEqual(await index.range('sha1', (hunter.prefix + 1) % 0x100000), []);
  await assert.rejects(index.range('sha1', 0x100000), /prefix/);
  await index.close();
});

test('a range holding several suffixes lists each once, in order', async () => {
  const index = openSqliteCheckIndex(join(temporaryDirectory(), 'check.sqlite'));
  const suffixes = ['F'.repeat(35), '0'.repeat(35), 'A'.repeat(35)];
  await index.publish(MARKET, suffixes.map((s) => ({ dataClasses: ['password'], sha1: `ABCDE${s}` })), AT);
  await index.publish(FORUM, [{ dataClasses: ['password'], sha1: `abcde${'a'.repeat(35)}` }], AT);
  assert.deepEqual(await index.range('sha1', 0xabcde), [
    { suffix: '0'.repeat(35), count: 1 }, { suffix: 'A'.repeat(35), count: 2 }, { suffix: 'F'.repeat(35), count: 1 },
  ]);
  await index.close();
});

test('unpublishing removes exactly one breach: its findings, its share of the ranges, its listing', async () => {
  const { index } = await published();
  assert.equal(await index.unpublish('nightmarket'), true);
  assert.deepEqual((await index.findings(digestOf('jan@example.nl'))).map((f) => f.breach), ['OldForum']);
  assert.deepEqual(await index.findings(digestOf('piet@example.nl')), []);
  const hunter = rangeKey('sha1', sha1('hunter2'))!;
  assert.deepEqual((await index.range('sha1', hunter.prefix)).find((r) => r.suffix === hunter.suffix), { suffix: hunter.suffix, count: 1 });
  const welkom = rangeKey('sha1', sha1('welkom01'))!;
  assert.equal((await index.range('sha1', welkom.prefix)).some((r) => r.suffix === welkom.suffix), false);
  assert.deepEqual((await index.breaches()).map((b) => b.Name), ['OldForum']);
  assert.deepEqual(await index.dataClasses(), ['Email addresses', 'Passwords', 'Usernames']);
  assert.equal(await index.breach('NightMarket'), undefined);
  assert.equal(await index.unpublish('NightMarket'), false);
  await index.close();
});

test('an unpublished breach leaves no digest of its own behind in the file', async () => {
  const { index, dir } = await published();
  const onlyInMarket = digestOf('piet@example.nl');
  await index.unpublish('NightMarket');
  await index.close();
  const bytes = readFileSync(join(dir, 'check.sqlite'));
  assert.equal(bytes.indexOf(onlyInMarket), -1);
  assert.notEqual(bytes.indexOf(digestOf('klaas@example.nl')), -1, 'the remaining breach is still there');
});

test('publishing a breach again replaces its rows rather than adding to them, and keeps its added date', async () => {
  const { index } = await published();
  const counts = await index.publish({ ...MARKET, name: 'NIGHTMARKET', title: 'Night Market (corrected)' }, [entry('piet@example.nl', ['email'], 'welkom01')], LATER);
  assert.deepEqual(counts, { identifiers: 1, sha1: 1, ntlm: 1 });
  const breach = await index.breach('nightMarket');
  assert.equal(breach?.Name, 'NIGHTMARKET');
  assert.equal(breach?.Title, 'Night Market (corrected)');
  assert.equal(breach?.PwnCount, 1);
  assert.deepEqual(breach?.DataClasses, ['Email addresses']);
  assert.equal(breach?.AddedDate, '2026-03-01T10:00:00Z');
  assert.equal(breach?.ModifiedDate, '2026-03-08T10:00:00Z');
  assert.equal((await index.breaches()).length, 2);
  assert.deepEqual((await index.findings(digestOf('jan@example.nl'))).map((f) => f.breach), ['OldForum']);
  assert.deepEqual(await index.findings(digestOf('piet@example.nl')), [{ breach: 'NIGHTMARKET', title: 'Night Market (corrected)', breachDate: '2024-11-05', dataClasses: ['Email addresses'] }]);
  const welkom = rangeKey('sha1', sha1('welkom01'))!;
  assert.deepEqual((await index.range('sha1', welkom.prefix)).find((r) => r.suffix === welkom.suffix)?.count, 1);
  const hunter = rangeKey('sha1', sha1('hunter2'))!;
  assert.deepEqual((await index.range('sha1', hunter.prefix)).find((r) => r.suffix === hunter.suffix)?.count, 1);
  await index.close();
});

test('a breach is found by name in any case, and listed by domain in any case', async () => {
  const { index } = await published();
  assert.equal((await index.breach('NIGHTMARKET'))?.Name, 'NightMarket');
  assert.equal((await index.breach('oldforum'))?.IsSensitive, true);
  assert.equal(await index.breach('Night'), undefined);
  assert.deepEqual((await index.breaches('NightMarket.Example')).map((b) => b.Name), ['NightMarket']);
  assert.deepEqual(await index.breaches('other.example'), []);
  assert.deepEqual((await index.breaches()).map((b) => [b.Name, b.Domain]), [['NightMarket', 'nightmarket.example'], ['OldForum', '']]);
  assert.deepEqual(await index.dataClasses(), ['Email addresses', 'IP addresses', 'Passwords', 'Phone numbers', 'Usernames']);
  await index.close();
});

test('neither the file nor its WAL holds an address or its local part', async () => {
  const dir = temporaryDirectory();
  const addresses = ['jan@example.nl', 'piet@example.nl', 'klaas@example.nl', 'marieke.de.vries@voorbeeld-provider.nl'];
  const index = openSqliteCheckIndex(join(dir, 'check.sqlite'));
  await index.publish(MARKET, addresses.map((a) => entry(a, ['email', 'password'], `${a.split('@')[0]}123`)), AT);
  const files = [join(dir, 'check.sqlite'), join(dir, 'check.sqlite-wal')].filter(existsSync);
  const check = () => {
    const bytes = Buffer.concat(files.filter(existsSync).map((f) => readFileSync(f)));
    assert.ok(bytes.length > 0);
    for (const address of addresses) {
      for (const needle of [address, address.split('@')[0]!]) {
        for (const encoding of ['utf8', 'utf16le'] as const) assert.equal(bytes.indexOf(Buffer.from(needle, encoding)), -1, `${needle} (${encoding})`);
      }
    }
    // what it holds instead: the keyed digest
    assert.notEqual(bytes.indexOf(digestOf('marieke.de.vries@voorbeeld-provider.nl')), -1);
  };
  assert.equal(files.length, 2, 'the WAL is there to be read');
  check();
  await index.close();
  check();
});

test('a publication that fails half-way leaves the previous one as it was', async () => {
  const { index } = await published();
  async function* failing(): AsyncGenerator<PublishEntry> {
    yield entry('new@example.nl', ['email']);
    throw new Error('the analyst store went away');
  }
  await assert.rejects(index.publish(MARKET, failing(), LATER), /went away/);
  assert.deepEqual(await index.findings(digestOf('new@example.nl')), []);
  assert.equal((await index.breach('NightMarket'))?.PwnCount, 2);
  assert.equal((await index.breach('NightMarket'))?.ModifiedDate, '2026-03-01T10:00:00Z');
  await assert.rejects(index.publish(FORUM, [{ digest: Buffer.from('jan@example.nl'), dataClasses: ['email'] }], LATER), /32 bytes/);
  await assert.rejects(index.publish(FORUM, [{ dataClasses: ['password'], sha1: 'ABC' }], LATER), /not a sha1 hash/);
  await assert.rejects(index.publish({ ...FORUM, name: 'Old Forum' }, [], LATER), /name must be 1 to 64 letters/);
  assert.equal((await index.breach('OldForum'))?.PwnCount, 2);
  // the index still writes after the failures
  assert.equal((await index.publish(FORUM, [entry('klaas@example.nl', ['email'])], LATER)).identifiers, 1);
  await index.close();
});

test('readers see the last committed publication while a new one is being written', async () => {
  const { index } = await published();
  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => { release = resolve; });
  let started: () => void = () => undefined;
  const writing = new Promise<void>((resolve) => { started = resolve; });
  // enough entries that the first batch is written to the file before the pause
  async function* held(): AsyncGenerator<PublishEntry> {
    yield entry('new@example.nl', ['email']);
    for (let i = 0; i < 12_000; i++) yield entry(`user${i}@example.nl`, ['email']);
    started();
    await gate;
    yield entry('newer@example.nl', ['email']);
  }
  const publication = index.publish(MARKET, held(), LATER);
  await writing;
  assert.deepEqual(await index.findings(digestOf('new@example.nl')), []);
  assert.equal((await index.breach('NightMarket'))?.PwnCount, 2);
  // a write asked for meanwhile waits its turn instead of failing
  const unpublished = index.unpublish('OldForum');
  release();
  assert.deepEqual(await publication, { identifiers: 12_002, sha1: 0, ntlm: 0 });
  assert.equal(await unpublished, true);
  assert.deepEqual((await index.findings(digestOf('newer@example.nl'))).map((f) => f.breach), ['NightMarket']);
  assert.deepEqual((await index.breaches()).map((b) => b.Name), ['NightMarket']);
  await index.close();
});

test('the index survives a reopen, keeps its schema version, and refuses an analyst store', async () => {
  const { index, dir } = await published();
  await index.close();
  const again = openSqliteCheckIndex(join(dir, 'check.sqlite'));
  assert.equal((await again.findings(digestOf('jan@example.nl'))).length, 2);
  await again.close();
  const db = new DatabaseSync(join(dir, 'check.sqlite'));
  assert.deepEqual(db.prepare('SELECT version FROM check_schema').all().map((r) => r.version), [1]);
  assert.equal(db.prepare('PRAGMA journal_mode').get()?.journal_mode, 'wal');
  db.close();
  const analystDir = temporaryDirectory();
  await openTestStore(analystDir).close();
  assert.throws(() => openSqliteCheckIndex(join(analystDir, 'lode.sqlite')), /analyst store/);
});

test('an exposure becomes an entry under the digest the check page computes', () => {
  const published = exposureEntry({ kind: 'exposure', platform: 'forum', identifier: ' Jan@Example.NL', identifierType: 'email', dataClasses: ['email', 'password'], passwordSha1: sha1('hunter2') }, KEY);
  assert.deepEqual(published, { digest: digestOf('jan@example.nl'), dataClasses: ['email', 'password'], sha1: sha1('hunter2') });
  const username = exposureEntry({ kind: 'exposure', platform: 'forum', identifier: 'janneman', identifierType: 'username', dataClasses: ['username', 'password'], passwordNtlm: ntlm('x') }, KEY);
  assert.deepEqual(username, { dataClasses: ['username', 'password'], ntlm: ntlm('x') });
});

test('an in-memory index works for tests of the routes', async () => {
  const index = openSqliteCheckIndex(':memory:');
  await index.publish(MARKET, MARKET_ENTRIES, AT);
  assert.equal((await index.findings(digestOf('piet@example.nl'))).length, 1);
  await index.close();
});
