// Letters are written into a folder that is new or empty, through a staging folder renamed into
// place at the end (like a case export): a folder of letters is complete or absent, never half
// of a print run that someone posts.
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createHash, randomUUID } from 'node:crypto';
import type { Recipient } from '../model/campaigns.ts';
import { basename, dirname, join, resolve } from 'node:path';
import type { LetterSink } from './letters.ts';

export type LetterFolder = LetterSink & { dir: string; abandon(): Promise<void> };

export async function openLetterFolder(outDir: string): Promise<LetterFolder> {
  const dir = resolve(outDir);
  const entries = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  if (entries.length > 0) throw new LetterFolderError(`refusing to write letters into ${dir}: the folder is not empty`);
  await mkdir(dirname(dir), { recursive: true });
  const staging = join(dirname(dir), `.${basename(dir)}.partial-${randomUUID()}`);
  await mkdir(staging);
  return {
    dir,
    async write(name, bytes) {
      if (name !== basename(name) || name.startsWith('.')) throw new Error(`not a file name: ${name}`);
      await writeFile(join(staging, name), bytes, { flag: 'wx' });
      return join(dir, name);
    },
    async commit() {
      // rename(2) replaces an empty folder and fails on one that filled up meanwhile
      await rename(staging, dir).catch(async (error: NodeJS.ErrnoException) => {
        await rm(staging, { recursive: true, force: true });
        throw error.code === 'ENOTEMPTY' || error.code === 'EEXIST' ? new LetterFolderError(`refusing to write letters into ${dir}: the folder is not empty`) : error;
      });
    },
    async abandon() {
      await rm(staging, { recursive: true, force: true });
    },
  };
}

export class LetterFolderError extends Error {}

/** A recipient's generated letter, read back and checked against the hash recorded when it was made. */
export async function readLetter(recipient: Recipient): Promise<Uint8Array> {
  if (!recipient.letter) throw new LetterFolderError(`${recipient.reference} has no letter yet: generate letters first (lode campaign letters)`);
  const bytes = await readFile(recipient.letter.path).catch((error: NodeJS.ErrnoException) => {
    throw new LetterFolderError(`cannot read ${recipient.reference}'s letter ${recipient.letter!.path}: ${error.code ?? error.message}`);
  });
  if (createHash('sha256').update(bytes).digest('hex') !== recipient.letter.sha256) {
    throw new LetterFolderError(`${recipient.reference}'s letter ${recipient.letter.path} is not the one generated (its SHA-256 differs): not attaching it`);
  }
  return bytes;
}
