import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractPhones, normalisePhone } from '../../../src/extract/entities/phone.ts';
import { found, valuesOf, written } from './helpers.ts';

const NL = { defaultRegion: 'NL' } as const;

test('Dutch national and international writings give the same E.164 value', () => {
  for (const w of ['0612345678', '06-12345678', '06 12345678', '(06) 1234 5678', '06 1234 5678', '+31612345678', '+31 6 12345678', '0031612345678', '+316-12345678', '+31 (0)6 12345678', '06.12.34.56.78', '06 12 34 56 78']) {
    assert.deepEqual(written('bel ' + w + ' nu', extractPhones('bel ' + w + ' nu', NL)), [['phone', '+31612345678', w]], w);
  }
});

test('foreign numbers in international form need no region', () => {
  assert.deepEqual(valuesOf('nummer +32 470 12 34 56', 'phone', {}), ['+32470123456']);
  assert.deepEqual(valuesOf('call +44 7700 900456', 'phone', {}), []);
  assert.deepEqual(valuesOf('call +44 7911 123456', 'phone', {}), ['+447911123456']);
  assert.deepEqual(valuesOf('ruf +49 (0)151 23456789 an', 'phone', {}), ['+4915123456789']);
  assert.deepEqual(valuesOf('00212 612-345678', 'phone', {}), ['+212612345678']);
  assert.deepEqual(valuesOf('+34 612 34 56 78', 'phone', {}), ['+34612345678']);
});

test('the region decides national writings; fallbacks only yield mobiles', () => {
  assert.deepEqual(valuesOf('appelle le 06 12 34 56 78', 'phone', { defaultRegion: 'FR' }), ['+33612345678']);
  assert.deepEqual(valuesOf('bel 0612345678', 'phone', { defaultRegion: 'FR' }), ['+33612345678']);
  assert.deepEqual(valuesOf('text 087 123 4567', 'phone', { defaultRegion: 'GB', fallbackRegions: ['IE'] }), ['+353871234567']);
  const dutchSpeaking = { defaultRegion: 'NL', fallbackRegions: ['BE'] } as const;
  assert.deepEqual(valuesOf('0470 12 34 56', 'phone', dutchSpeaking), ['+32470123456']);
  // 0497 is also Eersel's area code; the Belgian layout settles it
  assert.deepEqual(valuesOf('0497/52.93.76', 'phone', dutchSpeaking), ['+32497529376']);
  assert.deepEqual(valuesOf('0497 529376', 'phone', dutchSpeaking), ['+31497529376']);
  // French layout counts only where French numbers are expected
  assert.deepEqual(valuesOf('06 38 71 22 67', 'phone', { defaultRegion: 'NL', fallbackRegions: ['FR'] }), ['+33638712267']);
  // a Dutch mobile missing a digit is a landline in Ath (068): not a reason to read it as Belgian
  assert.deepEqual(valuesOf('nummer was 068349551 of zo', 'phone', { defaultRegion: 'NL', fallbackRegions: ['BE'] }), []);
  assert.deepEqual(valuesOf('0612345678', 'phone', {}), [], 'no region: national writings stay unknown');
});

test('order numbers, dates, times, short numbers and parcel codes are not phones', () => {
  for (const text of [
    'bestelnummer 5123456789', 'klantnummer 3010398652', 'afspraak op 01-04-2020', 'zitting 2020-04-12', 'geboren 05/04/2020', 'om 06:30 uur',
    'nummer was 06-1234567 of zo', 'hij gaf 061234567', 'track en trace 3S12345678901234', 'postnl JVGL0612345678901', 'factuur 0612345678abc',
    'prijs 0,612345678', 'ref-0612345678', 'versie 10.612345678',
  ]) assert.deepEqual(valuesOf(text, 'phone'), [], text);
});

test('the run stops where the number ends: a following amount or list is not swallowed', () => {
  assert.deepEqual(found('bel 06 12345678 20 euro').filter(([type]) => type === 'phone'), [['phone', '+31612345678', '06 12345678']]);
  assert.deepEqual(valuesOf('0612345678 0687654321', 'phone'), ['+31612345678', '+31687654321']);
  assert.deepEqual(found('(0612345678)'), [['phone', '+31612345678', '0612345678']]);
});

test('digits of an IBAN, valid or not, are not a phone', () => {
  assert.deepEqual(valuesOf('is het NL46 TRIO 0304 7886 11? bank zegt ongeldig', 'phone'), []);
  assert.deepEqual(valuesOf('virement refusé sur ES84 0049 0735 0219 7931 5191', 'phone'), []);
});

test('normalisePhone reads what a search filter gives', () => {
  assert.equal(normalisePhone('0612345678', NL), '+31612345678');
  assert.equal(normalisePhone('+31 6 1234 5678', NL), '+31612345678');
  assert.equal(normalisePhone('0612', NL), undefined);
});
