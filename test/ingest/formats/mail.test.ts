import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import type { AccountRecord, MessageRecord, ReadItem } from '../../../src/model/records.ts';
import { ingest } from '../../../src/ingest/pipeline.ts';
import { detectFormat } from '../../../src/ingest/formats/registry.ts';
import { eml, mbox, readMail } from '../../../src/ingest/formats/mail.ts';
import { parseMboxSeparator, unquoteFromLine } from '../../../src/ingest/formats/mbox.ts';
import { htmlToPlainText, parseMailDate } from '../../../src/ingest/formats/mail-message.ts';
import { parseQuery } from '../../../src/search/parse.ts';
import { count, openTestStore, temporaryDirectory } from '../../fixtures.ts';
import { assertLocationsIncrease } from './reading.ts';

// ---------- fixtures made by code ----------

type Mail = {
  from?: string;
  to?: string;
  cc?: string;
  bcc?: string;
  subject?: string;
  date?: string;
  id?: string;
  inReplyTo?: string;
  references?: string;
  headers?: string[];
  /** Everything after the headers above: more headers (Content-Type...), a blank line, the body. */
  rest?: string;
  body?: string;
};

/** One RFC 5322 message with LF line ends (what mbox files hold). */
function mail(m: Mail): string {
  const lines = [
    ...(m.headers ?? []),
    m.from === undefined ? undefined : `From: ${m.from}`,
    m.to === undefined ? undefined : `To: ${m.to}`,
    m.cc === undefined ? undefined : `Cc: ${m.cc}`,
    m.bcc === undefined ? undefined : `Bcc: ${m.bcc}`,
    m.subject === undefined ? undefined : `Subject: ${m.subject}`,
    m.date === undefined ? undefined : `Date: ${m.date}`,
    m.id === undefined ? undefined : `Message-ID: <${m.id}>`,
    m.inReplyTo === undefined ? undefined : `In-Reply-To: <${m.inReplyTo}>`,
    m.references === undefined ? undefined : `References: ${m.references}`,
    'MIME-Version: 1.0',
  ].filter((l): l is string => l !== undefined);
  return `${lines.join('\n')}\n${m.rest ?? `Content-Type: text/plain; charset=utf-8\n\n${m.body ?? ''}\n`}`;
}

/** An mbox: each message after a separator, body "From " lines quoted as the variant does. */
function mboxOf(messages: string[], variant: 'mboxo' | 'mboxrd' = 'mboxrd', separator = (i: number) => `From sender${i}@example.org Wed Apr 01 12:34:56 2020`): string {
  // writers end every message with a line end and an empty line before the next separator
  return messages.map((m, i) => `${separator(i)}\n${quoteFrom(m.endsWith('\n') ? m : `${m}\n`, variant)}\n`).join('');
}

function quoteFrom(message: string, variant: 'mboxo' | 'mboxrd'): string {
  return message.split('\n').map((l) => (variant === 'mboxrd' ? l.replace(/^(>*From )/, '>$1') : l.replace(/^From /, '>From '))).join('\n');
}

/** Byte offsets and 1-based lines at which each separator of mboxOf() output starts. */
function separatorLocations(text: string): { line: number; offset: number }[] {
  const out = [];
  let offset = 0;
  let previousEmpty = true;
  for (const [i, line] of text.split('\n').entries()) {
    if (previousEmpty && /^From \S+ \w{3} \w{3} /.test(line)) out.push({ line: i + 1, offset });
    previousEmpty = line === '';
    offset += Buffer.byteLength(line) + 1;
  }
  return out;
}

async function readAll(path: string, maxMessageBytes?: number): Promise<ReadItem[]> {
  const items: ReadItem[] = [];
  const input = { path, from: { line: 1, offset: 0 }, options: {} };
  for await (const item of readMail(input, maxMessageBytes === undefined ? undefined : { maxMessageBytes })) items.push(item);
  return items;
}

function messagesOf(items: ReadItem[]): MessageRecord[] {
  return items.flatMap((i) => (i.kind === 'record' && i.record.kind === 'message' ? [i.record] : []));
}

