import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, deflateRawSync, gzipSync } from 'node:zlib';
import * as tar from 'tar-stream';
import { ingest } from '../../src/ingest/pipeline.ts';
import { parseQuery } from '../../src/search/parse.ts';
import { safeMemberPath, sniffArchive } from '../../src/ingest/archives.ts';
import { count, message, openTestStore, temporaryDirectory } from '../fixtures.ts';

type ZipMember = { name: string; content: Buffer | string; encrypted?: boolean };

/** A minimal zip writer (deflate, no zip64): enough to make archives the way phones and tools do. */
function zipOf(members: readonly ZipMember[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const m of members) {
    const data = Buffer.from(m.content);
    const packed = deflateRawSync(data);
    const name = Buffer.from(m.name);
    const flags = (m.encrypted ? 1 : 0) | 0x0800;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc32(data), 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc32(data), 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, packed);
    centrals.push(central, name);
    offset += local.length + name.length + packed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(members.length, 8);
  end.writeUInt16LE(members.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

async function tarOf(members: readonly { name: string; content: string }[]): Promise<Buffer> {
  const pack = tar.pack();
  for (const m of members) pack.entry({ name: m.name }, m.content);
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of pack) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const jsonl = (...records: object[]) => records.map((r) => JSON.stringify(r)).join('\n') + '\n';

test('archives are recognised by their bytes, not their names', async () => {
  const dir = temporaryDirectory();
  const write = (name: string, content: Buffer | string) => {
    writeFileSync(join(dir, name), content);
    return join(dir, name);
  };
  assert.equal(await sniffArchive(write('a.bin', zipOf([{ name: 'x.txt', content: 'x' }]))), 'zip');
  assert.equal(await sniffArchive(write('b.bin', await tarOf([{ name: 'x.txt', content: 'x' }]))), 'tar');
  assert.equal(await sniffArchive(write('c.bin', gzipSync(await tarOf([{ name: 'x.txt', content: 'x' }])))), 'tar.gz');
  assert.equal(await sniffArchive(write('d.bin', gzipSync('plain text'))), 'gzip');
  assert.equal(await sniffArchive(write('e.zip', 'not a zip at all')), undefined);
});

test('member names that would escape the scratch directory are refused', () => {
  assert.equal(safeMemberPath('chats/a.txt'), 'chats/a.txt');
  assert.equal(safeMemberPath('chats/../a.txt'), 'a.txt');
  assert.equal(safeMemberPath('../../etc/passwd'), undefined);
  assert.equal(safeMemberPath('/etc/passwd'), undefined);
  assert.equal(safeMemberPath('C:\\Windows\\x'), undefined);
  assert.equal(safeMemberPath('a\\..\\..\\b'), undefined);
});

test('a zip with nested tar.gz is read member by member, each a source with its archive as container; twice adds nothing', async () => {
  const dir = temporaryDirectory();
  const store = openTestStore(dir);
  const inner = gzipSync(await tarOf([
    { name: 'phone-2/messages.jsonl', content: jsonl(message('p2-1', '2020-04-02T10:00:00Z', 'ghost', ['jaguar'], 'binnen in de tar')) },
  ]));
  const archive = join(dir, 'seizure.zip');
  writeFileSync(archive, zipOf([
    { name: 'phone-1/messages.jsonl', content: jsonl(message('p1-1', '2020-04-01T10:00:00Z', 'tapeworm', ['jaguar'], 'eerste telefoon'), message('p1-2', '2020-04-01T10:01:00Z', 'jaguar', ['tapeworm'], 'antwoord')) },
    { name: 'phone-1/photo.jpg', content: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 1, 2, 3]) },
    { name: 'phone-2.tar.gz', content: inner },
    { name: '../../escape.jsonl', content: jsonl(message('x', '2020-04-01T10:00:00Z', 'a', ['b'], 'mag niet')) },
    { name: 'locked.jsonl', content: 'secret', encrypted: true },
  ]));
  const report = await ingest({ store, paths: [archive], dataset: 'seizure', scratchDirectory: join(dir, 'scratch') });
  const byPath = Object.fromEntries(report.sources.map((s) => [s.path.slice(dir.length + 1), s]));
  assert.deepEqual(Object.keys(byPath).sort(), [
    'seizure.zip!/../../escape.jsonl', 'seizure.zip!/locked.jsonl', 'seizure.zip!/phone-1/messages.jsonl',
    'seizure.zip!/phone-1/photo.jpg', 'seizure.zip!/phone-2.tar.gz!/phone-2/messages.jsonl',
  ]);
  assert.equal(byPath['seizure.zip!/phone-1/messages.jsonl']!.records, 2);
  assert.equal(byPath['seizure.zip!/phone-1/photo.jpg']!.status, 'skipped');
  assert.equal(byPath['seizure.zip!/../../escape.jsonl']!.status, 'refused');
  assert.match(byPath['seizure.zip!/locked.jsonl']!.reason!, /encrypted/);
  assert.equal(report.messages, 3);
  assert.equal(report.refused, 2);
  const source = store.db.prepare(`SELECT path, container_sha256, member_path FROM sources WHERE member_path = 'phone-2/messages.jsonl'`).get()!;
  assert.equal(source.path, `${archive}!/phone-2.tar.gz!/phone-2/messages.jsonl`);
  assert.match(String(source.container_sha256), /^[0-9a-f]{64}$/);
  assert.equal((await store.search({ ast: parseQuery('tar'), limit: 10, offset: 0, sort: 'newest', facets: false })).total, 1);
  const again = await ingest({ store, paths: [archive], dataset: 'seizure', scratchDirectory: join(dir, 'scratch') });
  assert.equal(again.messages, 0);
  assert.deepEqual(again.sources.filter((s) => s.format === 'lode-jsonl').map((s) => s.status), ['already-ingested', 'already-ingested']);
  assert.equal(await count(store, 'SELECT count(*) AS n FROM messages'), 3);
});

