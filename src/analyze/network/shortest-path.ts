// The chain of accounts that links two accounts: fewest hops first, because each hop is a person
// who must pass word on; among chains of equal length the one over the heaviest ties, a tie
// weighing 1 / messages, because frequent correspondents are the likelier channel.
import type { CommunicationGraph } from './graph.ts';

export type PathStep = {
  from: string;
  to: string;
  /** Messages on the tie, both directions. */
  messages: number;
  /** Messages `from` sent to `to`, and back. */
  sentForward: number;
  sentBack: number;
  /** 1 / messages: what the tie costs the path. */
  weight: number;
};

export type AccountPath = {
  accounts: string[];
  hops: number;
  steps: PathStep[];
  /** Sum of the steps' weights. */
  weight: number;
};

/**
 * Breadth-first, level by level. Every shortest path reaches a node of level d + 1 from level d,
 * so once level d is complete the lightest way into each node of level d + 1 is known: the
 * lexicographic (hops, weight) optimum without a priority queue.
 */
export function shortestPath(graph: CommunicationGraph, from: string, to: string): AccountPath | undefined {
  if (!graph.hasNode(from) || !graph.hasNode(to)) return undefined;
  if (from === to) return { accounts: [from], hops: 0, steps: [], weight: 0 };
  const level = new Map<string, number>([[from, 0]]);
  const cost = new Map<string, number>([[from, 0]]);
  const previous = new Map<string, string>();
  let frontier = [from];
  for (let depth = 0; frontier.length > 0 && !level.has(to); depth++) {
    const nextFrontier: string[] = [];
    for (const account of frontier) {
      const costHere = cost.get(account) ?? 0;
      graph.forEachEdge(account, (_edge, attributes, source, target) => {
        const neighbour = source === account ? target : source;
        const costThere = costHere + 1 / attributes.messages;
        const neighbourLevel = level.get(neighbour);
        if (neighbourLevel === undefined) {
          level.set(neighbour, depth + 1);
          nextFrontier.push(neighbour);
        } else if (neighbourLevel !== depth + 1 || costThere >= (cost.get(neighbour) ?? Infinity)) return;
        cost.set(neighbour, costThere);
        previous.set(neighbour, account);
      });
    }
    frontier = nextFrontier;
  }
  if (!level.has(to)) return undefined;
  return tracePath(graph, previous, from, to);
}

function tracePath(graph: CommunicationGraph, previous: Map<string, string>, from: string, to: string): AccountPath {
  const accounts = [to];
  for (let at = to; at !== from; ) {
    at = previous.get(at) ?? from;
    accounts.push(at);
  }
  accounts.reverse();
  const steps = accounts.slice(1).map((next, i) => describeStep(graph, accounts[i] ?? from, next));
  return { accounts, hops: steps.length, steps, weight: steps.reduce((sum, step) => sum + step.weight, 0) };
}

function describeStep(graph: CommunicationGraph, from: string, to: string): PathStep {
  const edge = graph.edge(from, to);
  if (edge === undefined) throw new Error(`no tie between ${from} and ${to}`);
  const tie = graph.getEdgeAttributes(edge);
  const isForward = graph.source(edge) === from;
  return {
    from,
    to,
    messages: tie.messages,
    sentForward: isForward ? tie.sourceToTarget : tie.targetToSource,
    sentBack: isForward ? tie.targetToSource : tie.sourceToTarget,
    weight: 1 / tie.messages,
  };
}
