import { test } from 'node:test';
import assert from 'node:assert/strict';
import { contextForLanguage, extractEntities, normaliseEntityQuery, resolveOverlaps } from '../../../src/extract/entities/extract.ts';
import { ENTITY_TYPES, EXTRACTOR_VERSION } from '../../../src/extract/entities/types.ts';
import { ENTITY_TYPES as GENERATED_TYPES, makeDecoy } from '../../../src/generate/entities.ts';
import type { DecoyName } from '../../../src/generate/entities.ts';
import { Rng } from '../../../src/generate/rng.ts';
import { found } from './helpers.ts';

test('the entity types are the generator\'s, and the version is recorded', () => {
  assert.deepEqual([...ENTITY_TYPES], [...GENERATED_TYPES]);
  assert.match(EXTRACTOR_VERSION, /^\d+\.\d+\.\d+$/);
});

test('text without entities yields nothing; spans always slice to what was written', () => {
  assert.deepEqual(extractEntities('hoe laat kom je, ik ben er om acht', { defaultRegion: 'NL' }), []);
  assert.deepEqual(extractEntities(''), []);
  const text = 'bel 0612345678 of mail rico@gmail.com, stort €5.000 op NL91ABNA0417164300';
  for (const m of extractEntities(text, { defaultRegion: 'NL' })) assert.ok(text.slice(m.start, m.end).length > 0);
  assert.deepEqual(found(text).map(([type]) => type), ['phone', 'email', 'amount', 'iban']);
});

test('one span, one entity: priority and length settle overlaps', () => {
  assert.deepEqual(found('imei 356938035643809'), [['imei', '356938035643809', '356938035643809']]);
  assert.deepEqual(found('NL91 ABNA 0417 1643 00'), [['iban', 'NL91ABNA0417164300', 'NL91 ABNA 0417 1643 00']]);
  assert.deepEqual(found('kijk https://www.marktplaats.nl/v/auto-s/golf/m0612345678'), [
    ['url', 'https://www.marktplaats.nl/v/auto-s/golf/m0612345678', 'https://www.marktplaats.nl/v/auto-s/golf/m0612345678'],
  ]);
  const kept = resolveOverlaps([
    { type: 'amount', value: 'EUR 1000', start: 0, end: 5 },
    { type: 'phone', value: '+31612345678', start: 2, end: 12 },
    { type: 'url', value: 'x', start: 20, end: 30 },
    { type: 'coordinates', value: '1.00000,2.00000', start: 20, end: 30 },
  ]);
  assert.deepEqual(kept.map((m) => m.type), ['phone', 'url', 'coordinates']);
});

test('no decoy the generator plants is taken for the entity it imitates', () => {
  const names: DecoyName[] = ['order', 'shortphone', 'iban', 'imei', 'btc', 'bech32', 'container', 'date', 'score', 'pizza', 'stenen', 'version', 'eth', 'parcel'];
  const rng = new Rng(99);
  for (let i = 0; i < 200; i++) {
    for (const name of names) {
      for (const lang of ['nl', 'en', 'fr'] as const) {
        const decoy = makeDecoy(rng, name, lang);
        const text = 'hij zei ' + decoy.raw + ' gisteren';
        const taken = extractEntities(text, contextForLanguage(lang, 'NL')).filter((m) => m.type === decoy.type);
        assert.deepEqual(taken, [], `${name} ${decoy.raw}`);
      }
    }
  }
});

test('search filters normalise exactly as the extractor does', () => {
  const nl = { defaultRegion: 'NL' } as const;
  for (const input of ['0612345678', '+31 6 1234 5678', '06-12345678', '0031612345678', '31612345678']) {
    assert.equal(normaliseEntityQuery('phone', input, nl), '+31612345678', input);
  }
  assert.equal(normaliseEntityQuery('iban', 'nl91abna0417164300'), 'NL91ABNA0417164300');
  assert.equal(normaliseEntityQuery('iban', 'NL91 ABNA 0417 1643 00'), 'NL91ABNA0417164300');
  assert.equal(normaliseEntityQuery('iban', 'NL92ABNA0417164300'), undefined);
  assert.equal(normaliseEntityQuery('bic', 'abnanl2a'), 'ABNANL2A');
  assert.equal(normaliseEntityQuery('email', 'Rico@Gmail.com'), 'rico@gmail.com');
  assert.equal(normaliseEntityQuery('btc', 'BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4'), 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4');
  assert.equal(normaliseEntityQuery('eth', '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed'), '0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed');
  assert.equal(normaliseEntityQuery('imei', '35-693803-564380-9'), '356938035643809');
  assert.equal(normaliseEntityQuery('container', 'csqu 305438-3'), 'CSQU3054383');
  assert.equal(normaliseEntityQuery('plate', '12 bdf 3'), 'NL:12-BDF-3');
  assert.equal(normaliseEntityQuery('plate', 'NL:12-BDF-3'), 'NL:12-BDF-3');
  assert.equal(normaliseEntityQuery('ipv6', '2001:0DB8::0001'), '2001:db8::1');
  assert.equal(normaliseEntityQuery('ipv4', '10.0.0.1'), '10.0.0.1');
  assert.equal(normaliseEntityQuery('coordinates', '51.9225, 4.47917'), '51.92250,4.47917');
  assert.equal(normaliseEntityQuery('amount', '25k'), 'EUR 25000');
  assert.equal(normaliseEntityQuery('amount', 'EUR 25000'), 'EUR 25000');
  assert.equal(normaliseEntityQuery('url', 'https://t.me/rico'), 'https://t.me/rico');
  for (const type of ENTITY_TYPES) assert.equal(normaliseEntityQuery(type, 'hallo'), undefined, type);
});

test('the language of a message picks the regions its national numbers are read in', () => {
  assert.deepEqual(contextForLanguage('fr', 'NL'), { defaultRegion: 'FR', fallbackRegions: ['BE', 'MA', 'NL'] });
  assert.deepEqual(contextForLanguage('nl', 'NL'), { defaultRegion: 'NL', fallbackRegions: ['BE'] });
  assert.equal(contextForLanguage(undefined, 'NL').defaultRegion, 'NL');
});
