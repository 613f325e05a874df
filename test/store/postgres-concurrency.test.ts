// Several ingest processes and readers on one PostgreSQL store at once: the real bin/lode, the
// same file twice and overlapping files at the same time, searches running meanwhile. Nothing is
// lost and nothing is doubled.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { parseQuery } from '../../src/search/parse.ts';
import { openPostgresStore } from '../../src/store/postgres/pg-store.ts';
import { message, temporaryDirectory, writeJsonl } from '../fixtures.ts';
import { closePostgres, postgresDatabase } from '../postgres-fixture.ts';

after(closePostgres);

const LODE = new URL('../../bin/lode', import.meta.url).pathname;

function lode(url: string, ...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(LODE, args, { env: { ...process.env, LODE_STORE: url, LODE_HOME: temporaryDirectory() } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** A file of `n` messages between a crew; `shared` of them also in the other file (the same records). */
function corpus(dir: string, name: string, from: number, n: number): string {
  const crew = ['tapeworm', 'jaguar', 'ghost', 'otter', 'bever', 'vos'];
  const records = Array.from({ length: n }, (_, i) => {
    const k = from + i;
    return message(`c-${k}`, new Date(Date.UTC(2020, 3, 1) + k * 61_000).toISOString(), crew[k % 6]!, [crew[(k + 1) % 6]!, ...(k % 7 === 0 ? [crew[(k + 3) % 6]!] : [])],
      `bericht ${k} over kilo en de haven, bel 06-${String(10_000_000 + k).slice(0, 8)}`);
  });
  return writeJsonl(join(dir, name), records);
}

test('parallel ingest processes (one file twice, two overlapping files) and readers: every message once', { timeout: 240_000 }, async () => {
  const url = await postgresDatabase();
  const dir = temporaryDirectory();
  // a and b overlap in 500 messages (the same records in both files), c is its own
  const a = corpus(dir, 'a.jsonl', 0, 1500);
  const b = corpus(dir, 'b.jsonl', 1000, 1500);
  const c = corpus(dir, 'c.jsonl', 5000, 1200);
  const store = await openPostgresStore({ url, poolSize: 2 });
  try {
    // the schema is made once, by whoever comes first: let one process race the others for it
    let reading = true;
    const errors: string[] = [];
    let searches = 0;
    const reader = (async () => {
      while (reading) {
        try {
          await store.search({ ast: parseQuery('kilo AND haven'), limit: 10, offset: 0, sort: 'newest', facets: true });
          searches += 1;
        } catch (error) {
          errors.push((error as Error).message);
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    const runs = await Promise.all([
      lode(url, 'ingest', a, '--dataset', 'ploeg', '--json'),
      lode(url, 'ingest', a, '--dataset', 'ploeg', '--json'),
      lode(url, 'ingest', b, '--dataset', 'ploeg', '--json'),
      lode(url, 'ingest', c, '--dataset', 'ploeg', '--json'),
    ]);
    reading = false;
    await reader;
    for (const run of runs) assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(errors, [], 'readers saw no error while four processes wrote');
    assert.ok(searches > 0);
    const added = runs.map((r) => (JSON.parse(r.stdout) as { messages: number }).messages);
    const expected = 2500 + 1200;
    assert.equal(added.reduce((x, y) => x + y, 0), expected, `each message added by exactly one process: ${added.join(' + ')}`);
    const [summary] = await store.summarise();
    assert.equal(summary?.messages, expected);
    assert.equal(summary?.sources, 3, 'the file ingested twice is one source');
    const everything = await store.search({ ast: parseQuery('bericht'), limit: 1, offset: 0, sort: 'newest', facets: false });
    assert.equal(everything.total, expected);
    const accounts = await store.summarise();
    assert.equal(accounts[0]?.accounts, 6, 'the crew\'s accounts once each, however many processes met them');
    // a third run of a file changes nothing
    const again = await lode(url, 'ingest', b, '--dataset', 'ploeg', '--json');
    assert.equal((JSON.parse(again.stdout) as { messages: number }).messages, 0);
  } finally {
    await store.close();
  }
});
