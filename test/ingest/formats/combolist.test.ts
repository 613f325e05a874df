import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import fc from 'fast-check';
import type { ExposureRecord, ReadItem } from '../../../src/model/records.ts';
import { ingest } from '../../../src/ingest/pipeline.ts';
import { detectFormat } from '../../../src/ingest/formats/registry.ts';
import {
  chooseDelimiter, combolist, decodeLine, leakName, maskLine, normaliseIdentifier, parseCredentialLine,
  type Delimiter, type ParsedCredential,
} from '../../../src/ingest/formats/combolist.ts';
import { passwordSha1, recogniseHashType } from '../../../src/ingest/formats/password-hash.ts';
import { readByteLines } from '../../../src/ingest/lines.ts';
import { count, openTestStore, temporaryDirectory } from '../../fixtures.ts';
import { readAllWith } from './reading.ts';

const readAll = (path: string) => readAllWith(combolist, path);

// one directory for the tests that only read files (each file has its own name)
const scratch = temporaryDirectory();
const SHA1_PASSWORD = '5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD8';
const NTLM_PASSWORD = '8846F7EAEE8FB117AD06BDD830B7586C';

function exposures(items: ReadItem[]): ExposureRecord[] {
  return items.flatMap((i) => (i.kind === 'record' && i.record.kind === 'exposure' ? [i.record] : []));
}

/** The byte offset at which each line starts. */
function offsetsOf(lines: readonly string[], lineEnd: string): number[] {
  let offset = 0;
  return lines.map((line) => {
    const start = offset;
    offset += Buffer.byteLength(line + lineEnd);
    return start;
  });
}

function parsed(text: string, delimiter: Delimiter): ParsedCredential {
  const result = parseCredentialLine(text, delimiter);
  assert.ok(!('reason' in result), `${text} should parse, got ${'reason' in result ? result.reason : ''}`);
  return result;
}

test('every delimiter splits identifier from password: colon, semicolon, pipe, TAB', async () => {
  const dir = scratch;
  for (const delimiter of [':', ';', '|', '\t'] as const) {
    const file = join(dir, `leak-${delimiter === '\t' ? 'tab' : delimiter.charCodeAt(0)}.txt`);
    writeFileSync(file, [`Joe@Example.NL${delimiter}password`, `kees_1988${delimiter}password`, `+31 6 1234 5678${delimiter}password`, ''].join('\n'));
    const found = exposures(await readAll(file));
    assert.deepEqual(found.map((e) => [e.identifier, e.identifierType, e.dataClasses]), [
      ['joe@example.nl', 'email', ['email', 'password']],
      ['kees_1988', 'username', ['username', 'password']],
      ['+31612345678', 'phone', ['phone', 'password']],
    ], `delimiter ${JSON.stringify(delimiter)}`);
    for (const e of found) {
      assert.equal(e.passwordSha1, SHA1_PASSWORD);
      assert.equal(e.passwordNtlm, NTLM_PASSWORD);
      assert.equal(e.hashType, undefined);
    }
  }
});

test('the password starts after the FIRST delimiter, so it may hold : ; | and TAB', () => {
  const table: Array<[string, Delimiter, string, string]> = [
    ['joe@x.nl:pa:ss', ':', 'joe@x.nl', 'pa:ss'],
    ['joe@x.nl:pa;ss|w:d', ':', 'joe@x.nl', 'pa;ss|w:d'],
    ['joe@x.nl;p:a;s', ';', 'joe@x.nl', 'p:a;s'],
    ['joe@x.nl|p|a:s;s', '|', 'joe@x.nl', 'p|a:s;s'],
    ['joe@x.nl\tp\ta:s', '\t', 'joe@x.nl', 'p\ta:s'],
    ['joe:::', ':', 'joe', '::'],
    // the file's delimiter is absent: the line falls back to the first one it holds
    ['joe@x.nl;pw|x', ':', 'joe@x.nl', 'pw|x'],
    ['joe@x.nl|pw', ';', 'joe@x.nl', 'pw'],
  ];
  for (const [line, fileDelimiter, identifier, secret] of table) {
    const result = parsed(line, fileDelimiter);
    assert.equal(result.identifier.value, identifier, line);
    assert.equal(result.secret, secret, line);
  }
  // the file's delimiter present: it decides, even when another delimiter comes first
  const missplit = parseCredentialLine('joe@x.nl;pa:ss', ':');
  assert.ok('reason' in missplit);
  assert.match(missplit.reason, /not an e-mail address, username or phone number/);
  assert.equal(missplit.excerpt, 'joe@x.nl;********');
});