function write(dir: string, name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/** One folder for the files of every test here: each test names its files apart. */
const dir = temporaryDirectory();

const sha256 = (bytes: Buffer | string): string => createHash('sha256').update(bytes).digest('hex');

// ---------- pure pieces ----------

test('mbox separator lines are read with their envelope sender and date, or refused', () => {
  assert.deepEqual(parseMboxSeparator('From alice@example.org Wed Apr  1 12:34:56 2020'), { text: 'alice@example.org Wed Apr  1 12:34:56 2020', sender: 'alice@example.org', ts: '2020-04-01T12:34:56' });
  assert.equal(parseMboxSeparator('From - Wed Apr 01 12:34:56 2020')?.sender, '-');
  assert.equal(parseMboxSeparator('From 1663829405863718829@xxx Mon Aug 15 17:44:48 +0000 2022')?.ts, '2022-08-15T17:44:48+00:00');
  assert.equal(parseMboxSeparator('From MAILER-DAEMON Fri Jul  8 12:08:34 2011')?.ts, '2011-07-08T12:08:34');
  assert.equal(parseMboxSeparator('From here on we go by train'), undefined);
  assert.equal(parseMboxSeparator('From x Wed Feb 31 12:34:56 2020'), undefined);
  assert.equal(parseMboxSeparator('>From x Wed Apr 01 12:34:56 2020'), undefined);
});

test('Date headers keep the sender zone; obsolete and broken forms are read or refused', () => {
  assert.equal(parseMailDate('Wed, 01 Apr 2020 12:34:56 +0200 (CEST)'), '2020-04-01T12:34:56+02:00');
  assert.equal(parseMailDate('1 Apr 2020 07:05 -0500'), '2020-04-01T07:05:00-05:00');
  assert.equal(parseMailDate('Wed, 1 Apr 20 12:34:56 GMT'), '2020-04-01T12:34:56+00:00');
  assert.equal(parseMailDate('Tue, 31 Mar 1998 23:00:00 PST'), '1998-03-31T23:00:00-08:00');
  assert.equal(parseMailDate('Wed, 01 Apr 2020 12:34:56 CEST'), '2020-04-01T12:34:56');
  assert.equal(parseMailDate('2020-04-01T12:34:56Z'), '2020-04-01T12:34:56Z');
  assert.equal(parseMailDate('yesterday at noon'), undefined);
  assert.equal(parseMailDate('Wed, 32 Apr 2020 12:34:56 +0000'), undefined);
});

test('">From " un-quoting: one level in mboxrd, only the single level in mboxo', () => {
  const un = (line: string, variant: 'mboxo' | 'mboxrd') => unquoteFromLine(Buffer.from(line), variant).toString();
  assert.equal(un('>From here\n', 'mboxo'), 'From here\n');
  assert.equal(un('>From here\n', 'mboxrd'), 'From here\n');
  assert.equal(un('>>From here\n', 'mboxrd'), '>From here\n');
  assert.equal(un('>>From here\n', 'mboxo'), '>>From here\n');
  assert.equal(un('> From here\n', 'mboxrd'), '> From here\n');
});

test('HTML becomes readable text for the index', () => {
  assert.equal(htmlToPlainText('<html><head><style>p{}</style></head><body><p>Hallo&nbsp;Jan,</p><p>de <b>levering</b> &amp; het geld&#8230;<br>morgen</p></body></html>'), 'Hallo Jan,\n\nde levering & het geld…\nmorgen');
});

// ---------- detection ----------

test('detection: mbox by its first separator and headers, .eml by its headers, never CSV or lode-jsonl', () => {
  const box = mboxOf([mail({ from: 'a@x.org', subject: 'x', body: 'y' })]);
  assert.ok(mbox.detect(box, 'Inbox') >= 0.9);
  assert.equal(eml.detect(box, 'Inbox'), 0);
  const single = 'Received: from mx.example.org\nFrom: a@x.org\nSubject: hoi\nDate: Wed, 01 Apr 2020 12:34:56 +0200\n\nbody\n';
  assert.ok(eml.detect(single, 'msg-1.eml') >= 0.9);
  assert.ok(eml.detect(single, 'noname') >= 0.9);
  assert.equal(mbox.detect(single, 'msg-1.eml'), 0);
  assert.equal(detectFormat(single, 'x')?.name, 'eml');
  assert.equal(detectFormat(box, 'Sent')?.name, 'mbox');
  for (const other of ['{"kind":"message","platform":"p","from":"a","body":"x"}\n', 'Date,From,To,Subject\n2020-01-01,a,b,c\n', 'From,To\na,b\n', 'alice@example.org:hunter2\nbob@example.org:secret\n', 'From: nobody\nthis is just text\n']) {
    assert.ok(mbox.detect(other, 'x.csv') < 0.5 && eml.detect(other, 'x.csv') < 0.5, other);
  }
});

// ---------- mbox variants ----------

test('mboxo: quoted ">From " lines are un-quoted, an unquoted "From " body line after a blank line stays body', async () => {
  const first = mail({ from: 'a@x.org', to: 'b@x.org', subject: 'een', date: 'Wed, 01 Apr 2020 10:00:00 +0000', id: 'm1@x', body: 'Hoi,\n\nFrom the start it was wrong.\n>From a quote.\n\nFrom here on we go by train.\nGroet' });
  const second = mail({ from: 'b@x.org', to: 'a@x.org', subject: 'twee', date: 'Wed, 01 Apr 2020 11:00:00 +0000', id: 'm2@x', body: 'ok' });
  // an mboxo writer quotes "From " only; the third body line is written raw to show the ambiguity rule
  const text = mboxOf([first, second], 'mboxo').replace('>From here on', 'From here on');
  const items = await readAll(write(dir, 'mboxo.mbox', text));
  const messages = messagesOf(items);
  assert.equal(messages.length, 2);
  assert.equal(items.filter((i) => i.kind === 'malformed').length, 0);
  assert.match(messages[0]!.body, /\nFrom the start it was wrong\.\nFrom a quote\.\n\nFrom here on we go by train\.\nGroet$/);
  assert.deepEqual(items.filter((i) => i.kind === 'record' && i.record.kind === 'message').map((i) => i.location), separatorLocations(text));
});

test('mboxrd: ">>From " becomes ">From " and ">From " becomes "From "', async () => {
  const body = 'From the top.\n>From a quote.\n>>From deeper.';
  const text = mboxOf([mail({ from: 'a@x.org', subject: 's', id: 'rd@x', body })], 'mboxrd');
  assert.match(text, /\n>>From a quote\.\n>>>From deeper\./);
  const [message] = messagesOf(await readAll(write(dir, 'rd.mbox', text)));
  assert.equal(message!.body, `Subject: s\n\n${body}`);
});

test('Thunderbird folder files: no extension, "From - " separators, X-Mozilla-Status kept and deleted mails flagged', async () => {
  const tb = (status: string, id: string) => mail({
    headers: [`X-Mozilla-Status: ${status}`, 'X-Mozilla-Status2: 00000000', 'X-Mozilla-Keys:                                                                                 '],
    from: '"Jan de Vries" <Jan@Example.NL>', to: 'piet@example.nl', subject: 'afspraak', date: 'Wed, 01 Apr 2020 12:34:56 +0200', id, body: `bericht ${id}`,
  });
  const text = mboxOf([tb('0001', 'tb1@x'), tb('0009', 'tb2@x')], 'mboxo', () => 'From - Wed Apr 01 12:34:56 2020');
  const path = write(dir, 'Inbox', text);
  assert.equal(detectFormat(text, path)?.name, 'mbox');
  const items = await readAll(path);
  const messages = messagesOf(items);
  assert.equal(messages.length, 2);
  assert.equal(messages[0]!.from, 'jan@example.nl');
  assert.equal(messages[0]!.extra?.mozillaStatus, '0001');
  assert.equal(messages[0]!.extra?.mboxSeparator, '- Wed Apr 01 12:34:56 2020');
  assert.equal(messages[0]!.flags, undefined);
  assert.deepEqual(messages[1]!.flags, ['deleted-not-compacted']);
  const accounts = items.filter((i) => i.kind === 'record' && i.record.kind === 'account');
  assert.equal(accounts.length, 1, 'one account record per named sender');
  assert.deepEqual((accounts[0]!.kind === 'record' && accounts[0]!.record) as AccountRecord, { kind: 'account', platform: 'email', handle: 'jan@example.nl', name: 'Jan de Vries' });
  assertLocationsIncrease(items);
});

test('CRLF mailboxes are split the same way, offsets counting both bytes of each line end', async () => {
  const text = mboxOf([
    mail({ from: 'a@x.org', subject: 'een', date: 'Wed, 01 Apr 2020 10:00:00 +0000', id: 'crlf1@x', body: 'regel\n\nFrom here on' }),
    mail({ from: 'b@x.org', subject: 'twee', date: 'Wed, 01 Apr 2020 11:00:00 +0000', id: 'crlf2@x', body: 'tweede' }),
  ]).replace(/\n/g, '\r\n');
  const items = await readAll(write(dir, 'crlf.mbox', text));
  const messages = messagesOf(items);
  assert.deepEqual(messages.map((m) => m.body), ['Subject: een\n\nregel\n\nFrom here on', 'Subject: twee\n\ntweede']);
  const second = text.indexOf('\r\n\r\nFrom sender1@') + 4;
  assert.deepEqual(items.filter((i) => i.kind === 'record').map((i) => i.location), [{ line: 1, offset: 0 }, { line: text.slice(0, second).split('\n').length, offset: second }]);
});

test('a resumed read starts cutting at the top but parses and yields only from the checkpoint on', async () => {
  const text = mboxOf([1, 2, 3].map((n) => mail({ from: 'a@x.org', subject: `r${n}`, date: 'Wed, 01 Apr 2020 10:00:00 +0000', id: `r${n}@x`, body: `${n}` })));
  const path = write(dir, 'resume.mbox', text);
  const from = separatorLocations(text)[1]!;
  const items: ReadItem[] = [];
  for await (const item of readMail({ path, from, options: {} })) items.push(item);
  assert.deepEqual(messagesOf(items).map((m) => m.ref), ['r2@x', 'r3@x']);
});

test('inspect tells the layout, the quoting and how many messages a mailbox holds', async () => {
  const text = 'stray\n\n' + mboxOf([mail({ from: 'a@x.org', subject: 's', body: '>From x' }), 'junk without headers\n', mail({ from: 'b@x.org', subject: 't', body: 'u' })]);
  assert.deepEqual(await mbox.inspect!(write(dir, 'inspect.mbox', text), {}), {
    layout: 'mbox', quoting: 'mboxrd', firstSeparator: 'sender0@example.org Wed Apr 01 12:34:56 2020', messages: 2, withoutHeaders: 1, oversize: 0, strayTextBytes: 7,
  });
  assert.deepEqual(await eml.inspect!(write(dir, 'inspect.eml', mail({ from: 'a@x.org', subject: 's', body: 'b' })), {}), { layout: 'message', messages: 1, withoutHeaders: 0, oversize: 0, strayTextBytes: 0 });
});

test('a "From " line without a date is a separator only when headers follow it, and says so', async () => {
  const first = mail({ from: 'a@x.org', subject: 'een', date: 'Wed, 01 Apr 2020 10:00:00 +0000', id: 'u1@x', body: 'tekst\n\nFrom Amsterdam with love' });
  const second = mail({ from: 'b@x.org', subject: 'twee', date: 'Wed, 01 Apr 2020 11:00:00 +0000', id: 'u2@x', body: 'tweede' });
  const text = `From a@x.org Wed Apr 01 10:00:00 2020\n${first}\nFrom b@x.org\n${second}`;
  const messages = messagesOf(await readAll(write(dir, 'undated-separator.mbox', text)));
  assert.deepEqual(messages.map((m) => m.ref), ['u1@x', 'u2@x']);
  assert.match(messages[0]!.body, /From Amsterdam with love$/);
  assert.deepEqual(messages[1]!.flags, ['mbox-separator-undated']);
  assert.equal(messages[1]!.extra?.mboxSeparator, 'b@x.org');
});

// ---------- MIME, encodings, charsets ----------

test('multipart/alternative with attachments: the text part is the body, attachments are hashed, never kept', async () => {
  const pdf = Buffer.from('%PDF-1.4\n' + 'x'.repeat(500) + '\u0000\u00ff binary', 'latin1');
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 1, 2, 3]);
  const rest = [
    'Content-Type: multipart/mixed; boundary="outer"',
    '',
    'This is a multi-part message in MIME format.',
    '--outer',
    'Content-Type: multipart/alternative; boundary="alt"',
    '',
    '--alt',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'De factuur zit in de bijlage.',
    '--alt',
    'Content-Type: multipart/related; boundary="rel"',
    '',
    '--rel',
    'Content-Type: text/html; charset=utf-8',
    '',
    '<p>De <b>factuur</b> zit in de bijlage.<img src="cid:logo@x"></p>',
    '--rel',
    'Content-Type: image/png',
    'Content-ID: <logo@x>',
    'Content-Transfer-Encoding: base64',
    '',
    png.toString('base64'),
    '--rel--',
    '--alt--',
    '--outer',
    'Content-Type: application/pdf; name="factuur 2020-04.pdf"',
    'Content-Disposition: attachment; filename="factuur 2020-04.pdf"',
    'Content-Transfer-Encoding: base64',
    '',
    pdf.toString('base64').replace(/.{76}/g, '$&\n'),
    '--outer--',
    '',
  ].join('\n');
  const path = write(dir, 'a.eml', mail({ from: 'a@x.org', to: 'b@x.org', subject: 'factuur', date: 'Wed, 01 Apr 2020 12:00:00 +0000', id: 'att@x', rest }));
  const items = await readAll(path);
  assert.equal(items.length, 1);
  assert.deepEqual(items[0]!.location, { line: 1, offset: 0 });
  const [message] = messagesOf(items);
  assert.equal(message!.body, 'Subject: factuur\n\nDe factuur zit in de bijlage.');
  const attachments = [...message!.attachments!].sort((a, b) => (a.mime! < b.mime! ? -1 : 1));
  assert.deepEqual(attachments, [
    { name: 'factuur 2020-04.pdf', mime: 'application/pdf', sha256: sha256(pdf), sizeBytes: pdf.length },
    { name: 'logo@x', mime: 'image/png', sha256: sha256(png), sizeBytes: png.length },
  ]);
  assert.ok(!JSON.stringify(message).includes(pdf.toString('base64').slice(0, 40)), 'no attachment bytes in the record');
});