test('a damaged tar.gz gives what precedes the damage and reports the rest', async () => {
  const dir = temporaryDirectory();
  const store = openTestStore(dir);
  const tarball = await tarOf([
    { name: 'a.jsonl', content: jsonl(message('a', '2020-04-01T10:00:00Z', 'x', ['y'], 'voor de schade')) },
    // incompressible, so that the cut falls inside this member and not before the first
    { name: 'b.jsonl', content: jsonl(message('b', '2020-04-01T10:00:00Z', 'x', ['y'], randomBytes(60_000).toString('base64'))) },
  ]);
  const gz = gzipSync(tarball);
  const file = join(dir, 'broken.tgz');
  writeFileSync(file, gz.subarray(0, Math.floor(gz.length * 0.6)));
  const report = await ingest({ store, paths: [file], dataset: 'broken' });
  assert.equal(report.sources[0]!.status, 'ingested');
  assert.equal(report.sources[0]!.path, `${file}!/a.jsonl`);
  assert.ok(report.sources.some((s) => s.status === 'refused' && /corrupt tar archive/.test(s.reason ?? '')));
  assert.ok(report.messages >= 1);
});

test('a single gzip-compressed file is read as the file inside', async () => {
  const dir = temporaryDirectory();
  const store = openTestStore(dir);
  const file = join(dir, 'chat.jsonl.gz');
  writeFileSync(file, gzipSync(jsonl(message('g', '2020-04-01T10:00:00Z', 'x', ['y'], 'ingepakt'))));
  const report = await ingest({ store, paths: [file], dataset: 'gz' });
  assert.deepEqual(report.sources.map((s) => [s.path, s.format, s.records]), [[`${file}!/chat.jsonl`, 'lode-jsonl', 1]]);
});

test('an iOS "export chat with media" zip: the chat is named by the archive, attachments hashed from their member files', async () => {
  const dir = temporaryDirectory();
  const store = openTestStore(dir);
  const photo = randomBytes(2048);
  const LRM = '\u200e';
  const chat = [
    '[01/04/2020, 12:34:56] Ali: ben je er?',
    '[01/04/2020, 12:35:10] Bob: ja, bij de loods',
    `[01/04/2020, 12:36:00] Carl: ${LRM}<attached: 00000012-PHOTO-2020-04-01-12-36-00.jpg>`,
    '[13/04/2020, 08:00:01] Ali: morgen zelfde tijd',
  ].join('\r\n') + '\r\n';
  const archive = join(dir, 'WhatsApp Chat - Zuid Crew.zip');
  writeFileSync(archive, zipOf([{ name: '_chat.txt', content: '\ufeff' + chat }, { name: '00000012-PHOTO-2020-04-01-12-36-00.jpg', content: photo }]));
  const report = await ingest({ store, paths: [archive], dataset: 'phone-7' });
  const chatSource = report.sources.find((s) => s.path.endsWith('!/_chat.txt'))!;
  assert.equal(chatSource.format, 'whatsapp');
  assert.equal(report.messages, 4);
  assert.equal(report.sources.find((s) => s.path.endsWith('.jpg'))!.status, 'skipped');
  const attached = store.db.prepare(`SELECT attachments FROM messages WHERE has_attachment = 1`).get()!;
  const [attachment] = JSON.parse(String(attached.attachments)) as { name: string; sha256: string; sizeBytes: number }[];
  assert.equal(attachment!.sha256, createHash('sha256').update(photo).digest('hex'));
  assert.equal(attachment!.sizeBytes, 2048);
  const conversation = store.db.prepare(`SELECT key FROM conversations`).all().map((r) => String(r.key));
  assert.deepEqual(conversation, ['group:Zuid Crew']);
  const hits = await store.search({ ast: parseQuery('loods'), limit: 5, offset: 0, sort: 'newest', facets: false });
  assert.equal(hits.total, 1);
});
