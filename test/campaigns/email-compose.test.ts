import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Parser } from 'htmlparser2';
import { composeEmail } from '../../src/campaigns/email-compose.ts';
import { parseTemplate, shippedLegalText, shippedTemplate, TemplateError } from '../../src/campaigns/template.ts';
import { letterContext, REFERENCE } from './letter-fixture.ts';

/** The tags an HTML document opens, as a browser's tokenizer reads them. */
function tagsOf(html: string): string[] {
  const tags: string[] = [];
  const parser = new Parser({ onopentag: (name) => { tags.push(name); } });
  parser.end(html);
  return tags;
}

const RENDERER_TAGS = new Set(['html', 'head', 'meta', 'title', 'body', 'h1', 'h2', 'h3', 'p', 'strong', 'em', 'ul', 'ol', 'li', 'br', 'hr']);
const RENDERER_TAG_START = new RegExp(`^(!DOCTYPE html>|/?(${[...RENDERER_TAGS].join('|')})[ >])`);

test('the subject comes from the template and gets the reference appended when it does not name it', () => {
  const without = parseTemplate('Subject: Uw account op {{site}}\n\nTekst', 'markdown', 'mail.md');
  assert.equal(composeEmail(without, letterContext()).subject, `Uw account op DataBazaar [${REFERENCE}]`);
  const named = parseTemplate('Subject: Kenmerk {{reference}}: uw account\n\nTekst', 'markdown', 'mail.md');
  assert.equal(composeEmail(named, letterContext()).subject, `Kenmerk ${REFERENCE}: uw account`);
});

test('an e-mail template without a Subject line is refused', () => {
  const template = parseTemplate('Beste {{name}}', 'markdown', 'mail.nl.md');
  assert.throws(() => composeEmail(template, letterContext()), (error: unknown) =>
    error instanceof TemplateError && error.origin === 'mail.nl.md' && /Subject/.test(error.message));
});

