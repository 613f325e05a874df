import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { ingest } from '../../../src/ingest/pipeline.ts';
import { siteCsv } from '../../../src/ingest/formats/site-csv.ts';
import { csv } from '../../../src/ingest/formats/csv.ts';
import { detectFormat } from '../../../src/ingest/formats/registry.ts';
import type { ReadItem } from '../../../src/model/records.ts';
import { count, openTestStore, temporaryDirectory } from '../../fixtures.ts';

function siteExport(): string {
  const dir = join(temporaryDirectory(), 'darkshop');
  mkdirSync(dir);
  // payments.csv sorts before users.csv: the reader must look the users up itself
  writeFileSync(join(dir, 'payments.csv'), [
    'id,user_id,amount,currency,paid_at',
    '1,2,19.99,EUR,2020-04-01 10:00:00',
    '2,1,"1,50",BTC,\\N',
    '3,77,5.00,EUR,NULL',
    '4,1,oops',
  ].join('\r\n') + '\r\n');
  writeFileSync(join(dir, 'users.csv'), [
    'id,username,email,password,last_ip,created_at',
    '1,kingpin,KingPin@Proton.me,"s3cret,pass",185.220.101.4,2019-12-01 08:00:00',
    '2,"o""neil",oneil@example.org,$2y$10$abcdefghijklmnopqrstuuG7qx5aFMbnXvB0nhUQ1qWcW2vTzsRz6,\\N,2020-01-15 20:30:00',
  ].join('\n') + '\n');
  return dir;
}

async function readAll(path: string, mapping?: unknown): Promise<ReadItem[]> {
  const items: ReadItem[] = [];
  for await (const item of siteCsv.read({ path, from: { line: 1, offset: 0 }, options: { mapping } })) items.push(item);
  return items;
}

test('site tables are claimed over the generic CSV reader; ordinary CSV files are not', () => {
  const users = 'id,username,email,password\n1,a,a@b.c,x\n';
  assert.ok(siteCsv.detect(users, '/x/users.csv') > csv.detect(users, '/x/users.csv'));
  assert.equal(detectFormat(users, '/x/users.csv')?.name, 'site-csv');
  assert.equal(detectFormat('id,user_id,amount\n1,2,3\n', '/x/payments.csv')?.name, 'site-csv');
  assert.equal(detectFormat('uid,total,when\n1,2,3\n', '/x/stuff.csv')?.name, 'site-csv');
  for (const [head, path] of [
    ['ID;Datum;Afzender;Ontvanger;Bericht\n1;01-04-2020 10:00;a;b;hoi\n', 'sms.csv'],
    ['wie,wat,wanneer\nalpha,eerste bericht,2020-04-01T10:00:00Z\n', 'x.csv'],
    ['from,to,body\na,b,hoi\n', 'b.csv'],
    ['owner,handle,alias\na,b,c\n', 'contacts.csv'],
    ['handle,name\nalpha,Alpha\n', 'users.csv'],
    ['{"kind":"message","platform":"x","from":"a","body":"b"}\n', 'x.jsonl'],
  ]) assert.equal(siteCsv.detect(head!, path!), 0, `${path} is not a site table`);
});

test('payments resolve their user through the sibling users.csv; accounts yield exposures, no cleartext', async () => {
  const dir = siteExport();
  const payments = await readAll(join(dir, 'payments.csv'));
  const events = payments.flatMap((i) => (i.kind === 'record' && i.record.kind === 'event' ? [i.record] : []));
  assert.deepEqual(events.map((e) => [e.platform, e.account, e.ts, e.fields.amount]), [
    ['darkshop', 'o"neil', '2020-04-01T10:00:00', '19.99'], ['darkshop', 'kingpin', undefined, '1,50'], ['darkshop', 'id:77', undefined, '5.00'],
  ]);
  const bad = payments.filter((i) => i.kind === 'malformed');
  assert.deepEqual(bad.map((i) => [i.location.line, i.kind === 'malformed' && i.reason]), [[5, 'row has 3 cells but payments.csv has 5 columns']]);
  const users = await readAll(join(dir, 'users.csv'));
  const exposures = users.flatMap((i) => (i.kind === 'record' && i.record.kind === 'exposure' ? [i.record] : []));
  assert.deepEqual(exposures.map((e) => [e.identifier, e.dataClasses, e.hashType]), [
    ['kingpin@proton.me', ['email', 'username', 'password', 'ip'], undefined],
    ['oneil@example.org', ['email', 'username', 'password-hash'], 'bcrypt'],
  ]);
  assert.match(exposures[0]!.passwordNtlm!, /^[0-9A-F]{32}$/);
  assert.ok(!JSON.stringify(users).includes('s3cret'));
  assert.deepEqual(users.map((i) => i.location.line), [2, 2, 3, 3]);
});

