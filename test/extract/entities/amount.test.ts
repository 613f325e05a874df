import { test } from 'node:test';
import assert from 'node:assert/strict';
import { found, valuesOf } from './helpers.ts';

test('Dutch writings of euros', () => {
  const cases: [string, string][] = [
    ['€ 25.000', 'EUR 25000'], ['€25.000', 'EUR 25000'], ['25.000 euro', 'EUR 25000'], ['EUR 25.000', 'EUR 25000'], ['25.000,-', 'EUR 25000'],
    ['500 eu', 'EUR 500'], ['25k', 'EUR 25000'], ['25K', 'EUR 25000'], ['€25k', 'EUR 25000'], ['25 ruggen', 'EUR 25000'], ['25k euro', 'EUR 25000'],
    ['2 mil', 'EUR 2000000'], ['2 miljoen', 'EUR 2000000'], ['€2M', 'EUR 2000000'], ['7.000.000 euro', 'EUR 7000000'], ['1,5k', 'EUR 1500'],
  ];
  for (const [w, value] of cases) assert.deepEqual(found('hij krijgt ' + w + ' morgen'), [['amount', value, w]], w);
});

test('French and English writings', () => {
  const cases: [string, string][] = [
    ['25 000 €', 'EUR 25000'], ['25 000 euros', 'EUR 25000'], ['25.000 eur', 'EUR 25000'], ['25000€', 'EUR 25000'], ['25k€', 'EUR 25000'],
    ['25 K€', 'EUR 25000'], ['25 000 balles', 'EUR 25000'], ['2 millions', 'EUR 2000000'], ['2 M€', 'EUR 2000000'], ['25\u202f000 €', 'EUR 25000'],
    ['£25,000', 'GBP 25000'], ['£3,500.00', 'GBP 3500'], ['500 quid', 'GBP 500'], ['£25k', 'GBP 25000'], ['3 grand', 'GBP 3000'], ['3 bags', 'GBP 3000'],
    ['£2m', 'GBP 2000000'], ['2 million quid', 'GBP 2000000'], ['$200', 'USD 200'],
  ];
  for (const [w, value] of cases) assert.deepEqual(found('he wants ' + w + ' now'), [['amount', value, w]], w);
});

test('"ton" is a hundred thousand euros, but only where money is talked about', () => {
  assert.deepEqual(valuesOf('hij heeft 3,5 ton cash liggen', 'amount'), ['EUR 350000']);
  assert.deepEqual(valuesOf('bus mag 3,5 ton wegen', 'amount'), []);
});

test('shop prices, quantities, scores, metres and bare numbers are not amounts', () => {
  for (const text of ['pizza kost €12,50', 'lunch 12,50', 'broodje £6.95', 'betaalde €12,00', 'hij heeft 45 stenen nodig', '40 keys', '40 kilo', '25kg', 'ajax won 3-1', 'nog 2m', 'om 25.000 mensen', '5 euro']) {
    assert.deepEqual(valuesOf(text, 'amount'), [], text);
  }
  assert.deepEqual(valuesOf('3 bags of weed', 'amount'), []);
});

test('the default currency of a bare "25k" comes from the context', () => {
  assert.deepEqual(valuesOf('he owes 25k', 'amount', { defaultCurrency: 'GBP' }), ['GBP 25000']);
});
