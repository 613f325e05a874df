// Solves the check's challenge off the main thread, so the page keeps answering (the status
// announces "working", a screen reader keeps reading) while some tens of thousands of hashes run.
import { InsecureContextError, solveChallenge } from './proof-of-work.ts';

export type SolveJob = { challenge: string; bits: number };
export type SolveAnswer = { solution: string } | { error: 'insecure' | 'failed'; message: string };

type WorkerScope = { onmessage: ((event: MessageEvent<SolveJob>) => void) | null; postMessage(message: SolveAnswer): void };
const scope = globalThis as unknown as WorkerScope;

scope.onmessage = (event) => {
  solveChallenge(event.data.challenge, event.data.bits).then(
    (solution) => scope.postMessage({ solution }),
    (error: unknown) => scope.postMessage({ error: error instanceof InsecureContextError ? 'insecure' : 'failed', message: String(error) }),
  );
};
