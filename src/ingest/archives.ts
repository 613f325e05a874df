// Archives as seized data arrives in them: .zip (WhatsApp "export with media", phone dumps),
// .tar and .tar.gz, and single gzip-compressed files. Members are unpacked, streamed, into a
// scratch directory that keeps their relative paths (readers look for attachments next to a
// chat), and each member is ingested as a source of its own with the archive as its container.
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open } from 'node:fs/promises';
import { basename, dirname, join, posix } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import * as yauzl from 'yauzl';
import * as tar from 'tar-stream';

export type ArchiveKind = 'zip' | 'tar' | 'tar.gz' | 'gzip';

/** A member as unpacked: where it now lies, or why it was not unpacked. */
export type ArchiveMember = { member: string; path: string } | { member: string; refused: string };

const SNIFF_BYTES = 512;

/** What kind of archive a file is, from its first bytes (a name can lie; magic numbers rarely do). */
export async function sniffArchive(path: string): Promise<ArchiveKind | undefined> {
  const head = await readStart(path, SNIFF_BYTES);
  if (head.length >= 4 && head.readUInt32LE(0) === 0x04034b50) return 'zip';
  // an empty zip is only its end-of-directory record
  if (head.length >= 4 && head.readUInt32LE(0) === 0x06054b50) return 'zip';
  if (isTarHeader(head)) return 'tar';
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) {
    const inner = await gunzipStart(path, SNIFF_BYTES);
    return isTarHeader(inner) ? 'tar.gz' : 'gzip';
  }
  return undefined;
}

function isTarHeader(block: Buffer): boolean {
  return block.length >= 262 && block.subarray(257, 262).toString('latin1') === 'ustar';
}

/**
 * Unpacks every regular file of an archive under `into`, streaming, and says where each went.
 * Members whose names would escape the directory (`../`, absolute paths) are refused, not
 * written; encrypted zip members are refused with the reason.
 */
export async function unpackArchive(path: string, kind: ArchiveKind, into: string): Promise<ArchiveMember[]> {
  switch (kind) {
    case 'zip':
      return unpackZip(path, into);
    case 'tar':
      return unpackTar(createReadStream(path), into);
    case 'tar.gz':
      return unpackTar(createReadStream(path).pipe(createGunzip()), into);
    case 'gzip': {
      const member = basename(path).replace(/\.gz$/i, '') || 'content';
      const target = join(into, member);
      await pipeline(createReadStream(path), createGunzip(), createWriteStream(target));
      return [{ member, path: target }];
    }
  }
}

/** A member name made safe to write under the scratch directory, or undefined when it is not. */
export function safeMemberPath(name: string): string | undefined {
  const normalised = posix.normalize(name.replaceAll('\\', '/'));
  if (normalised.startsWith('/') || /^[a-zA-Z]:/.test(normalised)) return undefined;
  if (normalised === '..' || normalised.startsWith('../') || normalised === '.' || normalised === '') return undefined;
  return normalised;
}

async function unpackZip(path: string, into: string): Promise<ArchiveMember[]> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    // names are validated below: yauzl would otherwise stop the whole archive at one bad name
    yauzl.open(path, { lazyEntries: true, decodeStrings: false, validateEntrySizes: true }, (error, file) => (error ? reject(error) : resolve(file))),
  );
  const members: ArchiveMember[] = [];
  try {
    for (;;) {
      const entry = await new Promise<yauzl.Entry | undefined>((resolve, reject) => {
        const onEntry = (e: yauzl.Entry) => done(e);
        const onEnd = () => done(undefined);
        const onError = (error: Error) => {
          zip.off('entry', onEntry).off('end', onEnd);
          reject(error);
        };
        const done = (e: yauzl.Entry | undefined) => {
          zip.off('entry', onEntry).off('end', onEnd).off('error', onError);
          resolve(e);
        };
        zip.once('entry', onEntry).once('end', onEnd).once('error', onError);
        zip.readEntry();
      });
      if (!entry) break;
      // decoded here (UTF-8 flag, Info-ZIP unicode field, else CP437) so that one bad name costs only its member
      const name = yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, entry.fileNameRaw, entry.extraFields, false);
      if (name.endsWith('/')) continue;
      const safe = safeMemberPath(name);
      if (!safe) {
        members.push({ member: name, refused: 'member name points outside the archive' });
        continue;
      }
      if (entry.isEncrypted()) {
        members.push({ member: safe, refused: 'encrypted member: Lode cannot read it without the password' });
        continue;
      }
      const target = join(into, safe);
      await mkdir(dirname(target), { recursive: true });
      const stream = await new Promise<Readable>((resolve, reject) => zip.openReadStream(entry, (error, s) => (error ? reject(error) : resolve(s))));
      try {
        await pipeline(stream, createWriteStream(target));
        members.push({ member: safe, path: target });
      } catch (error) {
        members.push({ member: safe, refused: `cannot unpack: ${(error as Error).message}` });
      }
    }
  } catch (error) {
    members.push({ member: '(rest of the archive)', refused: `corrupt zip archive: ${(error as Error).message}` });
  } finally {
    zip.close();
  }
  return members;
}

async function unpackTar(input: Readable, into: string): Promise<ArchiveMember[]> {
  const members: ArchiveMember[] = [];
  const extract = tar.extract();
  input.on('error', (error) => extract.destroy(error));
  input.pipe(extract);
  try {
    await unpackTarEntries(extract, into, members);
  } catch (error) {
    // what came before the damage is unpacked and read; the rest is reported, not guessed at
    members.push({ member: '(rest of the archive)', refused: `corrupt tar archive: ${(error as Error).message}` });
  }
  return members;
}

async function unpackTarEntries(extract: tar.Extract, into: string, members: ArchiveMember[]): Promise<void> {
  for await (const entry of extract) {
    const name = entry.header.name;
    if (entry.header.type !== 'file' && entry.header.type !== 'contiguous-file') {
      entry.resume();
      continue;
    }
    const safe = safeMemberPath(name);
    if (!safe) {
      members.push({ member: name, refused: 'member name points outside the archive' });
      entry.resume();
      continue;
    }
    const target = join(into, safe);
    await mkdir(dirname(target), { recursive: true });
    await pipeline(entry, createWriteStream(target));
    members.push({ member: safe, path: target });
  }
}

async function readStart(path: string, bytes: number): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

async function gunzipStart(path: string, bytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let length = 0;
  const gunzip = createReadStream(path).pipe(createGunzip());
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      length += chunk.length;
      if (length >= bytes) break;
    }
  } catch {
    // a truncated or corrupt stream: whatever came out is all there is to sniff
  } finally {
    gunzip.destroy();
  }
  return Buffer.concat(chunks).subarray(0, bytes);
}
