// ForceAtlas2 off the main thread: the page stays responsive while thousands of nodes settle.
// A fixed number of iterations (chosen by the caller from the graph's size) keeps the cost known
// and the picture the same on every open of the same answer.
import Graph from 'graphology';
import forceAtlas2 from 'graphology-layout-forceatlas2';

export type LayoutJob = { x: Float64Array; y: Float64Array; from: Uint32Array; to: Uint32Array; weight: Float64Array; iterations: number };
export type LayoutResult = { x: Float64Array; y: Float64Array };

type WorkerScope = { onmessage: ((event: MessageEvent<LayoutJob>) => void) | null; postMessage(message: LayoutResult, transfer: Transferable[]): void };
const scope = globalThis as unknown as WorkerScope;

scope.onmessage = (event) => {
  const { x, y, from, to, weight, iterations } = event.data;
  const graph = new Graph({ type: 'undirected', multi: false });
  for (let i = 0; i < x.length; i++) graph.addNode(String(i), { x: x[i]!, y: y[i]! });
  for (let i = 0; i < from.length; i++) {
    const a = String(from[i]!);
    const b = String(to[i]!);
    if (a !== b && !graph.hasEdge(a, b)) graph.addEdge(a, b, { weight: weight[i]! });
  }
  const settings = { ...forceAtlas2.inferSettings(graph), barnesHutOptimize: graph.order > 1000, edgeWeightInfluence: 0.5 };
  forceAtlas2.assign(graph, { iterations, settings, getEdgeWeight: 'weight' });
  const outX = new Float64Array(x.length);
  const outY = new Float64Array(y.length);
  graph.forEachNode((key, attributes) => {
    const i = Number(key);
    outX[i] = attributes.x as number;
    outY[i] = attributes.y as number;
  });
  scope.postMessage({ x: outX, y: outY }, [outX.buffer, outY.buffer]);
};
