import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import type { GroupRecord, MessageRecord, ReadItem } from '../../../src/model/records.ts';
import { ingest } from '../../../src/ingest/pipeline.ts';
import { parseQuery } from '../../../src/search/parse.ts';
import { detectFormat } from '../../../src/ingest/formats/registry.ts';
import { chatNameOfPath, whatsapp } from '../../../src/ingest/formats/whatsapp.ts';
import { EXPORT_LAYOUTS, writeWhatsAppExport } from '../../../bench/whatsapp-export.ts';
import { count, openTestStore, temporaryDirectory } from '../../fixtures.ts';
import { assertLocationsIncrease } from './reading.ts';

const LRM = '\u200e';
const NNBSP = '\u202f';

type ExportOptions = { bom?: boolean; crlf?: boolean };

function writeExport(dir: string, name: string, lines: readonly string[], options: ExportOptions = {}): string {
  const path = join(dir, name);
  const text = lines.join(options.crlf ? '\r\n' : '\n') + (options.crlf ? '\r\n' : '\n');
  writeFileSync(path, (options.bom ? '\ufeff' : '') + text);
  return path;
}

async function readAll(path: string): Promise<ReadItem[]> {
  const items: ReadItem[] = [];
  for await (const item of whatsapp.read({ path, from: { line: 0, offset: 0 }, options: {} })) items.push(item);
  return items;
}

function messagesOf(items: readonly ReadItem[]): MessageRecord[] {
  return items.flatMap((i) => (i.kind === 'record' && i.record.kind === 'message' ? [i.record] : []));
}

function malformedOf(items: readonly ReadItem[]): Extract<ReadItem, { kind: 'malformed' }>[] {
  return items.flatMap((i) => (i.kind === 'malformed' ? [i] : []));
}

function groupOf(items: readonly ReadItem[]): GroupRecord | undefined {
  for (const i of items) if (i.kind === 'record' && i.record.kind === 'group') return i.record;
  return undefined;
}

const summary = (m: MessageRecord) => [m.ts, m.from, m.body];

test('every layout and locale the field meets is read: time, sender and text', async () => {
  const dir = temporaryDirectory();
  const cases: { name: string; lines: string[]; expected: (string | undefined)[][] }[] = [
    {
      name: 'Android nl (dashes, no comma)',
      lines: ['01-04-2020 12:34 - Jan: hoi', '13-04-2020 09:05 - Piet: alles goed?'],
      expected: [['2020-04-01T12:34:00', 'Jan', 'hoi'], ['2020-04-13T09:05:00', 'Piet', 'alles goed?']],
    },
    {
      name: 'Android en-US (m/d/yy, 12-hour clock, U+202F before PM)',
      lines: [`4/1/20, 1:05${NNBSP}PM - Alice: lunch?`, `4/13/20, 12:10${NNBSP}AM - Bob: late`, '4/13/20, 12:30 PM - Alice: noon'],
      expected: [['2020-04-01T13:05:00', 'Alice', 'lunch?'], ['2020-04-13T00:10:00', 'Bob', 'late'], ['2020-04-13T12:30:00', 'Alice', 'noon']],
    },
    {
      name: 'Android en-GB (dd/mm/yyyy, 24-hour clock)',
      lines: ['01/04/2020, 12:34 - Alice: tea', '13/04/2020, 23:59 - Bob: night'],
      expected: [['2020-04-01T12:34:00', 'Alice', 'tea'], ['2020-04-13T23:59:00', 'Bob', 'night']],
    },
    {
      name: 'Android de (dd.mm.yy)',
      lines: ['01.04.20, 12:34 - Jürgen: Hallo', '13.04.20, 08:00 - Uwe: Moin'],
      expected: [['2020-04-01T12:34:00', 'Jürgen', 'Hallo'], ['2020-04-13T08:00:00', 'Uwe', 'Moin']],
    },
    {
      name: 'Android fr (à between date and time)',
      lines: ['01/04/2020 à 12:34 - Luc: salut', '13/04/2020 à 18:00 - Zoé: ça va'],
      expected: [['2020-04-01T12:34:00', 'Luc', 'salut'], ['2020-04-13T18:00:00', 'Zoé', 'ça va']],
    },
    {
      name: 'Android es (d/m/yy, "a. m." / "p. m.")',
      lines: ['1/4/20, 1:05 p. m. - Ana: hola', `13/4/20, 9:15${NNBSP}a. m. - Luis: buenas`, '14/4/20, 12:00 a.m. - Ana: medianoche'],
      expected: [['2020-04-01T13:05:00', 'Ana', 'hola'], ['2020-04-13T09:15:00', 'Luis', 'buenas'], ['2020-04-14T00:00:00', 'Ana', 'medianoche']],
    },
    {
      name: 'Android with "p.m." and seconds-free en-IN style',
      lines: ['13/04/2020, 1:05 p.m. - Ravi: namaste', '14/04/2020, 11:59 a.m. - Ravi: again'],
      expected: [['2020-04-13T13:05:00', 'Ravi', 'namaste'], ['2020-04-14T11:59:00', 'Ravi', 'again']],
    },
    {
      name: 'iOS bracketed, with seconds and a leading U+200E',
      lines: ['[01/04/2020, 12:34:56] Alice: hi', `${LRM}[13/04/2020, 08:00:01] Bob: ${LRM}<attached: 00000012-PHOTO-2020-04-13-08-00-01.jpg>`],
      expected: [['2020-04-01T12:34:56', 'Alice', 'hi'], ['2020-04-13T08:00:01', 'Bob', `${LRM}<attached: 00000012-PHOTO-2020-04-13-08-00-01.jpg>`]],
    },
    {
      name: 'iOS en-US (12-hour clock)',
      lines: [`[4/13/20, 1:05:09${NNBSP}PM] Alice: yo`],
      expected: [['2020-04-13T13:05:09', 'Alice', 'yo']],
    },
    {
      name: 'iOS de (dd.mm.yy, no comma)',
      lines: ['[13.04.20 12:34:56] Jürgen: Hallo'],
      expected: [['2020-04-13T12:34:56', 'Jürgen', 'Hallo']],
    },
    {
      name: 'year first (2020-04-01)',
      lines: ['2020-04-01, 12:34 - Sven: hej'],
      expected: [['2020-04-01T12:34:00', 'Sven', 'hej']],
    },
  ];
  for (const [i, c] of cases.entries()) {
    const items = await readAll(writeExport(dir, `case-${i}.txt`, c.lines));
    assert.deepEqual(malformedOf(items), [], c.name);
    assert.deepEqual(messagesOf(items).map(summary), c.expected, c.name);
    for (const m of messagesOf(items)) assert.equal(m.platform, 'whatsapp');
  }
});

