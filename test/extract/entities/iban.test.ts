import { test } from 'node:test';
import assert from 'node:assert/strict';
import { found, valuesOf } from './helpers.ts';

test('IBANs compact, in groups of four and in lower case give the compact upper-case value', () => {
  for (const w of ['NL91ABNA0417164300', 'NL91 ABNA 0417 1643 00', 'nl91abna0417164300', 'nl91 abna 0417 1643 00']) {
    assert.deepEqual(found('stort op ' + w + ' tnv Jan'), [['iban', 'NL91ABNA0417164300', w]], w);
  }
  assert.deepEqual(valuesOf('BE68 5390 0754 7034, DE89370400440532013000 en GB29NWBK60161331926819', 'iban'), [
    'BE68539007547034', 'DE89370400440532013000', 'GB29NWBK60161331926819',
  ]);
  assert.deepEqual(valuesOf('FR14 2004 1010 0505 0001 3M02 606', 'iban'), ['FR1420041010050500013M02606']);
});

test('a word after the IBAN is not swallowed, and a wrong check digit or odd casing is no IBAN', () => {
  assert.deepEqual(found('iban NL91 ABNA 0417 1643 00 bic ABNANL2A'), [
    ['iban', 'NL91ABNA0417164300', 'NL91 ABNA 0417 1643 00'], ['bic', 'ABNANL2A', 'ABNANL2A'],
  ]);
  assert.deepEqual(valuesOf('rekening NL92ABNA0417164300 klopt niet', 'iban'), []);
  assert.deepEqual(valuesOf('NL91aBNA0417164300', 'iban'), []);
  assert.deepEqual(valuesOf('XNL91ABNA0417164300', 'iban'), []);
});

test('a BIC needs a label before it or an IBAN of its country; ordinary words are no BIC', () => {
  assert.deepEqual(valuesOf('bic code is RABONL2U', 'bic'), ['RABONL2U']);
  assert.deepEqual(valuesOf('biiic rabonl2u', 'bic'), ['RABONL2U'], 'stretched label, lower case');
  assert.deepEqual(valuesOf('NL91ABNA0417164300 ABNANL2A', 'bic'), ['ABNANL2A']);
  assert.deepEqual(valuesOf('DEUTDEFFXXX swift', 'bic'), []);
  assert.deepEqual(valuesOf('ALSJEBLIEFT NL91ABNA0417164300', 'bic'), [], 'JE is Jersey, the IBAN is Dutch');
  assert.deepEqual(valuesOf('factuur via het autobedrijf, rekening BE68539007547034', 'bic'), []);
  assert.deepEqual(valuesOf('POLITIEK is saai', 'bic'), []);
});
