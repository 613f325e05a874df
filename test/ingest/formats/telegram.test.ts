import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import type { AccountRecord, ContactRecord, EventRecord, GroupRecord } from '../../../src/model/records.ts';
import { ingest } from '../../../src/ingest/pipeline.ts';
import { detectFormat } from '../../../src/ingest/formats/registry.ts';
import { FormatError } from '../../../src/ingest/formats/format.ts';
import { handleOf, telegram, textOf } from '../../../src/ingest/formats/telegram.ts';
import { parseQuery } from '../../../src/search/parse.ts';
import { count, openTestStore, temporaryDirectory } from '../../fixtures.ts';
import { assertLocationsIncrease, readAllWith, recordsOf } from './reading.ts';

const readAll = (path: string) => readAllWith(telegram, path);

// ---------- fixtures made by code: Telegram Desktop writes one-space indented JSON ----------

const NOT_INCLUDED = '(File not included. Change data exporting settings to download.)';

function unix(iso: string): string {
  return String(Date.parse(iso) / 1000);
}

/** A message as Telegram Desktop 4.x writes it (date in local time, date_unixtime in UTC). */
function tgMessage(id: number, iso: string, fromId: string, from: string, text: unknown, more: object = {}): object {
  const local = new Date(Date.parse(iso) + 2 * 3600_000).toISOString().slice(0, 19);
  return { id, type: 'message', date: local, date_unixtime: unix(iso), from, from_id: fromId, text, text_entities: [], ...more };
}

function personalChat(): object {
  return {
    name: 'Mo Kapper',
    type: 'personal_chat',
    id: 111,
    messages: [
      tgMessage(1, '2023-03-01T10:00:00Z', 'user111', 'Mo Kapper', 'hoi, heb je de spullen?'),
      tgMessage(2, '2023-03-01T10:01:00Z', 'user222', 'Tapeworm', ['kijk hier: ', { type: 'link', text: 'https://example.org/x' }, ' en ', { type: 'text_link', text: 'deze', href: 'https://example.org/y' }], { reply_to_message_id: 1 }),
      tgMessage(3, '2023-03-01T10:02:00Z', 'user111', 'Mo Kapper', '', { photo: 'photos/photo_1@01-03-2023_10-02-00.jpg', width: 1280, height: 720 }),
      tgMessage(4, '2023-03-01T10:03:00Z', 'user222', 'Tapeworm', 'het contract', { file: NOT_INCLUDED, file_name: 'contract.pdf', mime_type: 'application/pdf' }),
      tgMessage(5, '2023-03-01T10:04:00Z', 'user111', 'Mo Kapper', '', { file: 'stickers/sticker.webp', media_type: 'sticker', sticker_emoji: '😀', mime_type: 'image/webp' }),
      { id: 6, type: 'service', date: '2023-03-01T12:05:00', date_unixtime: unix('2023-03-01T10:05:00Z'), actor: 'Tapeworm', actor_id: 'user222', action: 'phone_call', duration_seconds: 93, discard_reason: 'hangup', text: '', text_entities: [] },
      tgMessage(7, '2023-03-01T10:06:00Z', 'user111', 'Mo Kapper', 'doorgestuurd bericht over de levering', { forwarded_from: 'Ghost', edited: '2023-03-01T12:07:00', edited_unixtime: unix('2023-03-01T10:07:00Z') }),
      { id: 8, type: 'message', from: 'Mo Kapper', from_id: 'user111', text: 'zonder datum' },
      { type: 'message', date: '2023-03-01T12:09:00', date_unixtime: unix('2023-03-01T10:09:00Z'), from: 'Mo Kapper', from_id: 'user111', text: 'zonder id' },
      tgMessage(10, '2023-03-01T10:10:00Z', 'user222', 'Tapeworm', '', { poll: { question: 'Waar afspreken?', closed: false, total_voters: 1, answers: [{ text: 'station', voters: 1, chosen: true }, { text: 'haven', voters: 0, chosen: false }] } }),
      tgMessage(11, '2023-03-01T10:11:00Z', 'user111', 'Mo Kapper', '', { location_information: { latitude: 51.92, longitude: 4.47 } }),
      tgMessage(12, '2023-03-01T10:12:00Z', 'user222', 'Tapeworm', '', { contact_information: { first_name: 'Kees', last_name: '', phone_number: '+31611111111' }, contact_vcard: 'contacts/contact_1.vcf' }),
    ],
  };
}

