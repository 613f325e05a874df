// Streams the generated corpus and its truth file to disk in ~1 MB chunks,
// waiting for 'drain' so memory stays flat, and optionally injects broken
// lines (recorded in the truth file) for quarantine tests.

import { createWriteStream } from 'node:fs';
import type { WriteStream } from 'node:fs';
import { once } from 'node:events';
import { generateCorpus, PLATFORM } from './corpus.ts';
import { Rng } from './rng.ts';

export interface WriteCorpusOptions {
  messages: number;
  seed: number;
  out: string;
  truthOut?: string;
  /** Probability per record line of inserting a malformed line before it (default 0). */
  malformedRate?: number;
  start?: string;
  days?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface WriteCorpusResult {
  lines: number;
  messages: number;
  accounts: number;
  malformed: number;
  truthRecords: number;
  bytes: number;
}

const CHUNK = 1 << 20;
export const MALFORMED_KINDS = ['truncated_json', 'wrong_type_ts', 'missing_from', 'unknown_kind', 'oversized_line'] as const;
export type MalformedKind = (typeof MALFORMED_KINDS)[number];

/** `<out>.truth.jsonl`, so the truth file sorts next to its corpus and never replaces it. */
export function defaultTruthPath(out: string): string {
  return out + '.truth.jsonl';
}

class ChunkedWriter {
  private buf = '';
  bytes = 0;
  private stream: WriteStream;

  constructor(stream: WriteStream) {
    this.stream = stream;
  }

  /** Returns a promise only when the chunk was flushed into a full stream. */
  line(s: string): Promise<void> | null {
    this.buf += s + '\n';
    return this.buf.length >= CHUNK ? this.flush() : null;
  }

  async flush(): Promise<void> {
    if (!this.buf) return;
    const chunk = this.buf;
    this.buf = '';
    this.bytes += Buffer.byteLength(chunk);
    if (!this.stream.write(chunk)) await once(this.stream, 'drain');
  }

  async close(): Promise<void> {
    await this.flush();
    const done = once(this.stream, 'finish');
    this.stream.end();
    await done;
  }
}

/** Pick the malformation: every kind appears early, the costly >1 MB line only rarely. */
export function malformedKindFor(k: number): MalformedKind {
  if (k === 4 || (k > 0 && k % 1000 === 0)) return 'oversized_line';
  return MALFORMED_KINDS[k % 4] as MalformedKind;
}

export function malformedLine(kind: MalformedKind, k: number, ts: string, nextLine: string, rng: Rng): string {
  const id = 'e-bad-' + (k + 1);
  switch (kind) {
    case 'truncated_json': return nextLine.slice(0, Math.max(1, Math.floor(nextLine.length * (0.2 + rng.next() * 0.6))));
    case 'wrong_type_ts': return JSON.stringify({ kind: 'message', platform: PLATFORM, id, ts: 12, from: 'ghost', to: ['jaguar'], body: 'ok' });
    case 'missing_from': return JSON.stringify({ kind: 'message', platform: PLATFORM, id, ts, to: ['jaguar'], body: 'waar ben je' });
    case 'unknown_kind': return JSON.stringify({ kind: 'telemetry', platform: PLATFORM, id: 't-' + (k + 1), ts, battery: rng.range(3, 100), signal: -rng.range(60, 110) });
    case 'oversized_line': return JSON.stringify({ kind: 'message', platform: PLATFORM, id, ts, from: 'ghost', to: ['jaguar'], body: 'spam '.repeat(230_000) });
  }
}

export async function writeCorpus(options: WriteCorpusOptions): Promise<WriteCorpusResult> {
  const truthPath = options.truthOut ?? defaultTruthPath(options.out);
  const out = new ChunkedWriter(createWriteStream(options.out));
  const truth = new ChunkedWriter(createWriteStream(truthPath));
  const rate = options.malformedRate ?? 0;
  const rng = new Rng(options.seed >>> 0, 9);
  let lines = 0;
  let messages = 0;
  let accounts = 0;
  let malformed = 0;
  let truthRecords = 0;
  let lastTs = '2020-03-01T00:00:00Z';
  const progressEvery = Math.max(1000, Math.floor(options.messages / 200));

  const gen: Parameters<typeof generateCorpus>[0] = { messages: options.messages, seed: options.seed };
  if (options.start !== undefined) gen.start = options.start;
  if (options.days !== undefined) gen.days = options.days;

  for (const item of generateCorpus(gen)) {
    if (item.record) {
      const rec = item.record;
      const line = JSON.stringify(rec);
      if (rate > 0 && rng.next() < rate) {
        const kind = malformedKindFor(malformed);
        lines++;
        const p = out.line(malformedLine(kind, malformed, lastTs, line, rng));
        if (p) await p;
        const t = truth.line(JSON.stringify({ kind: 'malformed', line: lines, why: kind }));
        if (t) await t;
        truthRecords++;
        malformed++;
      }
      lines++;
      if (rec['kind'] === 'message') {
        messages++;
        lastTs = rec['ts'] as string;
        if (options.onProgress && messages % progressEvery === 0) options.onProgress(messages, options.messages);
      } else if (rec['kind'] === 'account') accounts++;
      const p = out.line(line);
      if (p) await p;
    }
    if (item.truth) {
      const t = item.truth;
      if (t['kind'] === 'summary') {
        t['malformed'] = malformed;
        t['lines'] = lines;
      }
      truthRecords++;
      const p = truth.line(JSON.stringify(t));
      if (p) await p;
    }
  }
  await out.close();
  await truth.close();
  options.onProgress?.(messages, options.messages);
  return { lines, messages, accounts, malformed, truthRecords, bytes: out.bytes };
}
