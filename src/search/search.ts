// Search as the domain sees it: a parsed query against a store, timed like Elasticsearch's
// "took" (time spent answering inside the process).
import type { SearchResult } from '../model/search.ts';
import type { Store, StoredSearch } from '../store/store.ts';

export async function searchStore(store: Store, request: StoredSearch): Promise<SearchResult> {
  const started = performance.now();
  const result = await store.search(request);
  const took_ms = Math.round((performance.now() - started) * 10) / 10;
  return { ...result, took_ms };
}