test('bidi marks are stripped from names but kept in the text; BOM and CRLF do not disturb offsets', async () => {
  const dir = temporaryDirectory();
  const lines = [
    `01/04/2020, 12:34 - \u202a+31 6 12345678\u202c: ${LRM}bel me`,
    `[13/04/2020, 12:35:00] ${LRM}Sanne${LRM}: ${LRM}image omitted`,
  ];
  const path = writeExport(dir, 'marks.txt', lines, { bom: true, crlf: true });
  const items = await readAll(path);
  const [first, second] = messagesOf(items);
  assert.equal(first!.from, '+31 6 12345678');
  assert.equal(first!.body, `${LRM}bel me`);
  assert.equal(second!.from, 'Sanne');
  assert.equal(second!.body, `${LRM}image omitted`);
  assert.deepEqual(second!.attachments, [{ name: undefined, mime: 'image/*' }]);
  assert.deepEqual(items.map((i) => i.location), [
    { line: 1, offset: 0 },
    { line: 2, offset: 3 + Buffer.byteLength(lines[0]!) + 2 },
  ]);
});

test('continuation lines belong to the message before them, which is located at its first line', async () => {
  const dir = temporaryDirectory();
  const path = writeExport(dir, 'multi.txt', [
    '13/04/2020, 10:00 - Jan: eerste regel',
    'tweede regel',
    '',
    'na een lege regel',
    '2020 was een raar jaar',
    '13/04/2020, 10:01 - Piet: ok',
    '',
  ]);
  const items = await readAll(path);
  assert.deepEqual(messagesOf(items).map((m) => m.body), ['eerste regel\ntweede regel\n\nna een lege regel\n2020 was een raar jaar', 'ok']);
  assert.deepEqual(items.map((i) => i.location.line), [1, 6]);
  assert.deepEqual(malformedOf(items), []);
});

