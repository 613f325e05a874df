// Letter and e-mail templates: Markdown or a small HTML subset with {{placeholders}}, parsed once
// into blocks of styled text. A placeholder stays a piece of its own until render time and is then
// filled with plain text, so a value (a handle from a leaked database, a search term) can never
// become markup in the letter or the e-mail, whatever characters it holds.
import { readFileSync } from 'node:fs';
import { Lexer, type MarkedToken, type Token, type Tokens } from 'marked';
import { Parser } from 'htmlparser2';
import type { RecipientActivity } from '../model/campaigns.ts';
import { visiblePieces } from '../cases/export/report-model.ts';
import { placeholderValues } from './letter-values.ts';

export type TemplateFormat = 'markdown' | 'html';
export type LetterLanguage = 'nl' | 'en';

/** What a template may name between double braces. */
export const PLACEHOLDERS = [
  'name', 'salutation', 'username', 'usernames', 'email', 'address', 'reference', 'date', 'site', 'campaign',
  'registered', 'first_active', 'last_active', 'payments', 'amounts', 'searches', 'search_examples', 'activity', 'legal_text',
] as const;
export type PlaceholderName = (typeof PLACEHOLDERS)[number];

/** Everything a letter or an e-mail says about one recipient, and who sends it. */
export type LetterContext = {
  language: LetterLanguage;
  reference: string;
  /** YYYY-MM-DD */
  date: string;
  site: string;
  campaign: string;
  person: { name?: string; usernames: string[]; emails: string[]; address?: string };
  activity: RecipientActivity;
  legalText: string;
  /** Who sends it: printed as the letterhead/sender block and signature. */
  sender: { organisation: string; unit?: string; address?: string; phone?: string; email?: string; signatory?: string };
};

type Style = { bold: boolean; italic: boolean };

/** Styled text, or a hard line break. */
export type TextRun = ({ kind: 'text'; text: string } & Style) | { kind: 'break' };
/** A piece of a parsed template: styled text, a placeholder to fill, or a hard line break. */
export type TemplateInline = TextRun | ({ kind: 'placeholder'; name: PlaceholderName } & Style);

export type Block<Inline> =
  | { kind: 'heading'; level: 1 | 2 | 3; content: Inline[] }
  | { kind: 'paragraph'; content: Inline[] }
  | { kind: 'list'; ordered: boolean; start: number; items: Inline[][] }
  | { kind: 'rule' };
export type TemplateBlock = Block<TemplateInline>;
export type RenderedBlock = Block<TextRun>;

export type ParsedTemplate = {
  /** Where the text came from (a file name), for error messages. */
  origin: string;
  format: TemplateFormat;
  /** From a first line `Subject: ...`; e-mails need one. */
  subject?: TemplateInline[];
  blocks: TemplateBlock[];
};

/** A template with its placeholders filled, ready for the PDF and the e-mail renderers. */
export type RenderedTemplate = { subject?: string; blocks: RenderedBlock[] };

/** A template that cannot be used, with the place in its text to fix. */
export class TemplateError extends Error {
  readonly origin: string;
  readonly line: number | undefined;
  readonly column: number | undefined;
  readonly reason: string;

  constructor(origin: string, reason: string, at?: { line: number; column?: number }) {
    const where = at ? `:${at.line}${at.column === undefined ? '' : `:${at.column}`}` : '';
    super(`${origin}${where}: ${reason}`);
    this.name = 'TemplateError';
    this.origin = origin;
    this.line = at?.line;
    this.column = at?.column;
    this.reason = reason;
  }
}

// ---------------------------------------------------------------------------------------------
// Parsing

// Placeholders are swapped for private-use sentinels before Markdown sees the text: otherwise the
// underscores of {{first_active}} ... {{last_active}} would be read as emphasis.
const SENTINEL_OPEN = '\uE000';
const SENTINEL_CLOSE = '\uE001';
const SENTINEL = /\uE000(\d+)\uE001/;
const PLACEHOLDER = /\{\{([^{}\n]*)\}\}/g;
const PLAIN: Style = { bold: false, italic: false };

