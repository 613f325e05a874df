// Weighted PageRank over the undirected ties: an account matters when accounts that matter write
// to it a lot. Written over the shared adjacency rather than graphology-metrics' pagerank, which
// builds its own index and throws when it has not converged after its iteration limit; here the
// last iterate is returned (it is still a probability distribution) and the caller is told.
import type { Adjacency } from './adjacency.ts';

export type PageRankOptions = { damping?: number; maxIterations?: number; tolerance?: number };
export type PageRankResult = { scores: Float64Array; iterations: number; hasConverged: boolean };

export function weightedPageRank(adjacency: Adjacency, options: PageRankOptions = {}): PageRankResult {
  const damping = options.damping ?? 0.85;
  const maxIterations = options.maxIterations ?? 200;
  const tolerance = options.tolerance ?? 1e-10;
  const { starts, neighbours, messages } = adjacency;
  const n = adjacency.keys.length;
  if (n === 0) return { scores: new Float64Array(0), iterations: 0, hasConverged: true };
  const strength = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = starts[i]!; j < starts[i + 1]!; j++) strength[i]! += messages[j]!;
  }
  let current = new Float64Array(n).fill(1 / n);
  let next = new Float64Array(n);
  for (let iteration = 1; iteration <= maxIterations; iteration++) {
    // Accounts without ties (none after buildGraph, but an adjacency may come from elsewhere)
    // spread their rank evenly, which keeps the scores summing to one.
    let dangling = 0;
    for (let i = 0; i < n; i++) if (strength[i] === 0) dangling += current[i]!;
    next.fill((1 - damping) / n + (damping * dangling) / n);
    for (let i = 0; i < n; i++) {
      if (strength[i] === 0) continue;
      const share = (damping * current[i]!) / strength[i]!;
      for (let j = starts[i]!; j < starts[i + 1]!; j++) next[neighbours[j]!]! += share * messages[j]!;
    }
    let change = 0;
    for (let i = 0; i < n; i++) change += Math.abs(next[i]! - current[i]!);
    [current, next] = [next, current];
    if (change < tolerance) return { scores: current, iterations: iteration, hasConverged: true };
  }
  return { scores: current, iterations: maxIterations, hasConverged: false };
}