test('system notices of every locale become messages from the actor (or "system"), flagged and marked', async () => {
  const dir = temporaryDirectory();
  const cases: [string, string, string, Record<string, unknown>][] = [
    // [line text after the timestamp, expected from, expected notice kind, more expected extra]
    ['Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them. Tap to learn more.', 'system', 'encryption', {}],
    ['Alice created group "Zuid Crew"', 'Alice', 'created', { subject: 'Zuid Crew' }],
    ['Alice added Bob', 'Alice', 'added', { target: 'Bob' }],
    ['Bob left', 'Bob', 'left', {}],
    ['Alice changed the subject from "Zuid" to "Zuid Crew: 2.0"', 'Alice', 'subject', { subject: 'Zuid Crew: 2.0' }],
    ["Alice changed this group's icon", 'Alice', 'icon', {}],
    ['Your security code with Bob changed. Tap to learn more.', 'system', 'security-code', { target: 'Bob' }],
    ['You added Carol', 'system', 'added', { bySelf: true, target: 'Carol' }],
    ['Berichten en oproepen worden end-to-end versleuteld. Niemand buiten deze chat, zelfs WhatsApp niet, kan ze lezen of beluisteren.', 'system', 'encryption', {}],
    ['Jan heeft groep "Zuid Crew" gemaakt', 'Jan', 'created', { subject: 'Zuid Crew' }],
    ['Jan heeft Piet toegevoegd', 'Jan', 'added', { target: 'Piet' }],
    ['Piet is vertrokken', 'Piet', 'left', {}],
    ['Jan heeft het onderwerp gewijzigd van "A" naar "B"', 'Jan', 'subject', { subject: 'B' }],
    ['Jan heeft het pictogram van deze groep gewijzigd', 'Jan', 'icon', {}],
    ['Je beveiligingscode met Piet is gewijzigd. Tik voor meer info.', 'system', 'security-code', { target: 'Piet' }],
    ['Nachrichten und Anrufe sind Ende-zu-Ende-verschlüsselt. Niemand außerhalb dieses Chats kann sie lesen.', 'system', 'encryption', {}],
    ['Uwe hat die Gruppe „Zuid Crew“ erstellt', 'Uwe', 'created', { subject: 'Zuid Crew' }],
    ['Uwe hat Jürgen hinzugefügt', 'Uwe', 'added', { target: 'Jürgen' }],
    ['Jürgen hat die Gruppe verlassen', 'Jürgen', 'left', {}],
    ['Uwe hat das Gruppenbild geändert', 'Uwe', 'icon', {}],
    ['Les messages et les appels sont chiffrés de bout en bout. Aucun tiers ne peut les lire.', 'system', 'encryption', {}],
    ['Luc a créé le groupe « Zuid Crew »', 'Luc', 'created', { subject: 'Zuid Crew' }],
    ['Luc a ajouté Zoé', 'Luc', 'added', { target: 'Zoé' }],
    ['Zoé est partie', 'Zoé', 'left', {}],
    ["Luc a changé l'icône de ce groupe", 'Luc', 'icon', {}],
    ['Votre code de sécurité avec Zoé a changé. Appuyez pour en savoir plus.', 'system', 'security-code', { target: 'Zoé' }],
    ['Los mensajes y las llamadas están cifrados de extremo a extremo. Nadie fuera de este chat puede leerlos.', 'system', 'encryption', {}],
    ['Ana creó el grupo “Zuid Crew”', 'Ana', 'created', { subject: 'Zuid Crew' }],
    ['Ana añadió a Luis', 'Ana', 'added', { target: 'Luis' }],
    ['Luis salió del grupo', 'Luis', 'left', {}],
    ['Creaste el grupo “Otro”', 'system', 'created', { bySelf: true, subject: 'Otro' }],
    ['Ana cambió el asunto de “A” a “B”', 'Ana', 'subject', { subject: 'B' }],
  ];
  const lines = cases.map(([text], i) => `${13 + (i % 15)}/04/2020, 10:${String(i).padStart(2, '0')} - ${text}`);
  const items = await readAll(writeExport(dir, 'notices.txt', lines));
  assert.deepEqual(malformedOf(items), []);
  const messages = messagesOf(items);
  assert.equal(messages.length, cases.length);
  for (const [i, [text, from, notice, more]] of cases.entries()) {
    const m = messages[i]!;
    assert.equal(m.from, from, text);
    assert.equal(m.body, text);
    assert.deepEqual(m.flags, ['date-order:dmy', 'whatsapp-system-notice'], text);
    assert.deepEqual(m.extra, { dateOrder: 'dmy', system: true, notice, ...more }, text);
  }
  // a message whose text reads like a notice stays a message
  const quoted = messagesOf(await readAll(writeExport(dir, 'not-a-notice.txt', ['13/04/2020, 10:00 - Bob: Alice left', '13/04/2020, 10:01 - Bob: something else'])));
  assert.deepEqual(quoted.map((m) => [m.from, m.body, m.extra?.system]), [['Bob', 'Alice left', undefined], ['Bob', 'something else', undefined]]);
});

test('iOS notices: led by U+200E, or shown after the chat name', async () => {
  const dir = temporaryDirectory();
  const items = await readAll(writeExport(dir, '_chat.txt', [
    `[13/04/2020, 10:00:00] Zuid Crew: ${LRM}Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them.`,
    `[13/04/2020, 10:00:01] ${LRM}Alice created group “Zuid Crew”`,
    `[13/04/2020, 10:00:02] ${LRM}Alice added Bob`,
    `[13/04/2020, 10:00:03] Bob: ${LRM}This message was deleted.`,
    '[13/04/2020, 10:00:04] Carol: hoi',
  ]));
  const messages = messagesOf(items);
  assert.deepEqual(messages.map((m) => [m.from, m.extra?.notice ?? null]), [
    ['system', 'encryption'], ['Alice', 'created'], ['Alice', 'added'], ['Bob', 'deleted'], ['Carol', null],
  ]);
  assert.equal(messages[0]!.extra?.shownAs, 'Zuid Crew');
  // the encryption notice's "sender" is the chat, not a participant
  assert.deepEqual(messages[4]!.to, ['Bob']);
  // `_chat.txt` does not name the chat; the group's own subject does
  assert.equal(groupOf(items)?.ref, 'Zuid Crew');
});

