import { test } from 'node:test';
import assert from 'node:assert/strict';
import { found, valuesOf } from './helpers.ts';

test('decimal pairs with enough decimals, normalised to five', () => {
  assert.deepEqual(found('locatie 51.9225, 4.47917'), [['coordinates', '51.92250,4.47917', '51.9225, 4.47917']]);
  assert.deepEqual(valuesOf('53.45353,-2.27181', 'coordinates'), ['53.45353,-2.27181']);
  assert.deepEqual(valuesOf('-33.8688, 151.2093', 'coordinates'), ['-33.86880,151.20930']);
});

test('price lists, versions and out-of-range pairs are not positions', () => {
  for (const text of ['12.50, 13.75', '4.5, 3.25', '95.1234, 4.12345', '51.9225, 190.12345', '1.2.3, 4.5', '51.9225,4.47917.3']) {
    assert.deepEqual(valuesOf(text, 'coordinates'), [], text);
  }
});

test('degrees, minutes and seconds', () => {
  assert.deepEqual(found('hier 52°22\'12.3"N 4°53\'42.1"E'), [['coordinates', '52.37008,4.89503', '52°22\'12.3"N 4°53\'42.1"E']]);
  assert.deepEqual(valuesOf('36°28\'38.2"N 4°50\'44.3"W', 'coordinates'), ['36.47728,-4.84564']);
  assert.deepEqual(valuesOf('52°75\'12.3"N 4°53\'42.1"E', 'coordinates'), [], '75 minutes');
});

test('map links are a URL and a position over the same span', () => {
  for (const [link, value] of [
    ['https://www.google.com/maps/@51.46653,5.44022,14z', '51.46653,5.44022'],
    ['https://maps.google.com/?q=51.9225,4.47917', '51.92250,4.47917'],
    ['https://maps.apple.com/?ll=52.3676,4.9041', '52.36760,4.90410'],
    ['https://www.openstreetmap.org/?mlat=52.3676&mlon=4.9041#map=16/52.3676/4.9041', '52.36760,4.90410'],
    ['https://www.openstreetmap.org/#map=16/52.3676/4.9041', '52.36760,4.90410'],
  ] as const) {
    assert.deepEqual(found('kom naar ' + link + '.'), [['url', link, link], ['coordinates', value, link]], link);
  }
  assert.deepEqual(found('https://www.google.com/maps/place/Rotterdam'), [['url', 'https://www.google.com/maps/place/Rotterdam', 'https://www.google.com/maps/place/Rotterdam']]);
});