type Scope = { origin: string; text: string; placeholders: PlaceholderName[] };

export function parseTemplate(text: string, format: TemplateFormat, origin: string): ParsedTemplate {
  const source = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const reserved = source.search(/[\uE000\uE001]/);
  if (reserved >= 0) throw new TemplateError(origin, 'the characters U+E000 and U+E001 are reserved', position(source, reserved));
  const { marked, placeholders } = markPlaceholders(source, origin);
  const { subject, body } = splitSubject(marked, origin);
  const scope: Scope = { origin, text: body, placeholders };
  return {
    origin,
    format,
    ...(subject === undefined ? {} : { subject: tidy(textPieces(subject, PLAIN, scope)) }),
    blocks: format === 'markdown' ? markdownBlocks(scope) : htmlBlocks(scope),
  };
}

function position(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: offset - lineStart + 1 };
}

function markPlaceholders(source: string, origin: string): { marked: string; placeholders: PlaceholderName[] } {
  const stray = source.replace(PLACEHOLDER, (whole: string) => ' '.repeat(whole.length)).search(/\{\{|\}\}/);
  if (stray >= 0) throw new TemplateError(origin, 'unclosed placeholder braces (a placeholder is {{name}} on one line)', position(source, stray));
  const placeholders: PlaceholderName[] = [];
  const marked = source.replace(PLACEHOLDER, (whole: string, inner: string, offset: number) => {
    const name = inner.trim();
    if (!isPlaceholderName(name)) {
      const reason = /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? `unknown placeholder {{${name}}}` : `malformed placeholder ${whole}`;
      throw new TemplateError(origin, `${reason}; known placeholders: ${PLACEHOLDERS.join(', ')}`, position(source, offset));
    }
    placeholders.push(name);
    return `${SENTINEL_OPEN}${placeholders.length - 1}${SENTINEL_CLOSE}`;
  });
  return { marked, placeholders };
}

function isPlaceholderName(name: string): name is PlaceholderName {
  return (PLACEHOLDERS as readonly string[]).includes(name);
}

/** The first line `Subject: ...` is taken off; the body keeps an empty line so line numbers stay true. */
function splitSubject(marked: string, origin: string): { subject?: string; body: string } {
  const newline = marked.indexOf('\n');
  const first = newline < 0 ? marked : marked.slice(0, newline);
  const match = /^Subject:(.*)$/i.exec(first);
  if (!match) return { body: marked };
  const subject = (match[1] ?? '').trim();
  if (!subject) throw new TemplateError(origin, 'the Subject line is empty', { line: 1 });
  return { subject, body: newline < 0 ? '' : marked.slice(newline) };
}

/** Literal text cut at the placeholder sentinels. */
function textPieces(text: string, style: Style, scope: Scope): TemplateInline[] {
  const parts = text.split(SENTINEL);
  const pieces: TemplateInline[] = [];
  parts.forEach((part, i) => {
    if (i % 2 === 0) {
      if (part) pieces.push({ kind: 'text', text: part, ...style });
      return;
    }
    const name = scope.placeholders[Number(part)];
    if (name) pieces.push({ kind: 'placeholder', name, ...style });
  });
  return pieces;
}

const SPACE = /[ \t\n\f\r]+/g;

/**
 * Template text spaced as a browser would: runs of white space become one space, and none is left
 * at the edges or beside a line break. Values are filled in later and keep their own spacing.
 */
function tidy(content: TemplateInline[]): TemplateInline[] {
  const collapsed = content.map((piece) => (piece.kind === 'text' ? { ...piece, text: piece.text.replace(SPACE, ' ') } : piece));
  const tidied: TemplateInline[] = [];
  collapsed.forEach((piece, i) => {
    if (piece.kind !== 'text') {
      tidied.push(piece);
      return;
    }
    const before = collapsed[i - 1];
    const after = collapsed[i + 1];
    let text = piece.text;
    if (!before || before.kind === 'break') text = text.replace(/^ /, '');
    if (!after || after.kind === 'break') text = text.replace(/ $/, '');
    if (text) tidied.push({ ...piece, text });
  });
  return tidied;
}