function fullExport(): object {
  return {
    about: 'Here is the data you requested. Remember: Telegram is ad free, it doesn\'t sell your data to third parties.',
    personal_information: { user_id: 222, first_name: 'Tape', last_name: 'Worm', phone_number: '+31 6 12345678', username: '@tapeworm', bio: '' },
    contacts: {
      about: 'This is your contact list.',
      list: [
        { user_id: 111, first_name: 'Mo', last_name: 'Kapper', phone_number: '+31687654321', date: '2022-01-01T10:00:00', date_unixtime: '1641027600' },
        { first_name: 'Oom', last_name: 'Kees', phone_number: '+31611111111', date: '2022-01-02T10:00:00', date_unixtime: '1641114000' },
        { first_name: 'Niemand', last_name: '', date: '2022-01-03T10:00:00' },
      ],
    },
    frequent_contacts: { about: '...', list: [{ id: 111, category: 'people', type: 'user', name: 'Mo Kapper', rating: 0.9 }] },
    chats: {
      about: 'This page lists all chats from this export.',
      list: [
        {
          name: 'Zuid crew', type: 'private_supergroup', id: 1500000001,
          messages: [
            { id: 1, type: 'service', date: '2023-02-01T09:00:00', date_unixtime: unix('2023-02-01T08:00:00Z'), actor: 'Tapeworm', actor_id: 'user222', action: 'create_group', title: 'Zuid crew', members: ['Mo Kapper', 'Ghost'], text: '', text_entities: [] },
            tgMessage(2, '2023-02-01T08:01:00Z', 'user333', 'Ghost', 'vanavond om tien uur bij de loods'),
            tgMessage(3, '2023-02-01T08:02:00Z', 'user111', 'Mo Kapper', 'ik neem de bestelbus mee', { reply_to_message_id: 2 }),
            { id: 4, type: 'service', date: '2023-02-01T09:03:00', date_unixtime: unix('2023-02-01T08:03:00Z'), actor: 'Ghost', actor_id: 'user333', action: 'pin_message', message_id: 2, text: '', text_entities: [] },
          ],
        },
        { name: 'Mo Kapper', type: 'personal_chat', id: 111, messages: [tgMessage(9, '2023-02-02T08:00:00Z', 'user111', 'Mo Kapper', 'alles goed gegaan?'), tgMessage(10, '2023-02-02T08:01:00Z', 'user222', 'Tapeworm', 'ja, alles geregeld')] },
        { name: 'Leeg', type: 'private_group', id: 1500000002 },
      ],
    },
    left_chats: {
      about: 'This page lists all supergroups and channels from this export that you left.',
      list: [{ name: 'Nieuws', type: 'public_channel', id: 1600000003, messages: [tgMessage(1, '2023-01-05T08:00:00Z', 'channel1600000003', 'Nieuws', 'nieuwe prijzen')] }],
    },
  };
}

/** Telegram Desktop 1.x (2018-2019): integer from_id, no date_unixtime, text arrays. */
function oldChat(): object {
  return {
    name: 'Oude groep', type: 'private_group', id: 4242,
    messages: [
      { id: 1, type: 'message', date: '2018-06-01T12:00:00', edited: '1970-01-01T01:00:00', from: 'Alice', from_id: 98765, text: 'oude tekst' },
      { id: 2, type: 'message', date: '2018-06-01T12:01:00', edited: '1970-01-01T01:00:00', from: 'Bob', from_id: 45678, text: ['zie ', { type: 'mention', text: '@alice' }, ' en ', { type: 'bold', text: 'vet' }] },
      { id: 3, type: 'service', date: '2018-06-01T12:02:00', edited: '1970-01-01T01:00:00', actor: 'Alice', actor_id: 98765, action: 'invite_members', members: ['Carol'], text: '' },
    ],
  };
}

function writeExport(dir: string, value: object): string {
  const path = join(dir, 'result.json');
  writeFileSync(path, JSON.stringify(value, null, 1));
  return path;
}

