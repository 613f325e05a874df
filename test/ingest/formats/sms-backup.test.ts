import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import type { ContactRecord, EventRecord, ReadItem } from '../../../src/model/records.ts';
import { smsBackup } from '../../../src/ingest/formats/sms-backup.ts';
import { decodeUnrepresentableReferences } from '../../../src/ingest/formats/xml-stream.ts';
import { ingest } from '../../../src/ingest/pipeline.ts';
import { parseQuery } from '../../../src/search/parse.ts';
import { count, openTestStore, temporaryDirectory } from '../../fixtures.ts';
import { allRecords, assertLocationsIncrease, locationOf, readAllWith, recordsOf } from './reading.ts';
import type { ReaderOptions } from '../../../src/ingest/formats/format.ts';

const readAll = (path: string, options: ReaderOptions = {}) => readAllWith(smsBackup, path, options);
const records = allRecords;
const messages = (items: ReadItem[]) => recordsOf(items, 'message');

/**
 * An attribute value as the app writes it: XML escapes, line breaks as references, and every
 * character outside the BMP as two decimal references to its UTF-16 halves.
 */
function attr(value: string): string {
  let out = '';
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    if (code > 0xffff) out += `&#${ch.charCodeAt(0)};&#${ch.charCodeAt(1)};`;
    else if (ch === '&') out += '&amp;';
    else if (ch === '<') out += '&lt;';
    else if (ch === '>') out += '&gt;';
    else if (ch === '"') out += '&quot;';
    else if (ch === '\n') out += '&#10;';
    else if (ch === '\r') out += '&#13;';
    else if (ch === '\t') out += '&#9;';
    else out += ch;
  }
  return out;
}

function sms(fields: { address?: string; date?: string; type?: string; body?: string; contact?: string }): string {
  const a = fields;
  return `<sms protocol="0"${a.address === undefined ? '' : ` address="${attr(a.address)}"`}${a.date === undefined ? '' : ` date="${a.date}"`} type="${a.type ?? '1'}" subject="null" body="${attr(a.body ?? '')}" toa="null" sc_toa="null" service_center="null" read="1" status="-1" locked="0" date_sent="0" sub_id="1" readable_date="1 apr. 2020 12:34:56" contact_name="${attr(a.contact ?? '(Unknown)')}" />`;
}

const SMS_HEADER = `<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>`;

test('surrogate halves written as two references become one emoji; a lone half becomes U+FFFD and a flag', () => {
  assert.deepEqual(decodeUnrepresentableReferences('a&#55357;&#56832;b'), { text: 'a\u{1F600}b', flags: [] });
  assert.deepEqual(decodeUnrepresentableReferences('&#xD83D;&#xDE00;'), { text: '\u{1F600}', flags: [] });
  assert.deepEqual(decodeUnrepresentableReferences('x&#55357;y'), { text: 'x\uFFFDy', flags: ['lone-surrogate-replaced'] });
  assert.deepEqual(decodeUnrepresentableReferences('&#56832;&#55357;'), { text: '\uFFFD\uFFFD', flags: ['lone-surrogate-replaced'] });
  assert.deepEqual(decodeUnrepresentableReferences('&#55357;&#38;'), { text: '\uFFFD&#38;', flags: ['lone-surrogate-replaced'] });
  assert.deepEqual(decodeUnrepresentableReferences('bel&#1;me &#10;'), { text: 'bel\uFFFDme &#10;', flags: ['invalid-character-replaced'] });
});

