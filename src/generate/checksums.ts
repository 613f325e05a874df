// Check digits and address encodings for planted entities. Every planted value
// must validate (and every decoy must fail) so an extractor's precision can be
// measured against the checksum, not just the shape.

import { createHash } from 'node:crypto';
import { keccak256 } from './keccak.ts';

export function luhnCheckDigit(payload: string): number {
  let sum = 0;
  // Doubling starts at the rightmost payload digit because the check digit
  // will sit to its right.
  for (let i = payload.length - 1, double = true; i >= 0; i--, double = !double) {
    let d = payload.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

export function isLuhnValid(digits: string): boolean {
  if (!/^\d{2,}$/.test(digits)) return false;
  return luhnCheckDigit(digits.slice(0, -1)) === digits.charCodeAt(digits.length - 1) - 48;
}

/** Remainder mod 97 of an IBAN-style string where letters count as 10..35. */
export function mod97(text: string): number {
  let rem = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) rem = (rem * 10 + (c - 48)) % 97;
    else rem = (rem * 100 + (c - 55)) % 97;
  }
  return rem;
}

export function ibanCheckDigits(country: string, bban: string): string {
  const check = 98 - mod97(bban + country + '00');
  return check < 10 ? '0' + check : String(check);
}

export function isIbanValid(iban: string): boolean {
  const compact = iban.replace(/\s+/g, '').toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$/.test(compact)) return false;
  return mod97(compact.slice(4) + compact.slice(0, 4)) === 1;
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

// ISO 6346 letter values skip multiples of 11 (11, 22, 33).
const ISO6346_LETTERS: Record<string, number> = (() => {
  const out: Record<string, number> = {};
  let v = 10;
  for (let c = 65; c <= 90; c++) {
    if (v % 11 === 0) v++;
    out[String.fromCharCode(c)] = v;
    v++;
  }
  return out;
})();

/** Check digit of a container number (owner code + category + 6-digit serial); 10 means "avoid". */
export function iso6346CheckDigit(first10: string): number {
  let sum = 0;
  for (let i = 0; i < 10; i++) {
    const ch = first10[i] ?? '0';
    const v = i < 4 ? (ISO6346_LETTERS[ch] ?? 0) : ch.charCodeAt(0) - 48;
    sum += v * 2 ** i;
  }
  return sum % 11;
}

export function sha256(data: Uint8Array | string): Uint8Array {
  return createHash('sha256').update(data).digest();
}

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

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
  for (let i = digits.length - 1; i >= 0; i--) out += BASE58[digits[i] ?? 0];
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

const BECH32_CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const BECH32_GEN = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];

function bech32Polymod(values: readonly number[]): number {
  let chk = 1;
  for (const v of values) {
    const top = chk >>> 25;
    chk = ((chk & 0x1ffffff) << 5) ^ v;
    for (let i = 0; i < 5; i++) if ((top >>> i) & 1) chk ^= BECH32_GEN[i] ?? 0;
  }
  return chk >>> 0;
}

function hrpExpand(hrp: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < hrp.length; i++) out.push(hrp.charCodeAt(i) >> 5);
  out.push(0);
  for (let i = 0; i < hrp.length; i++) out.push(hrp.charCodeAt(i) & 31);
  return out;
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
  const poly = bech32Polymod([...hrpExpand(hrp), ...data, 0, 0, 0, 0, 0, 0]) ^ 1;
  let out = hrp + '1';
  for (const d of data) out += BECH32_CHARSET[d];
  for (let i = 0; i < 6; i++) out += BECH32_CHARSET[(poly >>> (5 * (5 - i))) & 31];
  return out;
}

export function eip55(addressLowerHex40: string): string {
  const hash = keccak256(new TextEncoder().encode(addressLowerHex40));
  let out = '0x';
  for (let i = 0; i < 40; i++) {
    const ch = addressLowerHex40[i] ?? '0';
    const nibble = i % 2 === 0 ? (hash[i >>> 1] ?? 0) >>> 4 : (hash[i >>> 1] ?? 0) & 15;
    out += nibble >= 8 ? ch.toUpperCase() : ch;
  }
  return out;
}

// Monero's base58 works on 8-byte blocks (11 chars each) so addresses have a
// fixed length; a trailing partial block uses this size table.
const MONERO_BLOCK_SIZES = [0, 2, 3, 5, 6, 7, 9, 10, 11];

export function moneroBase58Encode(bytes: Uint8Array): string {
  let out = '';
  for (let offset = 0; offset < bytes.length; offset += 8) {
    const block = bytes.subarray(offset, Math.min(offset + 8, bytes.length));
    let num = 0n;
    for (const b of block) num = (num << 8n) | BigInt(b);
    const size = MONERO_BLOCK_SIZES[block.length] ?? 0;
    let chunk = '';
    for (let i = 0; i < size; i++) {
      chunk = BASE58[Number(num % 58n)] + chunk;
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
