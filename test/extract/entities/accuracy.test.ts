import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractEntities } from '../../../src/extract/entities/extract.ts';
import { corpusWithTruth, scoreExtraction, scoreTable } from './ground-truth.ts';

// Scored types must reach 0.98; the table prints all fifteen for docs/BENCH.md.
const SCORED = ['phone', 'iban', 'btc', 'eth', 'xmr'] as const;
const MESSAGES = 50_000;
const SEED = 42;

test(`precision and recall against the generator's truth (${MESSAGES} messages, seed ${SEED})`, () => {
  const texts = corpusWithTruth(MESSAGES, SEED);
  const { scores, misses } = scoreExtraction(texts, extractEntities);
  console.log(scoreTable(scores));
  for (const type of SCORED) {
    const score = scores[type];
    const examples = misses.filter((m) => m.type === type).slice(0, 5).map((m) => `${m.raw} (${m.expected} -> ${m.got})`).join('; ');
    assert.ok(score.truth > 0, `${type} planted`);
    assert.ok(score.precision >= 0.98, `${type} precision ${score.precision.toFixed(4)}: ${examples}`);
    assert.ok(score.recall >= 0.98, `${type} recall ${score.recall.toFixed(4)}: ${examples}`);
    assert.equal(score.decoyHits, 0, `${type} took a decoy: ${examples}`);
  }
});
