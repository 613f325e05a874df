import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSlots, SlotsFullError } from '../../src/server/slots.ts';

test('at most `running` jobs run at once, the next ones wait in order, and past the queue they are refused', async () => {
  const slots = createSlots(2, 1);
  const started: number[] = [];
  const finish: (() => void)[] = [];
  const job = (n: number) => () => new Promise<number>((resolve) => {
    started.push(n);
    finish[n] = () => resolve(n);
  });
  const a = slots.run(job(0));
  const b = slots.run(job(1));
  const c = slots.run(job(2));
  await assert.rejects(slots.run(job(3)), SlotsFullError);
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(started, [0, 1], 'the third waits');
  finish[0]!();
  assert.equal(await a, 0);
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(started, [0, 1, 2], 'the waiting one starts when a slot frees');
  assert.equal(slots.busy, 2);
  finish[1]!();
  finish[2]!();
  assert.deepEqual(await Promise.all([b, c]), [1, 2]);
  assert.equal(slots.busy, 0);
});

test('a failing job frees its slot', async () => {
  const slots = createSlots(1, 0);
  await assert.rejects(slots.run(async () => { throw new Error('boom'); }), /boom/);
  assert.equal(await slots.run(async () => 7), 7);
});
