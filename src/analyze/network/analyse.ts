// Who matters in a communication network and which groups it falls into: per account its ties,
// PageRank, betweenness, community and how many communities it reaches; per community its members
// and how much it talks inside versus outside; and the key players. The result is plain data
// (arrays, numbers, strings), ready for JSON, the CLI and the exports.
import { buildAdjacency, type Adjacency } from './adjacency.ts';
import { betweenness, DEFAULT_BETWEENNESS_PIVOTS, DEFAULT_EXACT_BETWEENNESS_UP_TO, type BetweennessMethod } from './betweenness.ts';
import { countCommunitiesReached, DEFAULT_SPLIT_MODULARITY, detectCommunities, weighCommunities } from './communities.ts';
import { compareStrings, type CommunicationGraph } from './graph.ts';
import { weightedPageRank } from './pagerank.ts';

/** Recorded with every analysis so a result can be traced to the code and settings behind it. */
export const NETWORK_ANALYSIS_VERSION = '1';

export type AnalyseOptions = {
  /** Seeds Louvain's visiting order and the betweenness pivots. */
  seed?: number;
  /** How many key players to list. */
  keyPlayers?: number;
  /** Louvain resolution: above 1 favours smaller communities. */
  resolution?: number;
  /** Split a community again when its members reach this modularity among themselves. */
  splitModularity?: number;
  /** Exact betweenness up to this many accounts, sampled above. */
  exactBetweennessUpTo?: number;
  /** Pivot sources for sampled betweenness. */
  betweennessPivots?: number;
  damping?: number;
};

export type AccountMetrics = {
  account: string;
  community: number;
  /** Distinct correspondents. */
  degree: number;
  /** Messages sent plus received: the weighted degree. */
  messages: number;
  sent: number;
  received: number;
  pagerank: number;
  /** Normalised to [0, 1]; an estimate when the analysis says betweenness was sampled. */
  betweenness: number;
  /** Distinct communities among its correspondents (its own included): above 1 it bridges. */
  bridging: number;
  /** 1 - (1 - PageRank percentile)(1 - betweenness percentile), in [0, 1]: the key-player ranking. */
  score: number;
};

export type CommunitySummary = {
  id: number;
  size: number;
  /** Member accounts, most important (highest score) first. */
  members: string[];
  internalTies: number;
  internalMessages: number;
  /** Messages on ties between a member and an account outside the community. */
  externalMessages: number;
};

export type NetworkAnalysis = {
  producedBy: {
    component: 'network';
    version: string;
    seed: number;
    resolution: number;
    splitModularity: number;
    damping: number;
    pagerank: { iterations: number; hasConverged: boolean };
    betweenness: BetweennessMethod;
  };
  totals: { accounts: number; ties: number; messages: number; communities: number; modularity: number };
  /** Every account, highest score first. */
  accounts: AccountMetrics[];
  /** Every community, largest first; `id` is the index. */
  communities: CommunitySummary[];
  /** The top accounts by score. */
  keyPlayers: AccountMetrics[];
};

export function analyseNetwork(graph: CommunicationGraph, options: AnalyseOptions = {}): NetworkAnalysis {
  const seed = options.seed ?? 1;
  const resolution = options.resolution ?? 1;
  const damping = options.damping ?? 0.85;
  const splitModularity = options.splitModularity ?? DEFAULT_SPLIT_MODULARITY;
  const adjacency = buildAdjacency(graph);
  const pagerank = weightedPageRank(adjacency, { damping });
  const between = betweenness(adjacency, {
    exactUpTo: options.exactBetweennessUpTo ?? DEFAULT_EXACT_BETWEENNESS_UP_TO,
    pivots: options.betweennessPivots ?? DEFAULT_BETWEENNESS_PIVOTS,
    seed,
  });
  const communities = detectCommunities(adjacency, { seed, resolution, splitModularity });
  const reached = countCommunitiesReached(adjacency, communities.communityOf, communities.count);
  const scores = combineRanks(pagerank.scores, between.scores);
  const accounts = describeAccounts(graph, adjacency, {
    pagerank: pagerank.scores,
    betweenness: between.scores,
    communityOf: communities.communityOf,
    reached,
    scores,
  }).sort(byImportance);
  const summaries = summariseCommunities(adjacency, communities.communityOf, communities.count, accounts);
  return {
    producedBy: {
      component: 'network',
      version: NETWORK_ANALYSIS_VERSION,
      seed,
      resolution,
      splitModularity,
      damping,
      pagerank: { iterations: pagerank.iterations, hasConverged: pagerank.hasConverged },
      betweenness: between.method,
    },
    totals: {
      accounts: graph.order,
      ties: graph.size,
      messages: sumMessages(adjacency) / 2,
      communities: communities.count,
      modularity: communities.modularity,
    },
    accounts,
    communities: summaries,
    keyPlayers: accounts.slice(0, options.keyPlayers ?? 25),
  };
}