test('sms entries: direction, emoji references, CRLF, BOM, contacts once per address, quarantined entries', async () => {
  const dir = temporaryDirectory();
  const lines = [
    SMS_HEADER,
    `<smses count="9" backup_set="5c1d7a2e-0b7e-4c1b-9d0a-2f1f0e6d1c11" backup_date="1585800000000">`,
    sms({ address: '+31 6 1234 5678', date: '1585744496000', type: '1', body: 'héb je het? 😀\nbel me', contact: 'Mo' }),
    sms({ address: '+31612345678', date: '1585744500000', type: '2', body: 'ja 👍🏽 onderweg', contact: 'Mo' }),
    sms({ address: '+31687654321', date: '1585744600000', type: '3', body: 'concept' }),
    sms({ address: 'KPN', date: '1585744700000', type: '1', body: 'Uw tegoed' }).replace('body="Uw tegoed"', 'body="Uw &#55357;tegoed"'),
    sms({ date: '1585744800000', body: 'zonder adres' }),
    sms({ address: '+31611111111', date: 'gisteren', body: 'rare datum' }),
    `<sms address="+31622222222" date="1585744900000" type="1" body="kapot <3 hart" />`,
    `<backup-note text="x" />`,
    sms({ address: '+31633333333', date: '1585745000000', type: '1', body: 'na de fouten', contact: 'Sjaak' }),
    `</smses>`,
  ];
  const content = '\uFEFF' + lines.join('\r\n') + '\r\n';
  const file = join(dir, 'sms-20200402.xml');
  writeFileSync(file, content);
  assert.ok(smsBackup.detect(content, file) >= 0.9);
  const items = await readAll(file);
  assertLocationsIncrease(items);
  const all = records(items);
  const owner = all.find((r) => r.kind === 'account')!;
  assert.equal(owner.kind === 'account' && owner.handle, 'device-owner:sms-20200402');
  assert.equal(owner.kind === 'account' && owner.extra?.ownerUnknown, true);
  assert.equal(owner.kind === 'account' && owner.extra?.backup_set, '5c1d7a2e-0b7e-4c1b-9d0a-2f1f0e6d1c11');

  const got = messages(items);
  assert.equal(got.length, 5);
  const [received, sent, draft, lone, last] = got;
  assert.equal(received!.from, '+31612345678');
  assert.deepEqual(received!.to, ['device-owner:sms-20200402']);
  assert.equal(received!.body, 'héb je het? 😀\nbel me');
  assert.equal(received!.ts, '2020-04-01T12:34:56.000Z');
  assert.equal(received!.extra?.address, '+31 6 1234 5678');
  assert.deepEqual(received!.flags, ['owner-unknown']);
  assert.equal(received!.ref, `1585744496000:1:+31 6 1234 5678:${createHash('sha256').update('héb je het? 😀\nbel me').digest('hex').slice(0, 16)}`);
  assert.equal(sent!.from, 'device-owner:sms-20200402');
  assert.deepEqual(sent!.to, ['+31612345678']);
  assert.equal(sent!.body, 'ja 👍🏽 onderweg');
  assert.equal(draft!.extra?.type, 'draft');
  assert.equal(draft!.from, 'device-owner:sms-20200402');
  assert.equal(lone!.body, 'Uw \uFFFDtegoed');
  assert.deepEqual(lone!.flags, ['lone-surrogate-replaced', 'owner-unknown']);
  assert.equal(last!.body, 'na de fouten');

  const contacts = all.filter((r): r is ContactRecord => r.kind === 'contact');
  assert.deepEqual(contacts.map((c) => [c.handle, c.alias]), [['+31612345678', 'Mo'], ['+31633333333', 'Sjaak']]);
  const contactItem = items.find((i) => i.kind === 'record' && i.record.kind === 'contact')!;
  assert.deepEqual(contactItem.location, locationOf(content, 'contact_name="Mo"'));

  const bad = items.filter((i) => i.kind === 'malformed');
  assert.deepEqual(bad.map((b) => b.location.line), [7, 8, 9, 9, 10]);
  assert.match(bad[0]!.reason, /sms without an address/);
  assert.match(bad[1]!.reason, /sms date "gisteren" is not a number/);
  assert.match(bad[2]!.reason, /broken XML: <sms> is a tag that is never closed/);
  assert.match(bad[3]!.reason, /text outside any element/);
  assert.match(bad[4]!.reason, /unexpected element <backup-note>/);
  assert.deepEqual(bad[0]!.location, locationOf(content, `<sms protocol="0" date="1585744800000"`));
});

