// One shape of randomness for the public check (range padding, challenge nonces and codes), so
// tests can pass a seeded source and production passes the operating system's.
import { randomInt } from 'node:crypto';

/** A uniform integer in [0, below); `below` is at most 2^48. */
export type RandomBelow = (below: number) => number;

/** Cryptographically secure: padding and nonces must not be predictable from earlier answers. */
export const secureRandomBelow: RandomBelow = (below) => randomInt(below);
