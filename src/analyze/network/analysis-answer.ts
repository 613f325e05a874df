// What crosses between the HTTP server's thread and the network-analysis worker: the edges in
// columns on the way in, and on the way out the analysis as GET /graph answers it (the totals,
// what produced it, the top key players and the largest groups with their most important members).
// Pure and plain data; the route and the worker share the shaping, so both give the same answer.
import type { AccountMetrics, CommunitySummary, NetworkAnalysis } from './analyse.ts';
import type { CommunicationEdge } from './graph.ts';

/** Members listed per group: a group's size says how many more there are. */
export const GROUP_MEMBERS_LISTED = 50;

export type AnalysisAnswer = {
  producedBy: NetworkAnalysis['producedBy'];
  totals: NetworkAnalysis['totals'];
  keyPlayers: AccountMetrics[];
  groups: CommunitySummary[];
};

/**
 * The first `limit` key players and groups of an analysis. Key players are taken from `accounts`
 * (every account, in key-player order), not `keyPlayers`: that list stops at analyseNetwork's
 * keyPlayers option (25 by default), which a larger limit would silently hit.
 */
export function shapeAnalysis(analysis: NetworkAnalysis, limit: number): AnalysisAnswer {
  return {
    producedBy: analysis.producedBy,
    totals: analysis.totals,
    keyPlayers: analysis.accounts.slice(0, limit),
    groups: analysis.communities.slice(0, limit).map((g) => ({ ...g, members: g.members.slice(0, GROUP_MEMBERS_LISTED) })),
  };
}

/**
 * Edges in columns, so they cross to the worker as a few transferred buffers and one array of
 * distinct account keys instead of a structured clone of an object per edge. `from` and `to` index
 * `accounts`; a missing time is NaN.
 */
export type PackedEdges = {
  accounts: string[];
  from: Uint32Array<ArrayBuffer>;
  to: Uint32Array<ArrayBuffer>;
  messages: Float64Array<ArrayBuffer>;
  firstMs: Float64Array<ArrayBuffer>;
  lastMs: Float64Array<ArrayBuffer>;
};

export function packEdges(edges: readonly CommunicationEdge[]): PackedEdges {
  const index = new Map<string, number>();
  const accounts: string[] = [];
  const indexOf = (key: string): number => {
    let i = index.get(key);
    if (i === undefined) {
      i = accounts.push(key) - 1;
      index.set(key, i);
    }
    return i;
  };
  const n = edges.length;
  const packed: PackedEdges = {
    accounts, from: new Uint32Array(n), to: new Uint32Array(n),
    messages: new Float64Array(n), firstMs: new Float64Array(n), lastMs: new Float64Array(n),
  };
  for (let i = 0; i < n; i++) {
    const e = edges[i]!;
    packed.from[i] = indexOf(e.from);
    packed.to[i] = indexOf(e.to);
    packed.messages[i] = e.messages;
    packed.firstMs[i] = e.firstMs ?? Number.NaN;
    packed.lastMs[i] = e.lastMs ?? Number.NaN;
  }
  return packed;
}

export function unpackEdges(packed: PackedEdges): CommunicationEdge[] {
  const edges: CommunicationEdge[] = new Array<CommunicationEdge>(packed.from.length);
  for (let i = 0; i < packed.from.length; i++) {
    const edge: CommunicationEdge = { from: packed.accounts[packed.from[i]!]!, to: packed.accounts[packed.to[i]!]!, messages: packed.messages[i]! };
    const firstMs = packed.firstMs[i]!;
    const lastMs = packed.lastMs[i]!;
    if (!Number.isNaN(firstMs)) edge.firstMs = firstMs;
    if (!Number.isNaN(lastMs)) edge.lastMs = lastMs;
    edges[i] = edge;
  }
  return edges;
}

/** The worker's input: the edges, buildGraph's time window (both ends inclusive) and the limit. */
export type AnalysisJob = { edges: PackedEdges; fromMs?: number; toMs?: number; limit: number };

export type AnalysisWorkerMessage =
  | { kind: 'answer'; answer: AnalysisAnswer }
  | { kind: 'error'; message: string; stack?: string };

export type Tie = { from: string; to: string; messages: number };

/** Ties drawn at most: beyond this a picture is a hairball and the answer grows large. */
export const MAX_TIES = 20_000;

/**
 * The ties between the accounts an answer lists (its key players and group members), both
 * directions summed, heaviest first: what a drawing of the answer needs, without the rest of the
 * network.
 */
export function tiesAmong(answer: AnalysisAnswer, edges: readonly CommunicationEdge[], max = MAX_TIES): Tie[] {
  const listed = new Set<string>(answer.keyPlayers.map((p) => p.account));
  for (const g of answer.groups) for (const m of g.members) listed.add(m);
  const ties = new Map<string, Tie>();
  for (const e of edges) {
    if (e.from === e.to || !listed.has(e.from) || !listed.has(e.to)) continue;
    const [from, to] = e.from < e.to ? [e.from, e.to] : [e.to, e.from];
    const id = `${from}\u0000${to}`;
    const tie = ties.get(id);
    if (tie) tie.messages += e.messages;
    else ties.set(id, { from, to, messages: e.messages });
  }
  return [...ties.values()].sort((a, b) => b.messages - a.messages || a.from.localeCompare(b.from) || a.to.localeCompare(b.to)).slice(0, max);
}
