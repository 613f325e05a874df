// The CLI as a user meets it: the real bin/lode in a child process, on a temporary home.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { readFileSync, writeFileSync } from 'node:fs';
import { message, temporaryDirectory, writeJsonl } from '../fixtures.ts';
import { COMMANDS } from '../../src/cli/main.ts';
import { freePort } from '../../scripts/postgres-server.ts';

const LODE = new URL('../../bin/lode', import.meta.url).pathname;

function lode(args: string[], home: string): { code: number; stdout: string; stderr: string } {
  const result = spawnSync(LODE, args, { encoding: 'utf8', env: { ...process.env, LODE_HOME: home, LODE_STORE: '' } });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

test('every command has --help and exits 0 with its usage', () => {
  const home = temporaryDirectory();
  for (const command of COMMANDS) {
    const { code, stdout } = lode([command.name, '--help'], home);
    assert.equal(code, 0, command.name);
    assert.match(stdout, new RegExp(`Usage: lode ${command.name}`));
    assert.match(stdout, /--json/);
  }
});

test('ingest, search and show with --json print one JSON document with the contract fields', () => {
  const home = temporaryDirectory();
  const file = writeJsonl(join(home, 'a.jsonl'), [
    message('e-1', '2020-04-01T09:00:00Z', 'tapeworm', ['jaguar'], 'tien kilo bij de haven'),
    message('e-2', '2020-04-01T09:05:00Z', 'jaguar', ['tapeworm'], 'oké, morgen'),
    '{"kind":"telemetry"}',
  ]);
  const ingested = lode(['ingest', file, '--dataset', 'zuid', '--json'], home);
  assert.equal(ingested.code, 0, ingested.stderr);
  const report = JSON.parse(ingested.stdout);
  assert.deepEqual(Object.keys(report).slice(0, 2), ['dataset', 'sources']);
  assert.equal(report.messages, 2);
  assert.equal(report.accounts, 2);
  assert.equal(report.events, 0);
  assert.equal(report.exposures, 0);
  assert.deepEqual(Object.keys(report.sources[0]).slice(0, 5), ['path', 'sha256', 'format', 'records', 'quarantined']);
  assert.equal(report.sources[0].quarantined, 1);

  const searched = lode(['search', 'kilo', '--json'], home);
  assert.equal(searched.code, 0, searched.stderr);
  const result = JSON.parse(searched.stdout);
  assert.equal(result.total, 1);
  assert.equal(typeof result.took_ms, 'number');
  const hit = result.hits[0];
  for (const field of ['id', 'ref', 'dataset', 'ts', 'from', 'to', 'body', 'snippet']) assert.ok(field in hit, field);
  assert.equal(hit.ref, 'e-1');
  assert.deepEqual(hit.to, ['jaguar']);

  const shown = lode(['show', hit.id, '--json'], home);
  assert.equal(shown.code, 0, shown.stderr);
  const item = JSON.parse(shown.stdout);
  assert.equal(item.item.provenance.line, 1);
  assert.equal(item.item.provenance.sourceSha256, report.sources[0].sha256);
  assert.deepEqual(item.conversation.map((m: { ref: string }) => m.ref), ['e-1', 'e-2']);

  const negative = lode(['search', '-kilo', '--json', '--no-facets'], home);
  assert.equal(negative.code, 0, negative.stderr);
  assert.deepEqual(JSON.parse(negative.stdout).hits.map((h: { ref: string }) => h.ref), ['e-2'], 'a query may start with a dash');
  assert.equal(lode(['search', '--limit', '-5', 'kilo'], home).code, 2, 'an option value is not taken for the query');

  const human = lode(['show', hit.id], home);
  assert.match(human.stdout, /line 1, byte 0/);

  const quarantine = JSON.parse(lode(['quarantine', '--json'], home).stdout);
  assert.equal(quarantine.total, 1);
  assert.match(quarantine.entries[0].reason, /unknown kind "telemetry"/);
});

test('a query syntax error exits 1 and points at the position', () => {
  const home = temporaryDirectory();
  const { code, stderr, stdout } = lode(['search', 'kilo AND ('], home);
  assert.equal(code, 1);
  assert.equal(stdout, '');
  assert.match(stderr, /position 10/);
  assert.match(stderr, /\n\s+\^/);
  assert.doesNotMatch(stderr, /at .*\.ts:\d+/, 'no stack trace');
});

test('bad usage exits 2; a refused input exits 1 with the reason; an unknown id exits 1', () => {
  const home = temporaryDirectory();
  assert.equal(lode(['search'], home).code, 2);
  assert.equal(lode(['ingest', 'x.jsonl'], home).code, 2, 'missing --dataset');
  assert.equal(lode(['search', 'x', '--limit', 'many'], home).code, 2);
  assert.equal(lode(['frobnicate'], home).code, 2);
  const missing = lode(['ingest', join(home, 'nope.jsonl'), '--dataset', 'd'], home);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /no such file/);
  const unknown = lode(['show', 'm0123'], home);
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /no item with id/);
});

