import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ingest } from '../../src/ingest/pipeline.ts';
import { detectFormat, looksBinary } from '../../src/ingest/formats/registry.ts';
import { randomBytes } from 'node:crypto';
import { count, message, openTestStore, temporaryDirectory, writeJsonl } from '../fixtures.ts';

const corpus = [
  { kind: 'account', platform: 'encrochat', handle: 'tapeworm', device: { imei: '356938035643809', model: 'Aquaris X2' } },
  { kind: 'contact', platform: 'encrochat', owner: 'tapeworm', handle: 'jaguar', alias: 'Mo kapper' },
  { kind: 'group', platform: 'encrochat', id: 'g-7', name: 'zuid', members: ['jaguar', 'tapeworm', 'ghost'] },
  message('e-1', '2020-04-01T12:34:56Z', 'tapeworm', ['jaguar'], 'hoeveel kilo heb je'),
  message('e-2', '2020-04-01T12:35:10Z', 'jaguar', ['tapeworm', 'ghost'], '10 kilo morgen', { group: 'g-7' }),
  { kind: 'note', platform: 'encrochat', owner: 'tapeworm', ts: '2020-04-02T08:00:00Z', body: 'prijs 28k' },
];

test('ingesting the same file twice adds nothing the second time', async () => {
  const dir = temporaryDirectory();
  const store = openTestStore(dir);
  const file = writeJsonl(join(dir, 'a.jsonl'), corpus);
  const first = await ingest({ store, paths: [file], dataset: 'd' });
  assert.equal(first.messages, 2);
  assert.equal(first.notes, 1);
  assert.equal(first.accounts, 3);
  assert.equal(first.contacts, 1);
  const second = await ingest({ store, paths: [file], dataset: 'd' });
  assert.equal(second.sources[0]!.status, 'already-ingested');
  assert.equal(second.messages + second.notes + second.accounts + second.contacts, 0);
  assert.equal(await count(store, 'SELECT count(*) AS n FROM messages'), 3);
  assert.equal(await count(store, 'SELECT count(*) AS n FROM message_fts'), 3);
});

test('two files holding the same source messages store each message once', async () => {
  const dir = temporaryDirectory();
  const store = openTestStore(dir);
  const a = writeJsonl(join(dir, 'a.jsonl'), corpus);
  const b = writeJsonl(join(dir, 'b.jsonl'), [...corpus.slice(3), message('e-3', '2020-04-03T10:00:00Z', 'ghost', ['jaguar'], 'nieuw')]);
  await ingest({ store, paths: [a], dataset: 'd' });
  const report = await ingest({ store, paths: [b], dataset: 'd' });
  assert.equal(report.messages, 1);
  assert.equal(report.duplicates, 2);
  assert.equal(await count(store, 'SELECT count(*) AS n FROM messages WHERE kind = 0'), 3);
});

test('every stored message keeps its provenance: source hash, line and byte offset', async () => {
  const dir = temporaryDirectory();
  const store = openTestStore(dir);
  const file = writeJsonl(join(dir, 'a.jsonl'), corpus);
  const report = await ingest({ store, paths: [file], dataset: 'd' });
  const row = store.db.prepare(`SELECT m.uid, m.line, m.byte_offset FROM messages m WHERE ref = 'e-2'`).get()!;
  const stored = await store.message(String(row.uid));
  const lines = corpus.map((r) => JSON.stringify(r));
  assert.equal(stored!.provenance.line, 5);
  assert.equal(stored!.provenance.offset, Buffer.byteLength(lines.slice(0, 4).join('\n')) + 1);
  assert.equal(stored!.provenance.sourceSha256, report.sources[0]!.sha256);
  assert.equal(stored!.to.join(','), 'tapeworm,ghost');
  assert.equal(stored!.group, 'g-7');
});

test('stable ids: the same file in a fresh store yields the same ids', async () => {
  const ids = [];
  for (let i = 0; i < 2; i++) {
    const dir = temporaryDirectory();
    const store = openTestStore(dir);
    await ingest({ store, paths: [writeJsonl(join(dir, 'a.jsonl'), corpus)], dataset: 'd' });
    ids.push(store.db.prepare('SELECT uid FROM messages ORDER BY uid').all().map((r) => r.uid));
  }
  assert.deepEqual(ids[0], ids[1]);
});

test('malformed lines are quarantined with line and reason; every good line around them is stored', async () => {
  const dir = temporaryDirectory();
  const store = openTestStore(dir);
  const huge = JSON.stringify(message('e-big', '2020-04-01T00:00:00Z', 'a', ['b'], 'x'.repeat(1_100_000)));
  const file = writeJsonl(join(dir, 'a.jsonl'), [
    message('e-1', '2020-04-01T00:00:01Z', 'a', ['b'], 'one'),
    '{"kind":"message", broken',
    message('e-2', '2020-04-01T00:00:02Z', 'a', ['b'], 'two'),
    '{"kind":"telemetry","x":1}',
    huge,
    '{"kind":"message","platform":"p","from":"a","ts":12,"body":"x"}',
    message('e-3', '2020-04-01T00:00:03Z', 'a', ['b'], 'three'),
  ]);
  const report = await ingest({ store, paths: [file], dataset: 'd' });
  assert.equal(report.messages, 3);
  assert.equal(report.quarantined, 4);
  assert.equal(report.sources[0]!.records, 7);
  const q = await store.quarantine({ limit: 10, offset: 0 });
  assert.deepEqual(q.entries.map((e) => e.line), [2, 4, 5, 6]);
  assert.match(q.entries[0]!.reason, /malformed JSON/);
  assert.match(q.entries[1]!.reason, /unknown kind "telemetry"/);
  assert.match(q.entries[2]!.reason, /line too long/);
  assert.match(q.entries[3]!.reason, /"ts" must be a string/);
  assert.ok(q.entries[2]!.excerpt.length <= 300);
});