test('the file delimiter is chosen from the whole head, not the first line', () => {
  assert.equal(chooseDelimiter(['a@b.nl:x;y', 'c@d.nl;p:q', 'e@f.nl;z', 'g@h.nl;w|v']), ';');
  assert.equal(chooseDelimiter(['a@b.nl|x;y:z', 'c@d.nl|p', 'junk', 'x@y.nl:w']), '|');
  assert.equal(chooseDelimiter(['u1\tp:w', 'u2\tp;w', 'u3\tp|w']), '\t');
  assert.equal(chooseDelimiter(['no delimiter here', '']), ':');
});

test('identifiers are normalised: e-mail lower-cased, phone to + and digits, username trimmed', () => {
  assert.deepEqual(normaliseIdentifier('  Jan.Jansen+tag@Gmail.COM '), { value: 'jan.jansen+tag@gmail.com', type: 'email' });
  assert.deepEqual(normaliseIdentifier('+31 (0)6-1234.5678'), { value: '+310612345678', type: 'phone' });
  assert.deepEqual(normaliseIdentifier('0612345678'), { value: '0612345678', type: 'phone' });
  assert.deepEqual(normaliseIdentifier(' DarkLord_99 '), { value: 'DarkLord_99', type: 'username' });
  assert.deepEqual(normaliseIdentifier('müller'), { value: 'müller', type: 'username' });
  assert.equal(normaliseIdentifier('two words'), undefined);
  assert.equal(normaliseIdentifier('{"kind"'), undefined);
  assert.equal(normaliseIdentifier(''), undefined);
});

test('hashes are typed, never kept, except an unsalted SHA-1 which becomes passwordSha1', async () => {
  const dir = scratch;
  const file = join(dir, 'forum2019.txt');
  const bcrypt = '$2y$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy';
  writeFileSync(file, [
    `a@x.nl:${SHA1_PASSWORD.toLowerCase()}`,
    `b@x.nl:5f4dcc3b5aa765d61d8327deb882cf99`,
    `c@x.nl:${bcrypt}`,
    `d@x.nl:*2470C0C06DEE42FD1618BB99005ADCA2EC9D1E19`,
    `e@x.nl:5f4dcc3b5aa765d61d8327deb882cf99:xY7`,
    `f@x.nl:$P$984478476IagS59wHZvyQMArzfx58u.`,
  ].join('\n'));
  const found = exposures(await readAll(file));
  assert.deepEqual(found.map((e) => [e.identifier, e.hashType, e.passwordSha1, e.passwordNtlm]), [
    ['a@x.nl', 'sha1', SHA1_PASSWORD, undefined],
    ['b@x.nl', 'md5-or-ntlm', undefined, undefined],
    ['c@x.nl', 'bcrypt', undefined, undefined],
    ['d@x.nl', 'mysql', undefined, undefined],
    ['e@x.nl', 'md5-or-ntlm-salted', undefined, undefined],
    ['f@x.nl', 'phpass', undefined, undefined],
  ]);
  for (const e of found) {
    assert.deepEqual(e.dataClasses, ['email', 'password-hash']);
    assert.equal(e.platform, 'forum2019');
    assert.ok(!JSON.stringify(e).includes('5f4dcc3b') && !JSON.stringify(e).includes(bcrypt));
  }
  // a salted hash in a semicolon file reads 'hash;salt' as salted too
  const semi = join(dir, 'semi.txt');
  writeFileSync(semi, 'a@x.nl;5f4dcc3b5aa765d61d8327deb882cf99;xY7\nb@x.nl;plain\n');
  assert.deepEqual(exposures(await readAll(semi)).map((e) => e.hashType), ['md5-or-ntlm-salted', undefined]);
});