function hasContent(content: TemplateInline[]): boolean {
  return content.some((piece) => piece.kind === 'placeholder' || (piece.kind === 'text' && piece.text.trim() !== ''));
}

function fail(scope: Scope, reason: string, offset: number): never {
  throw new TemplateError(scope.origin, reason, { line: position(scope.text, offset).line });
}

// Markdown ---------------------------------------------------------------------------------------

function markdownBlocks(scope: Scope): TemplateBlock[] {
  const blocks: TemplateBlock[] = [];
  let offset = 0;
  for (const token of new Lexer({ gfm: true }).lex(scope.text)) {
    const found = scope.text.indexOf(token.raw, offset);
    const start = found < 0 ? offset : found;
    offset = start + token.raw.length;
    const block = markdownBlock(token as MarkedToken, scope, start);
    if (block) blocks.push(block);
  }
  return blocks;
}

function markdownBlock(token: MarkedToken, scope: Scope, start: number): TemplateBlock | undefined {
  switch (token.type) {
    case 'space':
    case 'def':
      return undefined;
    case 'paragraph': {
      const content = tidy(markdownInlines(token.tokens, PLAIN, scope, start));
      return hasContent(content) ? { kind: 'paragraph', content } : undefined;
    }
    case 'heading':
      return { kind: 'heading', level: Math.min(Math.max(token.depth, 1), 3) as 1 | 2 | 3, content: tidy(markdownInlines(token.tokens, PLAIN, scope, start)) };
    case 'list':
      return {
        kind: 'list',
        ordered: token.ordered,
        start: typeof token.start === 'number' ? token.start : 1,
        items: token.items.map((item) => markdownItem(item, scope, start)).filter(hasContent),
      };
    case 'hr':
      return { kind: 'rule' };
    case 'html':
      if (isComment(token.text)) return undefined;
      return fail(scope, `HTML (${firstTag(token.text)}) is not allowed in a Markdown template; use Markdown or an .html template`, start);
    case 'code':
      return fail(scope, 'a code block is not supported (a line indented by four spaces starts one)', start);
    default:
      return fail(scope, `${token.type} is not supported in a template (headings, paragraphs, lists and rules are)`, start);
  }
}

function markdownItem(item: Tokens.ListItem, scope: Scope, from: number): TemplateInline[] {
  const at = nestedOffset(scope, item.raw, from);
  const parts: TemplateInline[][] = [];
  for (const token of item.tokens as MarkedToken[]) {
    if (token.type === 'space') continue;
    if (token.type === 'text' || token.type === 'paragraph') {
      parts.push(token.tokens ? markdownInlines(token.tokens, PLAIN, scope, at) : textPieces(decodeEntities(token.text), PLAIN, scope));
      continue;
    }
    const reason = token.type === 'list' ? 'a list inside a list is not supported' : `${token.type} inside a list item is not supported`;
    fail(scope, reason, nestedOffset(scope, token.raw, at));
  }
  return tidy(parts.flatMap((part, i) => (i === 0 ? part : [{ kind: 'break' } as const, ...part])));
}

function markdownInlines(tokens: Token[], style: Style, scope: Scope, from: number): TemplateInline[] {
  return tokens.flatMap((token) => markdownInline(token as MarkedToken, style, scope, from));
}

