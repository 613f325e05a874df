// Communities: Louvain on the whole graph, then Louvain again inside each community found.
//
// Modularity has a resolution limit (Fortunato & Barthélemy 2007): in a graph of 50,000 accounts
// the expected weight between two small crews is so small that one broker's ties make merging
// them "significant", so Louvain alone returns groups of several crews (on the synthetic crews
// graph: about 1,000 communities for 6,700 crews). Each community is therefore split again when
// its own members have a clear community structure of their own (modularity of at least
// `splitModularity` within the community, 0.3 by Newman & Girvan's rule of thumb), recursively.
// A real crew, dense inside, scores near 0 and stays whole.
import type { Adjacency } from './adjacency.ts';
import { compareStrings } from './graph.ts';
import { louvain, modularity, type WeightedRows } from './louvain.ts';
import { seededRandom } from './seeded-random.ts';

export type CommunityOptions = {
  seed?: number;
  /** Louvain resolution on the whole graph: above 1 favours smaller communities. */
  resolution?: number;
  /** A community is split when Louvain inside it reaches this modularity; Infinity never splits. */
  splitModularity?: number;
};

export type CommunityAssignment = {
  /** Community of each node, indexed like `adjacency.keys`; 0 is the largest community. */
  communityOf: Int32Array;
  count: number;
  /** Modularity of the final communities on the whole graph. */
  modularity: number;
};

export const DEFAULT_SPLIT_MODULARITY = 0.3;

// Two crews of three are the smallest merge worth undoing.
const SMALLEST_SPLITTABLE = 6;

export function detectCommunities(adjacency: Adjacency, options: CommunityOptions = {}): CommunityAssignment {
  const rows = toRows(adjacency);
  const random = seededRandom(options.seed ?? 1);
  const firstPass = louvain(rows, { resolution: options.resolution ?? 1, random });
  const groups = splitGroups(rows, membersByCommunity(firstPass.communityOf, firstPass.count), {
    threshold: options.splitModularity ?? DEFAULT_SPLIT_MODULARITY,
    random,
  });
  const communityOf = labelBySize(groups, adjacency.keys);
  return { communityOf, count: groups.length, modularity: modularity(rows, communityOf, groups.length) };
}

function toRows(adjacency: Adjacency): WeightedRows {
  const { keys, starts, neighbours, messages } = adjacency;
  return { nodeCount: keys.length, starts, neighbours, weights: messages };
}

function membersByCommunity(communityOf: Int32Array, count: number): Int32Array[] {
  const sizes = new Int32Array(count);
  for (const c of communityOf) sizes[c]!++;
  const groups = Array.from(sizes, (size) => new Int32Array(size));
  const filled = new Int32Array(count);
  communityOf.forEach((c, node) => {
    groups[c]![filled[c]!++] = node;
  });
  return groups;
}

type SplitSettings = { threshold: number; random: () => number };

function splitGroups(rows: WeightedRows, groups: Int32Array[], settings: SplitSettings): Int32Array[] {
  const localIndex = new Int32Array(rows.nodeCount).fill(-1);
  const done: Int32Array[] = [];
  const pending = [...groups];
  for (let group = pending.pop(); group !== undefined; group = pending.pop()) {
    const parts = group.length < SMALLEST_SPLITTABLE ? [group] : splitOnce(rows, group, localIndex, settings);
    if (parts.length === 1) done.push(group);
    else pending.push(...parts);
  }
  return done;
}

/** The group's parts when Louvain finds clear structure inside it, else the group itself. */
function splitOnce(rows: WeightedRows, members: Int32Array, localIndex: Int32Array, settings: SplitSettings): Int32Array[] {
  const inside = induceRows(rows, members, localIndex);
  const result = louvain(inside, { random: settings.random });
  if (result.count < 2 || result.modularity < settings.threshold) return [members];
  return membersByCommunity(result.communityOf, result.count).map((part) => part.map((local) => members[local]!));
}

/** The ties among `members` only, renumbered 0..members.length-1. */
function induceRows(rows: WeightedRows, members: Int32Array, localIndex: Int32Array): WeightedRows {
  members.forEach((node, local) => (localIndex[node] = local));
  const starts = new Int32Array(members.length + 1);
  const neighbours: number[] = [];
  const weights: number[] = [];
  members.forEach((node, local) => {
    for (let j = rows.starts[node]!; j < rows.starts[node + 1]!; j++) {
      const other = localIndex[rows.neighbours[j]!]!;
      if (other === -1) continue;
      neighbours.push(other);
      weights.push(rows.weights[j]!);
    }
    starts[local + 1] = neighbours.length;
  });
  for (const node of members) localIndex[node] = -1;
  return { nodeCount: members.length, starts, neighbours: Int32Array.from(neighbours), weights: Float64Array.from(weights) };
}

/** Largest first; equal sizes by their smallest member key, so ids do not depend on visiting order. */
function labelBySize(groups: Int32Array[], keys: string[]): Int32Array {
  const described = groups.map((members) => ({ members, firstKey: smallestKey(members, keys) }));
  described.sort((a, b) => b.members.length - a.members.length || compareStrings(a.firstKey, b.firstKey));
  const communityOf = new Int32Array(keys.length);
  described.forEach(({ members }, id) => {
    for (const node of members) communityOf[node] = id;
  });
  return communityOf;
}

function smallestKey(members: Int32Array, keys: string[]): string {
  let smallest: string | undefined;
  for (const node of members) {
    const key = keys[node]!;
    if (smallest === undefined || key < smallest) smallest = key;
  }
  return smallest ?? '';
}

/** How many distinct communities an account's correspondents belong to. */
export function countCommunitiesReached(adjacency: Adjacency, communityOf: Int32Array, count: number): Int32Array {
  const { starts, neighbours } = adjacency;
  const n = adjacency.keys.length;
  const reached = new Int32Array(n);
  // Marking with the current node's number avoids clearing a set per node.
  const lastSeenBy = new Int32Array(count).fill(-1);
  for (let i = 0; i < n; i++) {
    let reachedByThisNode = 0;
    for (let j = starts[i]!; j < starts[i + 1]!; j++) {
      const community = communityOf[neighbours[j]!]!;
      if (lastSeenBy[community] !== i) {
        lastSeenBy[community] = i;
        reachedByThisNode++;
      }
    }
    reached[i] = reachedByThisNode;
  }
  return reached;
}

export type CommunityWeights = {
  size: Int32Array;
  internalMessages: Float64Array;
  externalMessages: Float64Array;
  internalTies: Int32Array;
};

/** Messages on ties inside each community and on ties that leave it. */
export function weighCommunities(adjacency: Adjacency, communityOf: Int32Array, count: number): CommunityWeights {
  const { starts, neighbours, messages } = adjacency;
  const size = new Int32Array(count);
  const internalMessages = new Float64Array(count);
  const externalMessages = new Float64Array(count);
  const internalTies = new Int32Array(count);
  for (let i = 0; i < adjacency.keys.length; i++) {
    const community = communityOf[i]!;
    size[community]!++;
    for (let j = starts[i]!; j < starts[i + 1]!; j++) {
      const other = neighbours[j]!;
      if (communityOf[other] !== community) externalMessages[community]! += messages[j]!;
      // Each internal tie appears in both neighbourhoods; count it from its lower end only.
      else if (other > i) {
        internalMessages[community]! += messages[j]!;
        internalTies[community]!++;
      }
    }
  }
  return { size, internalMessages, externalMessages, internalTies };
}