test('an HTML-only message inside multipart/mixed gets its text from the HTML, flagged', async () => {
  const rest = 'Content-Type: multipart/mixed; boundary="b"\n\n--b\nContent-Type: text/html; charset=utf-8\n\n<div>Laat de <i>auto</i> staan &amp; bel me.</div>\n--b--\n';
  const [message] = messagesOf(await readAll(write(dir, 'h.eml', mail({ from: 'a@x.org', subject: 'h', date: 'Wed, 01 Apr 2020 12:00:00 +0000', rest }))));
  assert.equal(message!.body, 'Subject: h\n\nLaat de auto staan & bel me.');
  assert.deepEqual(message!.flags, ['body-from-html']);
});

test('quoted-printable with soft line breaks, base64 bodies, encoded-word subjects and legacy charsets are decoded', async () => {
  const messages = [
    mail({ from: 'qp@x.org', subject: '=?utf-8?B?w6lsw6h2ZSBlbiBjYWbDqQ==?=', id: 'qp@x', rest: 'Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\nDe overdracht is morgen om tien uur bij het station, neem de koffer met het=\n geld mee. Caf=C3=A9 =3D prima.\n' }),
    mail({ from: 'b64@x.org', subject: '=?iso-8859-1?Q?R=E9sum=E9_f=FCr_J=F6rg?=', id: 'b64@x', rest: `Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n${Buffer.from('Übergabe am Bahnhof, zwölf Uhr.').toString('base64')}\n` }),
    mail({ from: 'cp@x.org', subject: 'cp1252', id: 'cp@x', rest: 'Content-Type: text/plain; charset=windows-1252\nContent-Transfer-Encoding: 8bit\n\nPrijs \x80 500 \x93netto\x94 \x96 caf\xe9\n' }),
    mail({ from: 'koi@x.org', subject: '=?koi8-r?B?8NLJ18XU?=', id: 'koi@x', rest: 'Content-Type: text/plain; charset=koi8-r\nContent-Transfer-Encoding: 8bit\n\n\xf0\xd2\xc9\xd7\xc5\xd4, \xcd\xc9\xd2\n' }),
    mail({ from: 'l2@x.org', subject: 'latin2', id: 'l2@x', rest: 'Content-Type: text/plain; charset=iso-8859-2\nContent-Transfer-Encoding: 8bit\n\nZa\xbf\xf3\xb3\xe6 g\xea\xb6l\xb1 ja\xbc\xf1\n' }),
  ];
  const path = write(dir, 'enc.mbox', Buffer.from(mboxOf(messages), 'latin1'));
  const byId = new Map(messagesOf(await readAll(path)).map((m) => [m.ref, m]));
  assert.equal(byId.get('qp@x')!.body, 'Subject: élève en café\n\nDe overdracht is morgen om tien uur bij het station, neem de koffer met het geld mee. Café = prima.');
  assert.equal(byId.get('b64@x')!.body, 'Subject: Résumé für Jörg\n\nÜbergabe am Bahnhof, zwölf Uhr.');
  assert.equal(byId.get('cp@x')!.body, 'Subject: cp1252\n\nPrijs € 500 “netto” – café');
  assert.equal(byId.get('koi@x')!.body, 'Subject: Привет\n\nПривет, мир');
  assert.equal(byId.get('l2@x')!.body, 'Subject: latin2\n\nZażółć gęślą jaźń');
});

