import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { PDFParse } from 'pdf-parse';
import { renderLetterPdf } from '../../src/campaigns/letter-pdf.ts';
import { parseTemplate, shippedLegalText, shippedTemplate } from '../../src/campaigns/template.ts';
import { letterContext, pdfTextOf, REFERENCE } from './letter-fixture.ts';

test('a letter parsed back holds the reference, name, address, usernames, amounts and legal text', async () => {
  const ctx = letterContext({ legalText: shippedLegalText('nl') });
  const { text, pages } = await pdfTextOf(await renderLetterPdf(shippedTemplate('letter', 'nl'), ctx));
  assert.ok(pages >= 1);
  for (const expected of [
    REFERENCE, 'Kenmerk', 'Datum 6 december 2026', 'Jan de Boer', 'Kerkstraat 12', '1234 AB Utrecht', 'Geachte Jan de Boer,',
    '“d4rkbuyer” en “jdb_2020”', '€ 120,00 en 0,0050 BTC', 'artikel 139g van het Wetboek van Strafrecht', '138ab',
    'Politie', 'Team High Tech Crime', 'Telefoon 0900-8844', 'A. de Vries', 'stopgesprek',
  ]) {
    assert.ok(text.includes(expected), `the letter says ${expected}`);
  }
});

test('every page carries the reference and "pagina X van Y" in its footer', async () => {
  const legalText = Array.from({ length: 14 }, (_, i) => `Alinea ${i + 1}: ${'Deze juridische tekst is lang genoeg om de brief over meer dan een pagina te laten lopen. '.repeat(3)}`).join('\n\n');
  const { text, pages } = await pdfTextOf(await renderLetterPdf(shippedTemplate('letter', 'nl'), letterContext({ legalText })));
  assert.ok(pages >= 3, `pages: ${pages}`);
  for (let page = 1; page <= pages; page += 1) assert.ok(text.includes(`pagina ${page} van ${pages}`), `footer of page ${page}`);
  assert.equal(text.split(`Kenmerk: ${REFERENCE}`).length - 1, pages);
  assert.ok(text.includes('Alinea 14:'), 'the whole body is printed');
});

test('an English letter says Reference, Date and "page X of Y"', async () => {
  const ctx = letterContext({ language: 'en', legalText: shippedLegalText('en') });
  const { text, pages } = await pdfTextOf(await renderLetterPdf(shippedTemplate('letter', 'en'), ctx));
  for (const expected of [`Reference: ${REFERENCE}`, `page 1 of ${pages}`, 'Date 6 December 2026', 'Dear Jan de Boer,', '€120.00 and 0.0050 BTC', 'section 139g']) {
    assert.ok(text.includes(expected), `the letter says ${expected}`);
  }
});

test('the same letter gives the same bytes, and another date other bytes', async () => {
  const template = shippedTemplate('letter', 'nl');
  const first = await renderLetterPdf(template, letterContext());
  const again = await renderLetterPdf(template, letterContext());
  assert.deepEqual(again, first);
  const later = await renderLetterPdf(template, letterContext({ date: '2026-12-07' }));
  assert.notDeepEqual(later, first);
});

test('the PDF metadata names the campaign and reference, the sender, the subject, the language and the date', async () => {
  const pdf = await renderLetterPdf(shippedTemplate('letter', 'nl'), letterContext());
  const parser = new PDFParse({ data: pdf.slice() });
  const info = (await parser.getInfo()).info as Record<string, unknown>;
  await parser.destroy();
  assert.equal(info.Title, `Operatie Lekstop \u2013 ${REFERENCE}`);
  assert.equal(info.Author, 'Politie');
  assert.equal(info.Subject, 'Waarschuwing over uw account op DataBazaar');
  assert.match(String(info.CreationDate), /^D:20261206/);
  assert.match(Buffer.from(pdf).toString('latin1'), /\/Lang \(nl-NL\)/);
});

test('a name with é, ë and ß prints as is, and an emoji as [U+1F600]', async () => {
  const ctx = letterContext({ person: { name: 'Zoë Müller-Weiß 😀', usernames: ['josé'], emails: [], address: 'Rue de l’Église 3\n1000 Bruxelles' } });
  const template = parseTemplate('Beste {{name}}, uw gebruikersnaam was {{username}}.', 'markdown', 't.md');
  const { text } = await pdfTextOf(await renderLetterPdf(template, ctx));
  assert.ok(text.includes('Beste Zoë Müller-Weiß [U+1F600], uw gebruikersnaam was josé.'), text);
  assert.ok(text.includes('Rue de l’Église 3'), 'the address keeps its letters and apostrophe');
});

test('headings, styled runs, lists and line breaks of an HTML template reach the letter', async () => {
  const template = parseTemplate(
    '<h1>Waarschuwing</h1><p>Beste <b>{{name}}</b>,<br>regel twee</p><ul><li>eerste punt</li><li>tweede punt</li></ul><ol start="3"><li>stap drie</li></ol><hr><p>Slot</p>',
    'html', 'brief.html',
  );
  const { text } = await pdfTextOf(await renderLetterPdf(template, letterContext()));
  for (const expected of ['Waarschuwing', 'Beste Jan de Boer, regel twee', '• eerste punt', '• tweede punt', '3. stap drie', 'Slot']) {
    assert.ok(text.includes(expected), `the letter says ${expected}`);
  }
});

test('a letter to someone without a known name or address still renders, with a neutral salutation', async () => {
  const ctx = letterContext({ person: { usernames: ['d4rkbuyer'], emails: [] }, sender: { organisation: 'Politie' } });
  const { text } = await pdfTextOf(await renderLetterPdf(shippedTemplate('letter', 'nl'), ctx));
  assert.ok(text.includes('Geachte heer/mevrouw,'));
  assert.ok(text.includes(REFERENCE));
});

test('any name or username renders into a PDF', async () => {
  const template = shippedTemplate('letter', 'en');
  await fc.assert(fc.asyncProperty(
    fc.string({ unit: 'binary', maxLength: 80 }), fc.string({ unit: 'binary', maxLength: 40 }),
    async (name, username) => {
      const pdf = await renderLetterPdf(template, letterContext({ language: 'en', person: { name, usernames: [username], emails: [], address: name } }));
      assert.equal(Buffer.from(pdf.subarray(0, 5)).toString('latin1'), '%PDF-');
    },
  ), { numRuns: 40 });
});
