// Cryptocurrency addresses, accepted only when their checksum holds: a base58check or bech32
// string with one character wrong is a typo or a decoy, and a random 34-character token
// passes the shape test far too often.

import { base58CheckDecode, decodeSegwitAddress, isEthereumAddressValid, isMoneroAddressValid } from '../checksums.ts';
import type { EntityMention } from './types.ts';

const BASE58_BTC = /(?<![\p{L}\p{N}_])[13][1-9A-HJ-NP-Za-km-z]{25,34}(?![\p{L}\p{N}_])/gu;
const BECH32_BTC = /(?<![\p{L}\p{N}_])(?:bc1|BC1)[02-9ac-hj-np-zAC-HJ-NP-Z]{8,87}(?![\p{L}\p{N}_])/gu;
const ETHEREUM = /(?<![\p{L}\p{N}_])0x[0-9a-fA-F]{40}(?![\p{L}\p{N}_])/gu;
const MONERO = /(?<![\p{L}\p{N}_])[48][1-9A-HJ-NP-Za-km-z]{94}(?:[1-9A-HJ-NP-Za-km-z]{11})?(?![\p{L}\p{N}_])/gu;

// Mainnet only: P2PKH (0x00, "1...") and P2SH (0x05, "3...") with a 20-byte hash.
const BITCOIN_VERSIONS = new Set([0x00, 0x05]);

export function isBitcoinAddress(written: string): boolean {
  if (/^bc1/i.test(written)) return decodeSegwitAddress('bc', written) !== undefined;
  const decoded = base58CheckDecode(written);
  return decoded !== undefined && BITCOIN_VERSIONS.has(decoded.version) && decoded.payload.length === 20;
}

export function extractBitcoin(text: string): EntityMention[] {
  const found: EntityMention[] = [];
  for (const pattern of [BASE58_BTC, BECH32_BTC]) {
    pattern.lastIndex = 0;
    for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
      if (!isBitcoinAddress(match[0])) continue;
      // bech32 is case-insensitive and conventionally lower case; base58 is case-sensitive
      const value = /^bc1/i.test(match[0]) ? match[0].toLowerCase() : match[0];
      found.push({ type: 'btc', value, start: match.index, end: match.index + match[0].length });
    }
  }
  return found;
}

export function extractEthereum(text: string): EntityMention[] {
  const found: EntityMention[] = [];
  ETHEREUM.lastIndex = 0;
  for (let match = ETHEREUM.exec(text); match !== null; match = ETHEREUM.exec(text)) {
    if (!isEthereumAddressValid(match[0])) continue;
    found.push({ type: 'eth', value: match[0].toLowerCase(), start: match.index, end: match.index + match[0].length });
  }
  return found;
}

export function extractMonero(text: string): EntityMention[] {
  const found: EntityMention[] = [];
  MONERO.lastIndex = 0;
  for (let match = MONERO.exec(text); match !== null; match = MONERO.exec(text)) {
    if (!isMoneroAddressValid(match[0])) continue;
    found.push({ type: 'xmr', value: match[0], start: match.index, end: match.index + match[0].length });
  }
  return found;
}

export function normaliseBitcoin(input: string): string | undefined {
  const trimmed = input.trim();
  if (!isBitcoinAddress(trimmed)) return undefined;
  return /^bc1/i.test(trimmed) ? trimmed.toLowerCase() : trimmed;
}

export function normaliseEthereum(input: string): string | undefined {
  const trimmed = input.trim();
  return isEthereumAddressValid(trimmed) ? trimmed.toLowerCase() : undefined;
}

export function normaliseMonero(input: string): string | undefined {
  const trimmed = input.trim();
  return isMoneroAddressValid(trimmed) ? trimmed : undefined;
}
