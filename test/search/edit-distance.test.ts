import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { editDistanceWithin, nearestTerms } from '../../src/search/edit-distance.ts';

test('one insertion, deletion, substitution or swap of neighbours is one edit', () => {
  assert.equal(editDistanceWithin('kilo', 'kilos', 1), 1);
  assert.equal(editDistanceWithin('kilo', 'kil', 1), 1);
  assert.equal(editDistanceWithin('kilo', 'kila', 1), 1);
  assert.equal(editDistanceWithin('kilo', 'klio', 1), 1);
  assert.equal(editDistanceWithin('kilo', 'kilo', 0), 0);
  assert.equal(editDistanceWithin('kilo', 'kalos', 1), undefined);
  assert.equal(editDistanceWithin('kilo', 'kalos', 2), 2);
});

test('the bounded distance agrees with a plain dynamic programme', () => {
  const full = (a: string, b: string): number => {
    const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
    for (let i = 1; i <= a.length; i++) {
      for (let j = 1; j <= b.length; j++) {
        d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
      }
    }
    return d[a.length]![b.length]!;
  };
  const word = fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'k', 'o'), maxLength: 7 });
  fc.assert(fc.property(word, word, fc.integer({ min: 0, max: 2 }), (a, b, max) => {
    const exact = full(a, b);
    assert.equal(editDistanceWithin(a, b, max), exact <= max ? exact : undefined);
  }), { numRuns: 3000 });
});

test('nearest terms come closest first and are capped', () => {
  const vocabulary = ['kilos', 'kilo', 'kil', 'kalo', 'keel', 'kiloo', 'pizza'];
  assert.deepEqual(nearestTerms('kilo', vocabulary, 1, 10), ['kilo', 'kil', 'kalo', 'kiloo', 'kilos']);
  assert.deepEqual(nearestTerms('kilo', vocabulary, 1, 2), ['kilo', 'kil']);
});
