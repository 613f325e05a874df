// A repeatable RandomBelow for tests (mulberry32): failures reproduce from the seed.
import type { RandomBelow } from '../../src/breachcheck/random.ts';

export function seededRandom(seed: number): RandomBelow {
  let state = seed >>> 0;
  return (below) => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 2 ** 32) * below);
  };
}
