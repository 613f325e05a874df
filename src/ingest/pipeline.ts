// The ingest pipeline: find files, identify each by SHA-256, pick a reader, prepare records and
// write them in batches, each batch committed together with the source's checkpoint. A rerun
// of a completed file adds nothing; a rerun of an interrupted one continues where it stopped.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, open, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { addCounts, EMPTY_COUNTS, type BatchCounts, type Store } from '../store/store.ts';
import { detectFormat, findFormat } from './formats/registry.ts';
import { FormatError, type FormatReader } from './formats/format.ts';
import { preparedBatches, type BatchPlan } from './batches.ts';
import { preparedBatchesInWorker } from './parallel.ts';
import { DEFAULT_REGION } from '../extract/entities/region.ts';
import { sniffArchive, unpackArchive, type ArchiveKind } from './archives.ts';
import { parseQuery } from '../search/parse.ts';
import type { WatchlistRun } from '../store/store.ts';

export type IngestProgress = { path: string; bytesDone: number; bytesTotal: number; records: number; fileIndex: number; fileCount: number };

export type IngestOptions = {
  store: Store;
  paths: string[];
  dataset: string;
  format?: string;
  mapping?: unknown;
  /** The device owner's handle, for formats that do not name it (an SMS backup). */
  owner?: string;
  /** Extract entities during ingest (default true). */
  extractEntities?: boolean;
  /** Score threats to life and insider leaks during ingest (default true). */
  triage?: boolean;
  /** ISO country of the dataset, for national phone numbers (default NL). */
  region?: string;
  batchRecords?: number;
  onProgress?: (progress: IngestProgress) => void;
  /** Prepare records in a worker thread for large files (default true). */
  useWorker?: boolean;
  /** Stops cleanly after the current batch: what was committed stays, a rerun continues. */
  signal?: AbortSignal;
  /** Where archives are unpacked while their members are read (default: the system's temp directory). */
  scratchDirectory?: string;
};

export type SourceReport = {
  path: string;
  sha256?: string;
  format?: string;
  /** skipped: a file found inside a directory or archive that is not a format Lode reads. */
  status: 'ingested' | 'resumed' | 'already-ingested' | 'interrupted' | 'refused' | 'skipped';
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
  /** Entity mentions found in the added messages. */
  mentions: number;
  /** Threat and leak alerts raised on the added messages. */
  alerts: number;
  /** What the watchlists found in the added messages. */
  watchlists: WatchlistRun;
  quarantined: number;
  duplicates: number;
  refused: number;
  interrupted: boolean;
};

const DEFAULT_BATCH_RECORDS = 20_000;
export { DEFAULT_REGION };
/** Below this a worker thread costs more to start than it saves. */
const WORKER_MIN_BYTES = 4 << 20;
const HEAD_BYTES = 64 * 1024;

export async function ingest(options: IngestOptions): Promise<IngestReport> {
  const files = await expandPaths(options.paths);
  const dataset = await options.store.ensureDataset(options.dataset);
  const sources: SourceReport[] = [];
  let interrupted = false;
  let incomingBytes = 0;
  for (const file of files) {
    // archives hold several times their size: a guess is enough to choose a bulk load
    if (!('refused' in file)) incomingBytes += (await stat(file.path)).size * ((await sniffArchive(file.path)) ? 4 : 1);
  }
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
      const target: Target = { path: file.path, label: file.path, explicit: file.explicit, fileIndex: index, fileCount: files.length };
      const archive = await sniffArchive(file.path).catch(() => undefined);
      const reports = archive ? await ingestArchive(options, dataset.id, target, archive, 0) : [await ingestFile(options, dataset.id, target)];
      sources.push(...reports);
      if (reports.some((r) => r.status === 'interrupted')) {
        interrupted = true;
        break;
      }
    }
  } finally {
    await options.store.endBulkLoad();
  }
  // the new batch meets every watchlist; messages an interrupted run stored wait in the queue
  const watchlists = await options.store.runWatchlists(parseQuery);
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
    mentions: total.mentions,
    alerts: total.alerts,
    watchlists,
    quarantined: total.quarantined,
    duplicates: total.duplicates,
    refused: sources.filter((s) => s.status === 'refused').length,
    interrupted,
  };
}

/** explicit: named on the command line, so a format Lode does not read is an error, not a skip. */
type FoundFile = { path: string; explicit: boolean } | { path: string; refused: string };

/** A file to read, the name it is reported and stored under, and the archive it came from. */
type Target = {
  path: string;
  label: string;
  explicit: boolean;
  container?: { sha256: string; member: string };
  fileIndex: number;
  fileCount: number;
};

