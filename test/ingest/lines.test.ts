import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readLines, type Line } from '../../src/ingest/lines.ts';
import { temporaryDirectory } from '../fixtures.ts';

async function collect(path: string, options = {}): Promise<Line[]> {
  const out: Line[] = [];
  for await (const line of readLines(path, options)) out.push(line);
  return out;
}

test('lines carry their 1-based number and exact byte offset, across CRLF and multi-byte text', async () => {
  const dir = temporaryDirectory();
  const path = join(dir, 'a.txt');
  writeFileSync(path, '\ufeffcafé\r\nzwei\n\nlast');
  const lines = await collect(path);
  assert.deepEqual(lines.map((l) => (l.ok ? l.text : l.reason)), ['café', 'zwei', '', 'last']);
  assert.deepEqual(lines.map((l) => l.location), [
    { line: 1, offset: 0 }, { line: 2, offset: 10 }, { line: 3, offset: 15 }, { line: 4, offset: 16 },
  ]);
});

test('reading from a location resumes at that byte with that line number', async () => {
  const dir = temporaryDirectory();
  const path = join(dir, 'a.txt');
  writeFileSync(path, 'one\ntwo\nthree\n');
  const lines = await collect(path, { from: { line: 2, offset: 4 } });
  assert.deepEqual(lines.map((l) => [l.location.line, l.ok && l.text]), [[2, 'two'], [3, 'three']]);
});

test('invalid UTF-8 is reported for that line only', async () => {
  const dir = temporaryDirectory();
  const path = join(dir, 'a.txt');
  writeFileSync(path, Buffer.concat([Buffer.from('good\n'), Buffer.from([0xff, 0xfe, 0x41, 0x0a]), Buffer.from('fine\n')]));
  const lines = await collect(path);
  assert.equal(lines.length, 3);
  assert.equal(lines[1]!.ok, false);
  assert.match((lines[1] as { reason: string }).reason, /invalid UTF-8/);
  assert.equal(lines[2]!.ok && lines[2]!.text, 'fine');
  assert.deepEqual(lines[2]!.location, { line: 3, offset: 9 });
});

test('a line over the limit is reported without being held in memory, and the next line is intact', async () => {
  const dir = temporaryDirectory();
  const path = join(dir, 'a.txt');
  const huge = 'x'.repeat(3 << 20);
  writeFileSync(path, `before\n${huge}\nafter\n`);
  const lines = await collect(path, { maxLineBytes: 1 << 20 });
  assert.equal(lines.length, 3);
  assert.equal(lines[1]!.ok, false);
  assert.match((lines[1] as { reason: string }).reason, /line too long \(3145728 bytes/);
  assert.deepEqual(lines[2], { ok: true, text: 'after', location: { line: 3, offset: 7 + huge.length + 1 } });
});
