import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { writeCorpus, defaultTruthPath } from '../../src/generate/write-corpus.ts';
import { parseCount } from '../../src/cli/generate.ts';

const dir = mkdtempSync(join(tmpdir(), 'lode-generate-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

const sha = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

test('writeCorpus is byte-identical for a seed and differs across seeds', async () => {
  const a = await writeCorpus({ messages: 20_000, seed: 7, out: join(dir, 'a.jsonl') });
  const b = await writeCorpus({ messages: 20_000, seed: 7, out: join(dir, 'b.jsonl') });
  await writeCorpus({ messages: 20_000, seed: 8, out: join(dir, 'c.jsonl') });
  assert.deepEqual(a, b);
  assert.equal(sha(join(dir, 'a.jsonl')), sha(join(dir, 'b.jsonl')));
  assert.equal(sha(join(dir, 'a.jsonl.truth.jsonl')), sha(join(dir, 'b.jsonl.truth.jsonl')));
  assert.notEqual(sha(join(dir, 'a.jsonl')), sha(join(dir, 'c.jsonl')));
  assert.equal(a.messages, 20_000);
  assert.equal(a.malformed, 0);
  const text = readFileSync(join(dir, 'a.jsonl'), 'utf8');
  assert.equal(Buffer.byteLength(text), a.bytes);
  const lines = text.split('\n');
  assert.equal(lines.pop(), '');
  assert.equal(lines.length, a.lines);
  for (const line of lines) JSON.parse(line);
  const truthLines = readFileSync(join(dir, 'a.jsonl.truth.jsonl'), 'utf8').trim().split('\n');
  assert.equal(truthLines.length, a.truthRecords);
  const summary = JSON.parse(truthLines[truthLines.length - 1] ?? '{}') as Record<string, unknown>;
  assert.equal(summary['kind'], 'summary');
  assert.equal(summary['lines'], a.lines);
});

test('malformed injection writes exactly the lines listed in the truth file', async () => {
  const out = join(dir, 'm.jsonl');
  const truthOut = join(dir, 'm-truth.jsonl');
  const r = await writeCorpus({ messages: 30_000, seed: 3, out, truthOut, malformedRate: 0.002 });
  assert.ok(r.malformed >= 20, 'malformed ' + r.malformed);
  const lines = readFileSync(out, 'utf8').split('\n');
  lines.pop();
  assert.equal(lines.length, r.lines);
  const listed = new Map<number, string>();
  for (const t of readFileSync(truthOut, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>)) {
    if (t['kind'] === 'malformed') listed.set(t['line'] as number, t['why'] as string);
  }
  assert.equal(listed.size, r.malformed);
  const whys = new Set(listed.values());
  for (const w of ['truncated_json', 'wrong_type_ts', 'missing_from', 'unknown_kind', 'oversized_line']) assert.ok(whys.has(w), w);
  const known = new Set(['account', 'contact', 'group', 'message', 'note']);
  lines.forEach((line, i) => {
    const why = listed.get(i + 1);
    let parsed: Record<string, unknown> | null = null;
    try {
      parsed = JSON.parse(line) as Record<string, unknown>;
    } catch {
      parsed = null;
    }
    if (!why) {
      assert.ok(parsed && known.has(parsed['kind'] as string), 'line ' + (i + 1) + ' is valid');
      return;
    }
    switch (why) {
      case 'truncated_json': assert.equal(parsed, null); break;
      case 'wrong_type_ts': assert.equal(typeof parsed?.['ts'], 'number'); break;
      case 'missing_from': assert.ok(parsed && parsed['kind'] === 'message' && !('from' in parsed)); break;
      case 'unknown_kind': assert.equal(parsed?.['kind'], 'telemetry'); break;
      case 'oversized_line': assert.ok(Buffer.byteLength(line) > 1 << 20); break;
      default: assert.fail(why);
    }
  });
});

test('memory stays bounded while streaming 200k messages', async () => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const samples: number[] = [];
  await writeCorpus({
    messages: 200_000, seed: 11, out: '/dev/null', truthOut: '/dev/null',
    onProgress: (done) => {
      if (done % 40_000 === 0) {
        gc();
        samples.push(process.memoryUsage().heapUsed);
      }
    },
  });
  assert.ok(samples.length >= 4);
  const first = samples[0] ?? 0;
  const max = Math.max(...samples);
  // Only accounts (~570 here) and open conversations are retained; growth would mean a leak.
  assert.ok(max - first < 16 * 1024 * 1024, 'heap grew by ' + Math.round((max - first) / 1e6) + ' MB');
  assert.ok(max < 200 * 1024 * 1024);
});

test('CLI arguments and default truth path', () => {
  assert.equal(parseCount('5m'), 5_000_000);
  assert.equal(parseCount('250k'), 250_000);
  assert.equal(parseCount('1_000'), 1000);
  assert.equal(defaultTruthPath('x/corpus.jsonl'), 'x/corpus.jsonl.truth.jsonl');
  assert.equal(defaultTruthPath('corpus'), 'corpus.truth.jsonl');
  assert.equal(parseCount('ten'), undefined);
});
