import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import type { ReadItem } from '../../../src/model/records.ts';
import { ingest } from '../../../src/ingest/pipeline.ts';
import { detectFormat } from '../../../src/ingest/formats/registry.ts';
import { FormatError } from '../../../src/ingest/formats/format.ts';
import { caseUco, literal, localName } from '../../../src/ingest/formats/case-uco.ts';
import { parseQuery } from '../../../src/search/parse.ts';
import { count, openTestStore, temporaryDirectory } from '../../fixtures.ts';
import { assertLocationsIncrease, readAllWith, recordsOf } from './reading.ts';

const readAll = (path: string) => readAllWith(caseUco, path);

// ---------- fixtures made by code, shaped like the CASE-Examples illustrations ----------

/** The two prefix styles: CASE 0.x/1.0 (`uco-observable:`) and CASE 1.x+ contexts (`observable:`). */
type Style = { obs: string; core: string; context: Record<string, string> };
const OLD_STYLE: Style = {
  obs: 'uco-observable:', core: 'uco-core:',
  context: { kb: 'http://example.org/kb/', 'uco-core': 'https://unifiedcyberontology.org/ontology/uco/core#', 'uco-observable': 'https://unifiedcyberontology.org/ontology/uco/observable#', xsd: 'http://www.w3.org/2001/XMLSchema#' },
};
const NEW_STYLE: Style = {
  obs: 'observable:', core: 'core:',
  context: { kb: 'http://example.org/kb/', core: 'https://ontology.unifiedcyberontology.org/uco/core/', observable: 'https://ontology.unifiedcyberontology.org/uco/observable/', xsd: 'http://www.w3.org/2001/XMLSchema#' },
};

function time(value: string): object {
  return { '@type': 'xsd:dateTime', '@value': value };
}

function ref(id: string): object {
  return { '@id': id };
}

function graph(s: Style): object[] {
  const o = (name: string) => `${s.obs}${name}`;
  const facets = `${s.core}hasFacet`;
  const appAccount = (id: string, identifier: string, name: string) => ({
    '@id': id, '@type': o('ApplicationAccount'),
    [facets]: [
      { '@type': o('AccountFacet'), [o('accountIdentifier')]: identifier },
      { '@type': o('ApplicationAccountFacet'), [o('application')]: ref('kb:whatsapp') },
      { '@type': o('DigitalAccountFacet'), [o('displayName')]: name },
    ],
  });
  const phoneAccount = (id: string, number: string) => ({ '@id': id, '@type': o('PhoneAccount'), [facets]: [{ '@type': o('PhoneAccountFacet'), [o('phoneNumber')]: number }] });
  const message = (id: string, from: string, to: string[], text: string | undefined, sent: string) => ({
    '@id': id, '@type': o('Message'),
    [facets]: [{
      '@type': o('MessageFacet'), [o('application')]: ref('kb:whatsapp'), ...(text === undefined ? {} : { [o('messageText')]: text }),
      [o('from')]: ref(from), [o('to')]: to.map(ref), [o('sentTime')]: time(sent),
    }],
  });
  return [
    // a message before the accounts and thread it refers to: references point forward
    message('kb:message-1', 'kb:account-mo', ['kb:account-tape'], 'de bestelbus staat klaar', '2021-05-01T10:00:00Z'),
    { '@id': 'kb:whatsapp', '@type': o('Application'), [facets]: [{ '@type': o('ApplicationFacet'), [`${s.core}name`]: 'WhatsApp', [o('applicationIdentifier')]: 'com.whatsapp' }] },
    appAccount('kb:account-mo', '31687654321@s.whatsapp.net', 'Mo'),
    appAccount('kb:account-tape', '31612345678@s.whatsapp.net', 'Tape'),
    appAccount('kb:account-ghost', '31699999999@s.whatsapp.net', 'Ghost'),
    message('kb:message-2', 'kb:account-tape', ['kb:account-mo'], 'ok, tot straks', '2021-05-01T10:01:00Z'),
    {
      '@id': 'kb:thread-crew', '@type': o('MessageThread'),
      [facets]: [{ '@type': o('MessageThreadFacet'), [o('displayName')]: 'Zuid crew', [o('participant')]: [ref('kb:account-mo'), ref('kb:account-tape'), ref('kb:account-ghost')], [o('message')]: [ref('kb:message-3'), ref('kb:message-4')] }],
    },
    message('kb:message-3', 'kb:account-ghost', [], 'vanavond bij de loods', '2021-05-02T20:00:00Z'),
    message('kb:message-4', 'kb:account-mo', [], undefined, '2021-05-02T20:01:00Z'),
    { '@id': 'kb:photo-1', '@type': o('File'), [facets]: [{ '@type': o('FileFacet'), [o('fileName')]: 'IMG-20210502.jpg', [o('sizeInBytes')]: 2048 }, { '@type': o('ContentDataFacet'), [o('mimeType')]: 'image/jpeg', [o('hash')]: [{ '@type': 'uco-types:Hash', 'uco-types:hashMethod': { '@type': 'uco-vocabulary:HashNameVocab', '@value': 'SHA256' }, 'uco-types:hashValue': { '@type': 'xsd:hexBinary', '@value': 'AB'.repeat(32) } }] }] },
    { '@id': 'kb:attach-1', '@type': o('ObservableRelationship'), [`${s.core}source`]: ref('kb:photo-1'), [`${s.core}target`]: ref('kb:message-4'), [`${s.core}kindOfRelationship`]: 'Attachment_Of', [`${s.core}isDirectional`]: true },
    // a stub the thread lists but the extraction did not recover
    { '@id': 'kb:message-5', '@type': o('Message') },
    message('kb:message-6', 'kb:nobody', ['kb:account-mo'], 'van een onbekende', '2021-05-03T09:00:00Z'),
    {
      '@id': 'kb:phone', '@type': o('MobileDevice'),
      [facets]: [
        { '@type': o('DeviceFacet'), [o('model')]: 'Aquaris X2', [o('manufacturer')]: ref('kb:bq') },
        { '@type': o('MobileDeviceFacet'), [o('IMEI')]: '356938035643809', [o('MSISDN')]: [ref('kb:line-1')] },
      ],
    },
    { '@id': 'kb:bq', '@type': 'uco-identity:Organization', [`${s.core}name`]: 'BQ' },
    phoneAccount('kb:line-1', '+31612345678'),
    phoneAccount('kb:line-2', '+31687654321'),
    phoneAccount('kb:line-3', '+31611111111'),
    {
      '@id': 'kb:call-1', '@type': o('Call'),
      [facets]: [{ '@type': o('CallFacet'), [o('callType')]: 'outgoing', [o('startTime')]: time('2021-05-01T09:00:00Z'), [o('endTime')]: time('2021-05-01T09:01:33Z'), [o('from')]: ref('kb:line-1'), [o('to')]: ref('kb:line-2'), [o('duration')]: 93 }],
    },
    {
      '@id': 'kb:contact-mo', '@type': o('Contact'),
      [facets]: [{ '@type': o('ContactFacet'), [o('firstName')]: 'Mo', [o('lastName')]: 'Kapper', [o('displayName')]: 'Mo kapper', phoneNumber: [ref('kb:line-2')] }],
    },
    { '@id': 'kb:has-account-1', '@type': o('ObservableRelationship'), [`${s.core}source`]: ref('kb:contact-mo'), [`${s.core}target`]: [ref('kb:line-3')], [`${s.core}kindOfRelationship`]: 'Has_Account', [`${s.core}isDirectional`]: true },
  ];
}

