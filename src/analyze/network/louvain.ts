// Louvain modularity optimisation (Blondel et al. 2008) over compact weighted adjacency arrays.
// graphology-communities-louvain does the same over a graphology graph, but the refinement in
// communities.ts runs Louvain again inside every community found: thousands of small graphs, and
// building a graphology graph for each cost several times more than the optimisation itself.
//
// Each level moves single nodes to the neighbouring community that raises modularity most, in a
// seeded random order, until no move helps; then communities become the nodes of the next level.

/** Weighted undirected graph in compressed rows; every tie appears in both endpoints' rows. */
export type WeightedRows = {
  nodeCount: number;
  starts: Int32Array;
  neighbours: Int32Array;
  weights: Float64Array;
};

export type LouvainResult = {
  /** Community of each node, numbered 0..count-1 in order of first appearance by node number. */
  communityOf: Int32Array;
  count: number;
  modularity: number;
};

export type LouvainOptions = { resolution?: number; random: () => number };

// Below this, a gain is rounding noise: moving on it could make a pass cycle forever.
const MIN_GAIN = 1e-12;

export function louvain(rows: WeightedRows, options: LouvainOptions): LouvainResult {
  const resolution = options.resolution ?? 1;
  const n = rows.nodeCount;
  let communityOf = Int32Array.from({ length: n }, (_, i) => i);
  let level: LevelGraph = { ...rows, selfWeights: new Float64Array(n) };
  for (;;) {
    const moved = moveNodes(level, resolution, options.random);
    if (!moved.hasMoved) break;
    const levelCommunity = moved.communityOf;
    communityOf = communityOf.map((c) => levelCommunity[c]!);
    level = aggregate(level, levelCommunity, moved.count);
  }
  const count = countDistinct(communityOf);
  return { communityOf, count, modularity: modularity(rows, communityOf, count, resolution) };
}

/** A level's graph: `selfWeights` holds the weight inside a node that stands for a community. */
type LevelGraph = WeightedRows & { selfWeights: Float64Array };

type Moves = { communityOf: Int32Array; count: number; hasMoved: boolean };

function moveNodes(graph: LevelGraph, resolution: number, random: () => number): Moves {
  const { nodeCount: n, starts, neighbours, weights, selfWeights } = graph;
  const strength = new Float64Array(n);
  let totalWeight = 0;
  for (let i = 0; i < n; i++) {
    let k = selfWeights[i]!;
    for (let j = starts[i]!; j < starts[i + 1]!; j++) k += weights[j]!;
    strength[i] = k;
    totalWeight += k;
  }
  const community = Int32Array.from({ length: n }, (_, i) => i);
  const communityStrength = Float64Array.from(strength);
  const weightTo = new Float64Array(n);
  const touched = new Int32Array(n);
  const order = shuffledRange(n, random);
  let hasMoved = false;
  if (totalWeight === 0) return { communityOf: community, count: n, hasMoved };
  for (let isImproving = true; isImproving; ) {
    isImproving = false;
    for (const node of order) {
      const own = community[node]!;
      let touchedCount = 0;
      for (let j = starts[node]!; j < starts[node + 1]!; j++) {
        const c = community[neighbours[j]!]!;
        if (weightTo[c] === 0) touched[touchedCount++] = c;
        weightTo[c]! += weights[j]!;
      }
      const k = strength[node]!;
      communityStrength[own]! -= k;
      // Gain of joining c, up to a common factor: links into c minus those expected by chance.
      const scale = (resolution * k) / totalWeight;
      let best = own;
      let bestGain = weightTo[own]! - scale * communityStrength[own]!;
      for (let t = 0; t < touchedCount; t++) {
        const c = touched[t]!;
        const gain = weightTo[c]! - scale * communityStrength[c]!;
        if (gain > bestGain + MIN_GAIN) {
          best = c;
          bestGain = gain;
        }
      }
      communityStrength[best]! += k;
      for (let t = 0; t < touchedCount; t++) weightTo[touched[t]!] = 0;
      if (best !== own) {
        community[node] = best;
        isImproving = true;
        hasMoved = true;
      }
    }
  }
  const renumbered = renumberInOrder(community);
  return { communityOf: renumbered, count: countDistinct(renumbered), hasMoved };
}