test('deleted messages of every locale are flagged "deleted" and keep their sender', async () => {
  const dir = temporaryDirectory();
  const texts = ['This message was deleted', 'You deleted this message', 'Dit bericht is verwijderd', 'Je hebt dit bericht verwijderd',
    'Diese Nachricht wurde gelöscht', 'Du hast diese Nachricht gelöscht', 'Ce message a été supprimé', 'Vous avez supprimé ce message',
    'Se eliminó este mensaje', 'Eliminaste este mensaje'];
  const items = await readAll(writeExport(dir, 'deleted.txt', texts.map((t, i) => `13/04/2020, 11:${String(i).padStart(2, '0')} - Bob: ${t}`)));
  for (const m of messagesOf(items)) {
    assert.equal(m.from, 'Bob');
    assert.deepEqual(m.flags, ['date-order:dmy', 'whatsapp-system-notice', 'deleted'], m.body);
    assert.equal(m.extra?.notice, 'deleted');
  }
  assert.deepEqual(messagesOf(items).map((m) => m.extra?.bySelf === true), texts.map((_, i) => i % 2 === 1));
});

test('omitted and attached media of every locale become attachments', async () => {
  const dir = temporaryDirectory();
  const cases: [string, Record<string, unknown>][] = [
    ['<Media omitted>', {}], ['<Media weggelaten>', {}], ['<Medien ausgeschlossen>', {}], ['<Multimedia omitido>', {}], ['<Médias omis>', {}],
    [`${LRM}image omitted`, { mime: 'image/*' }], [`${LRM}video weggelaten`, { mime: 'video/*' }], [`${LRM}Bild weggelassen`, { mime: 'image/*' }],
    [`${LRM}<attached: 00000012-PHOTO-2020-04-01-12-34-56.jpg>`, { name: '00000012-PHOTO-2020-04-01-12-34-56.jpg', mime: 'image/jpeg' }],
    ['IMG-20200401-WA0001.jpg (file attached)', { name: 'IMG-20200401-WA0001.jpg', mime: 'image/jpeg' }],
    ['PTT-20200401-WA0002.opus (bestand bijgevoegd)', { name: 'PTT-20200401-WA0002.opus', mime: 'audio/ogg' }],
    ['VID-20200401-WA0003.mp4 (Datei angehängt)', { name: 'VID-20200401-WA0003.mp4', mime: 'video/mp4' }],
    ['Factuur april.pdf (archivo adjunto)', { name: 'Factuur april.pdf', mime: 'application/pdf' }],
    ['IMG-20200401-WA0004.jpg (fichier joint)', { name: 'IMG-20200401-WA0004.jpg', mime: 'image/jpeg' }],
  ];
  const items = await readAll(writeExport(dir, 'media.txt', cases.map(([t], i) => `13/04/2020, 12:${String(i).padStart(2, '0')} - Bob: ${t}`)));
  const messages = messagesOf(items);
  assert.equal(messages.length, cases.length);
  for (const [i, [text, attachment]] of cases.entries()) {
    assert.equal(messages[i]!.body, text);
    assert.deepEqual(messages[i]!.attachments, [{ name: undefined, mime: undefined, ...attachment }], text);
  }
  assert.equal(messages[0]!.extra?.mediaOmitted, true);
  assert.equal(messages[9]!.extra?.mediaOmitted, undefined);
});

test('an attachment whose file sits next to the export gets its SHA-256 and size; a caption stays the body', async () => {
  const dir = temporaryDirectory();
  const photo = Buffer.from('not really a jpeg, but bytes all the same');
  writeFileSync(join(dir, 'IMG-20200401-WA0001.jpg'), photo);
  const items = await readAll(writeExport(dir, 'WhatsApp Chat with Bob.txt', [
    '13/04/2020, 12:00 - Bob: IMG-20200401-WA0001.jpg (file attached)',
    'kijk dit',
    '13/04/2020, 12:01 - Bob: IMG-20200401-WA0009.jpg (file attached)',
    '13/04/2020, 12:02 - Bob: ../../etc/passwd.jpg (file attached)',
  ]));
  const [present, missing, outside] = messagesOf(items);
  assert.deepEqual(present!.attachments, [{
    name: 'IMG-20200401-WA0001.jpg', mime: 'image/jpeg', sha256: createHash('sha256').update(photo).digest('hex'), sizeBytes: photo.length,
  }]);
  assert.equal(present!.body, 'IMG-20200401-WA0001.jpg (file attached)\nkijk dit');
  assert.deepEqual(missing!.attachments, [{ name: 'IMG-20200401-WA0009.jpg', mime: 'image/jpeg' }]);
  // a name that is a path is text from the export: never followed outside the folder
  assert.deepEqual(outside!.attachments, undefined);
  assert.equal(outside!.body, '../../etc/passwd.jpg (file attached)');
});

