// Scores stored messages again: after a lexicon was extended, for data ingested with
// --skip-triage or before triage existed, or across files (ingest scores each file on its own,
// so a threat in one file does not give context to a preparation message in another).
import type { Store } from '../store/store.ts';
import type { MessageTriage } from '../ingest/prepare.ts';

export type RescoreOutcome = { dataset: string; messages: number; findings: number; alerts: number; removed: number };

const CHUNK = 5000;

export async function rescoreDataset(
  store: Store, dataset: string, triage: MessageTriage, toolrun: { component: string; version: string },
  onProgress?: (messages: number) => void, signal?: AbortSignal,
): Promise<RescoreOutcome> {
  const outcome: RescoreOutcome = { dataset, messages: 0, findings: 0, alerts: 0, removed: 0 };
  let after = Number.MIN_SAFE_INTEGER;
  for (;;) {
    if (signal?.aborted) break;
    const rows = await store.triageRows(dataset, after, CHUNK);
    if (rows.length === 0) break;
    const chunk = rows.map((row) => ({ key: row.key, findings: triage.score(row) }));
    const applied = await store.applyRescore(dataset, chunk, toolrun);
    outcome.messages += rows.length;
    outcome.findings += chunk.reduce((n, c) => n + c.findings.length, 0);
    outcome.alerts += applied.alerts;
    outcome.removed += applied.removed;
    after = rows.at(-1)!.key;
    onProgress?.(outcome.messages);
  }
  return outcome;
}
