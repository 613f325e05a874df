// Worker thread entry: prepares batches of one source and posts them to the writer, never more
// than MAX_AHEAD ahead of what the writer acknowledged (bounded memory whatever the file size).
import { parentPort, workerData } from 'node:worker_threads';
import { preparedBatches, type BatchPlan } from './batches.ts';
import { FormatError } from './formats/format.ts';

export type WorkerMessage =
  | { kind: 'batch'; batch: import('../store/store.ts').IngestBatch }
  | { kind: 'end' }
  | { kind: 'error'; message: string; isFormatError: boolean; stack?: string };

const MAX_AHEAD = 2;
const port = parentPort!;
let credit = MAX_AHEAD;
let wake: (() => void) | undefined;
port.on('message', () => {
  credit += 1;
  wake?.();
});

async function main(): Promise<void> {
  try {
    for await (const batch of preparedBatches(workerData as BatchPlan)) {
      while (credit === 0) await new Promise<void>((resolve) => (wake = resolve));
      credit -= 1;
      port.postMessage({ kind: 'batch', batch } satisfies WorkerMessage);
    }
    port.postMessage({ kind: 'end' } satisfies WorkerMessage);
  } catch (error) {
    const e = error as Error;
    port.postMessage({ kind: 'error', message: e.message, isFormatError: error instanceof FormatError, stack: e.stack } satisfies WorkerMessage);
  }
  port.close();
}

await main();
