// Checks an export directory against its MANIFEST.sha256, like `sha256sum -c` and stricter: a
// file present but not listed fails too. Hashes stream, so a large ftm.jsonl costs no memory.
import { createReadStream } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join, relative, sep } from 'node:path';
import { checkManifest, MANIFEST_PATH, type ManifestCheck } from './manifest.ts';

export async function verifyManifest(dir: string): Promise<ManifestCheck> {
  let text: string;
  try {
    text = await readFile(join(dir, MANIFEST_PATH), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    return { ok: false, checked: 0, problems: [{ kind: 'missing', path: MANIFEST_PATH }] };
  }
  const actual = new Map<string, string>();
  const unreadable: string[] = [];
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    const path = relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/');
    if (entry.isFile()) {
      if (path !== MANIFEST_PATH) actual.set(path, await hashFile(join(dir, path)));
    } else if (!entry.isDirectory()) {
      unreadable.push(path);
    }
  }
  const check = checkManifest(text, actual);
  // A symlink or device in an export is something nobody put there on purpose: report it.
  const problems = [...check.problems, ...unreadable.map((path) => ({ kind: 'unlisted' as const, path }))];
  return { ok: check.ok && unreadable.length === 0, checked: check.checked, problems };
}

async function hashFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
