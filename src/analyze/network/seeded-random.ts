// Seeded randomness, so Louvain's visiting order and the betweenness pivots are the same on every
// run: an analyst, or a court, must get the same communities from the same messages.

/** mulberry32: 32-bit state, fast, and good enough to shuffle nodes and pick pivots. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** k distinct integers from [0, n), by a partial Fisher–Yates shuffle. */
export function pickDistinct(n: number, k: number, random: () => number): Int32Array {
  const pool = new Int32Array(n);
  for (let i = 0; i < n; i++) pool[i] = i;
  const count = Math.min(k, n);
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(random() * (n - i));
    const chosen = pool[j] ?? 0;
    pool[j] = pool[i] ?? 0;
    pool[i] = chosen;
  }
  return pool.slice(0, count);
}