// ---------- tests ----------

test('a one-chat export: text, text arrays with links, media, calls, forwards, polls; owner found from the senders', async () => {
  const dir = temporaryDirectory();
  mkdirSync(join(dir, 'photos'));
  const photo = Buffer.from('not really a jpeg, but bytes all the same');
  writeFileSync(join(dir, 'photos', 'photo_1@01-03-2023_10-02-00.jpg'), photo);
  const path = writeExport(dir, personalChat());
  const items = await readAll(path);
  assertLocationsIncrease(items);
  const messages = recordsOf(items, 'message');
  assert.deepEqual(messages.map((m) => m.ref), ['111:1', '111:2', '111:3', '111:4', '111:5', '111:6', '111:7', '111:10', '111:11', '111:12']);
  const byRef = new Map(messages.map((m) => [m.ref!, m]));

  const first = byRef.get('111:1')!;
  assert.equal(first.ts, '2023-03-01T10:00:00Z', 'date_unixtime wins: a UTC time');
  assert.equal(first.from, 'user111');
  assert.deepEqual(first.to, ['user222'], 'the owner, learnt from the other sender, receives the chat partner\'s messages');
  assert.equal(first.group, undefined);
  assert.equal(first.extra?.local_date, '2023-03-01T12:00:00');

  const second = byRef.get('111:2')!;
  assert.equal(second.body, 'kijk hier: https://example.org/x en deze');
  assert.deepEqual(second.to, ['user111']);
  assert.deepEqual(second.extra?.entities, [{ type: 'link', text: 'https://example.org/x' }, { type: 'text_link', text: 'deze', href: 'https://example.org/y' }]);
  assert.equal(second.extra?.reply_to_ref, '111:1');

  assert.deepEqual(byRef.get('111:3')!.attachments, [{ name: 'photo_1@01-03-2023_10-02-00.jpg', mime: 'image/jpeg', sha256: createHash('sha256').update(photo).digest('hex'), sizeBytes: photo.length }]);
  assert.deepEqual(byRef.get('111:4')!.attachments, [{ name: 'contract.pdf', mime: 'application/pdf' }]);
  assert.equal(byRef.get('111:4')!.extra?.file, NOT_INCLUDED);
  assert.deepEqual(byRef.get('111:5')!.attachments, [{ name: 'sticker.webp', mime: 'image/webp' }], 'a file missing from disk has no hash');
  assert.equal(byRef.get('111:5')!.extra?.media_type, 'sticker');

  const call = byRef.get('111:6')!;
  assert.deepEqual(call.flags, ['telegram-service']);
  assert.equal(call.from, 'user222');
  assert.equal(call.extra?.action, 'phone_call');
  const events = recordsOf(items, 'event');
  assert.deepEqual(events, [{ kind: 'event', platform: 'telegram', ref: '111:6', account: 'user222', type: 'call', ts: '2023-03-01T10:05:00Z', fields: { chat: '111', action: 'phone_call', to: ['user111'], duration_seconds: 93, discard_reason: 'hangup' } }] satisfies EventRecord[]);

  assert.equal(byRef.get('111:7')!.extra?.forwarded_from, 'Ghost');
  assert.equal(byRef.get('111:7')!.extra?.edited_unixtime, unix('2023-03-01T10:07:00Z'));
  assert.equal(byRef.get('111:10')!.body, 'Waar afspreken?\nstation\nhaven');
  assert.deepEqual(byRef.get('111:11')!.extra?.location_information, { latitude: 51.92, longitude: 4.47 });
  assert.deepEqual(byRef.get('111:12')!.attachments, [{ name: 'contact_1.vcf', mime: 'text/vcard' }]);

  const accounts = recordsOf(items, 'account');
  assert.deepEqual(accounts.map((a) => [a.handle, a.name]), [['user111', 'Mo Kapper'], ['user222', 'Tapeworm']], 'each sender once, with the display name');
  assert.equal(recordsOf(items, 'group').length, 0, 'a personal chat is no group');

  const bad = items.filter((i) => i.kind === 'malformed');
  assert.equal(bad.length, 2);
  assert.match(bad[0]!.kind === 'malformed' ? bad[0]!.reason : '', /message 8 has no usable "date"/);
  assert.match(bad[1]!.kind === 'malformed' ? bad[1]!.reason : '', /no usable "id"/);
  // every message location is the byte where its object starts
  const bytes = readFileSync(path);
  for (const item of items) if (item.kind === 'record' && item.record.kind === 'message') assert.equal(String.fromCharCode(bytes[item.location.offset]!), '{');
  const lineStarts = bytes.toString('latin1').split('\n');
  const item = items.find((i) => i.kind === 'record' && i.record.kind === 'message' && i.record.ref === '111:2')!;
  assert.equal(lineStarts[item.location.line - 1]!.trim(), '{');
});

