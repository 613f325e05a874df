// IP addresses. IPv4 needs four octets of at most 255 without leading zeros, standing alone:
// "v1.2.3.4", "versie 6.7.39.837" and the middle of "1.2.3.4.5" are version numbers, not hosts.
// IPv6 candidates are judged by node:net and written in RFC 5952 canonical form.

import { isIPv6 } from 'node:net';
import { isTokenCharacter } from './boundaries.ts';
import type { EntityMention } from './types.ts';

const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4 = new RegExp(`(?<![\\p{L}\\p{N}_.\\/-])${OCTET}(?:\\.${OCTET}){3}(?![\\p{L}\\p{N}_]|\\.\\d)`, 'gu');
const VERSION_BEFORE = /(?:\bversie|\bversion|\bversión|\bfirmware|\bupdate|\bbuild|\brelease|\bv)[\s.:]*$/i;
const IPV6_CANDIDATE = /(?<![\p{L}\p{N}_:.])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?:\.\d{1,3}){0,3}/gu;

export function extractIpv4s(text: string): EntityMention[] {
  const found: EntityMention[] = [];
  IPV4.lastIndex = 0;
  for (let match = IPV4.exec(text); match !== null; match = IPV4.exec(text)) {
    if (VERSION_BEFORE.test(text.slice(Math.max(0, match.index - 12), match.index))) continue;
    found.push({ type: 'ipv4', value: match[0], start: match.index, end: match.index + match[0].length });
  }
  return found;
}

export function normaliseIpv4(input: string): string | undefined {
  const trimmed = input.trim();
  IPV4.lastIndex = 0;
  const match = IPV4.exec(trimmed);
  return match && match[0] === trimmed ? trimmed : undefined;
}

export function extractIpv6s(text: string): EntityMention[] {
  const found: EntityMention[] = [];
  IPV6_CANDIDATE.lastIndex = 0;
  for (let match = IPV6_CANDIDATE.exec(text); match !== null; match = IPV6_CANDIDATE.exec(text)) {
    let written = match[0];
    // a sentence colon after the address: "adres is 2001:db8::1: check"
    if (written.endsWith(':') && !written.endsWith('::')) written = written.slice(0, -1);
    const end = match.index + written.length;
    if (isTokenCharacter(text[end]) || !looksLikeAddress(written)) continue;
    const value = canonicalIpv6(written);
    if (value !== undefined) found.push({ type: 'ipv6', value, start: match.index, end });
  }
  return found;
}

/** Times ("12:30:45") and ratios are not valid IPv6, but "12::30" is: ask for real evidence. */
function looksLikeAddress(written: string): boolean {
  if (!isIPv6(written)) return false;
  return /[a-fA-F]/.test(written) || written.split(':').length >= 8 || (written.includes('::') && written.split(':').filter(Boolean).length >= 3);
}

/** RFC 5952: lower case, no leading zeros, the longest run of two or more zero groups as "::". */
export function canonicalIpv6(written: string): string | undefined {
  if (!isIPv6(written)) return undefined;
  const groups = ipv6Groups(written.toLowerCase());
  if (groups === undefined) return undefined;
  let bestStart = -1;
  let bestLength = 0;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength && j - i >= 2) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return hex.slice(0, bestStart).join(':') + '::' + hex.slice(bestStart + bestLength).join(':');
}

function ipv6Groups(address: string): number[] | undefined {
  let text = address;
  const tail: number[] = [];
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    tail.push((a << 8) | b, (c << 8) | d);
    text = text.slice(0, dotted.index) + '0';
  }
  const [head = '', rest] = text.split('::');
  const parse = (part: string): number[] => (part === '' ? [] : part.split(':').map((h) => parseInt(h, 16)));
  const left = parse(head);
  const right = rest === undefined ? [] : parse(rest);
  if (dotted) (rest === undefined ? left : right).pop();
  const missing = 8 - left.length - right.length - tail.length;
  if (missing < 0 || (rest === undefined && missing !== 0)) return undefined;
  return [...left, ...new Array<number>(missing).fill(0), ...right, ...tail];
}

export function normaliseIpv6(input: string): string | undefined {
  return canonicalIpv6(input.trim());
}
