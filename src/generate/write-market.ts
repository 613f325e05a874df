// Writes a generated leak-market dump and its truth file, in chunks of about 1 MB, waiting for
// 'drain' so memory stays flat whatever the number of people.

import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { MARKET_TABLES, marketDump, marketTruth, planMarket, type MarketProgress, type MarketSummary } from './market.ts';

export type WriteMarketOptions = {
  people: number;
  seed: number;
  out: string;
  /** Default `<out>.truth.jsonl`. */
  truthOut?: string;
  database?: string;
  /** Person-passes done of the total: four tables and the truth file, each a pass over everyone. */
  onProgress?: MarketProgress;
};

export type WriteMarketResult = {
  out: string;
  truthOut: string;
  bytes: number;
  truthRecords: number;
  summary: MarketSummary;
};

const CHUNK_CHARS = 1 << 20;

/** `<out>.truth.jsonl`, so the truth file sorts next to its dump and never replaces it. */
export function defaultMarketTruthPath(out: string): string {
  return out + '.truth.jsonl';
}

export async function writeMarketDump(options: WriteMarketOptions): Promise<WriteMarketResult> {
  const plan = planMarket({ people: options.people, seed: options.seed, database: options.database });
  const truthOut = options.truthOut ?? defaultMarketTruthPath(options.out);
  const total = plan.people * (MARKET_TABLES.length + 1);
  const every = Math.max(1000, Math.floor(plan.people / 100));
  const dump = chunkedFile(options.out);
  for (const piece of marketDump(plan, (done) => options.onProgress?.(done, total))) await dump.write(piece);
  const bytes = await dump.close();
  const truth = chunkedFile(truthOut);
  let truthRecords = 0;
  let summary: MarketSummary | undefined;
  for (const record of marketTruth(plan)) {
    if (record.kind === 'summary') summary = record;
    truthRecords++;
    await truth.write(JSON.stringify(record) + '\n');
    if (truthRecords % every === 0) options.onProgress?.(total - plan.people + truthRecords, total);
  }
  await truth.close();
  options.onProgress?.(total, total);
  if (summary === undefined) throw new Error('the truth ended without its summary');
  return { out: options.out, truthOut, bytes, truthRecords, summary };
}

function chunkedFile(path: string): { write(text: string): Promise<void>; close(): Promise<number> } {
  const stream: WriteStream = createWriteStream(path);
  // an unwritable path fails after the open: kept to be thrown by the next write, not left uncaught
  let failure: Error | undefined;
  stream.on('error', (error) => {
    failure = error;
  });
  let pending: string[] = [];
  let pendingChars = 0;
  let bytes = 0;
  const flush = async () => {
    if (pending.length === 0) return;
    const chunk = pending.join('');
    pending = [];
    pendingChars = 0;
    bytes += Buffer.byteLength(chunk);
    if (!stream.write(chunk)) await once(stream, 'drain');
  };
  return {
    async write(text) {
      if (failure) throw failure;
      pending.push(text);
      pendingChars += text.length;
      if (pendingChars >= CHUNK_CHARS) await flush();
    },
    async close() {
      await flush();
      if (failure) throw failure;
      const finished = once(stream, 'finish');
      stream.end();
      await finished;
      return bytes;
    },
  };
}
