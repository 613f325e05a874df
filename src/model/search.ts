// The shapes of a search request and its answer (the `lode search --json` contract).

export type SearchSort = 'newest' | 'oldest' | 'relevance';

export type SearchRequest = {
  query: string;
  dataset?: string;
  limit: number;
  offset: number;
  sort: SearchSort;
  facets: boolean;
};

export type SearchHit = {
  id: string;
  ref?: string;
  dataset: string;
  platform: string;
  kind: 'message' | 'note';
  ts?: string;
  from: string;
  to: string[];
  body: string;
  snippet: string;
  score?: number;
};

export type FacetBucket = { value: string; count: number };

export type SearchFacets = {
  /** Facets are counted over at most `sampleSize` newest hits, so no query pays per hit. */
  sampled: boolean;
  sampleSize: number;
  sender: FacetBucket[];
  dataset: FacetBucket[];
  platform: FacetBucket[];
  language: FacetBucket[];
  day: FacetBucket[];
};

export type SearchResult = {
  total: number;
  took_ms: number;
  sort: SearchSort;
  /** Why the requested ordering was not used (e.g. relevance on a hit set too large to rank). */
  notice?: string;
  expansions?: Record<string, string[]>;
  hits: SearchHit[];
  facets?: SearchFacets;
  /** Hits per UTC day over every hit (not a sample), oldest first, when asked for; undated hits under "undated". */
  days?: FacetBucket[];
};
