import { test } from 'node:test';
import assert from 'node:assert/strict';
import { found, valuesOf } from './helpers.ts';

test('bitcoin: base58check P2PKH and P2SH, bech32 P2WPKH and P2WSH; bech32 is lower-cased', () => {
  assert.deepEqual(valuesOf('wallet 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa en 3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy', 'btc'), [
    '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa', '3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy',
  ]);
  assert.deepEqual(found('btc BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4!'), [
    ['btc', 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4', 'BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4'],
  ]);
  assert.deepEqual(valuesOf('bc1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3qccfmv3', 'btc'), ['bc1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3qccfmv3']);
});

test('bitcoin look-alikes with a broken checksum, or inside a longer token, are rejected', () => {
  assert.deepEqual(valuesOf('adres 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb werkt niet', 'btc'), []);
  assert.deepEqual(valuesOf('bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5 klopt niet', 'btc'), []);
  assert.deepEqual(valuesOf('x1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa', 'btc'), []);
});

test('ethereum: EIP-55 checked when mixed case, single case accepted, value lower case', () => {
  assert.deepEqual(valuesOf('usdt naar 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed', 'eth'), ['0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed']);
  assert.deepEqual(valuesOf('0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed', 'eth'), ['0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed']);
  assert.deepEqual(valuesOf('adres 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD geeft fout', 'eth'), [], 'one letter in the wrong case');
  assert.deepEqual(valuesOf('0x5aaeb6053f3e94c9b9a09f33669435e7ef1bea', 'eth'), [], 'too short');
});

test('monero: 95-character standard address with a valid Keccak checksum', () => {
  const address = '44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A';
  assert.deepEqual(found('alleen monero: ' + address), [['xmr', address, address]]);
  assert.deepEqual(valuesOf(address.replace('GBoZ', 'GBoY'), 'xmr'), []);
});