test('extra fields: a trailing IP is split off; a stealer-log URL prefix becomes extra.url', () => {
  const withIp = parsed('joe@x.nl:pass:word:192.168.10.4', ':');
  assert.equal(withIp.secret, 'pass:word');
  assert.equal(withIp.ip, '192.168.10.4');
  assert.equal(parsed('joe@x.nl|pw|2001:db8::1', ';').ip, '2001:db8::1');
  const stealer: Array<[string, string, string, string]> = [
    ['https://login.live.com/login.srf:jan@hotmail.com:Welkom01', 'https://login.live.com/login.srf', 'jan@hotmail.com', 'Welkom01'],
    ['https://site.nl:8443/account/login:kees:pa:ss', 'https://site.nl:8443/account/login', 'kees', 'pa:ss'],
    ['android://Yb8Q3k-Hs_w==@com.instagram.android/:jan_99:geheim', 'android://Yb8Q3k-Hs_w==@com.instagram.android/', 'jan_99', 'geheim'],
    ['https://site.nl/login jan@x.nl:geheim', 'https://site.nl/login', 'jan@x.nl', 'geheim'],
    ['www.bol.com|jan@x.nl|geheim', 'www.bol.com', 'jan@x.nl', 'geheim'],
    ['site.nl/wp-login.php;admin;geheim', 'site.nl/wp-login.php', 'admin', 'geheim'],
    ['https://jan:urlsecret@site.nl/admin:jan:geheim', 'https://jan@site.nl/admin', 'jan', 'geheim'],
  ];
  for (const [line, url, identifier, secret] of stealer) {
    const result = parsed(line, ':');
    assert.deepEqual([result.url, result.identifier.value, result.secret], [url, identifier, secret], line);
  }
  // a bare "name.surname" is a username, not a URL
  assert.equal(parsed('jan.jansen:geheim', ':').url, undefined);
});

test('latin-1 and cp437 lines are decoded and flagged; UTF-8 lines are not flagged', async () => {
  assert.deepEqual(decodeLine(iconv.encode('müller', 'latin1')), { text: 'müller', encoding: 'latin1' });
  assert.deepEqual(decodeLine(iconv.encode('müller', 'cp437')), { text: 'müller', encoding: 'cp437' });
  const dir = scratch;
  const file = join(dir, 'de-leak.txt');
  writeFileSync(file, Buffer.concat([
    Buffer.from('jörg@web.de:straße\n', 'utf8'),
    iconv.encode('müller:käsebrot\n', 'latin1'),
    iconv.encode('schröder:Übung1\n', 'cp437'),
  ]));
  const found = exposures(await readAll(file));
  assert.deepEqual(found.map((e) => [e.identifier, e.extra?.encoding, e.passwordSha1]), [
    ['jörg@web.de', undefined, passwordSha1('straße')],
    ['müller', 'latin1', passwordSha1('käsebrot')],
    ['schröder', 'cp437', passwordSha1('Übung1')],
  ]);
});

test('junk is quarantined with location, reason and a masked excerpt; the cleartext never shows', async () => {
  const dir = scratch;
  const file = join(dir, 'junk.txt');
  const lines = [
    'good@x.nl:Secret-1', //                       1
    'loneSecretPassword', //                        2 no delimiter
    ':Secret-3', //                                 3 empty identifier
    'two words:Secret-4', //                        4 not an identifier
    'bin\u0000ary:Secret-5\u0001', //               5 binary
    'long@x.nl:' + 'Secret-6'.repeat(9000), //      6 over 64 KiB
    'empty@x.nl:', //                               7 nothing after the delimiter
    '', //                                          8 blank: skipped silently
    'last@x.nl:Secret-9', //                        9
  ];
  writeFileSync(file, lines.join('\r\n'));
  const items = await readAll(file);
  const bad = items.filter((i) => i.kind === 'malformed');
  assert.deepEqual(bad.map((i) => [i.location.line, i.excerpt]), [
    [2, '********'],
    [3, ':********'],
    [4, 'two words:********'],
    [5, 'bin?ary:********'],
    [6, 'long@x.nl:********'],
    [7, 'empty@x.nl:'],
  ]);
  const reasons = bad.map((i) => (i.kind === 'malformed' ? i.reason : ''));
  assert.match(reasons[0]!, /no delimiter/);
  assert.match(reasons[1]!, /empty identifier/);
  assert.match(reasons[2]!, /not an e-mail address, username or phone number/);
  assert.match(reasons[3]!, /binary data/);
  // the line's bytes up to its '\n', its '\r' included
  assert.match(reasons[4]!, /line too long \(72011 bytes, limit 65536\)/);
  assert.match(reasons[5]!, /no password or hash/);
  assert.ok(!JSON.stringify(items).includes('Secret-'), 'no cleartext in anything the reader yields');
  const good = items.filter((i) => i.kind === 'record');
  assert.deepEqual(good.map((i) => i.location), [{ line: 1, offset: 0 }, { line: 9, offset: offsetsOf(lines, '\r\n')[8] }]);
  assert.equal(maskLine('https://u:pw@site.nl/a:jan:geheim'), 'https://u@site.nl/a:jan:********');
});

