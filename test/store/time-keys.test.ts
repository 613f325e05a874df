import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ingest } from '../../src/ingest/pipeline.ts';
import { messageId, secondsOfMessageId } from '../../src/ingest/ids.ts';
import { messageTimeKey, naturalKeyOfId } from '../../src/store/time-key.ts';
import { count, message, openTestStore, temporaryDirectory, writeJsonl } from '../fixtures.ts';

const TS = '2020-04-01T12:00:00Z';

/** Two source refs whose ids claim the same time key: a birthday search over 20 bits. */
function collidingRefs(): [string, string] {
  const seen = new Map<string, string>();
  for (let i = 0; ; i++) {
    const ref = `r-${i}`;
    const id = messageId('m', Date.parse(TS), 'd', 'encrochat', 'message', ref);
    const tail = id.slice(-5);
    const other = seen.get(tail);
    if (other) return [other, ref];
    seen.set(tail, ref);
  }
}

test('a message id carries its time, and its natural key is where the insert starts probing', () => {
  const id = messageId('m', Date.parse(TS), 'd', 'encrochat', 'message', 'e-1');
  assert.match(id, /^m[0-9a-f]{29}$/);
  assert.equal(secondsOfMessageId(id), Date.parse(TS) / 1000);
  assert.equal(naturalKeyOfId(id), messageTimeKey(Date.parse(TS), id));
  const undated = messageId('n', undefined, 'x');
  assert.equal(naturalKeyOfId(undated), messageTimeKey(undefined, undated));
  assert.equal(secondsOfMessageId('m0123'), undefined);
});

test('two items on the same time key are both stored, both found by id, and neither doubled on re-ingest', async () => {
  const [a, b] = collidingRefs();
  const dir = temporaryDirectory();
  const store = openTestStore(dir);
  const first = writeJsonl(join(dir, 'a.jsonl'), [message(a, TS, 'x', ['y'], 'first'), message(b, TS, 'x', ['y'], 'second')]);
  assert.equal((await ingest({ store, paths: [first], dataset: 'd' })).messages, 2);
  const rows = store.db.prepare('SELECT rowid, uid, ref FROM messages ORDER BY rowid').all();
  assert.equal(Number(rows[1]!.rowid), Number(rows[0]!.rowid) + 1, 'the second probed to the next key');
  for (const row of rows) assert.equal((await store.message(String(row.uid)))?.ref, row.ref);

  // another file with the same two messages (in the other order) and a new one
  const again = writeJsonl(join(dir, 'b.jsonl'), [message(b, TS, 'x', ['y'], 'second'), message(a, TS, 'x', ['y'], 'first'), message('new', TS, 'x', ['y'], 'third')]);
  const report = await ingest({ store, paths: [again], dataset: 'd' });
  assert.equal(report.duplicates, 2);
  assert.equal(report.messages, 1);
  assert.equal(await count(store, 'SELECT count(*) AS n FROM messages'), 3);
});
