import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ingest } from '../../src/ingest/pipeline.ts';
import { groupDuplicates, type DuplicateCandidate } from '../../src/ingest/duplicates.ts';
import { fingerprintOf } from '../../src/ingest/prepare.ts';
import { tokenize } from '../../src/extract/tokens.ts';
import { message, openTestStore, temporaryDirectory, writeJsonl } from '../fixtures.ts';

const candidate = (id: string, tsMs: number | undefined, body = 'de lading komt morgen', sender = 'a', fingerprint = 1): DuplicateCandidate =>
  ({ id, dataset: 'd', sender, fingerprint, tsMs, body, source: 'f', line: 1 });

test('copies within the window group together; a resend hours later does not; undated copies group apart', () => {
  const groups = groupDuplicates([
    candidate('1', 0), candidate('2', 0), candidate('3', 90_000, 'De lading komt morgen!'),
    candidate('4', 10 * 3_600_000),
    candidate('5', undefined), candidate('6', undefined),
    candidate('7', 0, 'x', 'b'),
  ]);
  assert.deepEqual(groups.map((g) => [g.kind, g.items.map((i) => i.id)]), [['near', ['1', '2', '3']], ['exact', ['5', '6']]]);
  assert.equal(groupDuplicates([candidate('1', 0), candidate('2', 0)])[0]!.kind, 'exact');
});

test('the same chat from two converters (different ids) is stored twice and reported as duplicates, not merged', async () => {
  const dir = temporaryDirectory();
  const store = openTestStore(dir);
  const fromFirstTool = writeJsonl(join(dir, 'tool-a.jsonl'), [
    message('a-1', '2020-04-01T10:00:00Z', 'tapeworm', ['jaguar'], 'Breng de 10 stuks naar de loods'),
    message('a-2', '2020-04-01T10:05:00Z', 'jaguar', ['tapeworm'], 'ok'),
    message('a-3', '2020-04-01T10:06:00Z', 'jaguar', ['tapeworm'], '👍'),
  ]);
  const fromSecondTool = writeJsonl(join(dir, 'tool-b.jsonl'), [
    message('b-1', '2020-04-01T10:00:01Z', 'tapeworm', ['jaguar'], 'breng de 10 stuks naar de loods.'),
    message('b-2', '2020-04-01T10:05:00Z', 'jaguar', ['tapeworm'], 'ok'),
    message('b-3', '2020-04-01T10:06:00Z', 'jaguar', ['tapeworm'], '👍'),
    message('b-4', '2020-04-03T10:00:00Z', 'tapeworm', ['jaguar'], 'Breng de 10 stuks naar de loods'),
  ]);
  const report = await ingest({ store, paths: [fromFirstTool, fromSecondTool], dataset: 'phone' });
  assert.equal(report.messages, 7);
  const groups = groupDuplicates(await store.duplicateCandidates('phone'));
  assert.deepEqual(groups.map((g) => [g.kind, g.sender, g.items.length]).sort(), [['exact', 'jaguar', 2], ['near', 'tapeworm', 2]]);
  const near = groups.find((g) => g.kind === 'near')!;
  assert.deepEqual(near.items.map((i) => i.source.split('/').pop()), ['tool-a.jsonl', 'tool-b.jsonl']);
  assert.deepEqual(await store.duplicateCandidates('other'), []);
});

test('messages stored before fingerprints existed get theirs from reindex, and are then reported', async () => {
  const dir = temporaryDirectory();
  const store = openTestStore(dir);
  const file = writeJsonl(join(dir, 'a.jsonl'), [
    message('a-1', '2020-04-01T10:00:00Z', 'tapeworm', ['jaguar'], 'Breng de 10 stuks naar de loods'),
    message('b-1', '2020-04-01T10:00:30Z', 'tapeworm', ['jaguar'], 'breng de 10 stuks naar de loods!'),
  ]);
  await ingest({ store, paths: [file], dataset: 'old' });
  store.db.exec('UPDATE messages SET fingerprint = NULL');
  assert.deepEqual(groupDuplicates(await store.duplicateCandidates('old')), []);
  const result = await store.reindexEntities({
    toolrun: { component: 'test', version: '1' }, extract: () => [],
    fingerprint: (body) => fingerprintOf(tokenize(body)),
  });
  assert.equal(result.messages, 2);
  assert.equal(groupDuplicates(await store.duplicateCandidates('old')).length, 1);
});