test('an ambiguous day/month order is resolved from the whole file and recorded on every message', async () => {
  const dir = temporaryDirectory();
  const read = async (name: string, lines: string[]) => messagesOf(await readAll(writeExport(dir, name, lines)));
  // one date with a field over 12 decides, even at the end of the file
  const dayFirst = await read('dmy.txt', ['01/02/2020, 10:00 - A: x', '02/02/2020, 10:00 - B: y', '13/02/2020, 10:00 - A: z']);
  assert.deepEqual(dayFirst.map((m) => m.ts), ['2020-02-01T10:00:00', '2020-02-02T10:00:00', '2020-02-13T10:00:00']);
  assert.deepEqual(dayFirst[0]!.flags, ['date-order:dmy']);
  assert.deepEqual(dayFirst[0]!.extra, { dateOrder: 'dmy' });
  const monthFirst = await read('mdy.txt', ['01/02/2020, 10:00 - A: x', '02/02/2020, 10:00 - B: y', '02/13/2020, 10:00 - A: z']);
  assert.deepEqual(monthFirst.map((m) => m.ts), ['2020-01-02T10:00:00', '2020-02-02T10:00:00', '2020-02-13T10:00:00']);
  assert.deepEqual(monthFirst[1]!.flags, ['date-order:mdy']);
  // all fields <= 12: the order in which time runs forward decides, both ways
  const forwardDayFirst = await read('time-dmy.txt', ['05/03/2020, 10:00 - A: x', '06/03/2020, 10:00 - B: y', '01/04/2020, 10:00 - A: z']);
  assert.deepEqual(forwardDayFirst.map((m) => m.ts!.slice(0, 10)), ['2020-03-05', '2020-03-06', '2020-04-01']);
  assert.deepEqual(forwardDayFirst[0]!.flags, ['date-order-inferred:dmy']);
  assert.deepEqual(forwardDayFirst[0]!.extra, { dateOrder: 'dmy', dateOrderBasis: 'time-order' });
  const forwardMonthFirst = await read('time-mdy.txt', ['03/05/2020, 10:00 - A: x', '03/06/2020, 10:00 - B: y', '04/01/2020, 10:00 - A: z']);
  assert.deepEqual(forwardMonthFirst.map((m) => m.ts!.slice(0, 10)), ['2020-03-05', '2020-03-06', '2020-04-01']);
  assert.deepEqual(forwardMonthFirst[2]!.flags, ['date-order-inferred:mdy']);
  // no evidence in the dates: the export's language; English with a 12-hour clock is en-US
  const dutch = await read('nl.txt', ['01/02/2020, 10:00 - A: <Media weggelaten>', '01/02/2020, 10:00 - B: y']);
  assert.deepEqual(dutch[0]!.extra, { dateOrder: 'dmy', dateOrderBasis: 'locale:nl', mediaOmitted: true });
  assert.equal(dutch[0]!.ts, '2020-02-01T10:00:00');
  const american = await read('en-us.txt', ['01/02/2020, 10:00 AM - A: <Media omitted>', '01/02/2020, 10:01 AM - B: y']);
  assert.deepEqual(american[0]!.flags, ['date-order-inferred:mdy']);
  assert.equal(american[0]!.ts, '2020-01-02T10:00:00');
  // nothing at all: day first, as most of the world writes
  const bare = await read('bare.txt', ['01/02/2020, 10:00 - A: x']);
  assert.deepEqual(bare[0]!.extra, { dateOrder: 'dmy', dateOrderBasis: 'default' });
});

test('a header with an impossible date is quarantined with its continuation lines, never glued to the message before', async () => {
  const dir = temporaryDirectory();
  const items = await readAll(writeExport(dir, 'bad.txt', [
    'een regel voor het eerste bericht',
    '13/04/2020, 10:00 - Jan: goed bericht',
    '31/02/2020, 10:01 - Jan: onmogelijke datum',
    'met een vervolgregel',
    '14/04/2020, 25:61 - Jan: onmogelijke tijd',
    '14/04/2020, 10:02 - : zonder afzender',
    '14/04/2020, 10:03 - Piet: weer goed',
  ]));
  assert.deepEqual(messagesOf(items).map((m) => [m.from, m.body]), [['Jan', 'goed bericht'], ['Piet', 'weer goed']]);
  const bad = malformedOf(items);
  assert.deepEqual(bad.map((b) => b.location.line), [1, 3, 5, 6]);
  assert.match(bad[0]!.reason, /text before the first message/);
  assert.match(bad[1]!.reason, /impossible date or time \(31\/02\/2020 10:01, read day first\).*\(2 lines\)/);
  assert.equal(bad[1]!.excerpt, '31/02/2020, 10:01 - Jan: onmogelijke datum\nmet een vervolgregel');
  assert.match(bad[2]!.reason, /impossible date or time/);
  assert.match(bad[3]!.reason, /empty sender/);
  assertLocationsIncrease(items);
});

