import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import type { ContactRecord, ReadItem } from '../../../src/model/records.ts';
import { xmpp } from '../../../src/ingest/formats/xmpp.ts';
import { smsBackup } from '../../../src/ingest/formats/sms-backup.ts';
import { ingest } from '../../../src/ingest/pipeline.ts';
import { parseQuery } from '../../../src/search/parse.ts';
import { count, openTestStore, temporaryDirectory } from '../../fixtures.ts';
import { allRecords, assertLocationsIncrease, locationOf, readAllWith, recordsOf } from './reading.ts';

const readAll = (path: string) => readAllWith(xmpp, path);
const records = allRecords;
const messages = (items: ReadItem[]) => recordsOf(items, 'message');

const STREAM_OPEN = `<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' to='enc.example' version='1.0'>`;

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/'/g, '&apos;').replace(/"/g, '&quot;');
}

function mamResult(ns: string, archiveId: string, stamp: string, from: string, to: string, body: string, more = ''): string {
  return `<message to='${to}' from='${to.split('/')[0]}'><result xmlns='${ns}' queryid='q1' id='${archiveId}'>` +
    `<forwarded xmlns='urn:xmpp:forward:0'><delay xmlns='urn:xmpp:delay' stamp='${stamp}'/>` +
    `<message xmlns='jabber:client' from='${from}' to='${to}' type='chat' id='s-${archiveId}'><body>${escapeXml(body)}</body>${more}</message>` +
    `</forwarded></result></message>`;
}

test('MAM results of every namespace are read, wrapped in a stream with a BOM and CRLF line ends', async () => {
  const dir = temporaryDirectory();
  const lines = [
    `<?xml version='1.0' encoding='UTF-8'?>`,
    STREAM_OPEN,
    mamResult('urn:xmpp:mam:2', 'A1', '2020-04-01T12:34:56Z', 'Tapeworm@ENC.example/phone', 'jaguar@enc.example/pc', 'heb je de kilo? 😀'),
    mamResult('urn:xmpp:mam:1', 'A2', '2020-04-01T12:35:10.123Z', 'jaguar@enc.example/pc', 'tapeworm@enc.example', 'ja <morgen> & overmorgen'),
    mamResult('urn:xmpp:mam:0', 'A3', '2020-04-01T14:35:10+02:00', 'jaguar@enc.example', 'tapeworm@enc.example', 'mam:0 bericht'),
    mamResult('urn:xmpp:mam:tmp', 'A4', '2020-04-01T12:40:00Z', 'jaguar@enc.example', 'tapeworm@enc.example', 'tmp bericht'),
    `<message from='jaguar@enc.example/pc' to='tapeworm@enc.example' type='chat'><composing xmlns='http://jabber.org/protocol/chatstates'/></message>`,
    `</stream:stream>`,
  ];
  const content = '\uFEFF' + lines.join('\r\n') + '\r\n';
  const file = join(dir, 'archive.xml');
  writeFileSync(file, content);
  assert.ok(xmpp.detect(content.slice(0, 65536), file) >= 0.9);
  const items = await readAll(file);
  assert.equal(items.filter((i) => i.kind === 'malformed').length, 0);
  const got = messages(items);
  assert.deepEqual(got.map((m) => m.ref), ['A1', 'A2', 'A3', 'A4'], 'the chat state without a body is no message');
  assert.equal(got[0]!.from, 'tapeworm@enc.example');
  assert.deepEqual(got[0]!.to, ['jaguar@enc.example']);
  assert.equal(got[0]!.body, 'heb je de kilo? 😀');
  assert.equal(got[0]!.ts, '2020-04-01T12:34:56Z');
  assert.equal(got[0]!.extra?.fromResource, 'phone');
  assert.equal(got[0]!.extra?.toResource, 'pc');
  assert.equal(got[1]!.body, 'ja <morgen> & overmorgen');
  assert.equal(got[2]!.ts, '2020-04-01T14:35:10+02:00');
  assert.equal(got[3]!.extra?.archiveNamespace, 'urn:xmpp:mam:tmp');
  // the BOM counts as bytes of the file: offsets are byte offsets in the file
  assert.deepEqual(items[0]!.location, locationOf(content, `<message to='jaguar`));
  assert.deepEqual(items[1]!.location, { line: 4, offset: Buffer.byteLength(content.slice(0, content.indexOf(`<message to='tapeworm`))) });
  assertLocationsIncrease(items);
});

