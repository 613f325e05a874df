// A compact, read-only copy of the graph's neighbourhoods in typed arrays (compressed sparse
// rows). The centrality loops visit every tie thousands of times; through graphology's
// callbacks and string keys that costs several times more than through integer arrays.
import type { CommunicationGraph } from './graph.ts';

export type Adjacency = {
  /** Account keys; an account's index in this array is its node number. */
  keys: string[];
  /** Neighbours of node i are `neighbours[starts[i] .. starts[i + 1])`. */
  starts: Int32Array;
  neighbours: Int32Array;
  /** Messages on the tie at the same position in `neighbours` (both directions). */
  messages: Float64Array;
};

export function buildAdjacency(graph: CommunicationGraph): Adjacency {
  const keys = graph.nodes();
  const indexOf = new Map<string, number>();
  keys.forEach((key, index) => indexOf.set(key, index));
  const starts = new Int32Array(keys.length + 1);
  keys.forEach((key, i) => (starts[i + 1] = starts[i]! + graph.degree(key)));
  const neighbours = new Int32Array(starts[keys.length]!);
  const messages = new Float64Array(neighbours.length);
  const cursor = starts.slice(0, keys.length);
  graph.forEachEdge((_edge, attributes, source, target) => {
    const s = indexOf.get(source) ?? -1;
    const t = indexOf.get(target) ?? -1;
    const atSource = cursor[s]!;
    const atTarget = cursor[t]!;
    cursor[s] = atSource + 1;
    cursor[t] = atTarget + 1;
    neighbours[atSource] = t;
    messages[atSource] = attributes.messages;
    neighbours[atTarget] = s;
    messages[atTarget] = attributes.messages;
  });
  return { keys, starts, neighbours, messages };
}
