import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  base58CheckEncode, eip55, ibanCheckDigits, iso6346CheckDigit, luhnCheckDigit, moneroAddress, moneroBase58Encode, segwitV0Address,
} from '../../src/generate/checksums.ts';
import { keccak256, keccakSponge256 } from '../../src/extract/keccak.ts';
import { canonicalIpv6, makeDecoy, makeIban, makeImei, makeContainer, makeBtc } from '../../src/generate/entities.ts';
import { Rng } from '../../src/generate/rng.ts';
import { btcOk, containerOk, ibanOk, luhnOk } from './validators.ts';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

test('keccak-256 matches the Ethereum vector and SHA3 with FIPS padding', () => {
  assert.equal(hex(keccak256(new Uint8Array(0))), 'c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470');
  assert.equal(hex(keccak256(new TextEncoder().encode('abc'))), '4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45');
  for (const n of [0, 1, 55, 135, 136, 137, 271, 272, 1000]) {
    const data = new Uint8Array(n).map((_, i) => (i * 31 + n) & 255);
    assert.equal(hex(keccakSponge256(data, 0x06)), createHash('sha3-256').update(data).digest('hex'), 'length ' + n);
  }
});

test('EIP-55 reproduces the vectors from the EIP', () => {
  for (const v of ['0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed', '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359', '0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB', '0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb']) {
    assert.equal(eip55(v.slice(2).toLowerCase()), v);
  }
});

test('Monero base58 and checksum agree with a published address', () => {
  // Monero General Fund donation address; decode it, recompute the checksum, re-encode.
  const addr = '44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A';
  const alphabet = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
  const sizes = [0, 2, 3, 5, 6, 7, 9, 10, 11];
  const bytes: number[] = [];
  for (let i = 0; i < addr.length; i += 11) {
    const chunk = addr.slice(i, i + 11);
    const len = sizes.indexOf(chunk.length);
    let n = 0n;
    for (const ch of chunk) n = n * 58n + BigInt(alphabet.indexOf(ch));
    const block: number[] = [];
    for (let j = 0; j < len; j++) { block.unshift(Number(n & 255n)); n >>= 8n; }
    bytes.push(...block);
  }
  const data = Uint8Array.from(bytes);
  assert.equal(data.length, 69);
  assert.equal(data[0], 0x12);
  assert.deepEqual([...keccak256(data.subarray(0, 65)).subarray(0, 4)], [...data.subarray(65)]);
  assert.equal(moneroBase58Encode(data), addr);
  assert.equal(moneroAddress(data.subarray(1, 33), data.subarray(33, 65)), addr);
});

test('bitcoin encodings match known addresses', () => {
  assert.equal(base58CheckEncode(0, Buffer.from('010966776006953d5567439e5e39f86a0d273bee', 'hex')), '16UwLL9Risc3QfPqBUvKofHmBQ7wMtjvM');
  assert.equal(segwitV0Address('bc', Buffer.from('751e76e8199196d454941c45d1b3a323f1433bd6', 'hex')), 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4');
  const rng = new Rng(5);
  for (let i = 0; i < 300; i++) assert.ok(btcOk(makeBtc(rng).value));
});

test('Luhn, MOD-97 and ISO 6346 against known values and the independent checks', () => {
  assert.equal(luhnCheckDigit('49015420323751'), 8);
  assert.equal(ibanCheckDigits('NL', 'ABNA0417164300'), '91');
  assert.equal(iso6346CheckDigit('CSQU305438'), 3);
  const rng = new Rng(11);
  for (let i = 0; i < 500; i++) {
    assert.ok(luhnOk(makeImei(rng)));
    assert.ok(containerOk(makeContainer(rng)));
    for (const lang of ['nl', 'en', 'fr'] as const) {
      const v = makeIban(rng, lang).iban;
      assert.ok(ibanOk(v), v);
    }
  }
});

test('decoys fail the checks they imitate', () => {
  const rng = new Rng(3);
  for (let i = 0; i < 300; i++) {
    assert.equal(ibanOk(makeDecoy(rng, 'iban', 'nl').raw), false);
    assert.equal(luhnOk(makeDecoy(rng, 'imei', 'nl').raw), false);
    assert.equal(btcOk(makeDecoy(rng, 'btc', 'nl').raw), false);
    assert.equal(btcOk(makeDecoy(rng, 'bech32', 'nl').raw), false);
    assert.equal(containerOk(makeDecoy(rng, 'container', 'nl').raw), false);
    const eth = makeDecoy(rng, 'eth', 'nl').raw;
    if (eth.length === 42) assert.notEqual(eip55(eth.slice(2).toLowerCase()), eth);
  }
});

test('IPv6 canonical form follows RFC 5952', () => {
  assert.equal(canonicalIpv6([0x2001, 0xdb8, 0, 0, 0, 0, 0, 1]), '2001:db8::1');
  assert.equal(canonicalIpv6([0x2001, 0xdb8, 0, 1, 0, 0, 0, 1]), '2001:db8:0:1::1');
  assert.equal(canonicalIpv6([0x2001, 0xdb8, 1, 1, 1, 1, 0, 1]), '2001:db8:1:1:1:1:0:1');
});
