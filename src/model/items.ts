// What the store holds and hands back: the canonical model of DESIGN.md.
import type { AttachmentRef } from './records.ts';

/** A seized collection (one takedown, one site database), the unit of access and legal basis. */
export type Dataset = { id: number; name: string; kind?: string; legalBasis?: string; createdAt: string };

/** One ingested input file, identified by its SHA-256 (the root of every item's provenance). */
export type Source = {
  id: number;
  datasetId: number;
  path: string;
  sha256: string;
  sizeBytes: number;
  format: string;
  status: 'ingesting' | 'complete';
  records: number;
  quarantined: number;
  /** The last record a run committed (line 0: none yet). */
  checkpoint: { line: number; offset: number };
  startedAt: string;
  finishedAt?: string;
};

/** Where a stored item came from: enough to find the exact bytes again in the seized file. */
export type Provenance = { sourceId: number; sourceSha256: string; sourcePath: string; line: number; offset: number };

/** A message or a note as the store returns it. */
export type StoredMessage = {
  id: string;
  ref?: string;
  kind: 'message' | 'note';
  dataset: string;
  platform: string;
  ts?: string;
  from: string;
  to: string[];
  group?: string;
  body: string;
  lang?: string;
  attachments: AttachmentRef[];
  extra?: Record<string, unknown>;
  provenance: Provenance;
  /** Entities found in the body with their spans (given when one item is asked for). */
  entities?: { type: string; value: string; start: number; end: number }[];
};

/** A line or record that could not be read, kept with where it was and why. */
export type QuarantineEntry = {
  id: number;
  dataset: string;
  sourcePath: string;
  sourceSha256: string;
  line: number;
  offset: number;
  reason: string;
  excerpt: string;
};

/** Counts a store reports about one dataset. */
export type DatasetSummary = {
  name: string;
  sources: number;
  messages: number;
  notes: number;
  accounts: number;
  contacts: number;
  events: number;
  exposures: number;
  quarantined: number;
  firstTs?: string;
  lastTs?: string;
};