// ---------- mapping ----------

test('addresses, recipients, evidence headers and the time with its zone are mapped', async () => {
  const text = mboxOf([mail({
    headers: [
      'Return-Path: <bounce@relay.example>',
      'Received: from mx2.example.nl (mx2.example.nl [192.0.2.7]) by inbound.example.nl; Wed, 01 Apr 2020 12:35:10 +0200',
      'Received: from [10.0.0.5] (unknown [198.51.100.23])\n\tby mx2.example.nl with ESMTPSA; Wed, 01 Apr 2020 12:35:01 +0200',
      'X-Originating-IP: [198.51.100.23]',
      'X-Mailer: Microsoft Outlook 16.0',
      'Reply-To: other@elsewhere.example',
    ],
    from: '=?utf-8?Q?Bj=C3=B6rn_K?= <Bjorn@Example.COM>', to: 'Piet <PIET@example.nl>, jan@example.nl', cc: 'Jan@Example.nl, kees@example.nl', bcc: 'geheim@example.nl',
    subject: 'levering', date: 'Wed, 01 Apr 2020 12:34:56 +0200 (CEST)', id: 'map@x', body: 'tekst',
  })]);
  const items = await readAll(write(dir, 'map.mbox', text));
  const [message] = messagesOf(items);
  assert.equal(message!.platform, 'email');
  assert.equal(message!.from, 'bjorn@example.com');
  assert.deepEqual(message!.to, ['piet@example.nl', 'jan@example.nl', 'kees@example.nl', 'geheim@example.nl']);
  assert.equal(message!.ts, '2020-04-01T12:34:56+02:00');
  assert.equal(message!.ref, 'map@x');
  assert.equal(message!.group, 'thread:map@x');
  assert.deepEqual(message!.extra, {
    fromName: 'Björn K', cc: ['jan@example.nl', 'kees@example.nl'], bcc: ['geheim@example.nl'],
    received: { hops: 2, last: 'from mx2.example.nl (mx2.example.nl [192.0.2.7]) by inbound.example.nl; Wed, 01 Apr 2020 12:35:10 +0200', first: 'from [10.0.0.5] (unknown [198.51.100.23]) by mx2.example.nl with ESMTPSA; Wed, 01 Apr 2020 12:35:01 +0200' },
    returnPath: '<bounce@relay.example>', replyTo: 'other@elsewhere.example', xOriginatingIp: '[198.51.100.23]', mailer: 'Microsoft Outlook 16.0',
    mboxSeparator: 'sender0@example.org Wed Apr 01 12:34:56 2020',
  });
  const account = items.find((i) => i.kind === 'record' && i.record.kind === 'account')!;
  assert.deepEqual(account.kind === 'record' && account.record, { kind: 'account', platform: 'email', handle: 'bjorn@example.com', name: 'Björn K' });
  const fromLine = text.split('\n').findIndex((l) => l.startsWith('From: '));
  assert.deepEqual(account.location, { line: fromLine + 1, offset: Buffer.byteLength(text.split('\n').slice(0, fromLine).join('\n')) + 1 + 5 });
});

