import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  parseTemplate, renderTemplateText, shippedLegalText, shippedTemplate, TemplateError, type RenderedBlock, type TextRun,
} from '../../src/campaigns/template.ts';
import { placeholderValues } from '../../src/campaigns/letter-values.ts';
import { activity, letterContext, REFERENCE } from './letter-fixture.ts';

function textOf(runs: TextRun[]): string {
  return runs.map((run) => (run.kind === 'break' ? '\n' : run.text)).join('');
}

function blockTexts(blocks: RenderedBlock[]): string[] {
  return blocks.map((block) => {
    switch (block.kind) {
      case 'rule': return '---';
      case 'list': return block.items.map(textOf).join(' | ');
      default: return textOf(block.content);
    }
  });
}

function thrown(fn: () => unknown): TemplateError {
  try {
    fn();
  } catch (error) {
    if (error instanceof TemplateError) return error;
    throw error;
  }
  assert.fail('expected a TemplateError');
}

test('an unknown placeholder is an error with the origin, line, column and the known placeholders', () => {
  const error = thrown(() => parseTemplate('Subject: Brief {{reference}}\n\nBeste {{ nmae }},\n', 'markdown', 'brief.nl.md'));
  assert.equal(error.line, 3);
  assert.equal(error.column, 7);
  assert.equal(error.origin, 'brief.nl.md');
  assert.match(error.message, /^brief\.nl\.md:3:7: unknown placeholder \{\{nmae\}\}/);
  assert.match(error.message, /known placeholders: name, salutation, username/);
});

test('an unknown placeholder in an HTML template is found on its line too', () => {
  const error = thrown(() => parseTemplate('<p>Hallo</p>\n<p>  <b>{{usernaam}}</b></p>', 'html', 'brief.html'));
  assert.deepEqual([error.line, error.column], [2, 9]);
});

test('malformed and unclosed placeholders are errors with their place', () => {
  assert.deepEqual([thrown(() => parseTemplate('a {{ 1x }}', 'markdown', 't.md')).column], [3]);
  const unclosed = thrown(() => parseTemplate('ok {{name}}\nBeste {{name', 'markdown', 't.md'));
  assert.deepEqual([unclosed.line, unclosed.column], [2, 7]);
  assert.match(unclosed.reason, /unclosed/);
});

test('placeholders with underscores are not read as Markdown emphasis', () => {
  const template = parseTemplate('Actief van {{first_active}} tot {{last_active}}.', 'markdown', 't.md');
  const [paragraph] = renderTemplateText(template, letterContext()).blocks;
  assert.ok(paragraph?.kind === 'paragraph');
  assert.equal(textOf(paragraph.content), 'Actief van 4 maart 2024 tot 30 november 2025.');
  assert.ok(paragraph.content.every((run) => run.kind !== 'text' || !run.italic));
});

test('a placeholder value cannot inject Markdown: it prints literally, in the style of its place', () => {
  const template = parseTemplate('Gebruiker **{{username}}** en {{name}}', 'markdown', 't.md');
  const hostile = '**x** _y_ [klik](https://evil.example) <b>z</b> {{reference}}';
  const ctx = letterContext({ person: { name: '# Kop', usernames: [hostile], emails: [] } });
  const [paragraph] = renderTemplateText(template, ctx).blocks;
  assert.ok(paragraph?.kind === 'paragraph');
  assert.equal(textOf(paragraph.content), `Gebruiker ${hostile} en # Kop`);
  const value = paragraph.content.find((run) => run.kind === 'text' && run.text === hostile);
  assert.deepEqual(value, { kind: 'text', text: hostile, bold: true, italic: false });
});

test('a placeholder value cannot inject HTML into an HTML template', () => {
  const template = parseTemplate('<p>Beste <i>{{username}}</i></p>', 'html', 't.html');
  const hostile = '<b>vet</b> &amp; <script>x</script>';
  const [paragraph] = renderTemplateText(template, letterContext({ person: { usernames: [hostile], emails: [] } })).blocks;
  assert.ok(paragraph?.kind === 'paragraph');
  assert.deepEqual(paragraph.content, [
    { kind: 'text', text: 'Beste ', bold: false, italic: false },
    { kind: 'text', text: hostile, bold: false, italic: true },
  ]);
});