test('a PostgreSQL store nobody answers at is said in words, without the password', async () => {
  const home = temporaryDirectory();
  const closedPort = await freePort();
  const { code, stderr } = lode(['status', '--store', `postgres://lode:s3cret@127.0.0.1:${closedPort}/lode`], home);
  assert.equal(code, 1);
  assert.match(stderr, new RegExp(`cannot open the PostgreSQL store postgres://lode@127.0.0.1:${closedPort}/lode: .*ECONNREFUSED`));
  assert.doesNotMatch(stderr, /s3cret|internal error/);
});

test('inspect says what each file is, and exits 1 when one is not a format Lode reads', () => {
  const home = temporaryDirectory();
  const jsonl = writeJsonl(join(home, 'a.jsonl'), [message('e-1', '2020-04-01T09:00:00Z', 'a', ['b'], 'hoi')]);
  const csvPath = join(home, 'b.csv');
  writeFileSync(csvPath, 'from,to,body\na,b,hoi\n');
  const notes = join(home, 'notes.txt');
  writeFileSync(notes, 'nothing structured here\n');
  const { code, stdout } = lode(['inspect', jsonl, csvPath, notes, '--json'], home);
  assert.equal(code, 1);
  const files = JSON.parse(stdout).files as { path: string; format: string | null; sha256: string }[];
  assert.deepEqual(files.map((f) => f.format), ['lode-jsonl', 'csv', null]);
  assert.match(files[0]!.sha256, /^[0-9a-f]{64}$/);
});

test('ingest --report writes the hand-over report; duplicates --json lists copies from two converters', () => {
  const home = temporaryDirectory();
  const first = writeJsonl(join(home, 'tool-a.jsonl'), [message('a-1', '2020-04-01T09:00:00Z', 'tapeworm', ['jaguar'], 'tien kilo bij de haven')]);
  const second = writeJsonl(join(home, 'tool-b.jsonl'), [message('b-1', '2020-04-01T09:00:30Z', 'tapeworm', ['jaguar'], 'Tien kilo bij de haven.')]);
  const reportPath = join(home, 'report.md');
  const ingested = lode(['ingest', first, second, '--dataset', 'zuid', '--report', reportPath], home);
  assert.equal(ingested.code, 0, ingested.stderr);
  const report = readFileSync(reportPath, 'utf8');
  assert.match(report, /^# Ingest report: dataset zuid/);
  assert.match(report, /\| .*tool-a\.jsonl \| lode-jsonl \| [0-9a-f]{64} \| ingested \| 1 \| 0 \|/);
  assert.match(report, /Triage raised 0 threat and leak alerts and the watchlists 0/);
  const duplicates = lode(['duplicates', '--dataset', 'zuid', '--json'], home);
  assert.equal(duplicates.code, 0, duplicates.stderr);
  const parsed = JSON.parse(duplicates.stdout);
  assert.equal(parsed.groups.length, 1);
  assert.equal(parsed.near, 1);
  assert.deepEqual(parsed.groups[0].items.map((i: { source: string }) => i.source.split('/').pop()), ['tool-a.jsonl', 'tool-b.jsonl']);
});

test('ingest --owner names the phone of an SMS backup, which the file itself does not', () => {
  const home = temporaryDirectory();
  const backup = join(home, 'sms-20200401.xml');
  writeFileSync(backup, `<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n<smses count="2">\n` +
    `  <sms protocol="0" address="+31687654321" date="1585744496000" type="1" body="waar ben je" contact_name="Mo" />\n` +
    `  <sms protocol="0" address="+31687654321" date="1585744596000" type="2" body="bij de loods &#55357;&#56832;" contact_name="Mo" />\n</smses>\n`);
  const report = JSON.parse(lode(['ingest', backup, '--dataset', 'phone', '--owner', '+31612345678', '--json'], home).stdout);
  assert.equal(report.sources[0].format, 'sms-backup');
  assert.equal(report.messages, 2);
  const hits = JSON.parse(lode(['search', 'from:+31612345678', '--json'], home).stdout);
  assert.deepEqual(hits.hits.map((h: { body: string; to: string[] }) => [h.body, h.to]), [['bij de loods 😀', ['+31687654321']]]);
});

test('reads of evidence through the CLI are written to the audit log, like the server does', () => {
  const home = temporaryDirectory();
  const file = writeJsonl(join(home, 'a.jsonl'), [message('e-1', '2020-04-01T09:00:00Z', 'tapeworm', ['jaguar'], 'tien kilo bij de haven')]);
  lode(['ingest', file, '--dataset', 'zuid'], home);
  const id = JSON.parse(lode(['search', 'kilo', '--json'], home).stdout).hits[0].id;
  lode(['show', id], home);
  lode(['account', 'tapeworm'], home);
  const audit = JSON.parse(lode(['audit', 'list', '--json'], home).stdout);
  const actions = audit.events.map((e: { action: string }) => e.action);
  assert.deepEqual(actions.slice(0, 3), ['account.view', 'item.view', 'search']);
  const search = audit.events.find((e: { action: string }) => e.action === 'search');
  assert.deepEqual([search.details.query, search.details.total, search.details.hits], ['kilo', 1, [id]]);
  assert.equal(lode(['audit', 'verify'], home).code, 0);
});