test('detection: combolists are claimed; CSV with a header, lode-jsonl, mail headers and vCards are not', () => {
  const combo = 'jan@x.nl:Welkom01\npiet@y.com:hunter2\nkees@z.org:qwerty;123\nanna@x.nl:p|w\n';
  assert.ok(combolist.detect(combo, '/leaks/x.dat') >= 0.8);
  assert.ok(combolist.detect('jan\tpw1\npiet\tpw2\nkees\tpw3\nanna\tpw4\n', 'x') >= 0.5);
  assert.equal(detectFormat(combo, '/leaks/x.dat')?.name, 'combolist');
  assert.equal(detectFormat(combo.replaceAll(':', ';'), '/leaks/x.dat')?.name, 'combolist');
  assert.equal(detectFormat(combo.replaceAll(':', '|'), '/leaks/x.dat')?.name, 'combolist');
  assert.equal(detectFormat('https://a.nl/login:jan@x.nl:pw\nhttps://b.nl/:piet:pw\nandroid://x==@com.app/:kees:pw\n', 'log')?.name, 'combolist');
  // a '.txt' name is a tie-breaker only
  assert.ok(combolist.detect(combo, 'x.txt') > combolist.detect(combo, 'x.bin'));
  assert.ok(combolist.detect('hello world\nthis is prose\n', 'notes.txt') < 0.5);
  const csvWithHeader = 'email;password\njan@x.nl;Welkom01\npiet@y.com;hunter2\n';
  assert.ok(combolist.detect(csvWithHeader, 'users.csv') < 0.5);
  // a table export with e-mail and password columns is a seized site table
  assert.equal(detectFormat(csvWithHeader, 'users.csv')?.name, 'site-csv');
  const jsonl = '{"kind":"account","platform":"encrochat","handle":"tapeworm"}\n{"kind":"note","platform":"x","owner":"y","body":"z"}\n';
  assert.ok(combolist.detect(jsonl, 'x.jsonl') < 0.5);
  assert.ok(combolist.detect('From: jan@x.nl\nTo: piet@y.nl\nSubject: hoi\nDate: Mon, 1 Apr 2020\n\nbody\n', 'x.eml') < 0.5);
  assert.ok(combolist.detect('BEGIN:VCARD\nVERSION:3.0\nFN:Jan\nEND:VCARD\nBEGIN:VCARD\nVERSION:3.0\nFN:Piet\nEND:VCARD\n', 'x.vcf') < 0.5);
  assert.equal(combolist.detect('', 'x.txt'), 0);
});

test('the leak name is the file name without its extension', () => {
  assert.equal(leakName('/cases/2021/linkedin_2012.txt'), 'linkedin_2012');
  assert.equal(leakName('/x/Collection #1.tar.txt'), 'Collection #1.tar');
  assert.equal(leakName('/x/combo'), 'combo');
});

test('byte lines resume from a location with exact offsets', async () => {
  const dir = scratch;
  const file = join(dir, 'r.txt');
  writeFileSync(file, '\uFEFFa@x.nl:1\r\nb@x.nl:2\nc@x.nl:3');
  const all = [];
  for await (const line of readByteLines(file)) if (line.kind === 'line') all.push([line.bytes.toString(), line.location.line, line.location.offset]);
  assert.deepEqual(all, [['a@x.nl:1', 1, 0], ['b@x.nl:2', 2, 13], ['c@x.nl:3', 3, 22]]);
  const resumed = [];
  for await (const line of readByteLines(file, { from: { line: 2, offset: 13 } })) if (line.kind === 'line') resumed.push(line.bytes.toString());
  assert.deepEqual(resumed, ['b@x.nl:2', 'c@x.nl:3']);
});