/** Archives inside archives are opened this deep; deeper ones are read as files (and refused). */
const MAX_ARCHIVE_DEPTH = 3;

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
      for (const file of files) found.push({ path: file, explicit: false });
    } else if (!info.isFile()) found.push({ path, refused: 'not a regular file' });
    else found.push({ path, explicit: true });
  }
  return found;
}

/** Unpacks an archive into scratch space and ingests each member as a source of its own. */
async function ingestArchive(options: IngestOptions, datasetId: number, archive: Target, kind: ArchiveKind, depth: number): Promise<SourceReport[]> {
  const sha256 = await sha256File(archive.path);
  const scratchRoot = options.scratchDirectory ?? tmpdir();
  await mkdir(scratchRoot, { recursive: true });
  const scratch = await mkdtemp(join(scratchRoot, 'lode-unpack-'));
  const reports: SourceReport[] = [];
  try {
    let members;
    try {
      members = await unpackArchive(archive.path, kind, scratch);
    } catch (error) {
      return [refused(archive.label, `cannot unpack ${kind} archive: ${(error as Error).message}`)];
    }
    if (members.length === 0) return [refused(archive.label, `${kind} archive holds no files`)];
    // in the archive's own order: a note about a damaged remainder stays last
    for (const member of members) {
      const label = `${archive.label}!/${member.member}`;
      if ('refused' in member) {
        reports.push(refused(label, member.refused));
        continue;
      }
      const target: Target = { ...archive, path: member.path, label, explicit: false, container: { sha256, member: member.member } };
      const inner = depth < MAX_ARCHIVE_DEPTH ? await sniffArchive(member.path) : undefined;
      reports.push(...(inner ? await ingestArchive(options, datasetId, target, inner, depth + 1) : [await ingestFile(options, datasetId, target)]));
      if (reports.some((r) => r.status === 'interrupted')) break;
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  return reports;
}

async function ingestFile(options: IngestOptions, datasetId: number, target: Target): Promise<SourceReport> {
  const { path, label, fileIndex, fileCount } = target;
  const info = await stat(path);
  if (info.size === 0) return target.explicit ? refused(label, 'empty file: nothing to ingest') : skipped(label, 'empty file');
  const head = await readHead(path);
  let reader: FormatReader | undefined;
  if (options.format) {
    reader = findFormat(options.format);
    if (!reader) return refused(label, `unknown format "${options.format}"`);
  } else {
    reader = detectFormat(head, path);
    // a site-database mapping says the CSV is a table export, whatever its header looks like
    if (reader?.name === 'csv' && isSiteMapping(options.mapping)) reader = findFormat('site-csv') ?? reader;
    if (!reader) {
      return target.explicit
        ? refused(label, 'not a format Lode reads (see `lode ingest --help` for the formats, or pass --format)')
        : skipped(label, 'not a format Lode reads');
    }
  }
  const sha256 = await sha256File(path);
  const source = await options.store.openSource({ datasetId, path: label, sha256, sizeBytes: info.size, format: reader.name, container: target.container });
  const report: SourceReport = { path: label, sha256, format: reader.name, status: 'ingested', records: 0, quarantined: 0, added: { ...EMPTY_COUNTS } };
  if (source.status === 'complete') return { ...report, status: 'already-ingested' };
  // the checkpoint is the last record a previous run committed (line 0: none yet)
  if (source.checkpoint.line > 0) report.status = 'resumed';
  const plan: BatchPlan = {
    path, format: reader.name, mapping: options.mapping, owner: options.owner, label: label === path ? undefined : label, extractEntities: options.extractEntities, triage: options.triage, region: options.region ?? DEFAULT_REGION, dataset: options.dataset, sha256, sizeBytes: info.size,
    done: source.checkpoint, batchRecords: options.batchRecords ?? DEFAULT_BATCH_RECORDS,
  };
  const batches = info.size >= WORKER_MIN_BYTES && options.useWorker !== false ? preparedBatchesInWorker(plan) : preparedBatches(plan);
  try {
    for await (const batch of batches) {
      const counts = await options.store.writeBatch(source.id, batch);
      report.added = addCounts(report.added, counts);
      report.records += batch.records;
      report.quarantined += batch.quarantined.length;
      options.onProgress?.({ path: label, bytesDone: Math.min(batch.checkpoint.offset, info.size), bytesTotal: info.size, records: report.records, fileIndex, fileCount });
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

function isSiteMapping(mapping: unknown): boolean {
  return typeof mapping === 'object' && mapping !== null && 'tables' in mapping;
}

function refused(path: string, reason: string): SourceReport {
  return { path, status: 'refused', reason, records: 0, quarantined: 0, added: { ...EMPTY_COUNTS } };
}

function skipped(path: string, reason: string): SourceReport {
  return { path, status: 'skipped', reason, records: 0, quarantined: 0, added: { ...EMPTY_COUNTS } };
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
