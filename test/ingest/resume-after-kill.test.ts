// A real crash: the ingest process is killed with SIGKILL in the middle of a file (during a bulk
// load, with its indexes dropped), then the same command is run again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DatabaseSync } from 'node:sqlite';
import { writeCorpus } from '../../src/generate/write-corpus.ts';
import { temporaryDirectory } from '../fixtures.ts';

const LODE = new URL('../../bin/lode', import.meta.url).pathname;

async function countMessageLines(path: string): Promise<{ messages: number; notes: number }> {
  let messages = 0;
  let notes = 0;
  for await (const line of createInterface({ input: createReadStream(path) })) {
    if (line.startsWith('{"kind":"message"')) messages += 1;
    else if (line.startsWith('{"kind":"note"')) notes += 1;
  }
  return { messages, notes };
}

/** Polls the store as a second reader until the ingest has committed past `line`. */
async function waitForCommittedLine(home: string, line: number): Promise<number> {
  let committedLine = 0;
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    await sleep(25);
    try {
      const db = new DatabaseSync(join(home, 'lode.sqlite'), { readOnly: true });
      committedLine = Number(db.prepare('SELECT max(checkpoint_line) AS line FROM sources').get()?.line ?? 0);
      db.close();
    } catch {
      continue; // the store is still being created
    }
    if (committedLine > line) break;
  }
  return committedLine;
}

test('an ingest killed mid-file resumes on rerun to exact counts, without duplicates', { timeout: 240_000 }, async () => {
  const home = temporaryDirectory();
  const corpus = join(home, 'corpus.jsonl');
  await writeCorpus({ messages: 200_000, seed: 11, out: corpus });
  const expected = await countMessageLines(corpus);
  const env = { ...process.env, LODE_HOME: home, LODE_STORE: '' };
  const child = spawn(LODE, ['ingest', corpus, '--dataset', 'crash', '--batch', '2000'], { env, stdio: 'ignore' });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const committedLine = await waitForCommittedLine(home, 40_000);
  child.kill('SIGKILL');
  await exited;
  assert.ok(committedLine > 40_000 && committedLine < 190_000, `killed mid-file (committed up to line ${committedLine})`);

  const status = spawnSync(LODE, ['status', '--json'], { env, encoding: 'utf8' });
  const unfinished = JSON.parse(status.stdout).sources[0];
  assert.equal(unfinished.status, 'ingesting');
  assert.equal(unfinished.checkpoint.line >= committedLine, true);
  assert.match(spawnSync(LODE, ['status'], { env, encoding: 'utf8' }).stdout, /unfinished: .*corpus\.jsonl in crash, stored up to line \d+/);

  const rerun = spawnSync(LODE, ['ingest', corpus, '--dataset', 'crash', '--json'], { env, encoding: 'utf8' });
  assert.equal(rerun.status, 0, rerun.stderr);
  const report = JSON.parse(rerun.stdout);
  assert.equal(report.sources[0].status, 'resumed');

  const db = new DatabaseSync(join(home, 'lode.sqlite'), { readOnly: true });
  const one = (sql: string) => Number(db.prepare(sql).get()?.n);
  assert.equal(one('SELECT count(*) AS n FROM messages WHERE kind = 0'), expected.messages);
  assert.equal(one('SELECT count(*) AS n FROM messages WHERE kind = 1'), expected.notes);
  assert.equal(one('SELECT count(DISTINCT uid) AS n FROM messages'), expected.messages + expected.notes);
  assert.ok(report.messages > 0 && report.messages < expected.messages, 'the rerun added only what the killed run had not committed');
  const indexes = db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'index' AND name LIKE 'messages_by_%'`).all().map((r) => r.name);
  assert.deepEqual(indexes.sort(), ['messages_by_conversation', 'messages_by_lang', 'messages_by_sender']);
  db.close();
  // the full-text index holds exactly the stored rows: FTS5 checks it against its content table
  const writable = new DatabaseSync(join(home, 'lode.sqlite'));
  assert.doesNotThrow(() => writable.exec(`INSERT INTO message_fts(message_fts, rank) VALUES ('integrity-check', 1)`));
  writable.close();
});

test('Ctrl-C stops after the current batch with exit code 1, and the same command continues', { timeout: 240_000 }, async () => {
  const home = temporaryDirectory();
  const corpus = join(home, 'corpus.jsonl');
  await writeCorpus({ messages: 100_000, seed: 12, out: corpus });
  const expected = await countMessageLines(corpus);
  const env = { ...process.env, LODE_HOME: home, LODE_STORE: '' };
  const child = spawn(LODE, ['ingest', corpus, '--dataset', 'ctrl-c', '--batch', '1000', '--json'], { env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  await waitForCommittedLine(home, 10_000);
  child.kill('SIGINT');
  assert.equal(await exited, 1);
  assert.match(stderr, /interrupted: what was read is stored; run the same command again to continue/);
  const first = JSON.parse(stdout);
  assert.equal(first.interrupted, true);
  assert.ok(first.messages > 0 && first.messages < expected.messages);

  const rerun = spawnSync(LODE, ['ingest', corpus, '--dataset', 'ctrl-c', '--json'], { env, encoding: 'utf8' });
  assert.equal(rerun.status, 0, rerun.stderr);
  const second = JSON.parse(rerun.stdout);
  assert.equal(second.sources[0].status, 'resumed');
  assert.equal(first.messages + second.messages, expected.messages);
  assert.equal(first.notes + second.notes, expected.notes);
});