test('an invalid UTF-8 line inside a message is quarantined after it; the message keeps its other lines', async () => {
  const dir = temporaryDirectory();
  const path = join(dir, 'bytes.txt');
  writeFileSync(path, Buffer.concat([
    Buffer.from('13/04/2020, 10:00 - Jan: begin\n'),
    Buffer.from([0x66, 0xff, 0xfe, 0x0a]),
    Buffer.from('einde\n13/04/2020, 10:01 - Piet: ok\n'),
  ]));
  const items = await readAll(path);
  assert.deepEqual(items.map((i) => (i.kind === 'record' && i.record.kind === 'message' ? i.record.body : i.kind)), ['begin\neinde', 'malformed', 'ok']);
  assert.deepEqual(items.map((i) => i.location.line), [1, 2, 4]);
  assert.match(malformedOf(items)[0]!.reason, /invalid UTF-8/);
});

test('recipients are the other participants; a group gets a key from the file name and a group record after the last line', async () => {
  const dir = temporaryDirectory();
  const oneToOne = await readAll(writeExport(dir, 'WhatsApp Chat with Bob.txt', ['13/04/2020, 10:00 - Alice: hoi', '13/04/2020, 10:01 - Bob: hey']));
  assert.deepEqual(messagesOf(oneToOne).map((m) => [m.from, m.to, m.group]), [['Alice', ['Bob'], undefined], ['Bob', ['Alice'], undefined]]);
  assert.equal(groupOf(oneToOne), undefined);
  // only the exporter wrote: the file name still names the other side
  const lonely = await readAll(writeExport(dir, 'WhatsApp-chat met Bob.txt', ['13/04/2020, 10:00 - Alice: hallo?']));
  assert.deepEqual(messagesOf(lonely)[0]!.to, ['Bob']);
  const lines = ['13/04/2020, 10:00 - Alice: a', '13/04/2020, 10:01 - Bob: b', '13/04/2020, 10:02 - Carol: c', 'vervolg'];
  const path = writeExport(dir, 'WhatsApp Chat with Zuid Crew.txt', lines);
  const group = await readAll(path);
  assert.deepEqual(messagesOf(group).map((m) => [m.from, m.to, m.group]), [
    ['Alice', ['Bob', 'Carol'], 'Zuid Crew'], ['Bob', ['Alice', 'Carol'], 'Zuid Crew'], ['Carol', ['Alice', 'Bob'], 'Zuid Crew'],
  ]);
  assert.deepEqual(groupOf(group), { kind: 'group', platform: 'whatsapp', ref: 'Zuid Crew', name: 'Zuid Crew', members: ['Alice', 'Bob', 'Carol'], extra: undefined });
  assert.deepEqual(group.at(-1)!.location, { line: 5, offset: Buffer.byteLength(lines.join('\n') + '\n') });
  assertLocationsIncrease(group);
  // two people and a group notice: still a group, and the actor who never wrote is a member
  const small = await readAll(writeExport(dir, 'Chat de WhatsApp con Los Primos.txt', ['13/04/2020, 10:00 - Ana creó el grupo “Los Primos”', '13/04/2020, 10:01 - Luis: hola', '13/04/2020, 10:02 - Pepe: qué tal']));
  assert.deepEqual(groupOf(small)?.members, ['Luis', 'Pepe', 'Ana']);
  assert.equal(messagesOf(small)[0]!.group, 'Los Primos');
});

test('chat names are read from the export file names of many locales', () => {
  assert.equal(chatNameOfPath('/x/WhatsApp Chat with Zuid Crew.txt'), 'Zuid Crew');
  assert.equal(chatNameOfPath('/x/WhatsApp-chat met Mo Kapper.txt'), 'Mo Kapper');
  assert.equal(chatNameOfPath('/x/WhatsApp Chat mit Uwe (1).txt'), 'Uwe');
  assert.equal(chatNameOfPath('/x/Chat de WhatsApp con Ana.txt'), 'Ana');
  assert.equal(chatNameOfPath('/x/Discussion WhatsApp avec Luc.txt'), 'Luc');
  assert.equal(chatNameOfPath('/x/WhatsApp Chat - Zuid Crew/_chat.txt'), 'Zuid Crew');
  assert.equal(chatNameOfPath('/x/export/_chat.txt'), undefined);
  assert.equal(chatNameOfPath('/x/notes.txt'), undefined);
});