function markdownInline(token: MarkedToken, style: Style, scope: Scope, from: number): TemplateInline[] {
  switch (token.type) {
    case 'text':
      return token.tokens ? markdownInlines(token.tokens, style, scope, from) : textPieces(decodeEntities(token.text), style, scope);
    case 'escape':
    case 'codespan':
      return textPieces(token.text, style, scope);
    case 'strong':
      return markdownInlines(token.tokens, { ...style, bold: true }, scope, from);
    case 'em':
      return markdownInlines(token.tokens, { ...style, italic: true }, scope, from);
    case 'del':
      return markdownInlines(token.tokens, style, scope, from);
    // Letters and e-mails carry no links: a link keeps only its text.
    case 'link':
      return markdownInlines(token.tokens, style, scope, from);
    case 'br':
      return [{ kind: 'break' }];
    case 'checkbox':
      return [];
    case 'html':
      if (isComment(token.text)) return [];
      return fail(scope, `HTML (${firstTag(token.text)}) is not allowed in a Markdown template; use **bold** and *italics*`, nestedOffset(scope, token.raw, from));
    case 'image':
      return fail(scope, 'images are not supported: a letter or e-mail loads nothing from elsewhere', nestedOffset(scope, token.raw, from));
    default:
      return fail(scope, `${token.type} is not supported in a template`, nestedOffset(scope, token.raw, from));
  }
}

function nestedOffset(scope: Scope, raw: string, from: number): number {
  const found = scope.text.indexOf(raw, from);
  return found < 0 ? from : found;
}

function isComment(html: string): boolean {
  return /^\s*<!--[\s\S]*-->\s*$/.test(html);
}

function firstTag(html: string): string {
  return /<\/?[A-Za-z][^\s>/]*/.exec(html)?.[0].concat('>') ?? html.trim().slice(0, 20);
}

/** Markdown leaves character references (&amp;, &eacute;) in its text tokens. */
function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  let decoded = '';
  // htmlparser2 knows every HTML5 entity; escaping < first keeps a literal angle bracket text.
  const parser = new Parser({ ontext: (piece) => { decoded += piece; } });
  parser.end(text.replaceAll('<', '&lt;'));
  return decoded;
}

// HTML -------------------------------------------------------------------------------------------

const HTML_TAGS = ['h1', 'h2', 'h3', 'p', 'strong', 'b', 'em', 'i', 'ul', 'ol', 'li', 'br', 'hr', 'div', 'span'] as const;

type Container =
  | { kind: 'paragraph'; content: TemplateInline[] }
  | { kind: 'heading'; level: 1 | 2 | 3; content: TemplateInline[] }
  | { kind: 'item'; content: TemplateInline[] };
type ListBlock = Extract<TemplateBlock, { kind: 'list' }>;