test('stanzas without a root, group chat, legacy delay, carbons and out-of-band files', async () => {
  const dir = temporaryDirectory();
  const content = [
    `<message from='zuid@conference.enc.example/Mo' to='tapeworm@enc.example/phone' type='groupchat' id='g1'><body>wie heeft de sleutel</body><delay xmlns='urn:xmpp:delay' stamp='2020-04-02T08:00:00Z'/></message>`,
    `<message from='zuid@conference.enc.example/Ghost' type='groupchat' id='g2'><body>ik</body><x xmlns='http://jabber.org/protocol/muc#user'><item jid='ghost@enc.example/x'/></x></message>`,
    `<message from='zuid@conference.enc.example' type='groupchat'><subject>zuid crew</subject></message>`,
    `<message from='jaguar@enc.example' to='tapeworm@enc.example' id='old'><body>oud</body><x xmlns='jabber:x:delay' stamp='20200301T10:00:00'/></message>`,
    `<message from='tapeworm@enc.example' to='tapeworm@enc.example/phone'><received xmlns='urn:xmpp:carbons:2'><forwarded xmlns='urn:xmpp:forward:0'><message from='jaguar@enc.example/pc' to='tapeworm@enc.example/pc' type='chat' id='c1'><body>kopie</body></message></forwarded></received></message>`,
    `<message from='jaguar@enc.example' to='tapeworm@enc.example' id='f1' type='chat'><body>https://up.enc.example/a/foto%201.jpg</body><x xmlns='jabber:x:oob'><url>https://up.enc.example/a/foto%201.jpg</url></x></message>`,
    `<presence from='jaguar@enc.example/pc'><status>weg</status></presence>`,
  ].join('\n');
  const file = join(dir, 'log.xml');
  writeFileSync(file, content);
  const items = await readAll(file);
  assert.deepEqual(items.filter((i) => i.kind === 'malformed'), []);
  const got = messages(items);
  assert.equal(got.length, 6);
  const [g1, g2, subject, old, carbon, oob] = got;
  assert.equal(g1!.group, 'zuid@conference.enc.example');
  assert.equal(g1!.from, 'zuid@conference.enc.example/Mo');
  assert.deepEqual(g1!.to, ['tapeworm@enc.example']);
  assert.equal(g1!.ref, 'zuid@conference.enc.example/Mo#g1');
  assert.equal(g1!.ts, '2020-04-02T08:00:00Z');
  assert.equal(g2!.from, 'ghost@enc.example', 'a non-anonymous room names the real account');
  assert.equal(g2!.extra?.nick, 'Ghost');
  assert.equal(subject!.body, 'zuid crew');
  assert.equal(subject!.extra?.subject, 'zuid crew');
  assert.equal(old!.ts, '2020-03-01T10:00:00Z');
  assert.equal(carbon!.from, 'jaguar@enc.example');
  assert.equal(carbon!.body, 'kopie');
  assert.equal(carbon!.extra?.carbon, 'received');
  assert.deepEqual(oob!.attachments, [{ name: 'foto 1.jpg' }]);
  assert.deepEqual(items.map((i) => i.location.line), [1, 2, 3, 4, 5, 6]);
});