function writeGraph(dir: string, name: string, s: Style, wrap: 'graph' | 'bundle' | 'array' = 'graph'): string {
  const objects = graph(s);
  const doc = wrap === 'array' ? objects
    : wrap === 'bundle' ? { '@context': s.context, '@graph': [{ '@id': 'kb:bundle', '@type': `${s.core}Bundle`, [`${s.core}object`]: objects }] }
      : { '@context': s.context, '@graph': objects };
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(doc, null, 4));
  return path;
}

function assertReadsTheGraph(items: ReadItem[]): void {
  assertLocationsIncrease(items);
  const messages = recordsOf(items, 'message');
  assert.deepEqual(messages.map((m) => m.ref), ['kb:message-1', 'kb:message-2', 'kb:message-3', 'kb:message-4']);
  const [first, , third, fourth] = messages;
  assert.equal(first!.platform, 'whatsapp');
  assert.equal(first!.from, '31687654321@s.whatsapp.net', 'an account defined after the message is resolved');
  assert.deepEqual(first!.to, ['31612345678@s.whatsapp.net']);
  assert.equal(first!.ts, '2021-05-01T10:00:00Z');
  assert.equal(first!.body, 'de bestelbus staat klaar');
  assert.equal(first!.group, undefined);
  assert.equal(third!.group, 'kb:thread-crew');
  assert.deepEqual(fourth!.attachments, [{ name: 'IMG-20210502.jpg', mime: 'image/jpeg', sha256: 'ab'.repeat(32), sizeBytes: 2048 }]);
  assert.equal(fourth!.body, '');

  const groups = recordsOf(items, 'group');
  assert.deepEqual(groups, [{ kind: 'group', platform: 'whatsapp', ref: 'kb:thread-crew', name: 'Zuid crew', members: ['31687654321@s.whatsapp.net', '31612345678@s.whatsapp.net', '31699999999@s.whatsapp.net'] }]);

  const accounts = recordsOf(items, 'account');
  const mo = accounts.find((a) => a.handle === '31687654321@s.whatsapp.net')!;
  assert.equal(mo.platform, 'whatsapp');
  assert.equal(mo.name, 'Mo');
  const line = accounts.find((a) => a.handle === '+31612345678' && a.device !== undefined)!;
  assert.deepEqual(line.device, { imei: '356938035643809', model: 'Aquaris X2' });
  assert.equal(line.extra?.manufacturer, 'BQ');

  assert.deepEqual(recordsOf(items, 'event'), [{
    kind: 'event', platform: 'case-uco', ref: 'kb:call-1', account: '+31612345678', type: 'call', ts: '2021-05-01T09:00:00Z',
    fields: { to: ['+31687654321'], direction: 'outgoing', duration: 93, endTime: '2021-05-01T09:01:33Z', id: 'kb:call-1', types: ['Call', 'CallFacet'] },
  }]);
  const contacts = recordsOf(items, 'contact');
  assert.deepEqual(contacts.map((c) => [c.owner, c.handle, c.alias]), [['+31612345678', '+31687654321', 'Mo kapper'], ['+31612345678', '+31611111111', 'Mo kapper']]);

  const bad = items.flatMap((i) => (i.kind === 'malformed' ? [i.reason] : []));
  assert.equal(bad.length, 2);
  assert.match(bad[0]!, /no sender/);
  assert.match(bad[1]!, /kb:nobody is not an account described in the file/);
}