test('a full export: owner, contacts, groups with group records, personal chats and left channels', async () => {
  const dir = temporaryDirectory();
  const items = await readAll(writeExport(dir, fullExport()));
  assertLocationsIncrease(items);
  const accounts = recordsOf(items, 'account');
  assert.deepEqual(accounts[0], { kind: 'account', platform: 'telegram', handle: 'user222', name: 'Tape Worm', extra: { phone_number: '+31 6 12345678', username: '@tapeworm', bio: '' } } satisfies AccountRecord);
  const contacts = recordsOf(items, 'contact');
  assert.deepEqual(contacts.map((c) => [c.owner, c.handle, c.alias]), [['user222', 'user111', 'Mo Kapper'], ['user222', '+31611111111', 'Oom Kees']] satisfies [string, string, string][]);
  assert.equal((contacts[0] as ContactRecord).extra?.phone_number, '+31687654321');
  const malformed = items.filter((i) => i.kind === 'malformed');
  assert.equal(malformed.length, 1);
  assert.match(malformed[0]!.kind === 'malformed' ? malformed[0]!.reason : '', /neither a user_id nor a phone_number/);

  const groups = recordsOf(items, 'group');
  assert.deepEqual(groups.map((g) => [g.ref, g.name]), [['telegram:1500000001', 'Zuid crew'], ['telegram:1500000002', 'Leeg'], ['telegram:1600000003', 'Nieuws']]);
  assert.deepEqual((groups[0] as GroupRecord).extra, { type: 'private_supergroup' });

  const messages = recordsOf(items, 'message');
  const byRef = new Map(messages.map((m) => [m.ref!, m]));
  const created = byRef.get('1500000001:1')!;
  assert.deepEqual(created.flags, ['telegram-service']);
  assert.equal(created.group, 'telegram:1500000001');
  assert.deepEqual(created.to, []);
  assert.deepEqual(created.extra?.members, ['Mo Kapper', 'Ghost']);
  assert.equal(byRef.get('1500000001:4')!.extra?.message_id, 2);
  assert.deepEqual(byRef.get('111:9')!.to, ['user222'], 'the owner from personal_information');
  assert.deepEqual(byRef.get('111:10')!.to, ['user111']);
  const channelPost = byRef.get('1600000003:1')!;
  assert.equal(channelPost.from, 'channel1600000003');
  assert.equal(channelPost.group, 'telegram:1600000003');
  assert.equal(recordsOf(items, 'event').length, 0);
});

test('old exports: integer from_id, local dates without a zone, text arrays with mentions', async () => {
  const dir = temporaryDirectory();
  const items = await readAll(writeExport(dir, oldChat()));
  const messages = recordsOf(items, 'message');
  assert.deepEqual(messages.map((m) => [m.ref, m.from, m.ts, m.body]), [
    ['4242:1', 'user98765', '2018-06-01T12:00:00', 'oude tekst'],
    ['4242:2', 'user45678', '2018-06-01T12:01:00', 'zie @alice en vet'],
    ['4242:3', 'user98765', '2018-06-01T12:02:00', ''],
  ]);
  assert.deepEqual(messages[2]!.flags, ['telegram-service']);
  assert.equal(messages[2]!.extra?.action, 'invite_members');
  assert.deepEqual(recordsOf(items, 'group').map((g) => g.ref), ['telegram:4242']);
});