test('end to end: exposures stored with provenance, quarantine masked, rerun adds nothing, no cleartext in the store file', async () => {
  const dir = temporaryDirectory();
  const store = openTestStore(dir);
  const file = join(dir, 'shopleak_2020.txt');
  const lines = [
    'Jan@X.nl:password',
    'piet@y.com:Zeer;Geheim|99',
    'https://shop.nl/login:kees:HemelsGeheim',
    'anna@x.nl:OnlyOnceSecret:10.1.2.3',
    'nodelimiterSecretLine',
    'b@x.nl:5f4dcc3b5aa765d61d8327deb882cf99',
  ];
  writeFileSync(file, lines.join('\n') + '\n');
  const offsets = offsetsOf(lines, '\n');
  const report = await ingest({ store, paths: [file], dataset: 'leaks' });
  assert.equal(report.sources[0]!.format, 'combolist');
  assert.equal(report.quarantined, 1);
  assert.equal(await count(store, 'SELECT count(*) AS n FROM exposures'), 5);
  assert.equal(report.exposures, 5);
  const rows = store.db.prepare('SELECT identifier, identifier_type, data_classes, password_sha1, password_ntlm, hash_type, platform, line, byte_offset, extra FROM exposures ORDER BY line').all();
  assert.deepEqual(rows.map((r) => [r.identifier, r.line, r.byte_offset]), [['jan@x.nl', 1, 0], ['piet@y.com', 2, offsets[1]], ['kees', 3, offsets[2]], ['anna@x.nl', 4, offsets[3]], ['b@x.nl', 6, offsets[5]]]);
  assert.equal(rows[0]!.password_sha1, SHA1_PASSWORD);
  assert.equal(rows[0]!.password_ntlm, NTLM_PASSWORD);
  assert.equal(rows[0]!.platform, 'shopleak_2020');
  assert.equal(rows[2]!.identifier_type, 'username');
  assert.deepEqual(JSON.parse(String(rows[2]!.data_classes)), ['username', 'password', 'url']);
  assert.deepEqual(JSON.parse(String(rows[2]!.extra)), { url: 'https://shop.nl/login' });
  assert.deepEqual(JSON.parse(String(rows[3]!.data_classes)), ['email', 'password', 'ip']);
  assert.equal(rows[4]!.hash_type, 'md5-or-ntlm');
  assert.equal(rows[4]!.password_sha1, null);
  const quarantine = await store.quarantine({ limit: 10, offset: 0 });
  assert.deepEqual(quarantine.entries.map((e) => [e.line, e.offset, e.excerpt]), [[5, offsets[4], '********']]);
  assert.match(quarantine.entries[0]!.reason, /no delimiter/);
  const again = await ingest({ store, paths: [file], dataset: 'leaks' });
  assert.equal(again.exposures, 0);
  assert.equal(await count(store, 'SELECT count(*) AS n FROM exposures'), 5);
  store.db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
  for (const path of [join(dir, 'lode.sqlite'), join(dir, 'lode.sqlite-wal')]) {
    if (!existsSync(path)) continue;
    const bytes = readFileSync(path);
    for (const secret of ['Zeer;Geheim|99', 'HemelsGeheim', 'OnlyOnceSecret', 'nodelimiterSecretLine', '5f4dcc3b5aa765d61d8327deb882cf99']) {
      assert.equal(bytes.indexOf(Buffer.from(secret)), -1, `${secret} found in ${path}`);
    }
  }
});

test('two leak files of one dataset with overlapping pairs store each pair once per leak name', async () => {
  const dir = temporaryDirectory();
  const store = openTestStore(dir);
  const a = join(dir, 'a', 'combo.txt');
  const b = join(dir, 'b', 'combo.txt');
  for (const [path, body] of [[a, 'jan@x.nl:pw1\npiet@x.nl:pw2\njan@x.nl:pw1\n'], [b, 'JAN@x.nl:pw1\nkees@x.nl:pw3\npiet@x.nl:other\n']] as const) {
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, body);
  }
  const report = await ingest({ store, paths: [a, b], dataset: 'leaks' });
  // jan/pw1 three times, piet with two passwords, kees once
  assert.equal(await count(store, 'SELECT count(*) AS n FROM exposures'), 4);
  assert.equal(report.exposures, 4);
});

// ---------------------------------------------------------------------------------------------
// Properties

