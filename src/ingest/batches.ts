// Reading and preparing a source as a stream of batches. This is the CPU-heavy half of ingest
// (decoding, JSON, ids, language, vocabulary); it runs in a worker thread for large files so
// the database writer on the main thread never waits for it.
import type { Location } from '../model/records.ts';
import type { IngestBatch } from '../store/store.ts';
import { findFormat } from './formats/registry.ts';
import { isPreparedMessage, prepareRecord, type PrepareContext } from './prepare.ts';
import { MessageColumnsBuilder } from './message-columns.ts';
import { EXTRACTOR_COMPONENT, EXTRACTOR_VERSION, type CountryCode } from '../extract/entities/types.ts';
import { createMessageTriage } from '../triage/message-triage.ts';

export type BatchPlan = {
  path: string;
  format: string;
  mapping?: unknown;
  owner?: string;
  /** The name the file is reported under (archive members: archive!/member). */
  label?: string;
  /** Extract entities while preparing (default true). */
  extractEntities?: boolean;
  /** Score threats to life and insider leaks while preparing (default true). */
  triage?: boolean;
  region?: string;
  dataset: string;
  sha256: string;
  sizeBytes: number;
  /** The last record a previous run committed (line 0: none). */
  done: Location;
  batchRecords: number;
};

const BATCH_BODY_CHARS = 4 << 20;

export async function* preparedBatches(plan: BatchPlan): AsyncGenerator<IngestBatch> {
  const reader = findFormat(plan.format);
  if (!reader) throw new Error(`unknown format ${plan.format}`);
  const extracting = plan.extractEntities !== false;
  const triage = plan.triage === false ? undefined : await createMessageTriage();
  const context: PrepareContext = {
    dataset: plan.dataset, sourceSha256: plan.sha256, seenTerms: new Set(), newTerms: [],
    extractEntities: extracting, region: plan.region as CountryCode | undefined,
    // one scorer per file: its memory of recent threats follows the file's order
    ...(triage ? { triage: triage.triage } : {}),
  };
  const from = { line: Math.max(plan.done.line, 1), offset: plan.done.offset };
  let batch = emptyBatch(plan.done);
  let messages = new MessageColumnsBuilder();
  let bodyChars = 0;
  const take = (): IngestBatch => {
    const full: IngestBatch = {
      ...batch, messages: messages.build(), newTerms: context.newTerms,
      ...(extracting ? { extractor: { component: EXTRACTOR_COMPONENT, version: EXTRACTOR_VERSION } } : {}),
      ...(triage ? { triage: triage.toolrun } : {}),
    };
    context.newTerms = [];
    batch = emptyBatch(full.checkpoint);
    messages = new MessageColumnsBuilder();
    bodyChars = 0;
    return full;
  };
  for await (const item of reader.read({ path: plan.path, from, options: { mapping: plan.mapping, owner: plan.owner, label: plan.label } })) {
    // a resumed reader starts at the last committed record, and readers that cannot seek
    // start at the top: what a previous run stored is skipped, never written twice
    if (isAtOrBefore(item.location, plan.done)) continue;
    if (item.kind === 'malformed') {
      batch.quarantined.push({ location: item.location, reason: item.reason, excerpt: item.excerpt });
    } else {
      const prepared = prepareRecord(item.record, item.location, context);
      if (isPreparedMessage(prepared)) {
        messages.push(prepared);
        bodyChars += prepared.body.length;
      } else {
        batch.items.push(prepared);
      }
    }
    batch.records += 1;
    batch.checkpoint = item.location;
    if (batch.records >= plan.batchRecords || bodyChars >= BATCH_BODY_CHARS) yield take();
  }
  // the end of the file: the checkpoint is past everything, whatever the last record was
  batch.checkpoint = { line: Number.MAX_SAFE_INTEGER, offset: plan.sizeBytes };
  yield take();
}

function isAtOrBefore(location: Location, done: Location): boolean {
  return location.line < done.line || (location.line === done.line && location.offset <= done.offset);
}

function emptyBatch(checkpoint: Location): Omit<IngestBatch, 'messages'> {
  return { items: [], quarantined: [], newTerms: [], checkpoint, records: 0 };
}