test('mms: text parts are the body, binary parts are hashed (never kept), a group names every other party', async () => {
  const dir = temporaryDirectory();
  const image = Buffer.alloc(3 * 1024 * 1024 + 17, 7);
  image.write('JFIF', 6);
  // Base64.DEFAULT breaks lines every 76 characters; the app writes them as references
  const base64 = image.toString('base64').replace(/(.{76})/g, '$1&#10;');
  const content = [
    SMS_HEADER,
    `<smses count="2">`,
    `<mms date="1585744496000" ct_t="application/vnd.wap.multipart.related" msg_box="1" address="+31612345678~+31687654321~+31600000000" m_id="mid-1" sub="null" contact_name="Mo, Jaguar" readable_date="1 apr. 2020 12:34:56">`,
    `  <parts>`,
    `    <part seq="-1" ct="application/smil" name="null" chset="null" cd="null" fn="null" cid="&lt;smil&gt;" cl="smil.xml" ctt_s="null" ctt_t="null" text="&lt;smil&gt;&lt;body&gt;&lt;/body&gt;&lt;/smil&gt;" />`,
    `    <part seq="0" ct="text/plain" name="null" chset="106" cd="null" fn="null" cid="&lt;text_0&gt;" cl="text_0.txt" ctt_s="null" ctt_t="null" text="kijk &#55357;&#56832; foto" />`,
    `    <part seq="1" ct="image/jpeg" name="IMG_0001.jpg" chset="null" cd="null" fn="null" cid="&lt;img&gt;" cl="IMG_0001.jpg" ctt_s="null" ctt_t="null" data="${base64}" />`,
    `  </parts>`,
    `  <addrs>`,
    `    <addr address="+31612345678" type="137" charset="106" />`,
    `    <addr address="+31687654321" type="151" charset="106" />`,
    `    <addr address="+31600000000" type="151" charset="106" />`,
    `  </addrs>`,
    `</mms>`,
    `<mms date="1585744600" msg_box="2" address="+31612345678" contact_name="Mo"><parts><part seq="0" ct="text/plain" text="verstuurd" /></parts><addrs><addr address="insert-address-token" type="137" charset="106" /><addr address="+31612345678" type="151" charset="106" /></addrs></mms>`,
    `</smses>`,
  ].join('\n');
  const file = join(dir, 'mms.xml');
  writeFileSync(file, content);
  const items = await readAll(file, { owner: '+31600000000' });
  assertLocationsIncrease(items);
  assert.deepEqual(items.filter((i) => i.kind === 'malformed'), []);
  const [group, sent] = messages(items);
  assert.equal(group!.from, '+31612345678');
  assert.deepEqual(group!.to, ['+31687654321', '+31600000000']);
  assert.equal(group!.body, 'kijk 😀 foto');
  assert.deepEqual(group!.attachments, [{ name: 'IMG_0001.jpg', mime: 'image/jpeg', sha256: createHash('sha256').update(image).digest('hex'), sizeBytes: image.length }]);
  assert.equal(group!.flags, undefined, 'a known owner raises no flag');
  assert.doesNotMatch(JSON.stringify(group), /JFIF|lode-digest/);
  assert.equal(group!.extra?.m_id, 'mid-1');
  assert.equal(sent!.from, '+31600000000');
  assert.deepEqual(sent!.to, ['+31612345678']);
  assert.equal(sent!.ts, '2020-04-01T12:36:40.000Z', 'a 10-digit MMS date is seconds');
  const contacts = records(items).filter((r): r is ContactRecord => r.kind === 'contact');
  assert.deepEqual(contacts.map((c) => [c.owner, c.handle, c.alias]), [['+31600000000', '+31612345678', 'Mo']], 'a group MMS has no single alias');
});

test('calls become call events on the owner account; a withheld number is kept, a missing one quarantined', async () => {
  const dir = temporaryDirectory();
  const content = [
    SMS_HEADER,
    `<calls count="4" backup_set="x" backup_date="1585800000000">`,
    `<call number="+31612345678" duration="125" date="1585744496000" type="2" presentation="1" subscription_id="1" post_dial_digits="" subscription_component_name="null" readable_date="1 apr. 2020 12:34:56" contact_name="Mo" />`,
    `<call number="" duration="0" date="1585744500000" type="3" presentation="2" readable_date="1 apr. 2020 12:35:00" contact_name="(Unknown)" />`,
    `<call duration="0" date="1585744600000" type="1" presentation="1" />`,
    `<call number="+31612345678" duration="12" date="1585744700000" type="1" presentation="1" contact_name="Mo" />`,
    `</calls>`,
  ].join('\n');
  const file = join(dir, 'calls-20200402.xml');
  writeFileSync(file, content);
  assert.ok(smsBackup.detect(content, file) >= 0.9);
  const items = await readAll(file, { owner: '+31600000000' });
  assertLocationsIncrease(items);
  const events = records(items).filter((r): r is EventRecord => r.kind === 'event');
  assert.equal(events.length, 3);
  assert.deepEqual(events[0], {
    kind: 'event', platform: 'sms', ref: 'call:1585744496000:2:+31612345678:125', account: '+31600000000', type: 'call', ts: '2020-04-01T12:34:56.000Z',
    fields: { subscription_id: '1', readable_date: '1 apr. 2020 12:34:56', direction: 'outgoing', number: '+31612345678', presentation: 'allowed', durationSeconds: 125, contactName: 'Mo' },
  });
  assert.equal(events[1]!.fields.number, '');
  assert.equal(events[1]!.fields.presentation, 'restricted');
  assert.equal(events[1]!.fields.direction, 'missed');
  const bad = items.filter((i) => i.kind === 'malformed');
  assert.equal(bad.length, 1);
  assert.match(bad[0]!.reason, /call without a number/);
  assert.equal(bad[0]!.location.line, 5);
  assert.equal(records(items).filter((r) => r.kind === 'contact').length, 1);
});