test('a broken stanza in the middle is quarantined with its location; the stanzas after it are read', async () => {
  const dir = temporaryDirectory();
  const content = [
    `<archive>`,
    mamResult('urn:xmpp:mam:2', 'B1', '2020-04-01T10:00:00Z', 'a@enc.example', 'b@enc.example', 'eerste'),
    `<message from='a@enc.example' to='b@enc.example' id='x'><body>kapot & stuk</body></message>`,
    `<message from='a@enc.example' to='b@enc.example' id='y'><body>nooit gesloten`,
    mamResult('urn:xmpp:mam:2', 'B2', '2020-04-01T10:01:00Z', 'a@enc.example', 'b@enc.example', 'tweede'),
    `<message><result xmlns='urn:xmpp:mam:2' id='B3'><forwarded xmlns='urn:xmpp:forward:0'><delay xmlns='urn:xmpp:delay' stamp='2020-04-01T10:02:00Z'/><message from='a@enc.example' to='b@enc.example'><body>afgebroken`,
    mamResult('urn:xmpp:mam:2', 'B4', '2020-04-01T10:03:00Z', 'a@enc.example', 'b@enc.example', 'derde'),
    `<message from='a@enc.example' to='b@enc.example'><body>geen tijd</body><delay xmlns='urn:xmpp:delay' stamp='gisteren'/></message>`,
    `losse tekst`,
    mamResult('urn:xmpp:mam:2', 'B5', '2020-04-01T10:04:00Z', 'a@enc.example', 'b@enc.example', 'vierde'),
    `</archive>`,
  ].join('\n');
  const file = join(dir, 'broken.xml');
  writeFileSync(file, content);
  const items = await readAll(file);
  assertLocationsIncrease(items);
  assert.deepEqual(messages(items).map((m) => m.ref), ['B1', 'B2', 'B4', 'B5']);
  const bad = items.filter((i) => i.kind === 'malformed');
  assert.deepEqual(bad.map((b) => b.location.line), [3, 4, 6, 8, 9]);
  assert.deepEqual(bad[0]!.location, locationOf(content, `<message from='a@enc.example' to='b@enc.example' id='x'>`));
  assert.match(bad[0]!.reason, /malformed XML/);
  assert.match(bad[1]!.reason, /broken XML: .*truncated/);
  assert.match(bad[2]!.reason, /broken XML/);
  assert.match(bad[3]!.reason, /delay stamp "gisteren" is not an ISO 8601 time/);
  assert.match(bad[4]!.reason, /text outside any stanza/);
  assert.equal(bad[4]!.excerpt, 'losse tekst');
});

test('a XEP-0227 export gives accounts without passwords, roster aliases as contacts, offline and archived messages', async () => {
  const dir = temporaryDirectory();
  const content = `<?xml version='1.0' encoding='UTF-8'?>
<server-data xmlns='urn:xmpp:pie:0'>
  <host jid='ENC.example'>
    <user name='Tapeworm' password='geheim123' createdate='2019-12-01'>
      <query xmlns='jabber:iq:roster'>
        <item jid='jaguar@enc.example' name='Mo kapper' subscription='both'><group>Zuid</group></item>
        <item jid='ghost@enc.example/res' subscription='to'/>
        <item name='zonder jid'/>
      </query>
      <vCard xmlns='vcard-temp'><FN>Tape Worm</FN><PHOTO><TYPE>image/png</TYPE><BINVAL>iVBORw0KGgo=</BINVAL></PHOTO></vCard>
      <offline-messages>
        <message from='jaguar@enc.example/pc' to='tapeworm@enc.example' type='chat' id='off-1'><body>bel me</body><delay xmlns='urn:xmpp:delay' from='enc.example' stamp='2020-04-03T09:00:00Z'/></message>
      </offline-messages>
      <archive xmlns='urn:xmpp:pie:0#mam'>
        <result xmlns='urn:xmpp:mam:2' id='arch-1'><forwarded xmlns='urn:xmpp:forward:0'><delay xmlns='urn:xmpp:delay' stamp='2020-04-03T09:05:00Z'/><message xmlns='jabber:client' from='tapeworm@enc.example/phone' to='jaguar@enc.example' type='chat' id='m9'><body>ok komt eraan</body></message></forwarded></result>
      </archive>
    </user>
    <user name='jaguar'/>
  </host>
</server-data>
`;
  const file = join(dir, 'export.xml');
  writeFileSync(file, content);
  assert.ok(xmpp.detect(content, file) >= 0.9);
  const items = await readAll(file);
  assertLocationsIncrease(items);
  const all = records(items);
  assert.doesNotMatch(JSON.stringify(all), /geheim123/, 'the password is never kept');
  const accounts = all.filter((r) => r.kind === 'account');
  assert.deepEqual(accounts.map((a) => a.handle), ['tapeworm@enc.example', 'tapeworm@enc.example', 'jaguar@enc.example']);
  assert.equal(accounts[0]!.extra?.hasPassword, true);
  assert.equal(accounts[0]!.extra?.createdate, '2019-12-01');
  assert.equal(accounts[1]!.name, 'Tape Worm');
  assert.equal(accounts[1]!.extra?.hasPassword, true, 'a later account record keeps what the first said');
  const png = Buffer.from('iVBORw0KGgo=', 'base64');
  assert.deepEqual((accounts[1]!.extra?.vcard as Record<string, unknown>)['PHOTO/BINVAL'], {
    sha256: createHash('sha256').update(png).digest('hex'), sizeBytes: png.length,
  });
  assert.equal(accounts[2]!.extra?.hasPassword, false);
  const contacts = all.filter((r): r is ContactRecord => r.kind === 'contact');
  assert.deepEqual(contacts.map((c) => [c.owner, c.handle, c.alias]), [
    ['tapeworm@enc.example', 'jaguar@enc.example', 'Mo kapper'],
    ['tapeworm@enc.example', 'ghost@enc.example', undefined],
  ]);
  assert.deepEqual(contacts[0]!.extra, { subscription: 'both', groups: ['Zuid'] });
  const bad = items.filter((i) => i.kind === 'malformed');
  assert.equal(bad.length, 1);
  assert.match(bad[0]!.reason, /roster item without a jid/);
  const got = messages(items);
  assert.deepEqual(got.map((m) => [m.ref, m.from, m.to, m.body]), [
    ['jaguar@enc.example#off-1', 'jaguar@enc.example', ['tapeworm@enc.example'], 'bel me'],
    ['arch-1', 'tapeworm@enc.example', ['jaguar@enc.example'], 'ok komt eraan'],
  ]);
  assert.deepEqual(items.find((i) => i.kind === 'record' && i.record.kind === 'contact')!.location, locationOf(content, `<item jid='jaguar`));
});