test('Markdown becomes headings, styled paragraphs, lists, rules and line breaks', () => {
  const source = [
    '# Titel', '', 'Een **vette** en *schuine* ***beide*** tekst,\\', 'nieuwe regel', 'zelfde regel', '',
    '- een', '- twee', '', '3. drie', '4. vier', '', '---', '', '#### diep',
  ].join('\n');
  const blocks = parseTemplate(source, 'markdown', 't.md').blocks;
  assert.deepEqual(blocks.map((b) => b.kind), ['heading', 'paragraph', 'list', 'list', 'rule', 'heading']);
  assert.deepEqual(blocks[1], {
    kind: 'paragraph',
    content: [
      { kind: 'text', text: 'Een ', bold: false, italic: false },
      { kind: 'text', text: 'vette', bold: true, italic: false },
      { kind: 'text', text: ' en ', bold: false, italic: false },
      { kind: 'text', text: 'schuine', bold: false, italic: true },
      { kind: 'text', text: ' ', bold: false, italic: false },
      { kind: 'text', text: 'beide', bold: true, italic: true },
      { kind: 'text', text: ' tekst,', bold: false, italic: false },
      { kind: 'break' },
      { kind: 'text', text: 'nieuwe regel zelfde regel', bold: false, italic: false },
    ],
  });
  assert.deepEqual(blocks[3], {
    kind: 'list', ordered: true, start: 3,
    items: [[{ kind: 'text', text: 'drie', bold: false, italic: false }], [{ kind: 'text', text: 'vier', bold: false, italic: false }]],
  });
  assert.equal(blocks[5]?.kind === 'heading' && blocks[5].level, 3, 'deeper headings are shown as level 3');
});

test('the HTML subset gives the same blocks as the same letter in Markdown', () => {
  const markdown = '## Uw account\n\nBeste **{{name}}**, u *deed* dit:\\\nop {{date}}.\n\n- een\n- twee\n\n1. drie\n\n---\n';
  const html = `<div>
    <h2>Uw account</h2>
    <p>Beste <strong>{{name}}</strong>, u <em>deed</em>
       dit:<br>op {{ date }}.</p>
    <ul><li>een</li><li><span>twee</span></li></ul>
    <ol><li>drie</li></ol>
    <hr>
  </div>`;
  assert.deepEqual(parseTemplate(html, 'html', 't.html').blocks, parseTemplate(markdown, 'markdown', 't.md').blocks);
});

test('HTML entities in templates are decoded, in Markdown and in HTML', () => {
  const md = renderTemplateText(parseTemplate('Tom &amp; Jerry &eacute; &lt;3', 'markdown', 't.md'), letterContext());
  const html = renderTemplateText(parseTemplate('<p>Tom &amp; Jerry &eacute; &lt;3</p>', 'html', 't.html'), letterContext());
  assert.deepEqual(blockTexts(md.blocks), ['Tom & Jerry é <3']);
  assert.deepEqual(blockTexts(html.blocks), ['Tom & Jerry é <3']);
});

test('an unsupported HTML tag is refused with its name and line', () => {
  const table = thrown(() => parseTemplate('<p>Hallo</p>\n\n<table><tr><td>x</td></tr></table>', 'html', 'brief.html'));
  assert.equal(table.line, 3);
  assert.match(table.message, /^brief\.html:3: unsupported tag <table>/);
  assert.match(thrown(() => parseTemplate('<p>zie <a href="https://x.example">hier</a></p>', 'html', 't.html')).reason, /links \(<a>\) are not allowed/);
  assert.match(thrown(() => parseTemplate('<p><img src="https://x.example/p.png"></p>', 'html', 't.html')).reason, /unsupported tag <img>/);
  assert.match(thrown(() => parseTemplate('<ul><li>a<ul><li>b</li></ul></li></ul>', 'html', 't.html')).reason, /list inside a list/);
});