// ---------- tests ----------

test('a CASE graph (uco-observable: prefixes): messages, threads, attachments, accounts, devices, calls, contacts', async () => {
  const dir = temporaryDirectory();
  const path = writeGraph(dir, 'old.json', OLD_STYLE);
  const items = await readAll(path);
  assertReadsTheGraph(items);
  const bytes = readFileSync(path);
  for (const item of items) if (item.kind === 'record' && item.record.kind === 'message') assert.equal(String.fromCharCode(bytes[item.location.offset]!), '{');
});

test('the newer observable:/core: prefixes read the same', async () => {
  const dir = temporaryDirectory();
  assertReadsTheGraph(await readAll(writeGraph(dir, 'new.json', NEW_STYLE)));
});

test('objects inside a bundle\'s uco-core:object, and a bare array, read the same', async () => {
  const dir = temporaryDirectory();
  assertReadsTheGraph(await readAll(writeGraph(dir, 'bundle.json', OLD_STYLE, 'bundle')));
  assertReadsTheGraph(await readAll(writeGraph(dir, 'array.json', NEW_STYLE, 'array')));
});

test('local names and typed literals', () => {
  assert.equal(localName('uco-observable:messageText'), 'messageText');
  assert.equal(localName('https://ontology.unifiedcyberontology.org/uco/observable/messageText'), 'messageText');
  assert.equal(localName('messageText'), 'messageText');
  assert.equal(literal({ '@type': 'xsd:dateTime', '@value': '2020-01-01T00:00:00Z' }), '2020-01-01T00:00:00Z');
  assert.equal(literal([{ '@value': 3 }]), '3');
  assert.equal(literal(null), undefined);
});

test('detection claims CASE JSON-LD and nothing else', () => {
  const text = JSON.stringify({ '@context': OLD_STYLE.context, '@graph': graph(OLD_STYLE) }, null, 4);
  assert.ok(caseUco.detect(text.slice(0, 65536), 'case.jsonld') >= 0.9);
  assert.equal(detectFormat(text.slice(0, 65536), 'x.json')?.name, 'case-uco');
  assert.ok(caseUco.detect('{"@context":"https://schema.org","@type":"Person","name":"x"}', 'p.json') < 0.5);
  assert.equal(caseUco.detect('{"kind":"message","platform":"p","from":"a","body":"x"}\n', 'x.jsonl'), 0);
  assert.equal(caseUco.detect('id,from,body\n1,a,b\n', 'x.csv'), 0);
  assert.equal(caseUco.detect('{"name":"x","type":"personal_chat","id":1,"messages":[]}', 'result.json'), 0);
});

test('foreign JSON is refused, a truncated graph keeps what came before', async () => {
  const dir = temporaryDirectory();
  const foreign = join(dir, 'foreign.json');
  writeFileSync(foreign, '{"users": [1, 2]}');
  await assert.rejects(readAll(foreign), FormatError);
  const text = JSON.stringify({ '@context': OLD_STYLE.context, '@graph': graph(OLD_STYLE) }, null, 4);
  const cut = join(dir, 'cut.json');
  writeFileSync(cut, text.slice(0, text.indexOf('"kb:thread-crew"')));
  const items = await readAll(cut);
  assert.deepEqual(recordsOf(items, 'message').map((m) => m.ref), ['kb:message-1', 'kb:message-2']);
  const last = items.at(-1)!;
  assert.ok(last.kind === 'malformed' && /ends inside the JSON document/.test(last.reason));
});