type NodeScores = {
  pagerank: Float64Array;
  betweenness: Float64Array;
  communityOf: Int32Array;
  reached: Int32Array;
  scores: Float64Array;
};

function describeAccounts(graph: CommunicationGraph, adjacency: Adjacency, scores: NodeScores): AccountMetrics[] {
  return adjacency.keys.map((account, i) => {
    const { sent, received } = graph.getNodeAttributes(account);
    return {
      account,
      community: scores.communityOf[i]!,
      degree: adjacency.starts[i + 1]! - adjacency.starts[i]!,
      messages: sent + received,
      sent,
      received,
      pagerank: scores.pagerank[i]!,
      betweenness: scores.betweenness[i]!,
      bridging: scores.reached[i]!,
      score: scores.scores[i]!,
    };
  });
}

/**
 * Ranks rather than raw values are combined: PageRank and betweenness live on scales that differ by
 * orders of magnitude and are heavy-tailed. They are combined like independent chances (noisy-or),
 * 1 - (1 - p)(1 - b), not averaged: a broker is often a quiet account with low PageRank and a busy
 * crew member sits on few paths between crews, and either kind is a key player; an average would
 * rank both below merely good all-rounders. Being near the top on both still ranks highest.
 */
export function combineRanks(pagerank: Float64Array, betweennessScores: Float64Array): Float64Array {
  const pagerankPercentile = percentiles(pagerank);
  const betweennessPercentile = percentiles(betweennessScores);
  return pagerankPercentile.map((p, i) => 1 - (1 - p) * (1 - betweennessPercentile[i]!));
}

/** Mid-rank percentiles in [0, 1]: tied values (the many zero betweenness scores) share one. */
export function percentiles(values: Float64Array): Float64Array {
  const n = values.length;
  const result = new Float64Array(n);
  if (n <= 1) return result.fill(n === 1 ? 1 : 0);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => values[a]! - values[b]!);
  let start = 0;
  while (start < n) {
    let end = start;
    while (end + 1 < n && values[order[end + 1]!] === values[order[start]!]) end++;
    const percentile = (start + end) / 2 / (n - 1);
    for (let k = start; k <= end; k++) result[order[k]!] = percentile;
    start = end + 1;
  }
  return result;
}

/** Highest score first; then the wider bridge, the busier account, and the key for a stable order. */
function byImportance(a: AccountMetrics, b: AccountMetrics): number {
  return (
    b.score - a.score ||
    b.bridging - a.bridging ||
    b.pagerank - a.pagerank ||
    b.messages - a.messages ||
    compareStrings(a.account, b.account)
  );
}

function summariseCommunities(
  adjacency: Adjacency,
  communityOf: Int32Array,
  count: number,
  accountsByImportance: AccountMetrics[],
): CommunitySummary[] {
  const weights = weighCommunities(adjacency, communityOf, count);
  const summaries: CommunitySummary[] = Array.from({ length: count }, (_, id) => ({
    id,
    size: weights.size[id]!,
    members: [],
    internalTies: weights.internalTies[id]!,
    internalMessages: weights.internalMessages[id]!,
    externalMessages: weights.externalMessages[id]!,
  }));
  for (const account of accountsByImportance) summaries[account.community]?.members.push(account.account);
  return summaries;
}

function sumMessages(adjacency: Adjacency): number {
  let total = 0;
  for (const messages of adjacency.messages) total += messages;
  return total;
}