test('sender handles and text parts are read in every version', () => {
  assert.equal(handleOf(12345), 'user12345');
  assert.equal(handleOf('12345'), 'user12345');
  assert.equal(handleOf('user12345'), 'user12345');
  assert.equal(handleOf('channel777'), 'channel777');
  assert.equal(handleOf(null), undefined);
  assert.deepEqual(textOf(['a', { type: 'plain', text: 'b' }, { type: 'hashtag', text: '#c' }, 7]), { text: 'ab#c', entities: [{ type: 'hashtag', text: '#c' }] });
  assert.deepEqual(textOf(undefined), { text: '', entities: [] });
});

test('detection claims Telegram exports and nothing else', () => {
  const single = JSON.stringify(personalChat(), null, 1);
  const full = JSON.stringify(fullExport(), null, 1);
  assert.ok(telegram.detect(single.slice(0, 65536), 'result.json') >= 0.9);
  assert.ok(telegram.detect(full.slice(0, 300), 'result.json') >= 0.9);
  assert.equal(detectFormat(single, 'x.json')?.name, 'telegram');
  assert.ok(telegram.detect('{"kind":"message","platform":"p","from":"a","body":"messages"}\n{"kind":"account"}\n', 'x.jsonl') < 0.5);
  assert.equal(telegram.detect('date,from,messages\n2020-01-01,a,hi\n', 'x.csv'), 0);
  assert.ok(telegram.detect('{"@context":{},"@graph":[{"@id":"kb:1","@type":"uco-observable:Message"}]}', 'case.json') < 0.5);
  assert.ok(telegram.detect('{"messages": [1, 2, 3]}', 'other.json') < 0.5, 'JSON with a messages list but nothing of Telegram');
});

test('broken and foreign JSON: a truncated export keeps what came before; other JSON is refused', async () => {
  const dir = temporaryDirectory();
  const text = JSON.stringify(oldChat(), null, 1);
  const cut = text.slice(0, text.lastIndexOf('{', text.indexOf('"id": 3')) + 1);
  const path = join(dir, 'cut.json');
  writeFileSync(path, cut);
  const items = await readAll(path);
  assert.deepEqual(recordsOf(items, 'message').map((m) => m.ref), ['4242:1', '4242:2']);
  const last = items.at(-1)!;
  assert.equal(last.kind, 'malformed');
  assert.match(last.kind === 'malformed' ? last.reason : '', /ends inside the JSON document/);

  const foreign = join(dir, 'foreign.json');
  writeFileSync(foreign, '{"users": [{"name": "x"}]}');
  await assert.rejects(readAll(foreign), FormatError);
  const notJson = join(dir, 'notjson.json');
  writeFileSync(notJson, 'hello, world');
  await assert.rejects(readAll(notJson), FormatError);
});

test('end to end: a full export is ingested with provenance and quarantine, and a second ingest adds nothing', async () => {
  const dir = temporaryDirectory();
  const store = openTestStore(dir);
  const exportDir = join(dir, 'export');
  mkdirSync(exportDir);
  const path = writeExport(exportDir, fullExport());
  const report = await ingest({ store, paths: [path], dataset: 'tg' });
  assert.equal(report.sources[0]!.format, 'telegram');
  assert.equal(report.messages, 7);
  assert.equal(report.contacts, 2);
  assert.equal(report.quarantined, 1);
  const found = await store.search({ ast: parseQuery('bestelbus'), limit: 10, offset: 0, sort: 'newest', facets: false });
  assert.equal(found.total, 1);
  assert.equal(found.hits[0]!.ref, '1500000001:3');
  assert.equal(found.hits[0]!.from, 'user111');
  const row = store.db.prepare(`SELECT line, byte_offset FROM messages WHERE ref = '1500000001:3'`).get()!;
  const bytes = readFileSync(path);
  assert.equal(String.fromCharCode(bytes[Number(row.byte_offset)]!), '{');
  assert.equal(bytes.subarray(0, Number(row.byte_offset)).toString('latin1').split('\n').length, Number(row.line));
  const quarantine = await store.quarantine({ limit: 10, offset: 0 });
  assert.match(quarantine.entries[0]!.reason, /neither a user_id nor a phone_number/);
  assert.match(quarantine.entries[0]!.excerpt, /Niemand/);
  const group = store.db.prepare(`SELECT name, is_group FROM conversations WHERE key = 'group:telegram:1500000001'`).get()!;
  assert.equal(group.name, 'Zuid crew');
  assert.equal(await count(store, `SELECT count(DISTINCT conversation_id) AS n FROM messages WHERE ref IN ('111:9', '111:10')`), 1, 'both sides of a personal chat share one conversation');

  const again = await ingest({ store, paths: [path], dataset: 'tg' });
  assert.equal(again.messages, 0);
  assert.equal(again.sources[0]!.status, 'already-ingested');
  assert.equal(await count(store, 'SELECT count(*) AS n FROM messages'), 7);
});