test('missing or unreadable dates fall back to the separator, else stay unknown; a mail without sender is kept', async () => {
  const text = mboxOf([
    mail({ from: 'a@x.org', subject: 'geen datum', id: 'd1@x', body: '1' }),
    mail({ from: 'a@x.org', subject: 'kapotte datum', date: 'gisteren', id: 'd2@x', body: '2' }),
    mail({ subject: 'geen afzender', date: 'Wed, 01 Apr 2020 12:00:00 +0000', id: 'd3@x', body: '3' }),
    mail({ from: 'Undisclosed', subject: 'naam zonder adres', date: 'Wed, 01 Apr 2020 12:00:00 +0000', id: 'd4@x', body: '4' }),
  ], 'mboxrd', (i) => `From sender@x.org Thu Apr 02 0${i}:00:00 2020`);
  const messages = messagesOf(await readAll(write(dir, 'dates.mbox', text)));
  assert.equal(messages[0]!.ts, '2020-04-02T00:00:00');
  assert.deepEqual(messages[0]!.flags, ['date-from-mbox-separator']);
  assert.equal(messages[1]!.ts, '2020-04-02T01:00:00');
  assert.deepEqual(messages[1]!.flags, ['date-header-unreadable', 'date-from-mbox-separator']);
  assert.equal(messages[1]!.extra?.dateHeader, 'gisteren');
  assert.equal(messages[2]!.from, '(no sender)');
  assert.deepEqual(messages[2]!.flags, ['no-sender']);
  assert.equal(messages[3]!.from, '(no sender)');
  assert.equal(messages[3]!.extra?.fromHeader, 'Undisclosed');
  const undated = messagesOf(await readAll(write(dir, 'undated.eml', mail({ from: 'a@x.org', subject: 'x', body: 'y' }))));
  assert.equal(undated[0]!.ts, undefined);
  assert.deepEqual(undated[0]!.flags, ['no-date']);
});

