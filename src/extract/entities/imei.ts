// Handset identities (IMEI): 14 digits and a Luhn check digit, compact or grouped 2-6-6-1 or
// 8-6-1. One random 15-digit number in ten passes Luhn, so we also want a sign that it is an
// IMEI: the word "imei" in the text, or a reporting-body prefix that real IMEIs carry.

import { isLuhnValid } from '../checksums.ts';
import type { EntityMention } from './types.ts';

const IMEI_CANDIDATE = /(?<![\p{L}\p{N}_]|[\p{N}][.,-])(?:\d{15}|\d{2}([ -])\d{6}\1\d{6}\1\d|\d{8}([ -])\d{6}\2\d)(?![\p{L}\p{N}_]|[.,-]\d)/gu;
const IMEI_WORD = /\bimei\b/i;
// GSMA reporting body identifiers (first two digits of the TAC) in use.
const REPORTING_BODIES = new Set(['01', '10', '30', '31', '33', '35', '44', '45', '49', '50', '51', '52', '53', '54', '86', '91', '98', '99']);

export function extractImeis(text: string): EntityMention[] {
  const found: EntityMention[] = [];
  IMEI_CANDIDATE.lastIndex = 0;
  let mentionsImei: boolean | undefined;
  for (let match = IMEI_CANDIDATE.exec(text); match !== null; match = IMEI_CANDIDATE.exec(text)) {
    const digits = match[0].replace(/\D/g, '');
    if (!isLuhnValid(digits)) continue;
    mentionsImei ??= IMEI_WORD.test(text);
    if (!mentionsImei && !REPORTING_BODIES.has(digits.slice(0, 2))) continue;
    found.push({ type: 'imei', value: digits, start: match.index, end: match.index + match[0].length });
  }
  return found;
}

export function normaliseImei(input: string): string | undefined {
  const digits = input.trim().replace(/[ -]/g, '');
  return /^\d{15}$/.test(digits) && isLuhnValid(digits) ? digits : undefined;
}
