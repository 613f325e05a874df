// Runs preparedBatches in a worker thread and hands its batches over as an async stream.
import { Worker } from 'node:worker_threads';
import type { IngestBatch } from '../store/store.ts';
import type { BatchPlan } from './batches.ts';
import type { WorkerMessage } from './batch-worker.ts';
import { FormatError } from './formats/format.ts';

const WORKER_HEAP_MIB = 256;
/** As bin/lode's --max-semi-space-size=16: V8 would size it by the machine's memory. */
const WORKER_YOUNG_MIB = 48;

export async function* preparedBatchesInWorker(plan: BatchPlan): AsyncGenerator<IngestBatch> {
  const worker = new Worker(new URL('./batch-worker.ts', import.meta.url), {
    workerData: plan,
    execArgv: ['--disable-warning=ExperimentalWarning'],
    // V8 grows a busy heap lazily; a cap keeps the whole ingest's memory bounded
    resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MIB, maxYoungGenerationSizeMb: WORKER_YOUNG_MIB },
  });
  const queue: WorkerMessage[] = [];
  let wake: (() => void) | undefined;
  let failure: Error | undefined;
  worker.on('message', (message: WorkerMessage) => {
    queue.push(message);
    wake?.();
  });
  worker.on('error', (error) => {
    failure = error;
    wake?.();
  });
  worker.on('exit', (code) => {
    if (code !== 0) failure ??= new Error(`ingest worker stopped with code ${code}`);
    wake?.();
  });
  try {
    for (;;) {
      while (queue.length === 0 && !failure) await new Promise<void>((resolve) => (wake = resolve));
      const message = queue.shift();
      if (!message) throw failure!;
      if (message.kind === 'end') return;
      if (message.kind === 'error') {
        if (message.isFormatError) throw new FormatError(message.message);
        const error = new Error(message.message);
        error.stack = message.stack;
        throw error;
      }
      yield message.batch;
      worker.postMessage('ack');
    }
  } finally {
    await worker.terminate();
  }
}
