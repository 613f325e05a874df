// The hand-written held-out set (test/triage/held-out.ts): phrasings the generator never writes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CONTEXT_INTENTS, HELD_OUT_DECOYS, HELD_OUT_LEAKS, HELD_OUT_NON_LEAKS, HELD_OUT_THREATS } from './held-out.ts';
import type { HeldOutThreat } from './held-out.ts';
import { LEAK_ALERT_THRESHOLD, THREAT_ALERT_THRESHOLD, TriageScorer } from '../../src/triage/scorer.ts';
import type { TriageFinding } from '../../src/model/triage.ts';

const T0 = Date.parse('2020-05-01T20:00:00Z');
const IMAGE = [{ mime: 'image/jpeg', name: 'IMG_0001.jpg' }];

function scoreOf(findings: TriageFinding[], kind: 'threat' | 'leak'): number {
  return findings.find((f) => f.kind === kind)?.score ?? 0;
}

/** A threat item scored as it would arrive: a prep item an hour after its account's intent. */
function threatScore(item: HeldOutThreat): number {
  const scorer = new TriageScorer();
  if (item.kind === 'prep') scorer.score({ id: 'intent', tsMs: T0, from: 'speaker', to: ['helper'], body: CONTEXT_INTENTS[item.lang], attachments: [] });
  return scoreOf(scorer.score({ id: 'item', tsMs: T0 + 3600_000, from: 'speaker', to: ['helper'], body: item.text, attachments: item.hasImage ? IMAGE : [] }), 'threat');
}

function aloneScore(text: string, kind: 'threat' | 'leak'): number {
  return scoreOf(new TriageScorer().score({ id: 'item', tsMs: T0, from: 'speaker', to: ['helper'], body: text, attachments: [] }), kind);
}

test('the held-out set is big enough and spans the three languages', () => {
  assert.ok(HELD_OUT_THREATS.length >= 60);
  assert.ok(HELD_OUT_DECOYS.length >= 60);
  assert.ok(HELD_OUT_LEAKS.length >= 20);
  assert.ok(HELD_OUT_NON_LEAKS.length >= 15);
  for (const lang of ['nl', 'en', 'fr'] as const) {
    assert.ok(HELD_OUT_THREATS.filter((t) => t.lang === lang).length >= 15, lang);
    assert.ok(HELD_OUT_DECOYS.filter((t) => t.lang === lang).length >= 15, lang);
  }
});

test('threat recall on held-out phrasings is at least 0.85, in each language at least 0.8', () => {
  const missed = HELD_OUT_THREATS.filter((t) => threatScore(t) < THREAT_ALERT_THRESHOLD);
  const recall = 1 - missed.length / HELD_OUT_THREATS.length;
  assert.ok(recall >= 0.85, `recall ${recall.toFixed(3)}; missed: ${missed.map((t) => t.text).join(' | ')}`);
  for (const lang of ['nl', 'en', 'fr'] as const) {
    const all = HELD_OUT_THREATS.filter((t) => t.lang === lang);
    const langRecall = 1 - missed.filter((t) => t.lang === lang).length / all.length;
    assert.ok(langRecall >= 0.8, `${lang} recall ${langRecall.toFixed(3)}`);
  }
});

test('preparation items need the intent before them: alone they stay low', () => {
  const preps = HELD_OUT_THREATS.filter((t) => t.kind === 'prep');
  assert.ok(preps.length >= 15);
  for (const item of preps) assert.ok(aloneScore(item.text, 'threat') < THREAT_ALERT_THRESHOLD, item.text);
});

test('held-out decoys: at most 1 in 10 reaches a threat alert', () => {
  const alerted = HELD_OUT_DECOYS.filter((d) => aloneScore(d.text, 'threat') >= THREAT_ALERT_THRESHOLD);
  const rate = alerted.length / HELD_OUT_DECOYS.length;
  assert.ok(rate <= 0.1, `false positive rate ${rate.toFixed(3)}: ${alerted.map((d) => d.text).join(' | ')}`);
});

test('every decoy the issue and the brief name scores below the threshold', () => {
  const named = [
    'die pizza klappen', 'killing it', 'dead tired', 'ik schiet me dood van het lachen', 'deze beat is killer', 'je vais le tuer ce boss',
    'the lads murdered that pizza', 'klappen aan de bar', "she's drop-dead gorgeous",
  ];
  for (const text of named) assert.ok(aloneScore(text, 'threat') < THREAT_ALERT_THRESHOLD, text);
});

test('leak recall on held-out phrasings is at least 0.8, and the sector is named right', () => {
  let found = 0;
  let sectorRight = 0;
  const missed: string[] = [];
  for (const item of HELD_OUT_LEAKS) {
    const finding = new TriageScorer().score({ id: 'l', tsMs: T0, from: 'a', to: ['b'], body: item.text, attachments: [] }).find((f) => f.kind === 'leak');
    if (finding && finding.score >= LEAK_ALERT_THRESHOLD) {
      found++;
      if (finding.category === item.sector) sectorRight++;
    } else missed.push(item.text);
  }
  assert.ok(found / HELD_OUT_LEAKS.length >= 0.8, `leak recall ${(found / HELD_OUT_LEAKS.length).toFixed(3)}; missed: ${missed.join(' | ')}`);
  assert.ok(sectorRight / found >= 0.8, `sector right ${sectorRight}/${found}`);
});

test('non-leak look-alikes: at most 1 in 10 reaches a leak alert', () => {
  const alerted = HELD_OUT_NON_LEAKS.filter((n) => aloneScore(n.text, 'leak') >= LEAK_ALERT_THRESHOLD);
  assert.ok(alerted.length / HELD_OUT_NON_LEAKS.length <= 0.1, alerted.map((n) => n.text).join(' | '));
  assert.ok(aloneScore('mijn neef werkt bij de politie en vindt het leuk', 'leak') < LEAK_ALERT_THRESHOLD);
});
