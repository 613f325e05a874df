// Check digits and address checksums shared by the extractors (which verify) and the corpus
// generator (which computes). Verifying the checksum, not just the shape, is what lets an
// extractor tell a wallet or an account number from a random string that looks like one.

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

export function isIbanValid(iban: string): boolean {
  const compact = iban.replace(/\s+/g, '').toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$/.test(compact)) return false;
  return mod97(compact.slice(4) + compact.slice(0, 4)) === 1;
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

/** Upper-case compact container number whose last digit is the ISO 6346 check (10 written as 0). */
export function isContainerNumberValid(compact: string): boolean {
  if (!/^[A-Z]{3}[UJZ]\d{7}$/.test(compact)) return false;
  return iso6346CheckDigit(compact) % 10 === compact.charCodeAt(10) - 48;
}

export function sha256(data: Uint8Array | string): Uint8Array {
  return createHash('sha256').update(data).digest();
}

export const BASE58_ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

const BASE58_VALUE: Int8Array = (() => {
  const out = new Int8Array(128).fill(-1);
  for (let i = 0; i < BASE58_ALPHABET.length; i++) out[BASE58_ALPHABET.charCodeAt(i)] = i;
  return out;
})();

function base58Value(code: number): number {
  return code < 128 ? (BASE58_VALUE[code] ?? -1) : -1;
}

/** Bitcoin-style base58 (one big number, leading '1's are zero bytes); undefined on a bad character. */
export function base58Decode(text: string): Uint8Array | undefined {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    let carry = base58Value(text.charCodeAt(i));
    if (carry < 0) return undefined;
    for (let j = 0; j < bytes.length; j++) {
      carry += (bytes[j] ?? 0) * 58;
      bytes[j] = carry & 0xff;
      carry >>= 8;
    }
    while (carry > 0) {
      bytes.push(carry & 0xff);
      carry >>= 8;
    }
  }
  let zeros = 0;
  while (zeros < text.length && text.charCodeAt(zeros) === 49) zeros++;
  const out = new Uint8Array(zeros + bytes.length);
  for (let i = 0; i < bytes.length; i++) out[out.length - 1 - i] = bytes[i] ?? 0;
  return out;
}

/** Version byte and payload of a base58check string whose double-SHA256 checksum holds. */
export function base58CheckDecode(text: string): { version: number; payload: Uint8Array } | undefined {
  const full = base58Decode(text);
  if (!full || full.length < 5) return undefined;
  const body = full.subarray(0, full.length - 4);
  const check = sha256(sha256(body));
  for (let i = 0; i < 4; i++) if (check[i] !== full[body.length + i]) return undefined;
  return { version: body[0] ?? 0, payload: body.subarray(1) };
}

const BECH32_CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const BECH32_GEN = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];
/** BIP-350: witness v0 keeps bech32's constant 1, v1 and later use bech32m's. */
const BECH32_CONST = 1;
const BECH32M_CONST = 0x2bc830a3;

export function bech32Polymod(values: readonly number[]): number {
  let chk = 1;
  for (const v of values) {
    const top = chk >>> 25;
    chk = ((chk & 0x1ffffff) << 5) ^ v;
    for (let i = 0; i < 5; i++) if ((top >>> i) & 1) chk ^= BECH32_GEN[i] ?? 0;
  }
  return chk >>> 0;
}

export function bech32HrpExpand(hrp: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < hrp.length; i++) out.push(hrp.charCodeAt(i) >> 5);
  out.push(0);
  for (let i = 0; i < hrp.length; i++) out.push(hrp.charCodeAt(i) & 31);
  return out;
}

export function bech32Character(value: number): string {
  return BECH32_CHARSET[value] ?? '';
}

/** Regroups 5-bit values into bytes; undefined when the padding is not what an encoder writes. */
function fromFiveBit(values: readonly number[]): Uint8Array | undefined {
  const out: number[] = [];
  let acc = 0;
  let bits = 0;
  for (const v of values) {
    acc = ((acc << 5) | v) & 0xfff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push((acc >>> bits) & 0xff);
    }
  }
  if (bits >= 5 || ((acc << (8 - bits)) & 0xff) !== 0) return undefined;
  return Uint8Array.from(out);
}

/** A segwit address (BIP-173/350) for this human-readable part, checked per witness version. */
export function decodeSegwitAddress(expectedHrp: string, address: string): { version: number; program: Uint8Array } | undefined {
  if (address !== address.toLowerCase() && address !== address.toUpperCase()) return undefined;
  const text = address.toLowerCase();
  const sep = text.lastIndexOf('1');
  if (sep < 1 || text.slice(0, sep) !== expectedHrp || text.length > 90 || text.length - sep - 1 < 7) return undefined;
  const data: number[] = [];
  for (let i = sep + 1; i < text.length; i++) {
    const v = BECH32_CHARSET.indexOf(text[i] ?? '');
    if (v < 0) return undefined;
    data.push(v);
  }
  const version = data[0] ?? -1;
  if (version > 16) return undefined;
  const residue = bech32Polymod([...bech32HrpExpand(expectedHrp), ...data]);
  if (residue !== (version === 0 ? BECH32_CONST : BECH32M_CONST)) return undefined;
  const program = fromFiveBit(data.slice(1, -6));
  if (!program || program.length < 2 || program.length > 40) return undefined;
  if (version === 0 && program.length !== 20 && program.length !== 32) return undefined;
  return { version, program };
}

/** The EIP-55 mixed-case spelling of an address given as 40 lower-case hex digits. */
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

/** All-lower and all-upper hex carry no checksum (pre-EIP-55 wallets); mixed case must match EIP-55. */
export function isEthereumAddressValid(address: string): boolean {
  if (!/^0x[0-9a-fA-F]{40}$/.test(address)) return false;
  const hex = address.slice(2);
  const lower = hex.toLowerCase();
  if (hex === lower || hex === hex.toUpperCase()) return true;
  return eip55(lower) === address;
}

// Monero's base58 works on 8-byte blocks (11 chars each) so addresses have a
// fixed length; a trailing partial block uses this size table.
export const MONERO_BLOCK_SIZES = [0, 2, 3, 5, 6, 7, 9, 10, 11];

export function moneroBase58Decode(text: string): Uint8Array | undefined {
  const out: number[] = [];
  for (let offset = 0; offset < text.length; offset += 11) {
    const chunk = text.slice(offset, offset + 11);
    const size = MONERO_BLOCK_SIZES.indexOf(chunk.length);
    if (size <= 0) return undefined;
    let num = 0n;
    for (let i = 0; i < chunk.length; i++) {
      const v = base58Value(chunk.charCodeAt(i));
      if (v < 0) return undefined;
      num = num * 58n + BigInt(v);
    }
    if (num >> BigInt(8 * size) !== 0n) return undefined;
    for (let i = size - 1; i >= 0; i--) out.push(Number((num >> BigInt(8 * i)) & 0xffn));
  }
  return Uint8Array.from(out);
}

// Mainnet network bytes: standard address, integrated address (with payment id), subaddress.
const MONERO_PREFIXES: Readonly<Record<number, number>> = { 0x12: 69, 0x13: 77, 0x2a: 69 };

/** A mainnet Monero address whose Keccak-256 checksum (last 4 bytes) holds. */
export function isMoneroAddressValid(address: string): boolean {
  const data = moneroBase58Decode(address);
  if (!data || MONERO_PREFIXES[data[0] ?? -1] !== data.length) return false;
  const check = keccak256(data.subarray(0, data.length - 4));
  for (let i = 0; i < 4; i++) if (check[i] !== data[data.length - 4 + i]) return false;
  return true;
}
