import { test } from 'node:test';
import assert from 'node:assert/strict';
import { found, valuesOf } from './helpers.ts';

test('IMEIs compact or grouped, Luhn-checked', () => {
  for (const w of ['356938035643809', '35-693803-564380-9', '35 693803 564380 9', '35693803 564380 9']) {
    assert.deepEqual(found('imei ' + w), [['imei', '356938035643809', w]], w);
  }
  assert.deepEqual(valuesOf('serienummer 356938035643808', 'imei'), [], 'Luhn fails');
  assert.deepEqual(valuesOf('ref 3569380356438091', 'imei'), [], '16 digits');
});

test('a Luhn-valid 15-digit number without the word IMEI needs a real reporting-body prefix', () => {
  assert.deepEqual(valuesOf('toestel 490154203237518', 'imei'), ['490154203237518']);
  assert.deepEqual(valuesOf('referentie 700000000000003', 'imei'), []);
  assert.deepEqual(valuesOf('imei 700000000000003', 'imei'), ['700000000000003']);
});

test('containers: ISO 6346 check digit, spaced, dashed or lower case; not a plate', () => {
  for (const w of ['CSQU3054383', 'CSQU 305438 3', 'CSQU 305438-3', 'csqu3054383']) {
    assert.deepEqual(found('bak ' + w + ' staat op de kade'), [['container', 'CSQU3054383', w]], w);
  }
  assert.deepEqual(valuesOf('bak CSQU3054384 bestaat niet', 'container'), []);
  assert.deepEqual(valuesOf('CsQU3054383', 'container'), []);
});
