// One seized folder with every format Lode reads, packed in a .tar.gz the way exhibits arrive:
// each member is recognised by its content, read with its counts, and its text is searchable.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import * as tar from 'tar-stream';
import { ingest } from '../../src/ingest/pipeline.ts';
import { parseQuery } from '../../src/search/parse.ts';
import { openTestStore, temporaryDirectory } from '../fixtures.ts';

const CASE_CONTEXT = { kb: 'http://example.org/kb/', 'uco-core': 'https://unifiedcyberontology.org/ontology/uco/core#', 'uco-observable': 'https://unifiedcyberontology.org/ontology/uco/observable#', xsd: 'http://www.w3.org/2001/XMLSchema#' };

/** Each member holds one word no other member has, so a search proves the text was read. */
const MEMBERS: { name: string; format: string; word: string; content: string }[] = [
  {
    name: 'phone-1/WhatsApp Chat with Mo.txt', format: 'whatsapp', word: 'walvis',
    content: '01-04-2020 12:34 - Mo: ben je bij de walvis?\n01-04-2020 12:35 - Ali: ja\nkom maar\n',
  },
  {
    name: 'phone-2/Telegram/result.json', format: 'telegram', word: 'pinguin',
    content: JSON.stringify({
      name: 'Mo', type: 'personal_chat', id: 111,
      messages: [{ id: 1, type: 'message', date: '2020-04-01T12:00:00', date_unixtime: '1585735200', from: 'Mo', from_id: 'user111', text: 'de pinguin is geland', text_entities: [] }],
    }, null, 1),
  },
  {
    name: 'server/mam.xml', format: 'xmpp', word: 'zeehond',
    content: "<message><result xmlns='urn:xmpp:mam:2' id='A1'><forwarded xmlns='urn:xmpp:forward:0'><delay xmlns='urn:xmpp:delay' stamp='2020-04-01T12:34:56Z'/>" +
      "<message from='tapeworm@enc.example/x' to='jaguar@enc.example' type='chat'><body>de zeehond ligt klaar</body></message></forwarded></result></message>\n",
  },
  {
    name: 'phone-3/sms.xml', format: 'sms-backup', word: 'otter',
    content: `<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n<smses count="1">\n  <sms protocol="0" address="+31687654321" date="1585744496000" type="1" body="de otter zwemt" />\n</smses>\n`,
  },
  {
    name: 'forensics/report.jsonld', format: 'case-uco', word: 'bever',
    content: JSON.stringify({
      '@context': CASE_CONTEXT,
      '@graph': [
        { '@id': 'kb:a1', '@type': 'uco-observable:PhoneAccount', 'uco-core:hasFacet': [{ '@type': 'uco-observable:PhoneAccountFacet', 'uco-observable:phoneNumber': '+31612345678' }] },
        { '@id': 'kb:a2', '@type': 'uco-observable:PhoneAccount', 'uco-core:hasFacet': [{ '@type': 'uco-observable:PhoneAccountFacet', 'uco-observable:phoneNumber': '+31687654321' }] },
        {
          '@id': 'kb:m1', '@type': 'uco-observable:Message',
          'uco-core:hasFacet': [{ '@type': 'uco-observable:MessageFacet', 'uco-observable:messageText': 'de bever bouwt', 'uco-observable:from': { '@id': 'kb:a1' }, 'uco-observable:to': [{ '@id': 'kb:a2' }], 'uco-observable:sentTime': { '@type': 'xsd:dateTime', '@value': '2020-04-01T10:00:00Z' } }],
        },
      ],
    }),
  },
  {
    name: 'mail/Inbox', format: 'mbox', word: 'dolfijn',
    content: 'From jan@x.nl Wed Apr 01 12:00:00 2020\nFrom: Jan <jan@x.nl>\nTo: piet@y.nl\nSubject: levering\nDate: Wed, 1 Apr 2020 12:00:00 +0200\nMessage-ID: <a1@x.nl>\n\nde dolfijn komt morgen\n',
  },
  {
    name: 'site/dump.sql', format: 'mysql-dump', word: '',
    content: '-- MySQL dump 10.13\n-- Host: localhost    Database: shop\nCREATE TABLE `users` (\n  `id` int NOT NULL,\n  `username` varchar(64),\n  `email` varchar(128),\n  `password` varchar(64)\n);\n' +
      "INSERT INTO `users` VALUES (1,'vos','vos@example.nl','5f4dcc3b5aa765d61d8327deb882cf99'),(2,'das','das@example.nl',NULL);\n",
  },
  { name: 'leaks/combo.txt', format: 'combolist', word: '', content: 'jan@x.nl:Welkom01\npiet@y.com:hunter2\n' },
  { name: 'phone-1/IMG-20200401-WA0001.jpg', format: '', word: '', content: '\u00ff\u00d8\u00ff\u00e0\u0000\u0010JFIF\u0000binary' },
];

test('a seizure with every format, packed in a tar.gz: each member recognised, counted and searchable', async () => {
  const dir = temporaryDirectory();
  const store = openTestStore(dir);
  const pack = tar.pack();
  for (const m of MEMBERS) pack.entry({ name: `exhibit-7/${m.name}` }, m.content);
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of pack) chunks.push(chunk as Buffer);
  const archive = join(dir, 'exhibit-7.tar.gz');
  writeFileSync(archive, gzipSync(Buffer.concat(chunks)));

  const report = await ingest({ store, paths: [archive], dataset: 'exhibit-7', scratchDirectory: join(dir, 'scratch') });
  const byMember = new Map(report.sources.map((s) => [s.path.slice(`${archive}!/exhibit-7/`.length), s]));
  for (const m of MEMBERS) {
    const source = byMember.get(m.name);
    assert.ok(source, `${m.name} is reported`);
    if (m.format === '') assert.equal(source.status, 'skipped', m.name);
    else {
      assert.equal(source.format, m.format, m.name);
      assert.equal(source.status, 'ingested', m.name);
      assert.equal(source.quarantined, 0, `${m.name}: ${source.quarantined} quarantined`);
    }
  }
  assert.equal(report.messages, 7);
  assert.equal(report.exposures, 4);
  assert.equal(report.refused, 0);
  for (const m of MEMBERS.filter((m) => m.word !== '')) {
    const hits = await store.search({ ast: parseQuery(m.word), limit: 5, offset: 0, sort: 'newest', facets: false });
    assert.equal(hits.total, 1, `"${m.word}" from ${m.name}`);
  }
  const again = await ingest({ store, paths: [archive], dataset: 'exhibit-7', scratchDirectory: join(dir, 'scratch') });
  assert.equal(again.messages + again.exposures + again.accounts, 0);
});
