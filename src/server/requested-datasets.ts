// The datasets one request covers, for routes whose store queries take one dataset at a time:
// the dataset the request names (checked against the grants), else every one the caller may read.
import type { Store } from '../store/store.ts';
import { type EvidenceScope, requireReadable } from './access.ts';
import { ApiError } from './errors.ts';

/** The named dataset, or all the caller's; undefined means every dataset (admins, nothing named). */
export async function requestedDatasets(store: Store, scope: EvidenceScope, dataset: string | undefined): Promise<readonly string[] | undefined> {
  if (dataset !== undefined) {
    requireReadable(scope, dataset, (await store.findDataset(dataset)) !== undefined);
    return [dataset];
  }
  return scope.kind === 'all' ? undefined : scope.datasets;
}

/** An ISO date or date-time of a query parameter as epoch milliseconds (a date is midnight UTC). */
export function parseDateParameter(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text);
  if (Number.isNaN(ms)) throw new ApiError(400, 'bad_request', `${name} takes an ISO date such as 2020-04-01, got "${text}"`);
  return ms;
}