const email = fc.tuple(fc.stringMatching(/^[a-z][a-z0-9._-]{0,12}$/), fc.stringMatching(/^[a-z]{2,10}\.(nl|com|de|org)$/)).map(([l, d]) => `${l}@${d}`);
const passwordChars = fc.constantFrom(...'abcXYZ019 !#$%&*()-_=+:;|\t,.<>/?"\'~äöüéß€🙂'.split(/(?:)/u));
const password = fc.array(passwordChars, { minLength: 1, maxLength: 24 }).map((cs) => cs.join(''))
  // a password that looks like a hash, or ends in what may be an IP address, is read as such
  .filter((p) => p.trim() !== '' && recogniseHashType(p) === undefined && !/[:;|\t][\d.:a-fA-F]+$/.test(p));
const garbage = fc.oneof(
  fc.stringMatching(/^[a-zA-Z0-9 .,!?-]{1,40}$/).filter((s) => s.trim() !== ''), // no delimiter
  password.map((p) => `:${p}`), // empty identifier
  fc.tuple(fc.stringMatching(/^[a-z]{1,8}$/), password).map(([w, p]) => `${w}\u0000x:${p}`), // binary
  fc.tuple(fc.stringMatching(/^[a-z]{1,8} [a-z]{1,8}$/), password).map(([w, p]) => `${w}:${p}`), // spaced identifier
);
const delimiter = fc.constantFrom<Delimiter>(':', ';', '|', '\t');

test('property: valid lines interleaved with garbage are all read, garbage quarantined at its line, no password leaks', async () => {
  const dir = scratch;
  let run = 0;
  await fc.assert(
    fc.asyncProperty(
      delimiter,
      fc.array(fc.oneof({ arbitrary: fc.tuple(email, password).map(([e, p]) => ({ e, p })), weight: 3 }, { arbitrary: garbage, weight: 1 }), { minLength: 1, maxLength: 30 }),
      async (d, entries) => {
        // the head must show the file's delimiter: at least one valid line first
        const all = [{ e: 'first@x.nl', p: 'first' }, ...entries];
        const lines = all.map((x) => (typeof x === 'string' ? x : `${x.e}${d}${x.p}`));
        const file = join(dir, `p${run++}.txt`);
        writeFileSync(file, lines.join('\n') + '\n');
        const items = await readAll(file);
        const expectedRecords = all.flatMap((x, i) => (typeof x === 'string' ? [] : [{ line: i + 1, identifier: x.e, sha1: passwordSha1(x.p) }]));
        const records = items.flatMap((i) => (i.kind === 'record' && i.record.kind === 'exposure' ? [{ line: i.location.line, identifier: i.record.identifier, sha1: i.record.passwordSha1 }] : []));
        assert.deepEqual(records, expectedRecords);
        const quarantined = items.flatMap((i) => (i.kind === 'malformed' ? [i] : []));
        assert.deepEqual(quarantined.map((q) => q.location.line), all.flatMap((x, i) => (typeof x === 'string' ? [i + 1] : [])));
        for (const q of quarantined) assert.ok(q.reason.length > 0 && q.excerpt.length <= 300);
        const secrets = entries.flatMap((x) => (typeof x === 'string' ? [] : [x.p])).filter((p) => p.length >= 8);
        const shown = JSON.stringify(items);
        for (const s of secrets) assert.ok(!shown.includes(JSON.stringify(s).slice(1, -1)), `password ${s} leaked`);
        const locations = items.map((i) => i.location);
        for (let i = 1; i < locations.length; i++) assert.ok(locations[i]!.line > locations[i - 1]!.line);
      },
    ),
    { numRuns: 150 },
  );
});

test('property: arbitrary bytes never make the reader throw, and locations only increase', async () => {
  const dir = scratch;
  let run = 0;
  await fc.assert(
    fc.asyncProperty(fc.uint8Array({ maxLength: 600 }), fc.boolean(), async (bytes, withNewlines) => {
      const data = Buffer.from(bytes);
      if (withNewlines) for (let i = 0; i < data.length; i += 7) data[i] = 10;
      const file = join(dir, `b${run++}.txt`);
      writeFileSync(file, data);
      const items = await readAll(file);
      for (let i = 1; i < items.length; i++) assert.ok(items[i]!.location.offset > items[i - 1]!.location.offset);
      for (const item of items) {
        if (item.kind === 'malformed') assert.ok(item.reason !== '' && item.excerpt.length <= 300);
      }
    }),
    { numRuns: 150 },
  );
});
