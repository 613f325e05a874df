// One shape of randomness for the public check (range padding, challenge nonces and codes), so
// tests can pass a seeded source and production passes the operating system's.
import { randomFillSync } from 'node:crypto';

/** A uniform integer in [0, below); `below` is at most 2^48. */
export type RandomBelow = (below: number) => number;

const POOL_BYTES = 16 * 1024;
const pool = Buffer.alloc(POOL_BYTES);
let used = POOL_BYTES;
const SPAN = 2 ** 48;

/**
 * Cryptographically secure: padding and nonces must not be predictable from earlier answers.
 * Six bytes at a time from a pool refilled by the operating system: a padded range answer draws
 * thousands of numbers, and a call into the CSPRNG each (randomInt) was most of its cost.
 * Rejection sampling keeps every value equally likely.
 */
export const secureRandomBelow: RandomBelow = (below) => {
  if (!Number.isSafeInteger(below) || below < 1 || below > SPAN) throw new RangeError(`below must be 1..2^48, got ${below}`);
  const limit = SPAN - (SPAN % below);
  for (;;) {
    if (used + 6 > POOL_BYTES) {
      randomFillSync(pool);
      used = 0;
    }
    const value = pool.readUIntBE(used, 6);
    used += 6;
    if (value < limit) return value % below;
  }
};
