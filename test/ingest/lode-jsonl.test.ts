import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseLodeLine } from '../../src/ingest/formats/lode-jsonl.ts';
import { lodeJsonl } from '../../src/ingest/formats/lode-jsonl.ts';
import { join } from 'node:path';
import { ingest } from '../../src/ingest/pipeline.ts';
import { openTestStore, temporaryDirectory, writeJsonl } from '../fixtures.ts';

test('a message line becomes a message record, its id kept as the source reference', () => {
  const record = parseLodeLine(JSON.stringify({ kind: 'message', platform: 'encrochat', id: 'e-1', ts: '2020-04-01T12:34:56Z', from: 'a', to: ['b'], body: 'hoi' }));
  assert.deepEqual(record, { kind: 'message', platform: 'encrochat', ref: 'e-1', ts: '2020-04-01T12:34:56Z', from: 'a', to: ['b'], group: undefined, body: 'hoi', lang: undefined, attachments: undefined, extra: undefined });
});

test('unknown fields are kept as extra, not dropped', () => {
  const record = parseLodeLine('{"kind":"account","platform":"p","handle":"h","colour":"red"}');
  assert.equal(typeof record, 'object');
  assert.deepEqual((record as { extra: unknown }).extra, { colour: 'red' });
});

test('every kind of bad line gets a reason that names the problem', () => {
  const cases: [string, RegExp][] = [
    ['{"kind":"message", broken', /malformed JSON/],
    ['[1,2]', /not a JSON object/],
    ['{"platform":"p"}', /missing required field "kind"/],
    ['{"kind":"telemetry"}', /unknown kind "telemetry"/],
    ['{"kind":"message","platform":"p","body":"x"}', /missing required field "from"/],
    ['{"kind":"message","platform":"p","from":"a","ts":12,"body":"x"}', /field "ts" must be a string, got number 12/],
    ['{"kind":"message","platform":"p","from":"a","ts":"yesterday","body":"x"}', /ISO 8601/],
    ['{"kind":"message","platform":"p","from":"a","to":[1],"body":"x"}', /"to" must be an array of strings/],
    ['{"kind":"contact","platform":"p","owner":"a"}', /missing required field "handle"/],
    ['{"kind":"message","platform":"p","from":"  ","body":"x"}', /"from" must not be empty/],
  ];
  for (const [line, reason] of cases) {
    const result = parseLodeLine(line);
    assert.equal(typeof result, 'string', line);
    assert.match(result as string, reason, line);
  }
});

test('arbitrary text never throws out of the line parser', () => {
  fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => {
    const result = parseLodeLine(text);
    assert.ok(typeof result === 'string' || typeof result === 'object');
  }), { numRuns: 2000 });
});

test('arbitrary JSON values never throw out of the line parser', () => {
  const kinds = fc.constantFrom('message', 'account', 'contact', 'note', 'group', 'event', 'other');
  const value = fc.record({ kind: kinds }, { requiredKeys: [] });
  fc.assert(fc.property(fc.tuple(value, fc.dictionary(fc.constantFrom('platform', 'from', 'to', 'body', 'ts', 'handle', 'owner', 'id', 'members', 'fields', 'attachments', 'device'), fc.jsonValue())), ([base, extra]) => {
    const result = parseLodeLine(JSON.stringify({ ...base, ...extra }));
    assert.ok(typeof result === 'string' || typeof result === 'object');
  }), { numRuns: 3000 });
});

test('detection recognises lode-jsonl by content and rejects other text', () => {
  assert.ok(lodeJsonl.detect('{"kind":"message","from":"a"}\n{"kind":"account"}\n', 'x.dat') >= 0.9);
  assert.equal(lodeJsonl.detect('date,from,body\n2020-01-01,a,hi\n', 'x.jsonl'), 0);
  assert.equal(lodeJsonl.detect('hello world\n', 'notes.txt'), 0);
});

test('credential exposures are stored once per identifier and password, with hashes upper-cased and e-mails folded', async () => {
  const dir = temporaryDirectory();
  const store = openTestStore(dir);
  const exposure = (identifier: string, more: object = {}) => ({ kind: 'exposure', platform: 'leakforum', identifier, dataClasses: ['email', 'password'], ...more });
  const first = writeJsonl(join(dir, 'a.jsonl'), [
    exposure('Joe@Example.NL ', { passwordSha1: '5baa61e4c9b93f3f0682250b6cf8331b7ee68fd8' }),
    exposure('joe@example.nl', { passwordSha1: '5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD8' }),
    exposure('ann@example.nl', { hashType: 'bcrypt', dataClasses: ['email', 'password-hash'] }),
    exposure('bad@example.nl', { passwordSha1: 'not-hex' }),
    exposure('user42', { identifierType: 'handle' }),
  ]);
  const second = writeJsonl(join(dir, 'b.jsonl'), [exposure('JOE@example.nl', { passwordSha1: '5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD8' })]);
  const report = await ingest({ store, paths: [first, second], dataset: 'leak' });
  assert.equal(report.exposures, 2);
  assert.equal(report.quarantined, 2);
  const rows = store.db.prepare('SELECT identifier, password_sha1, hash_type, data_classes, line FROM exposures ORDER BY identifier').all();
  assert.deepEqual(rows.map((r) => [r.identifier, r.password_sha1, r.hash_type, r.line]), [
    ['ann@example.nl', null, 'bcrypt', 3],
    ['joe@example.nl', '5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD8', null, 1],
  ]);
  const reasons = (await store.quarantine({ limit: 10, offset: 0 })).entries.map((e) => e.reason);
  assert.deepEqual(reasons, ['field "passwordSha1" must be 40 hex digits', 'field "identifierType" must be one of email, username, phone']);
  assert.equal((await store.summarise())[0]!.exposures, 2);
});