test('Markdown a letter cannot show is refused with its line', () => {
  assert.equal(thrown(() => parseTemplate('Tekst\n\n    code', 'markdown', 't.md')).line, 3);
  const image = thrown(() => parseTemplate('Tekst\n\nZie ![logo](https://x.example/logo.png)', 'markdown', 't.md'));
  assert.deepEqual([image.line, /images are not supported/.test(image.reason)], [3, true]);
  const inlineHtml = thrown(() => parseTemplate('Eerst\n\nDan <b>vet</b>', 'markdown', 't.md'));
  assert.deepEqual([inlineHtml.line, /HTML \(<b>\)/.test(inlineHtml.reason)], [3, true]);
  assert.match(thrown(() => parseTemplate('> citaat', 'markdown', 't.md')).reason, /blockquote is not supported/);
  assert.match(thrown(() => parseTemplate('- a\n  - b', 'markdown', 't.md')).reason, /list inside a list/);
});

test('a Markdown link and an HTML comment leave only the link text', () => {
  const template = parseTemplate('<!-- notitie voor de jurist -->\n\nLees [de uitleg](https://politie.example/uitleg) of www.politie.example.', 'markdown', 't.md');
  const rendered = renderTemplateText(template, letterContext());
  assert.deepEqual(blockTexts(rendered.blocks), ['Lees de uitleg of www.politie.example.']);
});

test('the Subject line is read from the first line, with placeholders, and line numbers still count it', () => {
  const template = parseTemplate('Subject: Uw account op {{site}} ({{ reference }})\n\nTekst', 'markdown', 't.md');
  assert.equal(renderTemplateText(template, letterContext()).subject, `Uw account op DataBazaar (${REFERENCE})`);
  assert.deepEqual(blockTexts(renderTemplateText(template, letterContext()).blocks), ['Tekst']);
  assert.equal(renderTemplateText(parseTemplate('Tekst', 'markdown', 't.md'), letterContext()).subject, undefined);
  assert.equal(thrown(() => parseTemplate('Subject: {{site}}\n\n{{nope}}', 'markdown', 't.md')).line, 3);
  assert.match(thrown(() => parseTemplate('Subject:   \n\nTekst', 'markdown', 't.md')).reason, /Subject line is empty/);
});

test('a line break in a value never reaches the subject', () => {
  const template = parseTemplate('Subject: Voor {{username}}\n\nx', 'markdown', 't.md');
  const ctx = letterContext({ person: { usernames: ['a\r\nBcc: x@evil.example'], emails: [] } });
  assert.equal(renderTemplateText(template, ctx).subject, 'Voor a Bcc: x@evil.example');
});

test('dates are written out in Dutch and in English', () => {
  const nl = placeholderValues(letterContext());
  const en = placeholderValues(letterContext({ language: 'en' }));
  assert.deepEqual([nl.date, nl.registered, nl.first_active, nl.last_active], ['6 december 2026', '1 maart 2024', '4 maart 2024', '30 november 2025']);
  assert.deepEqual([en.date, en.registered, en.last_active], ['6 December 2026', '1 March 2024', '30 November 2025']);
  assert.equal(placeholderValues(letterContext({ activity: activity({ registered: undefined }) })).registered, '');
});

test('amounts use the currency format of the language, and other currencies a number and their code', () => {
  assert.equal(placeholderValues(letterContext()).amounts, '€\u00a0120,00 en 0,0050 BTC');
  assert.equal(placeholderValues(letterContext({ language: 'en' })).amounts, '€120.00 and 0.0050 BTC');
  const many = activity({ paid: [{ currency: 'usd', amount: 1234.5 }, { currency: 'XMR', amount: 2 }, { currency: 'EUR', amount: 5 }] });
  assert.equal(placeholderValues(letterContext({ language: 'en', activity: many })).amounts, 'US$1,234.50, 2 XMR and €5.00');
  assert.equal(placeholderValues(letterContext({ activity: activity({ paid: [] }) })).amounts, '');
});