test('end to end: searchable, provenance, quarantine; a second ingest and an overlapping backup add nothing twice', async () => {
  const dir = temporaryDirectory();
  const store = openTestStore(dir);
  const first = [
    SMS_HEADER, `<smses count="3">`,
    sms({ address: '+31612345678', date: '1585744496000', type: '1', body: 'de levering is zaterdag 😀', contact: 'Mo' }),
    sms({ address: '+31612345678', date: '1585744500000', type: '2', body: 'prima' }),
    sms({ address: '+31612345678', date: 'nooit', type: '2', body: 'kapot' }),
    `</smses>`,
  ].join('\n');
  const second = [
    SMS_HEADER, `<smses count="2">`,
    sms({ address: '+31612345678', date: '1585744500000', type: '2', body: 'prima' }),
    sms({ address: '+31612345678', date: '1585744900000', type: '1', body: 'nieuw bericht' }),
    `</smses>`,
  ].join('\n');
  const a = join(dir, 'sms-1.xml');
  const b = join(dir, 'sms-2.xml');
  writeFileSync(a, first);
  writeFileSync(b, second);
  const report = await ingest({ store, paths: [a], dataset: 'phone', mapping: { owner: '+31600000000' } });
  assert.equal(report.sources[0]!.format, 'sms-backup');
  assert.equal(report.messages, 2);
  assert.equal(report.contacts, 1);
  assert.equal(report.quarantined, 1);
  const hits = await store.search({ ast: parseQuery('levering'), limit: 10, offset: 0, sort: 'newest', facets: false });
  assert.equal(hits.total, 1);
  const row = store.db.prepare(`SELECT line, byte_offset, body FROM messages WHERE body LIKE 'de levering%'`).get()!;
  assert.equal(row.body, 'de levering is zaterdag 😀');
  assert.deepEqual({ line: row.line, offset: row.byte_offset }, locationOf(first, '<sms protocol="0" address="+31612345678" date="1585744496000"'));
  const quarantine = await store.quarantine({ limit: 10, offset: 0 });
  assert.equal(quarantine.entries[0]!.line, 5);
  assert.match(quarantine.entries[0]!.reason, /not a number/);
  assert.equal((await ingest({ store, paths: [a], dataset: 'phone', mapping: { owner: '+31600000000' } })).messages, 0);
  const overlap = await ingest({ store, paths: [b], dataset: 'phone', mapping: { owner: '+31600000000' } });
  assert.equal(overlap.messages, 1, 'the message both backups hold is stored once');
  assert.equal(await count(store, 'SELECT count(*) AS n FROM messages'), 3);
});

/** Text a phone can hold (XML 1.0 characters; emoji included). */
const phoneText = fc.string({ unit: 'grapheme', maxLength: 40 }).map((s) => s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, ''));
const junk = fc.oneof(
  fc.string({ maxLength: 60 }).filter((s) => !/<[!?]/.test(s) && s.trim() !== ''),
  fc.constantFrom(
    `<sms address="+31" date="1585744496000" body="a & b" />`,
    `<sms address="+31" date="soms" body="x" />`,
    `<sms address="+31" date="1585744496000" body="nooit`,
    `<mms date="1585744496000" msg_box="1"><parts><part ct="text/plain" text="half`,
    `<onbekend/>`,
    `< bare`,
    `</parts>`,
  ),
);

test('property: junk between entries never throws, is quarantined with a location, and costs no valid entry', async () => {
  const dir = temporaryDirectory();
  let run = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(fc.tuple(phoneText, fc.option(junk, { nil: undefined })), { minLength: 1, maxLength: 8 }), async (entries) => {
      const parts = [SMS_HEADER, `<smses count="${entries.length}">`];
      entries.forEach(([body, garbage], i) => {
        parts.push(sms({ address: `+3161234${String(i).padStart(4, '0')}`, date: String(1585744496000 + i), type: '1', body }));
        if (garbage !== undefined) parts.push(garbage);
      });
      parts.push('</smses>');
      const file = join(dir, `p${run++}.xml`);
      writeFileSync(file, parts.join('\n'));
      const items = await readAll(file);
      assertLocationsIncrease(items);
      const got = messages(items).filter((m) => m.from.startsWith('+3161234'));
      assert.deepEqual(got.map((m) => [m.from, m.body]), entries.map(([body], i) => [`+3161234${String(i).padStart(4, '0')}`, body]));
      for (const bad of items.filter((i) => i.kind === 'malformed')) assert.ok(bad.location.line >= 1 && bad.reason !== '');
    }),
    { numRuns: 150 },
  );
});

test('property: arbitrary bytes never make the reader throw', async () => {
  const dir = temporaryDirectory();
  let run = 0;
  await fc.assert(
    fc.asyncProperty(fc.uint8Array({ maxLength: 400 }), fc.string({ maxLength: 200 }), async (bytes, text) => {
      const file = join(dir, `b${run++}.xml`);
      writeFileSync(file, Buffer.concat([Buffer.from(`${SMS_HEADER}<smses>${text}`), Buffer.from(bytes)]));
      try {
        assertLocationsIncrease(await readAll(file));
      } catch (error) {
        assert.equal((error as Error).constructor.name, 'FormatError');
      }
    }),
    { numRuns: 200 },
  );
});
