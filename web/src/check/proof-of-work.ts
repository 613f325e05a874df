// The browser's half of the check form's flood brake (src/breachcheck/proof-of-work.ts is the
// server's): find the smallest decimal `solution` such that SHA-256(challenge + ":" + solution)
// starts with `bits` zero bits. WebCrypto's digest is asynchronous and costs more per call than
// the hash itself, so a batch of candidates is hashed at once and checked in order.

const BATCH = 256;

export function leadingZeroBits(hash: Uint8Array): number {
  let bits = 0;
  for (const byte of hash) {
    if (byte === 0) {
      bits += 8;
      continue;
    }
    return bits + Math.clz32(byte) - 24;
  }
  return bits;
}

export async function solveChallenge(challenge: string, bits: number): Promise<string> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) throw new InsecureContextError();
  const encoder = new TextEncoder();
  const prefix = encoder.encode(`${challenge}:`);
  for (let start = 0; ; start += BATCH) {
    const hashes = await Promise.all(Array.from({ length: BATCH }, (_, i) => {
      const digits = encoder.encode(String(start + i));
      const input = new Uint8Array(prefix.length + digits.length);
      input.set(prefix);
      input.set(digits, prefix.length);
      return subtle.digest('SHA-256', input);
    }));
    for (let i = 0; i < hashes.length; i++) {
      if (leadingZeroBits(new Uint8Array(hashes[i]!)) >= bits) return String(start + i);
    }
  }
}

/** WebCrypto exists only in secure contexts (https, or localhost). */
export class InsecureContextError extends Error {
  constructor() {
    super('crypto.subtle is not available: the page is not in a secure context');
    this.name = 'InsecureContextError';
  }
}
