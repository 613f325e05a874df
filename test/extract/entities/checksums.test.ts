import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  base58CheckDecode, bech32Character, bech32HrpExpand, bech32Polymod, decodeSegwitAddress, isContainerNumberValid, isEthereumAddressValid,
  isMoneroAddressValid,
} from '../../../src/extract/checksums.ts';

/** bech32m encoding (BIP-350) written out here, so the decoder is checked against an encoder it does not share. */
function segwitAddress(version: number, program: Uint8Array, checksumConstant: number): string {
  const data = [version];
  let acc = 0;
  let bits = 0;
  for (const b of program) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      data.push((acc >>> bits) & 31);
    }
  }
  if (bits > 0) data.push((acc << (5 - bits)) & 31);
  const poly = bech32Polymod([...bech32HrpExpand('bc'), ...data, 0, 0, 0, 0, 0, 0]) ^ checksumConstant;
  let out = 'bc1';
  for (const d of data) out += bech32Character(d);
  for (let i = 0; i < 6; i++) out += bech32Character((poly >>> (5 * (5 - i))) & 31);
  return out;
}

test('base58check decodes known P2PKH and P2SH addresses and rejects a changed character', () => {
  assert.equal(base58CheckDecode('1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa')?.version, 0);
  assert.equal(base58CheckDecode('3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy')?.version, 5);
  assert.equal(base58CheckDecode('16UwLL9Risc3QfPqBUvKofHmBQ7wMtjvM')?.payload.length, 20);
  assert.equal(base58CheckDecode('1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb'), undefined);
  assert.equal(base58CheckDecode('1A1zP1eP5QGefi2DMPTfTL5SLmv7Divf0a'), undefined, '0 is not base58');
});

test('segwit addresses: BIP-173 vectors, and the checksum constant must fit the witness version', () => {
  assert.equal(decodeSegwitAddress('bc', 'BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4')?.program.length, 20);
  assert.equal(decodeSegwitAddress('bc', 'bc1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3qccfmv3')?.program.length, 32);
  assert.equal(decodeSegwitAddress('bc', 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5'), undefined, 'changed checksum');
  assert.equal(decodeSegwitAddress('bc', 'bc1Qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4'), undefined, 'mixed case');
  const program = Uint8Array.from({ length: 32 }, (_, i) => (i * 37 + 11) & 255);
  const taproot = segwitAddress(1, program, 0x2bc830a3);
  assert.ok(taproot.startsWith('bc1p'));
  assert.deepEqual(decodeSegwitAddress('bc', taproot)?.program, program);
  assert.equal(decodeSegwitAddress('bc', segwitAddress(1, program, 1)), undefined, 'v1 with a bech32 checksum');
  assert.equal(decodeSegwitAddress('bc', segwitAddress(0, program.subarray(0, 20), 0x2bc830a3)), undefined, 'v0 with a bech32m checksum');
  assert.equal(decodeSegwitAddress('bc', segwitAddress(0, program.subarray(0, 24), 1)), undefined, 'v0 program must be 20 or 32 bytes');
});

test('EIP-55: the EIP vectors pass, one flipped letter fails, single-case addresses carry no checksum', () => {
  assert.ok(isEthereumAddressValid('0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed'));
  assert.ok(isEthereumAddressValid('0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359'));
  assert.equal(isEthereumAddressValid('0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD'), false);
  assert.ok(isEthereumAddressValid('0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed'));
  assert.ok(isEthereumAddressValid('0x5AAEB6053F3E94C9B9A09F33669435E7EF1BEAED'));
  assert.equal(isEthereumAddressValid('0x5aaeb6053f3e94c9b9a09f33669435e7ef1bea'), false, '38 hex digits');
});

test('Monero: a published address passes, one changed character fails', () => {
  const address = '44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A';
  assert.ok(isMoneroAddressValid(address));
  assert.equal(isMoneroAddressValid(address.slice(0, 50) + (address[50] === 'a' ? 'b' : 'a') + address.slice(51)), false);
  assert.equal(isMoneroAddressValid(address.slice(0, 94)), false);
});

test('ISO 6346: the check digit is verified, 10 is written as 0', () => {
  assert.ok(isContainerNumberValid('CSQU3054383'));
  assert.equal(isContainerNumberValid('CSQU3054384'), false);
  assert.equal(isContainerNumberValid('CSQA3054383'), false, 'category letter must be U, J or Z');
});