test('the html carries no link and loads nothing, even when the template has a Markdown link', () => {
  const template = parseTemplate('Subject: x\n\nLees [onze uitleg](https://politie.example/uitleg "titel") of <https://politie.example>.', 'markdown', 'mail.md');
  const { html, text } = composeEmail(template, letterContext());
  assert.ok(html.includes('<p>Lees onze uitleg of'));
  assert.doesNotMatch(html, /<a[\s>]|href|src=|<img|<link|<script|url\(/i);
  assert.ok(text.includes('Lees onze uitleg of'));
});

test('the shipped e-mails have a subject with the reference and no link in either language', () => {
  for (const language of ['nl', 'en'] as const) {
    const mail = composeEmail(shippedTemplate('email', language), letterContext({ language, legalText: shippedLegalText(language) }));
    assert.ok(mail.subject.includes(REFERENCE), mail.subject);
    assert.equal(mail.subject.split(REFERENCE).length, 2, 'the reference is in the subject once');
    assert.doesNotMatch(mail.html, /<a[\s>]/);
    assert.doesNotMatch(mail.html, /http/i);
    assert.doesNotMatch(mail.text, /http/i);
    assert.ok(mail.html.startsWith('<!DOCTYPE html>\n<html lang="' + language + '">'));
    assert.ok(mail.text.includes(REFERENCE) && mail.html.includes(REFERENCE), 'the body quotes the reference');
    assert.match(mail.text, language === 'nl' ? /Telefoon 0900-8844/ : /Phone 0900-8844/, 'the signature says how to call');
  }
});

test('every value is escaped in the html and shown as typed in the text', () => {
  const template = parseTemplate('Subject: {{username}}\n\nBeste **{{name}}**, account {{username}}.', 'markdown', 'mail.md');
  const ctx = letterContext({ person: { name: 'O\'Brien "Bob" & <Co>', usernames: ['<script>alert(1)</script>'], emails: [] } });
  const { html, text, subject } = composeEmail(template, ctx);
  assert.ok(html.includes('<strong>O&#39;Brien &quot;Bob&quot; &amp; &lt;Co&gt;</strong>'));
  assert.ok(html.includes('account &lt;script&gt;alert(1)&lt;/script&gt;.'));
  assert.ok(html.includes(`<title>&lt;script&gt;alert(1)&lt;/script&gt; [${REFERENCE}]</title>`));
  assert.doesNotMatch(html, /<script/);
  assert.equal(subject, `<script>alert(1)</script> [${REFERENCE}]`);
  assert.ok(text.includes('Beste O\'Brien "Bob" & <Co>, account <script>alert(1)</script>.'));
});

test('the plain text underlines headings, marks list items and separates paragraphs', () => {
  const template = parseTemplate('Subject: x\n\n# Waarschuwing\n\nEen alinea.\n\n## Wat nu\n\n- bellen\n- mailen\n\n3. stap drie\n4. stap vier\n\n---\n\nSlot', 'markdown', 'mail.md');
  const { text } = composeEmail(template, letterContext({ sender: { organisation: 'Politie', signatory: 'A. de Vries' } }));
  assert.equal(text, [
    'Waarschuwing', '============', '', 'Een alinea.', '', 'Wat nu', '------', '', '- bellen', '- mailen', '',
    '3. stap drie', '4. stap vier', '', '------------------------', '', 'Slot', '', 'A. de Vries', 'Politie', '',
  ].join('\n'));
});

test('the plain text wraps long paragraphs at 76 columns and indents list continuations', () => {
  const long = 'Deze zin is lang en wordt herhaald zodat de alinea over meerdere regels moet lopen. '.repeat(4).trim();
  const template = parseTemplate(`Subject: x\n\n${long}\n\n- ${long}`, 'markdown', 'mail.md');
  const { text } = composeEmail(template, letterContext());
  const lines = text.split('\n');
  assert.ok(lines.every((line) => [...line].length <= 76), 'no line is longer than 76 characters');
  assert.ok(lines.filter((line) => line.startsWith('  Deze') || line.startsWith('  ')).length >= 2, 'list continuation lines are indented');
  assert.equal(text.replace(/\n {2}/g, ' ').replace(/\n(?!\n)/g, ' ').includes(long), true, 'wrapping only replaces spaces');
});

test('the html renders headings, bold and italic runs, lists with their start and line breaks', () => {
  const template = parseTemplate('Subject: x\n\n## Kop\n\nEen **vet** en *schuin*\\\nregel\n\n3. drie\n4. vier\n\n---', 'markdown', 'mail.md');
  const { html } = composeEmail(template, letterContext({ sender: { organisation: 'Politie' } }));
  assert.ok(html.includes('<h2>Kop</h2>\n<p>Een <strong>vet</strong> en <em>schuin</em><br>\nregel</p>\n<ol start="3">\n<li>drie</li>\n<li>vier</li>\n</ol>\n<hr>\n<p>Politie</p>'), html);
});

test('for any name and username the html holds no markup but the renderer\'s own', () => {
  const template = parseTemplate('Subject: {{username}}\n\nBeste **{{name}}**,\n\n- {{username}}\n\n{{activity}}', 'markdown', 'mail.md');
  const plain = composeEmail(template, letterContext({ person: { name: 'Jan', usernames: ['jan'], emails: [] } })).html;
  const angleBrackets = (html: string): number => html.split('<').length - 1;
  fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 60 }), fc.string({ unit: 'binary', maxLength: 60 }), (name, username) => {
    const { html } = composeEmail(template, letterContext({ person: { name, usernames: [username], emails: [] } }));
    const strayBracket = html.split('<').slice(1).find((after) => !RENDERER_TAG_START.test(after));
    assert.equal(strayBracket, undefined, 'every < opens or closes a tag of the renderer');
    assert.ok(tagsOf(html).every((tag) => RENDERER_TAGS.has(tag)));
    // A value with nothing to show drops its list item; any other keeps the markup of the plain case.
    if (name.trim() && username.trim()) assert.equal(angleBrackets(html), angleBrackets(plain));
  }), { numRuns: 300 });
});
