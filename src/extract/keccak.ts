// Keccak-256 as used by Ethereum (EIP-55) and Monero. Node's crypto only ships
// FIPS-202 SHA3-256, which differs in the padding byte (0x06 instead of 0x01),
// so it cannot produce these checksums. This is a plain 32-bit-lane
// implementation of Keccak-f[1600]; the same permutation with SHA3 padding is
// tested against node:crypto's sha3-256 to prove it is right.

const ROUND_CONSTANTS_HI = new Uint32Array([
  0x00000000, 0x00000000, 0x80000000, 0x80000000, 0x00000000, 0x00000000, 0x80000000, 0x80000000,
  0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x80000000, 0x80000000, 0x80000000,
  0x80000000, 0x80000000, 0x00000000, 0x80000000, 0x80000000, 0x80000000, 0x00000000, 0x80000000,
]);
const ROUND_CONSTANTS_LO = new Uint32Array([
  0x00000001, 0x00008082, 0x0000808a, 0x80008000, 0x0000808b, 0x80000001, 0x80008081, 0x00008009,
  0x0000008a, 0x00000088, 0x80008009, 0x8000000a, 0x8000808b, 0x0000008b, 0x00008089, 0x00008003,
  0x00008002, 0x00000080, 0x0000800a, 0x8000000a, 0x80008081, 0x00008080, 0x80000001, 0x80008008,
]);
// Rotation offsets indexed by lane x + 5y.
const RHO = [0, 1, 62, 28, 27, 36, 44, 6, 55, 20, 3, 10, 43, 25, 39, 41, 45, 15, 21, 8, 18, 2, 61, 56, 14];

function permute(s: Uint32Array): void {
  const cLo = new Uint32Array(5);
  const cHi = new Uint32Array(5);
  const bLo = new Uint32Array(25);
  const bHi = new Uint32Array(25);
  for (let round = 0; round < 24; round++) {
    for (let x = 0; x < 5; x++) {
      let lo = 0;
      let hi = 0;
      for (let y = 0; y < 25; y += 5) {
        lo ^= s[2 * (x + y)]!;
        hi ^= s[2 * (x + y) + 1]!;
      }
      cLo[x] = lo;
      cHi[x] = hi;
    }
    for (let x = 0; x < 5; x++) {
      const pLo = cLo[(x + 4) % 5]!;
      const pHi = cHi[(x + 4) % 5]!;
      const nLo = cLo[(x + 1) % 5]!;
      const nHi = cHi[(x + 1) % 5]!;
      const dLo = pLo ^ ((nLo << 1) | (nHi >>> 31));
      const dHi = pHi ^ ((nHi << 1) | (nLo >>> 31));
      for (let y = 0; y < 25; y += 5) {
        s[2 * (x + y)]! ^= dLo;
        s[2 * (x + y) + 1]! ^= dHi;
      }
    }
    for (let x = 0; x < 5; x++) {
      for (let y = 0; y < 5; y++) {
        const i = x + 5 * y;
        const lo = s[2 * i]!;
        const hi = s[2 * i + 1]!;
        const r = RHO[i]!;
        let rLo: number;
        let rHi: number;
        if (r === 0) {
          rLo = lo;
          rHi = hi;
        } else if (r < 32) {
          rLo = (lo << r) | (hi >>> (32 - r));
          rHi = (hi << r) | (lo >>> (32 - r));
        } else if (r === 32) {
          rLo = hi;
          rHi = lo;
        } else {
          const m = r - 32;
          rLo = (hi << m) | (lo >>> (32 - m));
          rHi = (lo << m) | (hi >>> (32 - m));
        }
        const j = y + 5 * ((2 * x + 3 * y) % 5);
        bLo[j] = rLo;
        bHi[j] = rHi;
      }
    }
    for (let y = 0; y < 25; y += 5) {
      for (let x = 0; x < 5; x++) {
        const i = x + y;
        const i1 = ((x + 1) % 5) + y;
        const i2 = ((x + 2) % 5) + y;
        s[2 * i] = bLo[i]! ^ (~bLo[i1]! & bLo[i2]!);
        s[2 * i + 1] = bHi[i]! ^ (~bHi[i1]! & bHi[i2]!);
      }
    }
    s[0]! ^= ROUND_CONSTANTS_LO[round]!;
    s[1]! ^= ROUND_CONSTANTS_HI[round]!;
  }
}

/** Sponge with a 136-byte rate and 32-byte output; padByte 0x01 = Keccak, 0x06 = SHA3. */
export function keccakSponge256(data: Uint8Array, padByte: number): Uint8Array {
  const rate = 136;
  const state = new Uint32Array(50);
  const padded = new Uint8Array(Math.floor(data.length / rate) * rate + rate);
  padded.set(data);
  padded[data.length]! |= padByte;
  padded[padded.length - 1]! |= 0x80;
  for (let offset = 0; offset < padded.length; offset += rate) {
    for (let w = 0; w < rate / 4; w++) {
      const p = offset + 4 * w;
      state[w]! ^= padded[p]! | (padded[p + 1]! << 8) | (padded[p + 2]! << 16) | (padded[p + 3]! << 24);
    }
    permute(state);
  }
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = (state[i >>> 2]! >>> (8 * (i & 3))) & 0xff;
  return out;
}

export function keccak256(data: Uint8Array): Uint8Array {
  return keccakSponge256(data, 0x01);
}
