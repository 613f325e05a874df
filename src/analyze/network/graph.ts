// The communication graph: accounts are nodes, a tie joins two accounts that exchanged messages.
// The store aggregates messages into directed edges; here they become one undirected, weighted
// tie per pair, because communities and brokerage are about who is connected, while the directed
// counts stay on the tie and the accounts for anyone who asks who talks and who listens.
import { UndirectedGraph } from 'graphology';

import type { CommunicationEdge } from '../../model/entities.ts';

/** How many messages account `from` sent to account `to` (keys like `encrochat:tapeworm`). */
export type { CommunicationEdge };

/** Messages an account sent to and received from accounts in the graph. */
export type AccountAttributes = { sent: number; received: number };

/**
 * One tie between two accounts. `messages` is both directions together; `sourceToTarget` and
 * `targetToSource` follow graphology's source/target of the edge (the smaller key is the source).
 */
export type TieAttributes = {
  messages: number;
  sourceToTarget: number;
  targetToSource: number;
  firstMs?: number;
  lastMs?: number;
};

export type CommunicationGraph = UndirectedGraph<AccountAttributes, TieAttributes>;

/** A time window in epoch milliseconds, both ends inclusive and optional. */
export type TimeWindow = { fromMs?: number; toMs?: number };

/**
 * Whether an aggregated edge shows contact inside the window. An edge only knows the span of its
 * messages, so an edge counts when its span overlaps the window; exact per-window counts need the
 * store to aggregate within the window. Without times an edge is no evidence of contact in any
 * particular window, so a window excludes it.
 */
export function isEdgeWithinWindow(edge: CommunicationEdge, window: TimeWindow): boolean {
  const hasWindow = window.fromMs !== undefined || window.toMs !== undefined;
  if (!hasWindow) return true;
  const firstMs = edge.firstMs ?? edge.lastMs;
  const lastMs = edge.lastMs ?? edge.firstMs;
  if (firstMs === undefined || lastMs === undefined) return false;
  if (window.fromMs !== undefined && lastMs < window.fromMs) return false;
  if (window.toMs !== undefined && firstMs > window.toMs) return false;
  return true;
}

type PairTally = {
  lower: string;
  higher: string;
  lowerToHigher: number;
  higherToLower: number;
  firstMs: number | undefined;
  lastMs: number | undefined;
};

/**
 * Builds the undirected weighted graph of the edges inside the window. Messages to oneself and
 * edges without a positive message count carry no tie and are skipped. Pairs are inserted in key
 * order, so the same edges in any order give the same graph, and seeded analyses the same result.
 */
export function buildGraph(edges: Iterable<CommunicationEdge>, window: TimeWindow = {}): CommunicationGraph {
  const tallies = tallyPairs(edges, window);
  const pairKeys = [...tallies.keys()].sort(compareStrings);
  const graph: CommunicationGraph = new UndirectedGraph<AccountAttributes, TieAttributes>();
  for (const [index, pairKey] of pairKeys.entries()) {
    const tally = tallies.get(pairKey);
    if (tally === undefined) continue;
    addAccount(graph, tally.lower, tally.lowerToHigher, tally.higherToLower);
    addAccount(graph, tally.higher, tally.higherToLower, tally.lowerToHigher);
    const attributes: TieAttributes = {
      messages: tally.lowerToHigher + tally.higherToLower,
      sourceToTarget: tally.lowerToHigher,
      targetToSource: tally.higherToLower,
    };
    if (tally.firstMs !== undefined) attributes.firstMs = tally.firstMs;
    if (tally.lastMs !== undefined) attributes.lastMs = tally.lastMs;
    // Numbered keys rather than graphology's random ones: the same input gives the same graph.
    graph.addEdgeWithKey(`t${index}`, tally.lower, tally.higher, attributes);
  }
  return graph;
}

function tallyPairs(edges: Iterable<CommunicationEdge>, window: TimeWindow): Map<string, PairTally> {
  const tallies = new Map<string, PairTally>();
  for (const edge of edges) {
    if (edge.from === edge.to || !(edge.messages > 0) || !isEdgeWithinWindow(edge, window)) continue;
    const isForward = edge.from < edge.to;
    const lower = isForward ? edge.from : edge.to;
    const higher = isForward ? edge.to : edge.from;
    // The length prefix keeps the pair unambiguous whatever characters the keys hold.
    const pairKey = `${lower.length}:${lower}${higher}`;
    let tally = tallies.get(pairKey);
    if (tally === undefined) {
      tally = { lower, higher, lowerToHigher: 0, higherToLower: 0, firstMs: undefined, lastMs: undefined };
      tallies.set(pairKey, tally);
    }
    if (isForward) tally.lowerToHigher += edge.messages;
    else tally.higherToLower += edge.messages;
    tally.firstMs = earliest(tally.firstMs, edge.firstMs);
    tally.lastMs = latest(tally.lastMs, edge.lastMs);
  }
  return tallies;
}

function addAccount(graph: CommunicationGraph, key: string, sent: number, received: number): void {
  if (!graph.hasNode(key)) {
    graph.addNode(key, { sent, received });
    return;
  }
  const attributes = graph.getNodeAttributes(key);
  attributes.sent += sent;
  attributes.received += received;
}

function earliest(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.min(a, b);
}

function latest(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.max(a, b);
}

/** Code-unit order, not locale order: stable on every machine and fast. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
