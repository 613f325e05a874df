// The e-mail that goes with a letter: a subject that always carries the reference, a plain-text
// body and a minimal HTML body. Both are made from the same filled template; the HTML escapes every
// value and loads nothing from elsewhere, and neither holds a link: the police tell people never to
// follow links in mail that claims to come from them.
import { escapeHtml } from '../cases/export/report-html.ts';
import { signatureLines } from './letter-values.ts';
import {
  renderTemplateText, TemplateError, type LetterContext, type LetterLanguage, type ParsedTemplate, type RenderedBlock, type TextRun,
} from './template.ts';

export type ComposedEmail = { subject: string; text: string; html: string };

const WRAP_COLUMNS = 76;
const PHONE_LABEL = { nl: 'Telefoon', en: 'Phone' } as const satisfies Record<LetterLanguage, string>;
const BODY_STYLE = 'font-family: Arial, Helvetica, sans-serif; font-size: 15px; line-height: 1.5; color: #1b1f24; max-width: 42em;';

export function composeEmail(template: ParsedTemplate, ctx: LetterContext): ComposedEmail {
  if (!template.subject) {
    throw new TemplateError(template.origin, 'an e-mail template starts with a line "Subject: ..."', { line: 1 });
  }
  const rendered = renderTemplateText(template, ctx);
  const subject = subjectWithReference(rendered.subject ?? '', template.subject.some((p) => p.kind === 'placeholder' && p.name === 'reference'), ctx.reference);
  const signed = [...signatureLines(ctx.sender), ...(ctx.sender.phone?.trim() ? [`${PHONE_LABEL[ctx.language]} ${ctx.sender.phone.trim()}`] : [])];
  return {
    subject,
    text: plainText(rendered.blocks, signed),
    html: htmlDocument(rendered.blocks, signed, subject, ctx.language),
  };
}

/** Replies quote the subject, so the reference must be in it for a reply to find its recipient. */
function subjectWithReference(subject: string, namesReference: boolean, reference: string): string {
  return namesReference ? subject : `${subject} [${reference}]`;
}

// Plain text ----------------------------------------------------------------------------------

function plainText(blocks: RenderedBlock[], signature: string[]): string {
  const parts = blocks.map(plainBlock);
  if (signature.length > 0) parts.push(signature.join('\n'));
  return `${parts.join('\n\n')}\n`;
}

function plainBlock(block: RenderedBlock): string {
  switch (block.kind) {
    case 'heading': {
      const text = runsText(block.content).replace(/\n/g, ' ');
      return `${text}\n${(block.level === 1 ? '=' : '-').repeat([...text].length)}`;
    }
    case 'paragraph':
      return wrapped(runsText(block.content), '', '');
    case 'list':
      return block.items.map((item, i) => {
        const marker = block.ordered ? `${block.start + i}. ` : '- ';
        return wrapped(runsText(item), marker, ' '.repeat(marker.length));
      }).join('\n');
    case 'rule':
      return '-'.repeat(24);
  }
}

function runsText(runs: TextRun[]): string {
  return runs.map((run) => (run.kind === 'break' ? '\n' : run.text)).join('');
}

/** Greedy wrapping at spaces; a word longer than a line stays whole rather than being cut. */
function wrapped(text: string, firstIndent: string, indent: string): string {
  return text.split('\n').map((line, i) => wrapLine(line, i === 0 ? firstIndent : indent, indent)).join('\n');
}

function wrapLine(line: string, firstIndent: string, indent: string): string {
  const lines: string[] = [];
  let current = firstIndent;
  let isEmpty = true;
  for (const word of line.split(' ')) {
    const candidate = isEmpty ? current + word : `${current} ${word}`;
    if (!isEmpty && [...candidate].length > WRAP_COLUMNS) {
      lines.push(current);
      current = indent + word;
    } else {
      current = candidate;
    }
    isEmpty = false;
  }
  lines.push(current);
  return lines.join('\n');
}

// HTML ------------------------------------------------------------------------------------------

function htmlDocument(blocks: RenderedBlock[], signature: string[], subject: string, language: LetterLanguage): string {
  const body = blocks.map(htmlBlock);
  if (signature.length > 0) body.push(`<p>${signature.map(escapeHtml).join('<br>\n')}</p>`);
  return [
    '<!DOCTYPE html>',
    `<html lang="${language}">`,
    '<head>',
    '<meta charset="utf-8">',
    `<title>${escapeHtml(subject)}</title>`,
    '</head>',
    `<body style="${BODY_STYLE}">`,
    ...body,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function htmlBlock(block: RenderedBlock): string {
  switch (block.kind) {
    case 'heading':
      return `<h${block.level}>${htmlRuns(block.content)}</h${block.level}>`;
    case 'paragraph':
      return `<p>${htmlRuns(block.content)}</p>`;
    case 'list': {
      const tag = block.ordered ? 'ol' : 'ul';
      const start = block.ordered && block.start !== 1 ? ` start="${block.start}"` : '';
      return [`<${tag}${start}>`, ...block.items.map((item) => `<li>${htmlRuns(item)}</li>`), `</${tag}>`].join('\n');
    }
    case 'rule':
      return '<hr>';
  }
}

function htmlRuns(runs: TextRun[]): string {
  return runs.map((run) => {
    if (run.kind === 'break') return '<br>\n';
    let html = escapeHtml(run.text);
    if (run.italic) html = `<em>${html}</em>`;
    if (run.bold) html = `<strong>${html}</strong>`;
    return html;
  }).join('');
}
