import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ingest } from '../../src/ingest/pipeline.ts';
import { inferMapping, CsvMappingError } from '../../src/ingest/formats/csv.ts';
import { parseLooseTimestamp } from '../../src/ingest/timestamps.ts';
import { count, openTestStore, temporaryDirectory } from '../fixtures.ts';

test('a mapping is inferred from Dutch or English header names', () => {
  assert.deepEqual(inferMapping(['Datum', 'Afzender', 'Ontvanger', 'Bericht']).columns, { ts: 'Datum', from: 'Afzender', to: 'Ontvanger', body: 'Bericht' });
  assert.equal(inferMapping(['owner', 'handle', 'alias']).kind, 'contact');
  assert.throws(() => inferMapping(['a', 'b']), CsvMappingError);
});

test('loose timestamps are read in the day order asked for, and nonsense is refused', () => {
  assert.equal(parseLooseTimestamp('01-04-2020 12:34'), '2020-04-01T12:34:00');
  assert.equal(parseLooseTimestamp('4/1/2020 1:05 PM', 'mdy'), '2020-04-01T13:05:00');
  assert.equal(parseLooseTimestamp('1585744496'), '2020-04-01T12:34:56.000Z');
  assert.equal(parseLooseTimestamp('31-02-2020'), undefined);
  assert.equal(parseLooseTimestamp('tomorrow'), undefined);
});

test('a semicolon CSV with quoted multi-line bodies is ingested with line provenance; bad rows are quarantined', async () => {
  const dir = temporaryDirectory();
  const store = openTestStore(dir);
  const file = join(dir, 'sms.csv');
  writeFileSync(file, [
    'ID;Datum;Afzender;Ontvanger;Bericht',
    '1;01-04-2020 10:00;+31612345678;+31687654321;"regel een',
    'regel twee"',
    '2;niet een datum;+31612345678;+31687654321;hoi',
    '3;01-04-2020 10:05;;+31687654321;zonder afzender',
    '4;01-04-2020 10:06;+31687654321;+31612345678;"met ""quotes"" erin"',
  ].join('\r\n'));
  const report = await ingest({ store, paths: [file], dataset: 'sms' });
  assert.equal(report.sources[0]!.format, 'csv');
  assert.equal(report.messages, 2);
  assert.equal(report.quarantined, 2);
  const quarantine = await store.quarantine({ limit: 10, offset: 0 });
  assert.deepEqual(quarantine.entries.map((e) => e.line), [4, 5]);
  assert.match(quarantine.entries[0]!.reason, /cannot read time "niet een datum"/);
  assert.match(quarantine.entries[1]!.reason, /missing value for "from"/);
  const first = store.db.prepare(`SELECT body, line FROM messages WHERE ref = '1'`).get()!;
  assert.equal(first.body, 'regel een\r\nregel twee');
  assert.equal(first.line, 2);
  assert.equal(store.db.prepare(`SELECT body FROM messages WHERE ref = '4'`).get()!.body, 'met "quotes" erin');
  assert.equal((await ingest({ store, paths: [file], dataset: 'sms' })).messages, 0);
  assert.equal(await count(store, 'SELECT count(*) AS n FROM messages'), 2);
});

test('an explicit mapping reads columns the inference would not know', async () => {
  const dir = temporaryDirectory();
  const store = openTestStore(dir);
  const file = join(dir, 'x.csv');
  writeFileSync(file, 'wie,wat,wanneer\nalpha,eerste bericht,2020-04-01T10:00:00Z\nbeta,tweede,2020-04-01T11:00:00Z\n');
  const mapping = { kind: 'message', platform: 'sms', columns: { from: 'wie', body: 'wat', ts: 'wanneer' } };
  const report = await ingest({ store, paths: [file], dataset: 'x', mapping });
  assert.equal(report.messages, 2);
  const unmapped = await ingest({ store, paths: [file], dataset: 'y' });
  assert.equal(unmapped.sources[0]!.status, 'refused');
  assert.match(unmapped.sources[0]!.reason!, /cannot tell which CSV columns hold what \(columns: wie, wat, wanneer\)/);
});
