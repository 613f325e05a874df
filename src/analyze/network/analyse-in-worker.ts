// The network analysis in a worker thread: seconds of CPU at investigation scale, which on the HTTP
// server's thread would hold up every other request. The worker gets the edges in columns
// (transferred, not cloned), builds the graph, analyses it and posts back only the shaped answer.
// A time limit and a heap cap bound what one analysis may cost; either ends the worker and the
// promise rejects with an AnalysisUnavailableError saying why.
import { Worker } from 'node:worker_threads';
import { packEdges, type AnalysisAnswer, type AnalysisJob, type AnalysisWorkerMessage } from './analysis-answer.ts';
import type { CommunicationEdge } from './graph.ts';

export type { AnalysisAnswer };

export const ANALYSIS_TIMEOUT_MS = 120_000;
/** 50,000 accounts and 2M messages take under 300 MiB; the cap leaves room and bounds the worst. */
const WORKER_HEAP_MIB = 1024;
/** As bin/lode's --max-semi-space-size=16 (and the ingest worker): V8 would size it by the machine's memory. */
const WORKER_YOUNG_MIB = 48;
const DEFAULT_LIMIT = 20;

export type AnalyseInWorkerOptions = {
  /** buildGraph's window, both ends inclusive (an edge counts when its span overlaps it). */
  fromMs?: number;
  toMs?: number;
  /** Key players and groups in the answer (default 20). */
  limit?: number;
  /** How long the analysis may take before the worker is stopped (default 120 s). */
  timeoutMs?: number;
  /** Stops the worker when aborted (the client went away); the promise rejects with the reason. */
  signal?: AbortSignal;
};

/** The analysis could not be given: it ran out of time or memory. Narrower input may succeed. */
export class AnalysisUnavailableError extends Error {
  readonly reason: 'timeout' | 'memory';

  constructor(reason: 'timeout' | 'memory', message: string) {
    super(message);
    this.name = 'AnalysisUnavailableError';
    this.reason = reason;
  }
}

export function analyseInWorker(edges: readonly CommunicationEdge[], options: AnalyseInWorkerOptions = {}): Promise<AnalysisAnswer> {
  const timeoutMs = options.timeoutMs ?? ANALYSIS_TIMEOUT_MS;
  const { signal } = options;
  if (signal?.aborted) return Promise.reject(signal.reason);
  const packed = packEdges(edges);
  const job: AnalysisJob = { edges: packed, fromMs: options.fromMs, toMs: options.toMs, limit: options.limit ?? DEFAULT_LIMIT };
  const worker = new Worker(new URL('./analysis-worker.ts', import.meta.url), {
    workerData: job,
    transferList: [packed.from.buffer, packed.to.buffer, packed.messages.buffer, packed.firstMs.buffer, packed.lastMs.buffer],
    execArgv: ['--disable-warning=ExperimentalWarning'],
    resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MIB, maxYoungGenerationSizeMb: WORKER_YOUNG_MIB },
  });
  return new Promise<AnalysisAnswer>((resolve, reject) => {
    let settled = false;
    const settle = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      // an answered worker is ending by itself; a timed-out, failed or abandoned one is stopped
      void worker.terminate();
      outcome();
    };
    const timer = setTimeout(() => settle(() => reject(new AnalysisUnavailableError('timeout',
      `the network analysis took longer than ${formatDuration(timeoutMs)} and was stopped; narrow it to a dataset or a shorter period`))), timeoutMs);
    const onAbort = (): void => settle(() => reject(signal?.reason));
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (message: AnalysisWorkerMessage) => {
      if (message.kind === 'answer') settle(() => resolve(message.answer));
      else {
        const error = new Error(`network analysis failed: ${message.message}`);
        if (message.stack !== undefined) error.stack = message.stack;
        settle(() => reject(error));
      }
    });
    worker.on('error', (error: Error & { code?: string }) => settle(() => reject(error.code === 'ERR_WORKER_OUT_OF_MEMORY'
      ? new AnalysisUnavailableError('memory', `the network analysis needed more than ${WORKER_HEAP_MIB} MiB and was stopped; narrow it to a dataset or a shorter period`)
      : error)));
    worker.on('exit', (code) => settle(() => reject(new Error(`network analysis worker stopped with code ${code} before answering`))));
  });
}

function formatDuration(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${ms} ms`;
}