test('files of a directory that are empty or not a known format are skipped and reported; named ones are refused; the rest is read', async () => {
  const dir = temporaryDirectory();
  const store = openTestStore(dir);
  const input = join(dir, 'input');
  mkdirSync(join(input, 'sub'), { recursive: true });
  writeJsonl(join(input, 'good.jsonl'), corpus);
  writeFileSync(join(input, 'empty.jsonl'), '');
  writeFileSync(join(input, 'sub', 'photo.bin'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3]));
  writeFileSync(join(input, 'readme.txt'), 'just some words\nno structure here\n');
  const named = join(dir, 'named.bin');
  writeFileSync(named, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3]));
  const report = await ingest({ store, paths: [input, join(dir, 'missing.jsonl'), named], dataset: 'd' });
  const byName = Object.fromEntries(report.sources.map((s) => [s.path.split('/').pop(), s]));
  assert.equal(byName['good.jsonl']!.status, 'ingested');
  assert.match(byName['empty.jsonl']!.reason!, /empty file/);
  assert.match(byName['photo.bin']!.reason!, /not a format Lode reads/);
  assert.match(byName['readme.txt']!.reason!, /not a format Lode reads/);
  assert.match(byName['missing.jsonl']!.reason!, /no such file/);
  assert.deepEqual(['empty.jsonl', 'photo.bin', 'readme.txt'].map((name) => byName[name]!.status), ['skipped', 'skipped', 'skipped']);
  assert.equal(byName['named.bin']!.status, 'refused');
  assert.equal(report.refused, 2);
  assert.equal(report.messages, 2);
});

test('an interrupted ingest keeps what it committed and a rerun continues to exact counts', async () => {
  const dir = temporaryDirectory();
  const store = openTestStore(dir);
  const records = Array.from({ length: 1000 }, (_, i) => message(`e-${i}`, new Date(Date.UTC(2020, 3, 1) + i * 60_000).toISOString(), `u${i % 7}`, [`u${(i + 1) % 7}`], `bericht ${i}`));
  const file = writeJsonl(join(dir, 'a.jsonl'), records);
  const controller = new AbortController();
  let batches = 0;
  const first = await ingest({
    store, paths: [file], dataset: 'd', batchRecords: 100, signal: controller.signal,
    onProgress: () => {
      batches += 1;
      if (batches === 3) controller.abort();
    },
  });
  assert.equal(first.interrupted, true);
  assert.equal(first.messages, 300);
  const second = await ingest({ store, paths: [file], dataset: 'd', batchRecords: 100 });
  assert.equal(second.sources[0]!.status, 'resumed');
  assert.equal(second.messages, 700);
  assert.equal(second.duplicates, 0);
  assert.equal(await count(store, 'SELECT count(*) AS n FROM messages'), 1000);
});

test('an account keeps its current device and the devices of its history', async () => {
  const dir = temporaryDirectory();
  const store = openTestStore(dir);
  const file = writeJsonl(join(dir, 'a.jsonl'), [
    {
      kind: 'account', platform: 'encrochat', handle: 'thor', device: { imei: '353971106528552', model: 'Aquaris X2' },
      devices: [{ imei: '358220089487427', model: 'Aquaris X Pro' }, { imei: '353971106528552', model: 'Aquaris X2', since: '2020-04-02T01:38:12Z' }],
    },
    { kind: 'account', platform: 'encrochat', handle: 'bad', devices: [{ imei: 7 }] },
  ]);
  const report = await ingest({ store, paths: [file], dataset: 'd' });
  assert.equal(report.quarantined, 1);
  const rows = store.db.prepare(`SELECT d.imei, ad.since FROM account_devices ad JOIN devices d ON d.id = ad.device_id ORDER BY d.imei`).all();
  assert.deepEqual(rows.map((r) => [r.imei, r.since]), [['353971106528552', '2020-04-02T01:38:12Z'], ['358220089487427', null]]);
});

test('binary files are no text format, however their bytes happen to fall', () => {
  for (let i = 0; i < 50; i++) assert.equal(detectFormat(randomBytes(4096).toString('utf8'), `/x/photo-${i}.jpg`), undefined);
  assert.ok(looksBinary('PK\u0003\u0004\u0000\u0000binary'));
  assert.ok(!looksBinary('jan@x.nl:wachtwoord\npiet@y.nl:geheim\n'));
  assert.ok(!looksBinary('Dag 👋, café om 12:00?\n'.repeat(50)));
});