test('end to end: the folder into the store, a second run adding nothing, the password nowhere in the file', async () => {
  const dir = siteExport();
  const storeDir = temporaryDirectory();
  const store = openTestStore(storeDir);
  const report = await ingest({ store, paths: [dir], dataset: 'shop' });
  assert.deepEqual(report.sources.map((s) => s.format), ['site-csv', 'site-csv']);
  assert.deepEqual([report.events, report.exposures, report.quarantined], [3, 2, 1]);
  const row = store.db.prepare(`SELECT a.handle, e.line, e.byte_offset FROM events e JOIN accounts a ON a.id = e.account_id WHERE e.ref = 'payments:2'`).get()!;
  assert.deepEqual([row.handle, Number(row.line)], ['kingpin', 3]);
  assert.equal(Number(row.byte_offset), readFileSync(join(dir, 'payments.csv')).indexOf('2,1,'));
  assert.equal(await count(store, "SELECT count(*) AS n FROM accounts WHERE platform = 'darkshop'"), 3);
  const again = await ingest({ store, paths: [dir], dataset: 'shop' });
  assert.deepEqual([again.events, again.exposures, again.accounts], [0, 0, 0]);
  await store.close();
  for (const suffix of ['', '-wal']) {
    let bytes = Buffer.alloc(0);
    try { bytes = readFileSync(join(storeDir, `lode.sqlite${suffix}`)); } catch { /* no WAL left */ }
    assert.equal(bytes.indexOf('s3cret,pass'), -1);
  }
});

test('an explicit mapping names the tables by file name', async () => {
  const dir = join(temporaryDirectory(), 'export');
  mkdirSync(dir);
  writeFileSync(join(dir, 'leden.csv'), 'nr;schuilnaam;adres\n1;vos;vos@example.nl\n');
  writeFileSync(join(dir, 'zoekopdrachten.csv'), 'lid;tekst;tijd\n1;wapens;2020-05-01 12:00:00\n');
  const mapping = {
    platform: 'marktplaats-clone',
    tables: {
      leden: { as: 'account', key: 'nr', handle: 'schuilnaam', email: 'adres' },
      zoekopdrachten: { as: 'event', type: 'search', account: 'lid', ts: 'tijd', fields: ['tekst'] },
    },
  };
  const events = (await readAll(join(dir, 'zoekopdrachten.csv'), mapping)).flatMap((i) => (i.kind === 'record' ? [i.record] : []));
  assert.deepEqual(events, [{ kind: 'event', platform: 'marktplaats-clone', account: 'vos', type: 'search', ts: '2020-05-01T12:00:00', fields: { tekst: 'wapens' }, ref: undefined }]);
  await assert.rejects(readAll(join(dir, 'leden.csv'), { tables: { leden: { as: 'account', handle: 'naam' } } }), /names column "naam", but the table's columns are: nr, schuilnaam, adres/);
});

test('property: rows with arbitrary cells are never dropped, broken rows are quarantined with their line', async () => {
  const root = temporaryDirectory();
  let run = 0;
  await fc.assert(fc.asyncProperty(
    fc.array(fc.oneof(
      fc.tuple(fc.integer({ min: 1, max: 1e6 }), fc.string({ maxLength: 30 })).map(([uid, query]) => ({ uid, query })),
      fc.constant({ broken: true as const }),
    ), { maxLength: 30 }),
    async (rows) => {
      const dir = join(root, `r${run++}`);
      mkdirSync(dir);
      const quote = (s: string) => `"${s.replaceAll('"', '""')}"`;
      const lines = ['id,user_id,query'];
      const expectedQueries: string[] = [];
      const brokenLines: number[] = [];
      rows.forEach((row, i) => {
        if ('broken' in row) {
          lines.push(`${i},only-two`);
          brokenLines.push(lines.length);
        } else {
          lines.push(`${i},${row.uid},${quote(row.query)}`);
          expectedQueries.push(row.query);
        }
      });
      const file = join(dir, 'searches.csv');
      writeFileSync(file, lines.join('\n') + '\n');
      const items = await readAll(file);
      const queries = items.flatMap((i) => (i.kind === 'record' && i.record.kind === 'event' ? [i.record.fields.query ?? ''] : []));
      assert.deepEqual(queries, expectedQueries.map((q) => (q.trim() === '' || q === 'NULL' || q === '\\N' ? '' : q)));
      assert.deepEqual(items.filter((i) => i.kind === 'malformed').map((i) => i.location.line), lines.length > 1 ? brokenLines.map((l) => l + countBreaksBefore(lines, l)) : []);
    },
  ), { numRuns: 60 });
});

/** Quoted cells with line breaks push later rows down. */
function countBreaksBefore(lines: string[], line: number): number {
  return lines.slice(0, line - 1).reduce((n, l) => n + (l.match(/\n/g)?.length ?? 0), 0);
}

test('a site-database mapping sends a CSV whose header says nothing to the site reader', async () => {
  const dir = join(temporaryDirectory(), 'export');
  mkdirSync(dir);
  writeFileSync(join(dir, 'leden.csv'), 'nr;schuilnaam;adres\n1;vos;vos@example.nl\n2;das;das@example.nl\n');
  const store = openTestStore(temporaryDirectory());
  const mapping = { tables: { leden: { as: 'account', key: 'nr', handle: 'schuilnaam', email: 'adres' } } };
  assert.equal((await ingest({ store, paths: [join(dir, 'leden.csv')], dataset: 'plain' })).sources[0]!.format, 'csv');
  const report = await ingest({ store, paths: [join(dir, 'leden.csv')], dataset: 'site', mapping });
  assert.equal(report.sources[0]!.format, 'site-csv');
  assert.equal(report.accounts, 2);
  assert.equal(report.exposures, 2);
});