test('end to end: a CASE file is ingested with provenance and quarantine, and a second ingest adds nothing', async () => {
  const dir = temporaryDirectory();
  const store = openTestStore(dir);
  const path = writeGraph(dir, 'extraction.jsonld', NEW_STYLE);
  const report = await ingest({ store, paths: [path], dataset: 'case' });
  assert.equal(report.sources[0]!.format, 'case-uco');
  assert.equal(report.messages, 4);
  assert.equal(report.events, 1);
  assert.equal(report.contacts, 2);
  assert.equal(report.quarantined, 2);
  const found = await store.search({ ast: parseQuery('bestelbus'), limit: 10, offset: 0, sort: 'newest', facets: false });
  assert.equal(found.total, 1);
  assert.equal(found.hits[0]!.ref, 'kb:message-1');
  assert.equal(found.hits[0]!.platform, 'whatsapp');
  const row = store.db.prepare(`SELECT line, byte_offset FROM messages WHERE ref = 'kb:message-1'`).get()!;
  const bytes = readFileSync(path);
  assert.equal(String.fromCharCode(bytes[Number(row.byte_offset)]!), '{');
  assert.equal(bytes.subarray(0, Number(row.byte_offset)).toString('latin1').split('\n').length, Number(row.line));
  const quarantine = await store.quarantine({ limit: 10, offset: 0 });
  assert.deepEqual(quarantine.entries.map((e) => /kb:message-[56]/.exec(e.excerpt)?.[0]), ['kb:message-5', 'kb:message-6']);
  const again = await ingest({ store, paths: [path], dataset: 'case' });
  assert.equal(again.messages, 0);
  assert.equal(await count(store, 'SELECT count(*) AS n FROM messages'), 4);
});

// ---------- property tests ----------

test('property: valid messages among garbage objects are all read, garbage is quarantined or ignored, nothing throws', async () => {
  const dir = temporaryDirectory();
  let run = 0;
  const valid = fc.record({ text: fc.string({ minLength: 1, maxLength: 30 }).filter((t) => t.trim() !== ''), seconds: fc.integer({ min: 0, max: 2e9 }) });
  const junk = fc.oneof(
    fc.jsonValue({ maxDepth: 2 }),
    fc.record({ '@id': fc.string(), '@type': fc.constantFrom('uco-observable:Message', 'observable:Call', 'uco-observable:Contact', 'uco-observable:MobileDevice'), 'uco-core:hasFacet': fc.jsonValue({ maxDepth: 2 }) }, { requiredKeys: ['@type'] }),
  );
  await fc.assert(fc.asyncProperty(fc.array(fc.oneof(valid.map((v) => ({ valid: v })), junk.map((j) => ({ junk: j }))), { maxLength: 20 }), async (entries) => {
    let n = 0;
    const objects: unknown[] = [
      { '@id': 'kb:a', '@type': 'uco-observable:PhoneAccount', 'uco-core:hasFacet': { '@type': 'uco-observable:PhoneAccountFacet', 'uco-observable:phoneNumber': '+311' } },
      ...entries.map((e) => ('valid' in e
        ? { '@id': `kb:valid-${n++}`, '@type': 'uco-observable:Message', 'uco-core:hasFacet': [{ '@type': 'uco-observable:MessageFacet', 'uco-observable:messageText': e.valid.text, 'uco-observable:from': { '@id': 'kb:a' }, 'uco-observable:sentTime': { '@value': new Date(e.valid.seconds * 1000).toISOString() } }] }
        : e.junk)),
    ];
    const path = join(dir, `p${run++}.json`);
    writeFileSync(path, JSON.stringify({ '@context': OLD_STYLE.context, '@graph': objects }, null, 2));
    const items = await readAll(path);
    assertLocationsIncrease(items);
    const refs = new Set(recordsOf(items, 'message').map((m) => m.ref));
    for (let i = 0; i < n; i += 1) assert.ok(refs.has(`kb:valid-${i}`), `valid message ${i} was dropped`);
    for (const item of items) if (item.kind === 'malformed') assert.ok(item.reason.length > 0 && item.excerpt.length > 0);
  }), { numRuns: 120 });
});

test('property: arbitrary text never throws anything but a FormatError', async () => {
  const dir = temporaryDirectory();
  let run = 0;
  await fc.assert(fc.asyncProperty(fc.oneof(fc.string({ maxLength: 200 }), fc.jsonValue().map((v) => JSON.stringify(v)), fc.constant('{"@graph":[{"@id":"kb:x",')), async (text) => {
    const path = join(dir, `b${run++}.json`);
    writeFileSync(path, text);
    try {
      assertLocationsIncrease(await readAll(path));
    } catch (error) {
      assert.ok(error instanceof FormatError, String(error));
    }
  }), { numRuns: 300 });
});