test('counts, usernames, the e-mail address and search examples', () => {
  const values = placeholderValues(letterContext({ activity: activity({ searches: 1234 }) }));
  assert.deepEqual(
    [values.payments, values.searches, values.username, values.usernames, values.email, values.search_examples],
    ['3', '1.234', 'd4rkbuyer', 'd4rkbuyer, jdb_2020', 'jan@example.nl', '\u201Cing.nl combo\u201D en \u201Crabobank wachtwoorden\u201D'],
  );
  const long = activity({ searchExamples: ['a', 'b', 'c', 'd', 'e', 'f', 'x'.repeat(100)] });
  assert.equal(placeholderValues(letterContext({ language: 'en', activity: long })).search_examples, '“a”, “b”, “c”, “d” and “e”');
});

test('an unknown name falls back to a neutral salutation', () => {
  const unnamed = { usernames: ['d4rkbuyer'], emails: [] };
  assert.deepEqual(
    [placeholderValues(letterContext()).salutation, placeholderValues(letterContext({ language: 'en' })).salutation],
    ['Geachte Jan de Boer', 'Dear Jan de Boer'],
  );
  const nl = placeholderValues(letterContext({ person: { ...unnamed, name: '  ' } }));
  const en = placeholderValues(letterContext({ language: 'en', person: unnamed }));
  assert.deepEqual([nl.salutation, nl.name, en.salutation, en.name], ['Geachte heer/mevrouw', 'heer/mevrouw', 'Dear Sir or Madam', 'Sir or Madam']);
});

test('the activity sentences say what the person did, in Dutch and in English', () => {
  assert.equal(
    placeholderValues(letterContext()).activity,
    'Op 1 maart 2024 maakte u een account aan op DataBazaar met de gebruikersnamen “d4rkbuyer” en “jdb_2020”. '
      + 'Tussen 4 maart 2024 en 30 november 2025 deed u 3 betalingen (samen €\u00a0120,00 en 0,0050 BTC) '
      + 'en 14 zoekopdrachten, onder meer naar “ing.nl combo” en “rabobank wachtwoorden”.',
  );
  assert.equal(
    placeholderValues(letterContext({ language: 'en' })).activity,
    'On 1 March 2024 you created an account on DataBazaar with the usernames “d4rkbuyer” and “jdb_2020”. '
      + 'Between 4 March 2024 and 30 November 2025 you made 3 payments (totalling €120.00 and 0.0050 BTC) '
      + 'and 14 searches, including “ing.nl combo” and “rabobank wachtwoorden”.',
  );
});

test('the activity sentences leave out what does not apply', () => {
  const person = { usernames: ['solo'], emails: [] };
  const paidOnce = activity({ registered: undefined, firstActive: undefined, lastActive: undefined, payments: 1, paid: [{ currency: 'EUR', amount: 9.99 }], searches: 0, searchExamples: [] });
  assert.equal(placeholderValues(letterContext({ person, activity: paidOnce })).activity,
    'U had een account op DataBazaar met de gebruikersnaam “solo”. U deed 1 betaling (samen €\u00a09,99).');
  const searchedOneDay = activity({ registered: undefined, firstActive: '2025-01-02', lastActive: '2025-01-02', payments: 0, paid: [], searches: 1, searchExamples: [] });
  assert.equal(placeholderValues(letterContext({ language: 'en', person, activity: searchedOneDay })).activity,
    'You had an account on DataBazaar with the username “solo”. On 2 January 2025 you made 1 search.');
  const onlyActive = activity({ registered: undefined, payments: 0, paid: [], searches: 0, searchExamples: [] });
  assert.equal(placeholderValues(letterContext({ person: { usernames: [], emails: [] }, activity: onlyActive })).activity,
    'U had een account op DataBazaar. U was tussen 4 maart 2024 en 30 november 2025 actief op DataBazaar.');
});

