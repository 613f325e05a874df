// The corpus for one size: generated once (seed 42) and reused while its recorded size still
// matches, since generating millions of messages takes longer than some of the measurements.
// A change to the generator's code invalidates the cache: the queries expect its current output.
import { createHash } from 'node:crypto';
import { readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { writeCorpus, type WriteCorpusResult } from '../src/generate/write-corpus.ts';
import { log } from './log.ts';

export const CORPUS_SEED = 42;

export type Corpus = {
  path: string;
  messages: number;
  seed: number;
  /** Fingerprint of the generator's source (src/generate/*.ts). */
  generator: string;
  bytes: number;
  lines: number;
  reused: boolean;
  generateSeconds?: number;
};

type CorpusMeta = { messages: number; seed: number; generator: string; generated: WriteCorpusResult };

export function corpusPath(outDir: string, messages: number): string {
  return join(outDir, `corpus-${messages}.jsonl`);
}

export async function ensureCorpus(outDir: string, messages: number): Promise<Corpus> {
  const path = corpusPath(outDir, messages);
  const metaPath = `${path}.meta.json`;
  const generator = await generatorFingerprint();
  const cached = await readCachedMeta(path, metaPath, messages, generator);
  if (cached) {
    log(`corpus ${path}: reused (${messages} messages, seed ${CORPUS_SEED}, ${formatMiB(cached.generated.bytes)} MiB)`);
    return { path, messages, seed: CORPUS_SEED, generator, bytes: cached.generated.bytes, lines: cached.generated.lines, reused: true };
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
  const meta: CorpusMeta = { messages, seed: CORPUS_SEED, generator, generated };
  await writeFile(metaPath, `${JSON.stringify(meta, null, 2)}\n`);
  const generateSeconds = (performance.now() - started) / 1000;
  log(`corpus ${path}: ${formatMiB(generated.bytes)} MiB in ${generateSeconds.toFixed(1)} s`);
  return { path, messages, seed: CORPUS_SEED, generator, bytes: generated.bytes, lines: generated.lines, reused: false, generateSeconds };
}

/** The meta file of an earlier run, if it describes this size, seed and generator and the file still has its size. */
async function readCachedMeta(path: string, metaPath: string, messages: number, generator: string): Promise<CorpusMeta | undefined> {
  try {
    const meta = JSON.parse(await readFile(metaPath, 'utf8')) as CorpusMeta;
    const file = await stat(path);
    if (meta.messages === messages && meta.seed === CORPUS_SEED && meta.generated.bytes === file.size) {
      if (meta.generator === generator) return meta;
      log(`corpus ${path}: the generator changed since it was written`);
    }
  } catch {
    // no cache, or an unreadable one: generate again
  }
  return undefined;
}

/** SHA-256 over the generator's source files, names and contents. */
async function generatorFingerprint(): Promise<string> {
  const dir = fileURLToPath(new URL('../src/generate/', import.meta.url));
  const hash = createHash('sha256');
  for (const name of (await readdir(dir)).filter((n) => n.endsWith('.ts')).sort()) {
    hash.update(`${name}\0`).update(await readFile(join(dir, name))).update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

export function formatMiB(bytes: number): string {
  return (bytes / (1 << 20)).toFixed(1);
}