// ---------- quarantine ----------

test('a broken message, an oversize message and text before the first separator are quarantined; the others are kept', async () => {
  const good = (n: number) => mail({ from: 'a@x.org', subject: `goed ${n}`, date: 'Wed, 01 Apr 2020 12:00:00 +0000', id: `g${n}@x`, body: `bericht ${n}` });
  const big = mail({ from: 'a@x.org', subject: 'groot', id: 'big@x', body: 'x'.repeat(5000) });
  const boxText = 'garbage that is no mail\n\n' + mboxOf([good(1), '\u0000\u0001 binary junk, no headers\nat all\n', good(2), big, good(3)]);
  const items = await readAll(write(dir, 'broken.mbox', boxText), 4096);
  assert.deepEqual(messagesOf(items).map((m) => m.ref), ['g1@x', 'g2@x', 'g3@x']);
  const bad = items.filter((i) => i.kind === 'malformed');
  assert.equal(bad.length, 3);
  const separators = separatorLocations(boxText);
  assert.deepEqual(bad.map((b) => b.location), [{ line: 1, offset: 0 }, separators[1], separators[3]]);
  assert.match(bad[0]!.kind === 'malformed' ? bad[0]!.reason : '', /bytes before the first mbox 'From ' separator/);
  assert.match(bad[1]!.kind === 'malformed' ? bad[1]!.reason : '', /not a mail message: no header lines after the mbox 'From ' separator/);
  assert.match(bad[2]!.kind === 'malformed' ? bad[2]!.reason : '', /message too large \(\d+ bytes, limit 4096\)/);
  for (const b of bad) assert.ok(b.kind === 'malformed' && b.excerpt.length <= 300);
  assertLocationsIncrease(items);
});

