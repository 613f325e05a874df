// Writes an export to disk: the I/O shell around exportContents. Everything is computed before the
// first byte is written, the files go to a staging directory beside the target, MANIFEST.sha256
// last, and the staging directory is renamed into place, so a crash or a full disk never leaves
// a half bundle that looks complete.
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { ExportedFile } from '../../model/cases.ts';
import type { ExportBundle } from './bundle-files.ts';
import { EXPORT_FORMATS, exportContents, type ExportFormat } from './contents.ts';
import { MANIFEST_PATH } from './manifest.ts';

export type ExportOptions = { formats?: readonly ExportFormat[] };

export type ExportResult = {
  dir: string;
  /** Every file the manifest lists (the manifest itself aside), sorted by path. */
  files: ExportedFile[];
  /** SHA-256 of MANIFEST.sha256: one value that pins the whole export (for the audit log). */
  manifestSha256: string;
  /** The hash printed on the report cover (every file but the reports). */
  dataRootSha256: string;
};

export async function exportCase(bundle: ExportBundle, outDir: string, options: ExportOptions = {}): Promise<ExportResult> {
  const dir = resolve(outDir);
  await refuseNonEmpty(dir);
  const contents = await exportContents(bundle, options.formats ?? EXPORT_FORMATS);

  await mkdir(dirname(dir), { recursive: true });
  // mkdir, not mkdtemp: the export gets the mode any directory the user creates gets (mkdtemp's is 0700).
  const staging = join(dirname(dir), `.${basename(dir)}.partial-${randomUUID()}`);
  await mkdir(staging);
  try {
    for (const file of contents.files) await writeFile(join(staging, file.path), file.content, { flag: 'wx' });
    await writeFile(join(staging, MANIFEST_PATH), contents.manifest, { flag: 'wx' });
    // rename(2) replaces an empty directory and fails on a non-empty one, so a directory that
    // filled up since the check above is refused here rather than overwritten.
    await rename(staging, dir).catch((error: unknown) => {
      throw (error as NodeJS.ErrnoException).code === 'ENOTEMPTY' || (error as NodeJS.ErrnoException).code === 'EEXIST'
        ? new Error(`refusing to export into ${dir}: the directory is not empty`)
        : error;
    });
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
  return {
    dir,
    files: contents.files.map((f) => ({ path: f.path, sha256: f.sha256, bytes: f.bytes })),
    manifestSha256: contents.manifestSha256,
    dataRootSha256: contents.dataRootSha256,
  };
}

async function refuseNonEmpty(dir: string): Promise<void> {
  const info = await stat(dir).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  });
  if (!info) return;
  if (!info.isDirectory()) throw new Error(`refusing to export into ${dir}: it exists and is not a directory`);
  if ((await readdir(dir)).length > 0) throw new Error(`refusing to export into ${dir}: the directory is not empty`);
}