function htmlBlocks(scope: Scope): TemplateBlock[] {
  const blocks: TemplateBlock[] = [];
  let current: Container | undefined;
  let list: ListBlock | undefined;
  let bold = 0;
  let italic = 0;

  const finish = (): void => {
    if (!current) return;
    const content = tidy(current.content);
    if (hasContent(content)) {
      if (current.kind === 'item') list?.items.push(content);
      else if (current.kind === 'heading') blocks.push({ kind: 'heading', level: current.level, content });
      else blocks.push({ kind: 'paragraph', content });
    }
    current = undefined;
  };
  const inline = (): TemplateInline[] => {
    if (current) return current.content;
    if (list) fail(scope, 'text inside a list must be inside <li>', parser.startIndex);
    current = { kind: 'paragraph', content: [] };
    return current.content;
  };
  const refuseInList = (what: string): void => {
    if (list) fail(scope, `${what} inside a list is not supported`, parser.startIndex);
  };

  const parser: Parser = new Parser({
    onopentag(name, attributes) {
      switch (name) {
        case 'b': case 'strong': bold += 1; return;
        case 'i': case 'em': italic += 1; return;
        case 'span': return;
        case 'br': inline().push({ kind: 'break' }); return;
        case 'p': case 'div':
          // Inside a list item or heading a new paragraph can only be a new line.
          if (current?.kind === 'item' || current?.kind === 'heading') {
            if (hasContent(current.content)) current.content.push({ kind: 'break' });
            return;
          }
          finish();
          if (name === 'p') current = { kind: 'paragraph', content: [] };
          return;
        case 'h1': case 'h2': case 'h3':
          refuseInList(`<${name}>`);
          finish();
          current = { kind: 'heading', level: Number(name.slice(1)) as 1 | 2 | 3, content: [] };
          return;
        case 'ul': case 'ol':
          refuseInList('a list');
          finish();
          list = { kind: 'list', ordered: name === 'ol', start: Number.parseInt(attributes.start ?? '1', 10) || 1, items: [] };
          return;
        case 'li':
          if (!list) fail(scope, '<li> outside <ul> or <ol>', parser.startIndex);
          finish();
          current = { kind: 'item', content: [] };
          return;
        case 'hr':
          refuseInList('<hr>');
          finish();
          blocks.push({ kind: 'rule' });
          return;
        case 'a':
          return fail(scope, 'links (<a>) are not allowed: letters and e-mails carry no links', parser.startIndex);
        default:
          return fail(scope, `unsupported tag <${name}>; a template may use ${HTML_TAGS.map((t) => `<${t}>`).join(' ')}`, parser.startIndex);
      }
    },
    onclosetag(name) {
      switch (name) {
        case 'b': case 'strong': bold = Math.max(0, bold - 1); return;
        case 'i': case 'em': italic = Math.max(0, italic - 1); return;
        case 'p': case 'div': if (current?.kind === 'paragraph') finish(); return;
        case 'h1': case 'h2': case 'h3': if (current?.kind === 'heading') finish(); return;
        case 'li': if (current?.kind === 'item') finish(); return;
        case 'ul': case 'ol':
          finish();
          if (list && list.items.length > 0) blocks.push(list);
          list = undefined;
          return;
        default:
          return;
      }
    },
    ontext(text) {
      if (!current && text.trim() === '') return;
      inline().push(...textPieces(text, { bold: bold > 0, italic: italic > 0 }, scope));
    },
  }, { decodeEntities: true, lowerCaseTags: true, recognizeSelfClosing: true });

  parser.end(scope.text);
  finish();
  if (list && list.items.length > 0) blocks.push(list);
  return blocks;
}

// ---------------------------------------------------------------------------------------------
// Filling

/** Values that may span lines; a blank line in them starts a new paragraph. */
const MULTI_LINE: ReadonlySet<PlaceholderName> = new Set(['address', 'legal_text']);

type Filled = TextRun | { kind: 'paragraph-break' };

export function renderTemplateText(template: ParsedTemplate, ctx: LetterContext): RenderedTemplate {
  const values = placeholderValues(ctx);
  const blocks = template.blocks.flatMap((block) => renderBlock(block, values));
  return template.subject ? { subject: subjectText(template.subject, values), blocks } : { blocks };
}

function renderBlock(block: TemplateBlock, values: Record<PlaceholderName, string>): RenderedBlock[] {
  switch (block.kind) {
    case 'rule':
      return [block];
    case 'paragraph':
      return splitParagraphs(fill(block.content, values)).map((content) => ({ kind: 'paragraph', content }));
    case 'heading': {
      const content = trimRuns(asLines(fill(block.content, values)));
      return hasVisibleText(content) ? [{ kind: 'heading', level: block.level, content }] : [];
    }
    case 'list': {
      const items = block.items.map((item) => trimRuns(asLines(fill(item, values)))).filter(hasVisibleText);
      return items.length > 0 ? [{ kind: 'list', ordered: block.ordered, start: block.start, items }] : [];
    }
  }
}

function subjectText(subject: TemplateInline[], values: Record<PlaceholderName, string>): string {
  // A line break in a value must not reach an e-mail header.
  return subject.map((piece) => (piece.kind === 'placeholder' ? visible(values[piece.name]) : piece.kind === 'text' ? piece.text : ' '))
    .join('').replace(/\s+/g, ' ').trim();
}

/** Direction overrides, zero-width and control characters are shown as [U+XXXX], never obeyed. */
function visible(value: string): string {
  return visiblePieces(value.replace(/\r\n?/g, '\n')).map((piece) => piece.text).join('');
}

