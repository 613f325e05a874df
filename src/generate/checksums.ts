// Check digits and address encodings for planted entities. Every planted value
// must validate (and every decoy must fail) so an extractor's precision can be
// measured against the checksum, not just the shape.

import { keccak256 } from '../extract/keccak.ts';
import {
  BASE58_ALPHABET, MONERO_BLOCK_SIZES, bech32Character, bech32HrpExpand, bech32Polymod, mod97, sha256,
} from '../extract/checksums.ts';

// The validators live with the extractors; the generator re-exports the ones its callers use.
export { eip55, isIbanValid, isLuhnValid, iso6346CheckDigit, luhnCheckDigit, mod97, sha256 } from '../extract/checksums.ts';

export function ibanCheckDigits(country: string, bban: string): string {
  const check = 98 - mod97(bban + country + '00');
  return check < 10 ? '0' + check : String(check);
}

/** Belgian account number check: first 10 digits mod 97, with 0 written as 97. */
export function belgianAccountCheck(first10: string): string {
  const r = Number(first10) % 97;
  const check = r === 0 ? 97 : r;
  return check < 10 ? '0' + check : String(check);
}

/** French RIB key over bank (5), branch (5) and an all-digit account (11). */
export function frenchRibKey(bank: string, branch: string, account: string): string {
  const key = 97 - ((89 * Number(bank) + 15 * Number(branch) + 3 * Number(account)) % 97);
  return key < 10 ? '0' + key : String(key);
}

const ES_WEIGHTS = [1, 2, 4, 8, 5, 10, 9, 7, 3, 6];

function spanishDigit(ten: string): number {
  let sum = 0;
  for (let i = 0; i < 10; i++) sum += (ten.charCodeAt(i) - 48) * (ES_WEIGHTS[i] ?? 0);
  const d = 11 - (sum % 11);
  return d === 11 ? 0 : d === 10 ? 1 : d;
}

/** The two "DC" control digits of a Spanish CCC account number. */
export function spanishControlDigits(bank: string, branch: string, account: string): string {
  return String(spanishDigit('00' + bank + branch)) + String(spanishDigit(account));
}


export function base58Encode(bytes: Uint8Array): string {
  const digits: number[] = [];
  for (const byte of bytes) {
    let carry = byte;
    for (let j = 0; j < digits.length; j++) {
      carry += (digits[j] ?? 0) << 8;
      digits[j] = carry % 58;
      carry = Math.floor(carry / 58);
    }
    while (carry > 0) {
      digits.push(carry % 58);
      carry = Math.floor(carry / 58);
    }
  }
  let out = '';
  for (let i = 0; i < bytes.length && bytes[i] === 0; i++) out += '1';
  for (let i = digits.length - 1; i >= 0; i--) out += BASE58_ALPHABET[digits[i] ?? 0];
  return out;
}

export function base58CheckEncode(version: number, payload: Uint8Array): string {
  const body = new Uint8Array(1 + payload.length);
  body[0] = version;
  body.set(payload, 1);
  const check = sha256(sha256(body));
  const full = new Uint8Array(body.length + 4);
  full.set(body);
  full.set(check.subarray(0, 4), body.length);
  return base58Encode(full);
}

function toFiveBit(bytes: Uint8Array): number[] {
  const out: number[] = [];
  let acc = 0;
  let bits = 0;
  for (const b of bytes) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out.push((acc >>> bits) & 31);
    }
  }
  if (bits > 0) out.push((acc << (5 - bits)) & 31);
  return out;
}

/** Segwit v0 address (bech32, BIP-173): 20-byte program = P2WPKH, 32 = P2WSH. */
export function segwitV0Address(hrp: string, program: Uint8Array): string {
  const data = [0, ...toFiveBit(program)];
  const poly = bech32Polymod([...bech32HrpExpand(hrp), ...data, 0, 0, 0, 0, 0, 0]) ^ 1;
  let out = hrp + '1';
  for (const d of data) out += bech32Character(d);
  for (let i = 0; i < 6; i++) out += bech32Character((poly >>> (5 * (5 - i))) & 31);
  return out;
}

// Monero's base58 works on 8-byte blocks (11 chars each); see MONERO_BLOCK_SIZES.
export function moneroBase58Encode(bytes: Uint8Array): string {
  let out = '';
  for (let offset = 0; offset < bytes.length; offset += 8) {
    const block = bytes.subarray(offset, Math.min(offset + 8, bytes.length));
    let num = 0n;
    for (const b of block) num = (num << 8n) | BigInt(b);
    const size = MONERO_BLOCK_SIZES[block.length] ?? 0;
    let chunk = '';
    for (let i = 0; i < size; i++) {
      chunk = BASE58_ALPHABET[Number(num % 58n)] + chunk;
      num /= 58n;
    }
    out += chunk;
  }
  return out;
}

/** Standard mainnet address: 0x12 + spend key + view key + 4-byte Keccak checksum. */
export function moneroAddress(spendKey: Uint8Array, viewKey: Uint8Array): string {
  const data = new Uint8Array(69);
  data[0] = 0x12;
  data.set(spendKey, 1);
  data.set(viewKey, 33);
  data.set(keccak256(data.subarray(0, 65)).subarray(0, 4), 65);
  return moneroBase58Encode(data);
}
