// The corpus for one size: generated once (seed 42) and reused while its recorded size still
// matches, since generating millions of messages takes longer than some of the measurements.
import { readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeCorpus, type WriteCorpusResult } from '../src/generate/write-corpus.ts';
import { log } from './log.ts';

export const CORPUS_SEED = 42;

export type Corpus = {
  path: string;
  messages: number;
  seed: number;
  bytes: number;
  lines: number;
  reused: boolean;
  generateSeconds?: number;
};

type CorpusMeta = { messages: number; seed: number; generated: WriteCorpusResult };

export function corpusPath(outDir: string, messages: number): string {
  return join(outDir, `corpus-${messages}.jsonl`);
}

export async function ensureCorpus(outDir: string, messages: number): Promise<Corpus> {
  const path = corpusPath(outDir, messages);
  const metaPath = `${path}.meta.json`;
  const cached = await readCachedMeta(path, metaPath, messages);
  if (cached) {
    log(`corpus ${path}: reused (${messages} messages, seed ${CORPUS_SEED}, ${formatMiB(cached.generated.bytes)} MiB)`);
    return { path, messages, seed: CORPUS_SEED, bytes: cached.generated.bytes, lines: cached.generated.lines, reused: true };
  }
  log(`corpus ${path}: generating ${messages} messages, seed ${CORPUS_SEED}`);
  const started = performance.now();
  const partial = `${path}.partial`;
  let lastLogged = 0;
  const generated = await writeCorpus({
    messages, seed: CORPUS_SEED, out: partial, truthOut: join(outDir, `corpus-${messages}.truth.jsonl`),
    onProgress: (done, total) => {
      if (performance.now() - lastLogged < 5000) return;
      lastLogged = performance.now();
      log(`  generated ${done}/${total} messages`);
    },
  });
  await rename(partial, path);
  const meta: CorpusMeta = { messages, seed: CORPUS_SEED, generated };
  await writeFile(metaPath, `${JSON.stringify(meta, null, 2)}\n`);
  const generateSeconds = (performance.now() - started) / 1000;
  log(`corpus ${path}: ${formatMiB(generated.bytes)} MiB in ${generateSeconds.toFixed(1)} s`);
  return { path, messages, seed: CORPUS_SEED, bytes: generated.bytes, lines: generated.lines, reused: false, generateSeconds };
}

/** The meta file of an earlier run, if it describes this size and seed and the file still has its size. */
async function readCachedMeta(path: string, metaPath: string, messages: number): Promise<CorpusMeta | undefined> {
  try {
    const meta = JSON.parse(await readFile(metaPath, 'utf8')) as CorpusMeta;
    const file = await stat(path);
    if (meta.messages === messages && meta.seed === CORPUS_SEED && meta.generated.bytes === file.size) return meta;
  } catch {
    // no cache, or an unreadable one: generate again
  }
  return undefined;
}

export function formatMiB(bytes: number): string {
  return (bytes / (1 << 20)).toFixed(1);
}
