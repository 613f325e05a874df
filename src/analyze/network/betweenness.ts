// Betweenness centrality by Brandes' algorithm: how often an account lies on the shortest paths
// between other accounts, which is what a broker between crews does. Paths are counted in hops:
// whether two people talk at all decides whether word can pass between them, however much they
// talk (message counts weigh in through PageRank and the communities instead).
//
// Exact Brandes runs a breadth-first search from every account: O(accounts × ties), minutes at
// 50,000 accounts. Above a threshold it runs from k random pivot accounts and scales the sums by
// n / k (Brandes & Pich 2007, "Centrality estimation in large networks"): an unbiased estimate
// whose error shrinks with k, and the top brokers, whose scores are large, are ranked reliably.
// graphology-metrics' betweenness is exact only, hence this file.
import type { Adjacency } from './adjacency.ts';
import { pickDistinct, seededRandom } from './seeded-random.ts';

export type BetweennessMethod = {
  kind: 'exact' | 'sampled';
  /** Breadth-first searches run: every account for exact, the pivots for sampled. */
  sources: number;
  seed?: number;
};

export type BetweennessResult = {
  /** Normalised to [0, 1]: the share of pairs of other accounts whose shortest paths pass here. */
  scores: Float64Array;
  method: BetweennessMethod;
};

export type BetweennessOptions = {
  /** Exact up to this many accounts, sampled above. */
  exactUpTo?: number;
  /** Pivot sources when sampling. */
  pivots?: number;
  seed?: number;
};

export const DEFAULT_EXACT_BETWEENNESS_UP_TO = 2000;
export const DEFAULT_BETWEENNESS_PIVOTS = 1000;

export function betweenness(adjacency: Adjacency, options: BetweennessOptions = {}): BetweennessResult {
  const n = adjacency.keys.length;
  const exactUpTo = options.exactUpTo ?? DEFAULT_EXACT_BETWEENNESS_UP_TO;
  const pivots = options.pivots ?? DEFAULT_BETWEENNESS_PIVOTS;
  if (n <= exactUpTo || pivots >= n) return exactBetweenness(adjacency);
  return sampledBetweenness(adjacency, pivots, options.seed ?? 1);
}

export function exactBetweenness(adjacency: Adjacency): BetweennessResult {
  const n = adjacency.keys.length;
  const sources = new Int32Array(n);
  for (let i = 0; i < n; i++) sources[i] = i;
  const sums = accumulateDependencies(adjacency, sources);
  return { scores: normalise(sums, n, 1), method: { kind: 'exact', sources: n } };
}

export function sampledBetweenness(adjacency: Adjacency, pivots: number, seed: number): BetweennessResult {
  const n = adjacency.keys.length;
  const sources = pickDistinct(n, pivots, seededRandom(seed));
  const sums = accumulateDependencies(adjacency, sources);
  return { scores: normalise(sums, n, n / sources.length), method: { kind: 'sampled', sources: sources.length, seed } };
}

/** Sums, over the given sources, each account's dependency (Brandes' delta). */
function accumulateDependencies(adjacency: Adjacency, sources: Int32Array): Float64Array {
  const { starts, neighbours } = adjacency;
  const n = adjacency.keys.length;
  const sums = new Float64Array(n);
  const distance = new Int32Array(n).fill(-1);
  const pathCount = new Float64Array(n);
  const dependency = new Float64Array(n);
  // Visit order of the breadth-first search; it is also the queue, read from `head`.
  const order = new Int32Array(n);
  for (const source of sources) {
    let visited = 0;
    let head = 0;
    order[visited++] = source;
    distance[source] = 0;
    pathCount[source] = 1;
    while (head < visited) {
      const v = order[head++]!;
      const next = distance[v]! + 1;
      for (let j = starts[v]!; j < starts[v + 1]!; j++) {
        const w = neighbours[j]!;
        if (distance[w] === -1) {
          distance[w] = next;
          order[visited++] = w;
        }
        if (distance[w] === next) pathCount[w]! += pathCount[v]!;
      }
    }
    // Predecessors are found again by distance rather than stored as lists: no allocation per
    // search, and rescanning a neighbourhood costs less than building it.
    for (let i = visited - 1; i > 0; i--) {
      const w = order[i]!;
      const previous = distance[w]! - 1;
      const share = (1 + dependency[w]!) / pathCount[w]!;
      for (let j = starts[w]!; j < starts[w + 1]!; j++) {
        const v = neighbours[j]!;
        if (distance[v] === previous) dependency[v]! += pathCount[v]! * share;
      }
      sums[w]! += dependency[w]!;
    }
    for (let i = 0; i < visited; i++) {
      const v = order[i]!;
      distance[v] = -1;
      pathCount[v] = 0;
      dependency[v] = 0;
    }
  }
  return sums;
}

/**
 * Every unordered pair is counted from both ends in an undirected graph, hence the half; the
 * (n-1)(n-2)/2 pairs that exclude an account make the score comparable across graph sizes.
 */
function normalise(sums: Float64Array, n: number, scale: number): Float64Array {
  const pairs = ((n - 1) * (n - 2)) / 2;
  const scores = new Float64Array(n);
  if (pairs <= 0) return scores;
  for (let i = 0; i < n; i++) scores[i] = (sums[i]! * scale) / 2 / pairs;
  return scores;
}