/** One node per community; ties between communities summed, ties inside kept as self weight. */
function aggregate(graph: LevelGraph, communityOf: Int32Array, count: number): LevelGraph {
  const { nodeCount: n, starts, neighbours, weights, selfWeights } = graph;
  const membersStart = new Int32Array(count + 1);
  for (let i = 0; i < n; i++) membersStart[communityOf[i]! + 1]!++;
  for (let c = 0; c < count; c++) membersStart[c + 1]! += membersStart[c]!;
  const members = new Int32Array(n);
  const cursor = membersStart.slice(0, count);
  for (let i = 0; i < n; i++) members[cursor[communityOf[i]!]!++] = i;
  const newStarts = new Int32Array(count + 1);
  const newNeighbours: number[] = [];
  const newWeights: number[] = [];
  const newSelf = new Float64Array(count);
  const weightTo = new Float64Array(count);
  const touched = new Int32Array(count);
  for (let c = 0; c < count; c++) {
    let touchedCount = 0;
    for (let m = membersStart[c]!; m < membersStart[c + 1]!; m++) {
      const i = members[m]!;
      newSelf[c]! += selfWeights[i]!;
      for (let j = starts[i]!; j < starts[i + 1]!; j++) {
        const other = communityOf[neighbours[j]!]!;
        if (other === c) newSelf[c]! += weights[j]!;
        else {
          if (weightTo[other] === 0) touched[touchedCount++] = other;
          weightTo[other]! += weights[j]!;
        }
      }
    }
    for (let t = 0; t < touchedCount; t++) {
      const other = touched[t]!;
      newNeighbours.push(other);
      newWeights.push(weightTo[other]!);
      weightTo[other] = 0;
    }
    newStarts[c + 1] = newNeighbours.length;
  }
  return {
    nodeCount: count,
    starts: newStarts,
    neighbours: Int32Array.from(newNeighbours),
    weights: Float64Array.from(newWeights),
    selfWeights: newSelf,
  };
}

/** Newman's modularity with a resolution: the share of weight inside communities beyond chance. */
export function modularity(rows: WeightedRows, communityOf: Int32Array, count: number, resolution = 1): number {
  const { nodeCount: n, starts, neighbours, weights } = rows;
  const inside = new Float64Array(count);
  const total = new Float64Array(count);
  let totalWeight = 0;
  for (let i = 0; i < n; i++) {
    const c = communityOf[i]!;
    for (let j = starts[i]!; j < starts[i + 1]!; j++) {
      total[c]! += weights[j]!;
      totalWeight += weights[j]!;
      if (communityOf[neighbours[j]!] === c) inside[c]! += weights[j]!;
    }
  }
  if (totalWeight === 0) return 0;
  let q = 0;
  for (let c = 0; c < count; c++) q += inside[c]! / totalWeight - resolution * (total[c]! / totalWeight) ** 2;
  return q;
}

function shuffledRange(n: number, random: () => number): Int32Array {
  const order = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const swap = order[i]!;
    order[i] = order[j]!;
    order[j] = swap;
  }
  return order;
}

function renumberInOrder(labels: Int32Array): Int32Array {
  const newLabel = new Int32Array(labels.length).fill(-1);
  let next = 0;
  return labels.map((label) => {
    if (newLabel[label] === -1) newLabel[label] = next++;
    return newLabel[label]!;
  });
}

function countDistinct(labels: Int32Array): number {
  let max = -1;
  for (const label of labels) if (label > max) max = label;
  return max + 1;
}