test('detection sniffs the timestamp prefixes, uses the name only as a tie-breaker, and leaves other formats alone', () => {
  const android = '01/04/2020, 12:34 - Alice: hi\n01/04/2020, 12:35 - Bob: hey\n';
  const ios = `\ufeff[01/04/2020, 12:34:56] Alice: hi\n${LRM}[01/04/2020, 12:35:00] Bob: ${LRM}image omitted\n`;
  assert.equal(whatsapp.detect(android, '/x/WhatsApp Chat with Bob.txt'), 0.95);
  assert.equal(whatsapp.detect(android, '/x/export.dat'), 0.85);
  assert.equal(whatsapp.detect(ios, '/x/_chat.txt'), 0.95);
  assert.ok(whatsapp.detect(`a heading\n${android}`, '/x/a.txt') >= 0.5);
  assert.equal(whatsapp.detect('{"kind":"message","platform":"p","from":"a","body":"b"}\n', '/x/a.txt'), 0);
  assert.equal(whatsapp.detect('date,from,body\n01/04/2020 12:34,alice,hi\n', '/x/a.csv'), 0);
  assert.equal(whatsapp.detect('alice@example.com:hunter2\nbob@example.com:letmein\n', '/x/combo.txt'), 0);
  assert.equal(whatsapp.detect('just some notes\nabout nothing\n', '/x/WhatsApp Chat with Bob.txt'), 0);
  assert.equal(detectFormat(android, '/x/WhatsApp Chat with Bob.txt')?.name, 'whatsapp');
  assert.equal(detectFormat(ios, '/x/_chat.txt')?.name, 'whatsapp');
});

test('end to end: an export is ingested with provenance, search, quarantine and flags, and a second ingest adds nothing', async () => {
  const dir = temporaryDirectory();
  const store = openTestStore(dir);
  const lines = [
    '01/04/2020, 09:00 - Berichten en oproepen worden end-to-end versleuteld. Niemand buiten deze chat, zelfs WhatsApp niet, kan ze lezen of beluisteren.',
    '01/04/2020, 09:00 - Jan heeft groep "Zuid Crew" gemaakt',
    '01/04/2020, 09:01 - Jan: morgen 10 kilo naar de loods',
    'via de achteringang',
    '02/04/2020, 10:15 - Piet: <Media weggelaten>',
    '02/04/2020, 10:16 - Klaas: Dit bericht is verwijderd',
    '31/02/2020, 10:17 - Klaas: kapotte datum',
    '03/04/2020, 11:00 - Piet: betaald, cash',
  ];
  const path = writeExport(dir, 'WhatsApp-chat met Zuid Crew.txt', lines, { crlf: true });
  const report = await ingest({ store, paths: [path], dataset: 'wa' });
  assert.equal(report.sources[0]!.format, 'whatsapp');
  assert.equal(report.messages, 6);
  assert.equal(report.quarantined, 1);
  const hits = await store.search({ ast: parseQuery('loods'), limit: 10, offset: 0, sort: 'newest', facets: false });
  assert.equal(hits.total, 1);
  assert.equal(hits.hits[0]!.from, 'Jan');
  const row = store.db.prepare(`SELECT body, line, byte_offset, ts, flags, extra, ref FROM messages WHERE body LIKE 'morgen%'`).get()!;
  assert.equal(row.body, 'morgen 10 kilo naar de loods\nvia de achteringang');
  assert.equal(row.line, 3);
  assert.equal(row.byte_offset, Buffer.byteLength(lines.slice(0, 2).join('\r\n') + '\r\n'));
  assert.equal(row.ts, '2020-04-01T09:01:00');
  assert.equal(row.ref, null);
  // every day of this file is 12 or less: the order is inferred (from the Dutch notices)
  assert.deepEqual(JSON.parse(String(row.flags)), ['date-order-inferred:dmy', 'timezone-assumed-utc']);
  assert.deepEqual(JSON.parse(String(row.extra)), { dateOrder: 'dmy', dateOrderBasis: 'locale:nl' });
  const deleted = store.db.prepare(`SELECT flags FROM messages WHERE body = 'Dit bericht is verwijderd'`).get()!;
  assert.deepEqual(JSON.parse(String(deleted.flags)), ['date-order-inferred:dmy', 'whatsapp-system-notice', 'deleted', 'timezone-assumed-utc']);
  assert.equal(await count(store, `SELECT count(*) AS n FROM messages WHERE has_attachment = 1`), 1);
  const quarantine = await store.quarantine({ limit: 10, offset: 0 });
  assert.equal(quarantine.entries[0]!.line, 7);
  assert.match(quarantine.entries[0]!.reason, /impossible date/);
  assert.equal(await count(store, `SELECT count(*) AS n FROM conversations WHERE key = 'group:Zuid Crew' AND is_group = 1 AND name = 'Zuid Crew'`), 1);
  const again = await ingest({ store, paths: [path], dataset: 'wa' });
  assert.equal(again.messages + again.quarantined, 0);
  assert.equal(await count(store, 'SELECT count(*) AS n FROM messages'), 6);
});

