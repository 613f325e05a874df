// Independent checks for planted entities, written separately from
// src/generate/checksums.ts (BigInt arithmetic, decode-and-verify instead of
// encode) so a bug in the generator cannot hide behind the same bug here.

import { createHash } from 'node:crypto';

export function luhnOk(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  const rev = digits.split('').reverse();
  rev.forEach((ch, i) => {
    let d = Number(ch);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  });
  return sum % 10 === 0;
}

export function ibanOk(iban: string): boolean {
  const s = iban.replace(/ /g, '').toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]+$/.test(s)) return false;
  const lengths: Record<string, number> = { NL: 18, BE: 16, DE: 22, FR: 27, ES: 24, GB: 22 };
  const want = lengths[s.slice(0, 2)];
  if (want !== undefined && s.length !== want) return false;
  const moved = s.slice(4) + s.slice(0, 4);
  const numeric = moved.replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  return BigInt(numeric) % 97n === 1n;
}

const B58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

function base58Decode(s: string): Buffer | null {
  let n = 0n;
  for (const ch of s) {
    const v = B58.indexOf(ch);
    if (v < 0) return null;
    n = n * 58n + BigInt(v);
  }
  let hex = n.toString(16);
  if (hex.length % 2) hex = '0' + hex;
  const lead = s.match(/^1*/)?.[0].length ?? 0;
  return Buffer.concat([Buffer.alloc(lead), Buffer.from(n === 0n ? '' : hex, 'hex')]);
}

function sha256(b: Buffer): Buffer {
  return createHash('sha256').update(b).digest();
}

export function base58checkOk(addr: string): boolean {
  const raw = base58Decode(addr);
  if (!raw || raw.length !== 25) return false;
  const body = raw.subarray(0, 21);
  const check = sha256(sha256(body)).subarray(0, 4);
  return check.equals(raw.subarray(21)) && (raw[0] === 0 || raw[0] === 5);
}

const BECH = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';

export function bech32Ok(addr: string): boolean {
  if (addr !== addr.toLowerCase()) return false;
  const pos = addr.lastIndexOf('1');
  const hrp = addr.slice(0, pos);
  const data = [...addr.slice(pos + 1)].map((c) => BECH.indexOf(c));
  if (data.some((d) => d < 0) || hrp !== 'bc') return false;
  const values = [...[...hrp].map((c) => c.charCodeAt(0) >> 5), 0, ...[...hrp].map((c) => c.charCodeAt(0) & 31), ...data];
  const gens = [0x3b6a57b2n, 0x26508e6dn, 0x1ea119fan, 0x3d4233ddn, 0x2a1462b3n];
  let chk = 1n;
  for (const v of values) {
    const top = chk >> 25n;
    chk = ((chk & 0x1ffffffn) << 5n) ^ BigInt(v);
    for (let i = 0n; i < 5n; i++) if ((top >> i) & 1n) chk ^= gens[Number(i)] ?? 0n;
  }
  return chk === 1n && (addr.length === 42 || addr.length === 62);
}

export function btcOk(addr: string): boolean {
  return addr.startsWith('bc1') ? bech32Ok(addr) : base58checkOk(addr);
}

export function containerOk(c: string): boolean {
  if (!/^[A-Z]{3}[UJZ]\d{7}$/.test(c)) return false;
  const values: number[] = [];
  for (let v = 10, ch = 65; ch <= 90; ch++, v++) {
    if (v % 11 === 0) v++;
    values[ch] = v;
  }
  let sum = 0;
  for (let i = 0; i < 10; i++) {
    const ch = c.charCodeAt(i);
    sum += (i < 4 ? (values[ch] ?? 0) : ch - 48) * Math.pow(2, i);
  }
  return (sum % 11) % 10 === Number(c[10]);
}

export const PHONE_PATTERNS: readonly RegExp[] = [
  /^\+316[1-5]\d{7}$/, /^\+324[5-9]\d{7}$/, /^\+33[67]\d{8}$/, /^\+491[5-7]\d{8,9}$/, /^\+447[4-9]\d{8}$/, /^\+3538[35679]\d{7}$/, /^\+212[67]\d{8}$/, /^\+34[67]\d{8}$/,
];

export function phoneOk(e164: string): boolean {
  return PHONE_PATTERNS.some((p) => p.test(e164));
}

export const PLATE_PATTERNS: readonly RegExp[] = [
  /^NL:[0-9BDFGHJKLNPRSTVXZ]{1,3}-[0-9BDFGHJKLNPRSTVXZ]{2,3}-[0-9BDFGHJKLNPRSTVXZ]{1,3}$/,
  /^BE:[12]-[A-Z]{3}-\d{3}$/,
  /^DE:[A-Z]{1,3}-[A-Z]{1,2}-\d{1,4}$/,
  /^FR:[A-Z]{2}-\d{3}-[A-Z]{2}$/,
  /^GB:[A-Z]{2}\d{2}-[A-Z]{3}$/,
];

export function ipv4Ok(s: string): boolean {
  const parts = s.split('.');
  return parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255 && String(Number(p)) === p);
}

export function ipv6Ok(s: string): boolean {
  if (s !== s.toLowerCase()) return false;
  const halves = s.split('::');
  if (halves.length > 2) return false;
  const groups = halves.flatMap((h) => (h ? h.split(':') : []));
  if (groups.some((g) => !/^[0-9a-f]{1,4}$/.test(g) || (g.length > 1 && g.startsWith('0')))) return false;
  return halves.length === 2 ? groups.length <= 6 : groups.length === 8;
}