function fill(content: TemplateInline[], values: Record<PlaceholderName, string>): Filled[] {
  return content.flatMap((piece): Filled[] => {
    if (piece.kind !== 'placeholder') return [piece];
    const style = { bold: piece.bold, italic: piece.italic };
    const value = visible(values[piece.name]);
    if (!MULTI_LINE.has(piece.name)) return [{ kind: 'text', text: value.replace(/[ \t]*\n\s*/g, ' '), ...style }];
    return valueRuns(value, style);
  });
}

function valueRuns(value: string, style: Style): Filled[] {
  const runs: Filled[] = [];
  value.trim().split(/\n[ \t]*\n\s*/).forEach((paragraph, p) => {
    if (p > 0) runs.push({ kind: 'paragraph-break' });
    paragraph.split('\n').forEach((line, l) => {
      if (l > 0) runs.push({ kind: 'break' });
      runs.push({ kind: 'text', text: line.trim(), ...style });
    });
  });
  return runs;
}

function splitParagraphs(filled: Filled[]): TextRun[][] {
  const paragraphs: TextRun[][] = [[]];
  for (const run of filled) {
    if (run.kind === 'paragraph-break') paragraphs.push([]);
    else paragraphs[paragraphs.length - 1]?.push(run);
  }
  return paragraphs.map(trimRuns).filter(hasVisibleText);
}

function asLines(filled: Filled[]): TextRun[] {
  return filled.map((run): TextRun => (run.kind === 'paragraph-break' ? { kind: 'break' } : run));
}

/** No empty pieces, nothing blank and no line break at either end, no space at the edges. */
function trimRuns(runs: TextRun[]): TextRun[] {
  const kept = runs.filter((run) => run.kind === 'break' || run.text !== '');
  const isBlank = (run: TextRun | undefined): boolean => run !== undefined && (run.kind === 'break' || run.text.trim() === '');
  while (isBlank(kept[0])) kept.shift();
  while (isBlank(kept[kept.length - 1])) kept.pop();
  const first = kept[0];
  if (first?.kind === 'text') kept[0] = { ...first, text: first.text.replace(/^[ \t]+/, '') };
  const last = kept[kept.length - 1];
  if (last?.kind === 'text') kept[kept.length - 1] = { ...last, text: last.text.replace(/[ \t]+$/, '') };
  return kept;
}

function hasVisibleText(runs: TextRun[]): boolean {
  return runs.some((run) => run.kind === 'text' && run.text.trim() !== '');
}

// ---------------------------------------------------------------------------------------------
// Shipped templates

export type ShippedKind = 'letter' | 'email' | 'legal';

/** A template shipped with Lode (templates/), parsed; for `legal` the default legal text. */
export function shippedTemplate(kind: 'legal', language: LetterLanguage): string;
export function shippedTemplate(kind: 'letter' | 'email', language: LetterLanguage): ParsedTemplate;
export function shippedTemplate(kind: ShippedKind, language: LetterLanguage): ParsedTemplate | string;
export function shippedTemplate(kind: ShippedKind, language: LetterLanguage): ParsedTemplate | string {
  const text = shippedTemplateText(kind, language);
  return kind === 'legal' ? withoutComments(text) : parseTemplate(text, 'markdown', `templates/${kind}.${language}.md`);
}

/** A shipped template as written (Markdown), for an officer to read or start their own from. */
export function shippedTemplateText(kind: ShippedKind, language: LetterLanguage): string {
  return readFileSync(new URL(`./templates/${kind}.${language}.md`, import.meta.url), 'utf8');
}

/** The default legal paragraphs of a language, to be reviewed by each campaign's legal officer. */
export function shippedLegalText(language: LetterLanguage): string {
  return shippedTemplate('legal', language);
}

/** The legal text file without its HTML comments (the notes for the legal officer). */
function withoutComments(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(/<!--[\s\S]*?-->/g, '').replace(/\n{3,}/g, '\n\n').trim();
}