test('the bench export of every layout reads back without a malformed line', async () => {
  const dir = temporaryDirectory();
  for (const layout of EXPORT_LAYOUTS) {
    const path = join(dir, `WhatsApp Chat with Zuid Crew ${layout}.txt`);
    const written = await writeWhatsAppExport(path, 400, 5, layout);
    const items = await readAll(path);
    assert.deepEqual(malformedOf(items), [], layout);
    const messages = messagesOf(items);
    assert.equal(messages.length, written.messages, layout);
    assert.ok(messages.some((m) => m.extra?.notice === 'created'), layout);
    assert.ok(messages.some((m) => m.attachments !== undefined), layout);
    assert.ok(messages.every((m) => m.flags![0]!.startsWith('date-order')), layout);
    assert.equal(groupOf(items)?.ref, `Zuid Crew ${layout}`, layout);
    assertLocationsIncrease(items);
  }
  // the same seed writes the same bytes
  const a = join(dir, 'a.txt');
  const b = join(dir, 'b.txt');
  await writeWhatsAppExport(a, 300, 9, 'ios-nl');
  await writeWhatsAppExport(b, 300, 9, 'ios-nl');
  const { readFileSync } = await import('node:fs');
  assert.ok(readFileSync(a).equals(readFileSync(b)));
});

// ---------------------------------------------------------------------------------------------
// property: garbage never throws, is quarantined with a location and a reason, and valid
// messages around it are never lost

const word = fc.stringMatching(/^[a-z]{1,8}$/);
const validMessage = fc.record({
  day: fc.integer({ min: 13, max: 28 }),
  hour: fc.integer({ min: 0, max: 23 }),
  minute: fc.integer({ min: 0, max: 59 }),
  sender: fc.constantFrom('Jan', 'Piet', 'Mo Kapper', '+31 6 12345678', 'Zoé'),
  words: fc.array(word, { minLength: 1, maxLength: 6 }),
  isIos: fc.boolean(),
});
type ValidMessage = typeof validMessage extends fc.Arbitrary<infer T> ? T : never;
const garbageLine = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 80 }).map((s) => Buffer.from(s.replace(/[\r\n]/g, ' '), 'utf8')),
  fc.uint8Array({ maxLength: 40 }).map((bytes) => Buffer.from(bytes.filter((b) => b !== 0x0a && b !== 0x0d))),
  fc.constantFrom('31/02/2020, 10:00 - X: nee', '[99/99/2020, 10:00:00] X: nee', '13/04/2020, 10:00 - ').map((s) => Buffer.from(s)),
);

function renderValid(m: ValidMessage): string {
  const time = `${String(m.hour).padStart(2, '0')}:${String(m.minute).padStart(2, '0')}`;
  const stamp = m.isIos ? `[${m.day}/04/2020, ${time}:00] ` : `${m.day}/04/2020, ${time} - `;
  return `${stamp}${m.sender}: ${m.words.join(' ')}`;
}

test('property: garbled input never throws, garbage is quarantined with location and reason, valid messages are all kept', async () => {
  const dir = temporaryDirectory();
  let run = 0;
  await fc.assert(fc.asyncProperty(
    fc.array(fc.oneof({ arbitrary: validMessage.map((m) => ({ valid: m })), weight: 3 }, { arbitrary: garbageLine.map((g) => ({ garbage: g })), weight: 2 }), { maxLength: 25 }),
    async (pieces) => {
      const path = join(dir, `p-${run++}.txt`);
      writeFileSync(path, Buffer.concat(pieces.map((p) => Buffer.concat(['valid' in p ? Buffer.from(renderValid(p.valid)) : p.garbage, Buffer.from('\n')]))));
      const items = await readAll(path);
      assertLocationsIncrease(items);
      for (const bad of malformedOf(items)) {
        assert.ok(bad.location.line >= 1 && bad.reason.length > 0 && bad.excerpt.length <= 300);
      }
      const messages = messagesOf(items);
      // every valid message is there, at its time, from its sender, its text first in its body
      // (garbage lines after it are its continuation lines, by the rule of the format)
      let from = 0;
      for (const p of pieces) {
        if (!('valid' in p)) continue;
        const m = p.valid;
        const ts = `2020-04-${m.day}T${String(m.hour).padStart(2, '0')}:${String(m.minute).padStart(2, '0')}:00`;
        const index = messages.findIndex((r, i) => i >= from && r.ts === ts && r.from === m.sender && r.body.startsWith(m.words.join(' ')));
        assert.ok(index >= 0, `lost ${renderValid(m)}`);
        from = index + 1;
      }
    },
  ), { numRuns: 150 });
});
