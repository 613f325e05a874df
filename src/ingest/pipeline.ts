// The ingest pipeline: find files, identify each by SHA-256, pick a reader, prepare records and
// write them in batches, each batch committed together with the source's checkpoint. A rerun
// of a completed file adds nothing; a rerun of an interrupted one continues where it stopped.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { addCounts, EMPTY_COUNTS, type BatchCounts, type Store } from '../store/store.ts';
import { detectFormat, findFormat } from './formats/registry.ts';
import { FormatError, type FormatReader } from './formats/format.ts';
import { preparedBatches, type BatchPlan } from './batches.ts';
import { preparedBatchesInWorker } from './parallel.ts';

export type IngestProgress = { path: string; bytesDone: number; bytesTotal: number; records: number; fileIndex: number; fileCount: number };

export type IngestOptions = {
  store: Store;
  paths: string[];
  dataset: string;
  format?: string;
  mapping?: unknown;
  batchRecords?: number;
  onProgress?: (progress: IngestProgress) => void;
  /** Prepare records in a worker thread for large files (default true). */
  useWorker?: boolean;
  /** Stops cleanly after the current batch: what was committed stays, a rerun continues. */
  signal?: AbortSignal;
};

export type SourceReport = {
  path: string;
  sha256?: string;
  format?: string;
  status: 'ingested' | 'resumed' | 'already-ingested' | 'interrupted' | 'refused';
  reason?: string;
  /** Records read in this run (a resumed run counts only what it read). */
  records: number;
  quarantined: number;
  added: BatchCounts;
};

export type IngestReport = {
  dataset: string;
  sources: SourceReport[];
  messages: number;
  notes: number;
  accounts: number;
  contacts: number;
  events: number;
  exposures: number;
  quarantined: number;
  duplicates: number;
  refused: number;
  interrupted: boolean;
};

const DEFAULT_BATCH_RECORDS = 20_000;
/** Below this a worker thread costs more to start than it saves. */
const WORKER_MIN_BYTES = 4 << 20;
const HEAD_BYTES = 64 * 1024;

export async function ingest(options: IngestOptions): Promise<IngestReport> {
  const files = await expandPaths(options.paths);
  const dataset = await options.store.ensureDataset(options.dataset);
  const sources: SourceReport[] = [];
  let interrupted = false;
  let incomingBytes = 0;
  for (const file of files) if (!('refused' in file)) incomingBytes += (await stat(file.path)).size;
  await options.store.beginBulkLoad(incomingBytes);
  try {
    for (const [index, file] of files.entries()) {
      if (options.signal?.aborted) {
        interrupted = true;
        break;
      }
      if ('refused' in file) {
        sources.push(refused(file.path, file.refused));
        continue;
      }
      const report = await ingestFile(options, dataset.id, file.path, index, files.length);
      sources.push(report);
      if (report.status === 'interrupted') {
        interrupted = true;
        break;
      }
    }
  } finally {
    await options.store.endBulkLoad();
  }
  const total = sources.reduce((sum, s) => addCounts(sum, s.added), EMPTY_COUNTS);
  return {
    dataset: options.dataset,
    sources,
    messages: total.messages,
    notes: total.notes,
    accounts: total.accounts,
    contacts: total.contacts,
    events: total.events,
    exposures: total.exposures,
    quarantined: total.quarantined,
    duplicates: total.duplicates,
    refused: sources.filter((s) => s.status === 'refused').length,
    interrupted,
  };
}

type FoundFile = { path: string } | { path: string; refused: string };

/** Files named on the command line, and every file under a named directory, in name order. */
export async function expandPaths(paths: string[]): Promise<FoundFile[]> {
  const found: FoundFile[] = [];
  for (const given of paths) {
    const path = resolve(given);
    const info = await stat(path).catch(() => undefined);
    if (!info) found.push({ path, refused: 'no such file or directory' });
    else if (info.isDirectory()) {
      const entries = await readdir(path, { recursive: true, withFileTypes: true });
      const files = entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name)).sort();
      if (files.length === 0) found.push({ path, refused: 'directory holds no files' });
      for (const file of files) found.push({ path: file });
    } else if (!info.isFile()) found.push({ path, refused: 'not a regular file' });
    else found.push({ path });
  }
  return found;
}

async function ingestFile(options: IngestOptions, datasetId: number, path: string, fileIndex: number, fileCount: number): Promise<SourceReport> {
  const info = await stat(path);
  if (info.size === 0) return refused(path, 'empty file: nothing to ingest');
  const head = await readHead(path);
  let reader: FormatReader | undefined;
  if (options.format) {
    reader = findFormat(options.format);
    if (!reader) return refused(path, `unknown format "${options.format}"`);
  } else {
    reader = detectFormat(head, path);
    if (!reader) return refused(path, 'not a format Lode reads (see `lode ingest --help` for the formats, or pass --format)');
  }
  const sha256 = await sha256File(path);
  const source = await options.store.openSource({ datasetId, path, sha256, sizeBytes: info.size, format: reader.name });
  const report: SourceReport = { path, sha256, format: reader.name, status: 'ingested', records: 0, quarantined: 0, added: { ...EMPTY_COUNTS } };
  if (source.status === 'complete') return { ...report, status: 'already-ingested' };
  // the checkpoint is the last record a previous run committed (line 0: none yet)
  if (source.checkpoint.line > 0) report.status = 'resumed';
  const plan: BatchPlan = {
    path, format: reader.name, mapping: options.mapping, dataset: options.dataset, sha256, sizeBytes: info.size,
    done: source.checkpoint, batchRecords: options.batchRecords ?? DEFAULT_BATCH_RECORDS,
  };
  const batches = info.size >= WORKER_MIN_BYTES && options.useWorker !== false ? preparedBatchesInWorker(plan) : preparedBatches(plan);
  try {
    for await (const batch of batches) {
      const counts = await options.store.writeBatch(source.id, batch);
      report.added = addCounts(report.added, counts);
      report.records += batch.records;
      report.quarantined += batch.quarantined.length;
      options.onProgress?.({ path, bytesDone: Math.min(batch.checkpoint.offset, info.size), bytesTotal: info.size, records: report.records, fileIndex, fileCount });
      if (options.signal?.aborted && batch.checkpoint.line !== Number.MAX_SAFE_INTEGER) return { ...report, status: 'interrupted' };
    }
  } catch (error) {
    if (!(error instanceof FormatError)) throw error;
    // what was committed stays and the source stays open: a corrected rerun continues
    return { ...report, status: 'refused', reason: error.message };
  }
  await options.store.completeSource(source.id);
  return report;
}

function refused(path: string, reason: string): SourceReport {
  return { path, status: 'refused', reason, records: 0, quarantined: 0, added: { ...EMPTY_COUNTS } };
}

/** The first 64 KiB of a file as text: what format detection looks at. */
export async function readHead(path: string): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, HEAD_BYTES, 0);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