test('detection claims XMPP files and nothing else', () => {
  assert.ok(xmpp.detect(`${STREAM_OPEN}<message from='a@b'><body>x</body></message>`, 'x.log') >= 0.9);
  assert.ok(xmpp.detect(`<message from='a@b' to='c@d'><body>hoi, daar</body></message>`, 'chat.xml') >= 0.5);
  assert.equal(xmpp.detect('{"kind":"message","platform":"xmpp","from":"<message from=","body":"<body>"}\n', 'a.jsonl'), 0);
  assert.equal(xmpp.detect('from,to,body\n"<message from=a>","b","<body>"\n', 'a.csv'), 0);
  const sms = `<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n<smses count="1"><sms address="+31612345678" date="1585744496000" type="1" body="x" /></smses>`;
  assert.equal(xmpp.detect(sms, 'sms.xml'), 0);
  assert.ok(smsBackup.detect(sms, 'sms.xml') >= 0.9);
  assert.equal(smsBackup.detect(`${STREAM_OPEN}<message from='a@b'><body>x</body></message>`, 'x.xml'), 0);
});

test('end to end: stored once, searchable, with provenance and quarantine; a second ingest adds nothing', async () => {
  const dir = temporaryDirectory();
  const store = openTestStore(dir);
  const content = [
    STREAM_OPEN,
    mamResult('urn:xmpp:mam:2', 'E1', '2020-04-01T12:34:56Z', 'tapeworm@enc.example/phone', 'jaguar@enc.example', 'de levering van zaterdag'),
    `<message from='a@enc.example'><body>stuk</bod></message>`,
    mamResult('urn:xmpp:mam:2', 'E2', '2020-04-01T12:35:56Z', 'jaguar@enc.example/pc', 'tapeworm@enc.example', 'prima, 😀 tot dan'),
  ].join('\n');
  const file = join(dir, 'mam.xml');
  writeFileSync(file, content);
  const report = await ingest({ store, paths: [file], dataset: 'enc' });
  assert.equal(report.sources[0]!.format, 'xmpp');
  assert.equal(report.messages, 2);
  assert.equal(report.quarantined, 1);
  const hits = await store.search({ ast: parseQuery('levering'), limit: 10, offset: 0, sort: 'newest', facets: false });
  assert.equal(hits.total, 1);
  const row = store.db.prepare(`SELECT line, byte_offset, ref FROM messages WHERE ref = 'E2'`).get()!;
  assert.equal(row.line, 4);
  assert.equal(row.byte_offset, locationOf(content, `<message to='tapeworm`).offset);
  const quarantine = await store.quarantine({ limit: 10, offset: 0 });
  assert.equal(quarantine.entries[0]!.line, 3);
  assert.match(quarantine.entries[0]!.reason, /broken XML: <\/bod> closes no open element/);
  const again = await ingest({ store, paths: [file], dataset: 'enc' });
  assert.equal(again.messages, 0);
  assert.equal(await count(store, 'SELECT count(*) AS n FROM messages'), 2);
  // the same archive exported again (another file) collapses onto the stored messages
  const copy = join(dir, 'mam-copy.xml');
  writeFileSync(copy, content + '\n');
  const overlap = await ingest({ store, paths: [copy], dataset: 'enc' });
  assert.equal(overlap.messages, 0);
  assert.equal(await count(store, 'SELECT count(*) AS n FROM messages'), 2);
});

