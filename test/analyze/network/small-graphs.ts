// Hand-made graphs with known answers.
import type { CommunicationEdge } from '../../../src/analyze/network/graph.ts';

/** Every pair of the given accounts writes `messages` each way. */
export function clique(accounts: string[], messages: number): CommunicationEdge[] {
  const edges: CommunicationEdge[] = [];
  for (const from of accounts) for (const to of accounts) if (from !== to) edges.push({ from, to, messages });
  return edges;
}

/**
 * Two crews of five, each a clique, and one broker who writes to two members of each crew: the
 * broker is the only way between them.
 */
export function twoCrewsAndABroker(): CommunicationEdge[] {
  const west = ['w1', 'w2', 'w3', 'w4', 'w5'];
  const east = ['e1', 'e2', 'e3', 'e4', 'e5'];
  return [
    ...clique(west, 10),
    ...clique(east, 10),
    { from: 'broker', to: 'w1', messages: 4 },
    { from: 'w2', to: 'broker', messages: 3 },
    { from: 'broker', to: 'e1', messages: 4 },
    { from: 'e2', to: 'broker', messages: 3 },
  ];
}