// ---------- property tests ----------

const validMessage = fc.record({
  text: fc.oneof(fc.string({ maxLength: 40 }), fc.array(fc.oneof(fc.string({ maxLength: 10 }), fc.record({ type: fc.constantFrom('bold', 'link', 'plain'), text: fc.string({ maxLength: 10 }) })), { maxLength: 4 })),
  seconds: fc.integer({ min: 1_000_000_000, max: 1_900_000_000 }),
  sender: fc.oneof(fc.integer({ min: 1, max: 1e9 }), fc.integer({ min: 1, max: 1e9 }).map((n) => `user${n}`)),
});
const garbage = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.record({ id: fc.oneof(fc.string(), fc.constant(null), fc.double()), date: fc.string(), text: fc.jsonValue({ maxDepth: 1 }) }, { requiredKeys: [] }),
  fc.record({ type: fc.constant('message'), date_unixtime: fc.string(), date: fc.constantFrom('yesterday', '2020-13-45', 12), from_id: fc.jsonValue({ maxDepth: 1 }) }, { requiredKeys: ['type'] }),
);

test('property: valid messages among garbage objects are all read, garbage is quarantined with a location, nothing throws', async () => {
  const dir = temporaryDirectory();
  let run = 0;
  await fc.assert(fc.asyncProperty(fc.array(fc.oneof(validMessage.map((m) => ({ valid: m })), garbage.map((g) => ({ junk: g }))), { maxLength: 25 }), fc.boolean(), async (entries, indent) => {
    let nextId = 1;
    const messages = entries.map((e) => ('valid' in e
      ? { id: nextId++, type: 'message', date: '2020-01-01T00:00:00', date_unixtime: String(e.valid.seconds), from: 'x', from_id: e.valid.sender, text: e.valid.text }
      : e.junk));
    const path = join(dir, `p${run++}.json`);
    writeFileSync(path, JSON.stringify({ name: 'g', type: 'private_group', id: 99, messages }, null, indent ? 1 : undefined));
    const items = await readAll(path);
    assertLocationsIncrease(items);
    const refs = new Set(recordsOf(items, 'message').map((m) => m.ref));
    for (let id = 1; id < nextId; id += 1) assert.ok(refs.has(`99:${id}`), `valid message ${id} was dropped`);
    const junkCount = entries.filter((e) => 'junk' in e).length;
    const quarantined = items.filter((i) => i.kind === 'malformed');
    for (const q of quarantined) assert.ok(q.kind === 'malformed' && q.reason.length > 0 && q.location.line >= 1);
    // junk that happens to be a usable message is read as one; everything else is quarantined
    assert.equal(recordsOf(items, 'message').length + quarantined.length, entries.length);
    assert.ok(quarantined.length <= junkCount);
  }), { numRuns: 150 });
});

test('property: arbitrary bytes never throw anything but a FormatError', async () => {
  const dir = temporaryDirectory();
  let run = 0;
  await fc.assert(fc.asyncProperty(fc.oneof(fc.string({ maxLength: 200 }), fc.jsonValue().map((v) => JSON.stringify(v)), fc.constant('{"messages":[{"id":1,')), async (text) => {
    const path = join(dir, `b${run++}.json`);
    writeFileSync(path, text);
    try {
      const items = await readAll(path);
      assertLocationsIncrease(items);
    } catch (error) {
      assert.ok(error instanceof FormatError, String(error));
    }
  }), { numRuns: 300 });
});