test('a legal text with blank lines becomes separate paragraphs, an address becomes lines', () => {
  const template = parseTemplate('Voor:\\\n{{name}}\\\n{{address}}\n\n{{legal_text}}\n\nEinde', 'markdown', 't.md');
  const rendered = renderTemplateText(template, letterContext({ legalText: 'Eerste alinea\nloopt door.\n\n\n  Tweede alinea.  ' }));
  assert.deepEqual(blockTexts(rendered.blocks), [
    'Voor:\nJan de Boer\nKerkstraat 12\n1234 AB Utrecht', 'Eerste alinea\nloopt door.', 'Tweede alinea.', 'Einde',
  ]);
});

test('an absent value leaves no empty paragraph, list item or dangling line break', () => {
  const template = parseTemplate('{{name}}\\\n{{address}}\n\n{{address}}\n\n- {{email}}\n- vast\n\n## {{address}}', 'markdown', 't.md');
  const rendered = renderTemplateText(template, letterContext({ person: { name: 'Jan', usernames: [], emails: [] } }));
  assert.deepEqual(rendered.blocks, [
    { kind: 'paragraph', content: [{ kind: 'text', text: 'Jan', bold: false, italic: false }] },
    { kind: 'list', ordered: false, start: 1, items: [[{ kind: 'text', text: 'vast', bold: false, italic: false }]] },
  ]);
});

test('a blank value at the start of a paragraph leaves no line break before the rest', () => {
  const template = parseTemplate('{{email}}\\\nvast', 'markdown', 't.md');
  const rendered = renderTemplateText(template, letterContext({ person: { usernames: [], emails: [' \t '] } }));
  assert.deepEqual(rendered.blocks, [{ kind: 'paragraph', content: [{ kind: 'text', text: 'vast', bold: false, italic: false }] }]);
});

test('invisible and direction-changing characters in a value are shown as code points, never obeyed', () => {
  const template = parseTemplate('Gebruiker {{username}}', 'markdown', 't.md');
  const ctx = letterContext({ person: { usernames: ['abc\u202Egnp.exe\u200B'], emails: [] } });
  assert.deepEqual(blockTexts(renderTemplateText(template, ctx).blocks), ['Gebruiker abc[U+202E]gnp.exe[U+200B]']);
});

test('a letter date that is not YYYY-MM-DD is refused', () => {
  const template = parseTemplate('{{date}}', 'markdown', 't.md');
  assert.throws(() => renderTemplateText(template, letterContext({ date: '06-12-2026' })), RangeError);
  assert.throws(() => renderTemplateText(template, letterContext({ date: '2026-02-30' })), RangeError);
});

test('the shipped templates parse and render in both languages with every placeholder filled', () => {
  for (const language of ['nl', 'en'] as const) {
    const legalText = shippedLegalText(language);
    assert.equal(shippedTemplate('legal', language), legalText);
    assert.match(legalText, /139g/);
    assert.match(legalText, /138ab/);
    assert.doesNotMatch(legalText, /<!--|legal officer|juridisch adviseur/, 'the note for the legal officer is not part of the text');
    for (const kind of ['letter', 'email'] as const) {
      const rendered = renderTemplateText(shippedTemplate(kind, language), letterContext({ language, legalText }));
      const text = blockTexts(rendered.blocks).join('\n');
      assert.ok(rendered.subject?.includes('DataBazaar'), `${kind}.${language} has a subject`);
      assert.ok(text.includes(REFERENCE), `${kind}.${language} quotes the reference`);
      assert.ok(text.includes('d4rkbuyer'), `${kind}.${language} names the username`);
      assert.ok(text.includes(legalText.split('\n')[0] ?? '-'), `${kind}.${language} holds the legal text`);
      assert.match(text, language === 'nl' ? /stopgesprek/ : /stop talk/);
      assert.doesNotMatch(text, /\{\{|\}\}|https?:/);
    }
  }
});