// ---------- end to end ----------

test('end to end: an mbox and an .eml are ingested with provenance, searchable, threaded, and a second run adds nothing', async () => {
  const storeDir = temporaryDirectory();
  const store = openTestStore(storeDir);
  const root = mail({ from: 'Mo <mo@example.nl>', to: 'tapeworm@example.nl', subject: 'de levering', date: 'Wed, 01 Apr 2020 10:00:00 +0200', id: 'root@x', rest: 'Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\nDe kilo ligt klaar bij de loods aan de Havenstraat, kom vanavond na tien=\n uur met de bestelbus.\n' });
  const reply = mail({ from: 'tapeworm@example.nl', to: 'mo@example.nl', subject: 'Re: de levering', date: 'Wed, 01 Apr 2020 10:05:00 +0200', id: 'reply@x', inReplyTo: 'root@x', references: '<root@x>', body: 'ok, ik neem het geld mee' });
  const third = mail({ from: 'mo@example.nl', to: 'tapeworm@example.nl', cc: 'ghost@example.nl', subject: 'Re: Re: de levering', date: 'Wed, 01 Apr 2020 10:09:00 +0200', id: 'third@x', inReplyTo: 'reply@x', references: '<root@x> <reply@x>', body: 'prima' });
  const other = mail({ from: 'ghost@example.nl', to: 'mo@example.nl', subject: 'los', date: 'Thu, 02 Apr 2020 09:00:00 +0200', id: 'other@x', body: 'iets anders' });
  const boxText = mboxOf([root, reply, third]);
  const box = write(dir, 'Inbox.mbox', boxText);
  // the same reply again in a second mailbox (the sender's Sent folder), next to a new mail
  const sent = write(dir, 'Sent', mboxOf([reply, other], 'mboxo', () => 'From - Thu Apr 02 09:00:00 2020'));
  const single = write(dir, 'los.eml', mail({ headers: ['Received: from mx.example.nl by in.example.nl; Fri, 03 Apr 2020 08:00:00 +0200'], from: 'kees@example.nl', to: 'mo@example.nl', subject: 'eml', date: 'Fri, 03 Apr 2020 08:00:00 +0200', id: 'eml@x', body: 'losse mail' }));

  const report = await ingest({ store, paths: [box, sent, single], dataset: 'mail' });
  assert.deepEqual(report.sources.map((s) => s.format), ['mbox', 'mbox', 'eml']);
  assert.equal(report.messages, 5);
  assert.equal(report.duplicates, 1);
  assert.equal(report.quarantined, 0);
  assert.equal(await count(store, 'SELECT count(*) AS n FROM messages'), 5);

  const found = await store.search({ ast: parseQuery('bestelbus'), limit: 10, offset: 0, sort: 'newest', facets: false });
  assert.equal(found.total, 1);
  assert.equal(found.hits[0]!.ref, 'root@x');
  assert.equal(found.hits[0]!.from, 'mo@example.nl');
  assert.equal(found.hits[0]!.ts, '2020-04-01T08:00:00.000Z');
  assert.equal(store.db.prepare(`SELECT ts FROM messages WHERE ref = 'root@x'`).get()?.ts, '2020-04-01T10:00:00+02:00', 'the sender zone is kept');

  const rows = store.db.prepare(`SELECT ref, line, byte_offset, conversation_id FROM messages WHERE ref IN ('root@x', 'reply@x', 'third@x') ORDER BY ts_ms`).all();
  const locations = separatorLocations(boxText);
  assert.deepEqual(rows.map((r) => [r.ref, r.line, r.byte_offset]), [['root@x', locations[0]!.line, locations[0]!.offset], ['reply@x', locations[1]!.line, locations[1]!.offset], ['third@x', locations[2]!.line, locations[2]!.offset]]);
  assert.equal(new Set(rows.map((r) => r.conversation_id)).size, 1, 'a thread of three is one conversation');
  assert.deepEqual({ ...store.db.prepare(`SELECT line, byte_offset FROM messages WHERE ref = 'eml@x'`).get() }, { line: 1, byte_offset: 0 });
  assert.equal(store.db.prepare(`SELECT name FROM accounts WHERE handle = 'mo@example.nl'`).get()?.name, 'Mo');

  const again = await ingest({ store, paths: [box, sent, single], dataset: 'mail' });
  assert.equal(again.messages, 0);
  assert.deepEqual(again.sources.map((s) => s.status), ['already-ingested', 'already-ingested', 'already-ingested']);
  assert.equal(await count(store, 'SELECT count(*) AS n FROM messages'), 5);
});

