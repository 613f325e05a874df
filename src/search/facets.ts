// Facets of a sample of hits, counted the same way in both stores: the top buckets by count
// (ties by value), days in order. Senders and datasets stay ids here: each store names them.
import type { FacetBucket, SearchFacets } from '../model/search.ts';

const FACET_BUCKETS = 20;

/** The columns a store reads for each sampled hit. */
export type FacetRow = { sender_id: unknown; dataset_id: unknown; platform: unknown; lang: unknown; ts_ms: unknown };

export type CountedFacets = Omit<SearchFacets, 'sender' | 'dataset'> & { senderIds: FacetBucket[]; datasetIds: FacetBucket[] };

export function countFacets(rows: readonly FacetRow[], total: number): CountedFacets {
  const senderIds = new Map<string, number>();
  const datasetIds = new Map<string, number>();
  const platform = new Map<string, number>();
  const language = new Map<string, number>();
  const day = new Map<string, number>();
  const bump = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
  for (const row of rows) {
    bump(senderIds, String(row.sender_id));
    bump(datasetIds, String(row.dataset_id));
    bump(platform, String(row.platform));
    bump(language, row.lang == null ? 'unknown' : String(row.lang));
    bump(day, row.ts_ms == null ? 'undated' : new Date(Number(row.ts_ms)).toISOString().slice(0, 10));
  }
  return {
    sampled: total > rows.length,
    sampleSize: rows.length,
    senderIds: top(senderIds),
    datasetIds: top(datasetIds),
    platform: top(platform),
    language: top(language),
    day: [...day].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([value, count]) => ({ value, count })),
  };
}

function top(map: Map<string, number>): FacetBucket[] {
  return [...map].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, FACET_BUCKETS).map(([value, count]) => ({ value, count }));
}
