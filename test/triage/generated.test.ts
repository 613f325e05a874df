// The targets on generated ground truth (the same evaluation as bench/triage-accuracy.ts,
// on a smaller corpus): threat recall >= 0.9 at precision >= 0.8, no decoy among the top 50 threat
// findings, leak recall >= 0.8.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateTriage } from './evaluate.ts';

test('generated corpus (60k messages, seed 11): the issue targets hold', () => {
  const e = evaluateTriage({ messages: 60_000, seed: 11, timingRounds: 0 });
  const t = e.threat;
  const detail = JSON.stringify({ threat: t, leak: { recall: e.leak.recall, precision: e.leak.precision } });
  assert.ok(t.labelled >= 40, `enough planted threat messages to measure: ${t.labelled}`);
  assert.ok(t.recall >= 0.9, `threat recall ${t.recall.toFixed(3)} ${detail}`);
  assert.ok(t.precision >= 0.8, `threat precision ${t.precision.toFixed(3)} ${detail}`);
  assert.equal(t.decoysInTop50, 0, detail);
  assert.ok(t.decoys > 50, 'the corpus holds decoys to be wrong about');
  assert.equal(t.threadsAlerted, t.threads, 'every planted thread raises at least one alert');
  assert.ok(e.leak.labelled >= 15, `enough planted leaks: ${e.leak.labelled}`);
  assert.ok(e.leak.recall >= 0.8, `leak recall ${e.leak.recall.toFixed(3)} ${detail}`);
});