test('end to end: broken messages land in the quarantine with their location', async () => {
  const storeDir = temporaryDirectory();
  const store = openTestStore(storeDir);
  const good = (n: number) => mail({ from: 'a@x.org', subject: `s${n}`, date: 'Wed, 01 Apr 2020 12:00:00 +0000', id: `q${n}@x`, body: `b${n}` });
  const text = mboxOf([good(1), 'no headers here, only junk\n', good(2)]);
  const report = await ingest({ store, paths: [write(dir, 'q.mbox', text)], dataset: 'q' });
  assert.equal(report.messages, 2);
  assert.equal(report.quarantined, 1);
  const quarantine = await store.quarantine({ limit: 10, offset: 0 });
  assert.equal(quarantine.entries[0]!.line, separatorLocations(text)[1]!.line);
  assert.match(quarantine.entries[0]!.reason, /not a mail message/);
});

// ---------- property ----------

test('property: random bodies and garbage between messages never throw, never lose a message', async () => {
  const line = fc.string({ unit: fc.constantFrom('a', 'b', ' ', '>', 'F', 'r', 'o', 'm', ':', '=', '\r', '\t', 'é', '\u0000', 'From ', '>From ', '--', '<', '\n'), maxLength: 40 });
  const body = fc.array(line, { maxLength: 8 }).map((ls) => ls.join('\n'));
  const piece = fc.oneof(
    { weight: 3, arbitrary: body.map((b) => ({ kind: 'mail' as const, body: b })) },
    { weight: 1, arbitrary: body.map((b) => ({ kind: 'junk' as const, body: `@@ not a header\n${b}` })) },
  );
  let run = 0;
  await fc.assert(fc.asyncProperty(fc.array(piece, { minLength: 1, maxLength: 8 }), fc.constantFrom<'mboxo' | 'mboxrd'>('mboxo', 'mboxrd'), async (pieces, variant) => {
    const texts = pieces.map((p, i) => (p.kind === 'mail' ? mail({ from: `u${i}@x.org`, subject: `p${i}`, date: 'Wed, 01 Apr 2020 12:00:00 +0000', id: `p${i}@x`, body: p.body }) : p.body));
    const path = write(dir, `p${run++}.mbox`, mboxOf(texts, variant));
    const items = await readAll(path);
    assertLocationsIncrease(items);
    const refs = messagesOf(items).map((m) => m.ref);
    const expected = pieces.flatMap((p, i) => (p.kind === 'mail' ? [`p${i}@x`] : []));
    for (const ref of expected) assert.ok(refs.includes(ref), `message ${ref} kept`);
    for (const item of items) {
      if (item.kind === 'malformed') {
        assert.ok(item.reason.length > 0 && item.excerpt.length <= 300 && item.location.line >= 1);
      }
    }
  }), { numRuns: 150 });
});

test('property: arbitrary bytes never throw out of the reader', async () => {
  let run = 0;
  await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 2000 }), fc.boolean(), async (bytes, asMbox) => {
    const content = Buffer.concat([Buffer.from(asMbox ? 'From x Wed Apr 01 12:34:56 2020\nFrom: a@x.org\n' : 'From: a@x.org\n'), Buffer.from(bytes)]);
    const items = await readAll(write(dir, `b${run++}`, content));
    assertLocationsIncrease(items);
    assert.ok(items.length >= 1);
  }), { numRuns: 200 });
});

