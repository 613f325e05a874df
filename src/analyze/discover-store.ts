// Case discovery over a store: each dataset's messages stream through the discoverer in time
// order (with their entities and threat scores), and the candidates are kept so that
// `lode case create --from-candidate ID` can open one later. A dataset is one seizure: threads
// never join messages of two datasets.
import type { Viewer } from '../model/security.ts';
import type { Store } from '../store/store.ts';
// from threat.ts, not scorer.ts: the scorer parses the lexicons when loaded, which discovery does not need
import { THREAT_ALERT_THRESHOLD } from '../triage/threat.ts';
import { DISCOVERY_COMPONENT, DISCOVERY_VERSION, discoverCasesAsync, type CandidateCase } from './discover/discover.ts';

export const DISCOVERY_TOOLRUN = { component: DISCOVERY_COMPONENT, version: DISCOVERY_VERSION };

export type DiscoveryRun = { dataset: string; messages: number; candidates: CandidateCase[] };

/**
 * The view a run's candidates are kept under: a run that saw everything (the local operator, an
 * admin) serves everyone who may read the dataset; a run limited by legal scope or privilege
 * serves only the user who ran it, so nobody sees handles or messages through it that they may not.
 */
export function candidateView(viewer: Viewer | undefined, userName: string | undefined): string {
  return viewer === undefined || (viewer.isAdmin && !viewer.mayReviewPrivilege) || userName === undefined ? 'all' : `user:${userName}`;
}

/** Runs discovery over the datasets as `viewer` sees them and stores the candidates under `view`. */
export async function discoverInStore(
  store: Store, datasets: readonly string[], options: { viewer?: Viewer; view: string; onProgress?: (dataset: string, messages: number) => void },
): Promise<DiscoveryRun[]> {
  const runs: DiscoveryRun[] = [];
  for (const dataset of datasets) {
    let messages = 0;
    const rows = store.discoveryMessages(dataset, options.viewer);
    const counted = (async function* () {
      for await (const row of rows) {
        messages += 1;
        if (messages % 20_000 === 0) options.onProgress?.(dataset, messages);
        yield row;
      }
    })();
    const candidates = await discoverCasesAsync(counted, { threatThreshold: THREAT_ALERT_THRESHOLD });
    await store.saveCandidates(dataset, options.view, candidates.map((c) => ({ id: c.id, score: c.score, candidate: c })), DISCOVERY_TOOLRUN);
    runs.push({ dataset, messages, candidates });
  }
  return runs;
}
