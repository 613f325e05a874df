import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { foldText, isVocabularyWord, tokenize } from '../../src/extract/tokens.ts';
import { detectLanguage } from '../../src/extract/language.ts';

test('folding removes case and diacritics like the index does', () => {
  assert.equal(foldText('Café ÉTÉ Müller'), 'cafe ete muller');
  assert.equal(foldText('frérot'), 'frerot');
});

test('tokens are runs of letters and digits, with or without diacritics', () => {
  assert.deepEqual(tokenize('Hoeveel kilo? 06-12345678, ok!'), ['hoeveel', 'kilo', '06', '12345678', 'ok']);
  assert.deepEqual(tokenize('Le café est fermé 👍'), ['le', 'cafe', 'est', 'ferme']);
});

test('the ASCII fast path and the Unicode path agree on ASCII text', () => {
  fc.assert(fc.property(fc.string({ unit: fc.constantFrom(...'abcXYZ019 .,-!?\n'.split('')) }), (text) => {
    assert.deepEqual(tokenize(text), foldText(text).match(/[\p{L}\p{N}]+/gu) ?? []);
  }));
});

test('numbers and very long tokens are not offered to fuzzy expansion', () => {
  assert.equal(isVocabularyWord('kilo'), true);
  assert.equal(isVocabularyWord('06'), false);
  assert.equal(isVocabularyWord('k'), false);
  assert.equal(isVocabularyWord('x'.repeat(41)), false);
});

test('the language guess answers on clear evidence and stays silent otherwise', () => {
  assert.equal(detectLanguage(tokenize('ik heb het niet gezien, morgen is goed')), 'nl');
  assert.equal(detectLanguage(tokenize('the stuff arrives tomorrow mate, need the cash')), 'en');
  assert.equal(detectLanguage(tokenize('le café est fermé, on se voit demain')), 'fr');
  assert.equal(detectLanguage(tokenize('ok 👍')), undefined);
  assert.equal(detectLanguage(tokenize('kilo')), undefined);
});