/** Text XML 1.0 can carry (no controls, no lone surrogates, no U+FFFE/U+FFFF). */
const xmlText = fc.string({ unit: 'grapheme', maxLength: 40 }).map((s) => s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff\r]/g, ''));
/** Junk that is not a record: no "<!" or "<?" (a comment or PI that never ends holds all that follows, by XML's own rules). */
const junk = fc.oneof(
  fc.string({ maxLength: 60 }).filter((s) => !/<[!?]/.test(s) && s.trim() !== ''),
  fc.constantFrom(
    `<message from='x@y'><body>a & b</body></message>`,
    `<message from='x@y'><body>open`,
    `<message from='x@y' to='`,
    `<message><result xmlns='urn:xmpp:mam:2' id='zz'><forwarded xmlns='urn:xmpp:forward:0'><message from='q@r'><body>half`,
    `</forwarded>`,
    `< bare`,
    `<iq type='result'><fin xmlns='urn:xmpp:mam:2'/>`,
  ),
);

test('property: junk between stanzas never throws, is quarantined with a location, and costs no valid stanza', async () => {
  const dir = temporaryDirectory();
  let run = 0;
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.tuple(xmlText.filter((s) => s.trim() !== ''), fc.option(junk, { nil: undefined })), { minLength: 1, maxLength: 8 }),
      fc.boolean(),
      async (entries, wrapped) => {
        const parts: string[] = [];
        entries.forEach(([body, garbage], i) => {
          parts.push(mamResult('urn:xmpp:mam:2', `P${i}`, '2020-04-01T12:00:00Z', 'a@enc.example', 'b@enc.example', body));
          if (garbage !== undefined) parts.push(garbage);
        });
        const content = wrapped ? `${STREAM_OPEN}\n${parts.join('\n')}\n</stream:stream>` : parts.join('\n');
        const file = join(dir, `p${run++}.xml`);
        writeFileSync(file, content);
        const items = await readAll(file);
        assertLocationsIncrease(items);
        const got = messages(items).filter((m) => /^P\d+$/.test(m.ref ?? ''));
        assert.deepEqual(got.map((m) => [m.ref, m.body]), entries.map(([body], i) => [`P${i}`, body.replace(/\r\n?/g, '\n')]));
        for (const bad of items.filter((i) => i.kind === 'malformed')) {
          assert.ok(bad.location.line >= 1 && bad.location.offset >= 0 && bad.reason !== '');
        }
      },
    ),
    { numRuns: 150 },
  );
});

test('property: arbitrary bytes never make the reader throw', async () => {
  const dir = temporaryDirectory();
  let run = 0;
  await fc.assert(
    fc.asyncProperty(fc.uint8Array({ maxLength: 400 }), fc.string({ maxLength: 200 }), async (bytes, text) => {
      const file = join(dir, `b${run++}.xml`);
      writeFileSync(file, Buffer.concat([Buffer.from(text), Buffer.from(bytes)]));
      try {
        const items = await readAll(file);
        assertLocationsIncrease(items);
      } catch (error) {
        // only the whole file may be refused (UTF-16, an unknown declared encoding)
        assert.equal((error as Error).constructor.name, 'FormatError');
      }
    }),
    { numRuns: 200 },
  );
});
