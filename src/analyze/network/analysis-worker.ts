// Worker thread entry (started by analyseInWorker): builds the communication graph of the edges it
// was given, analyses it and posts back the shaped answer (small: the top key players and groups),
// or the error.
import { parentPort, workerData } from 'node:worker_threads';
import { analyseNetwork } from './analyse.ts';
import { shapeAnalysis, unpackEdges, type AnalysisJob, type AnalysisWorkerMessage } from './analysis-answer.ts';
import { buildGraph } from './graph.ts';

const port = parentPort!;
const job = workerData as AnalysisJob;
let message: AnalysisWorkerMessage;
try {
  const graph = buildGraph(unpackEdges(job.edges), { fromMs: job.fromMs, toMs: job.toMs });
  message = { kind: 'answer', answer: shapeAnalysis(analyseNetwork(graph), job.limit) };
} catch (error) {
  const e = error instanceof Error ? error : new Error(String(error));
  message = { kind: 'error', message: e.message, stack: e.stack };
}
port.postMessage(message);
port.close();
