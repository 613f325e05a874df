// A warning letter on A4: the sender's letterhead, the recipient's name and address where a window
// envelope shows them, the date and reference, the body from the template and the signature; the
// reference and "page X of Y" under every page. Like the court report it uses the PDF standard
// fonts (characters they cannot print become [U+XXXX]) and takes its dates from the letter's
// date, so the same letter gives the same bytes.
import PDFDocument from 'pdfkit';
import { pdfText } from '../cases/export/report-pdf.ts';
import { LETTER_LOCALES, letterDate, letterDateText, signatureLines } from './letter-values.ts';
import { renderTemplateText, type LetterContext, type LetterLanguage, type ParsedTemplate, type RenderedBlock, type TextRun } from './template.ts';

type Doc = InstanceType<typeof PDFDocument>;
type FontName = 'Helvetica' | 'Helvetica-Bold' | 'Helvetica-Oblique' | 'Helvetica-BoldOblique';

const MM = 72 / 25.4;
const PAGE = { width: 595.28, height: 841.89 };
const MARGIN = { top: 20 * MM, bottom: 25 * MM, left: 25 * MM, right: 20 * MM };
const WIDTH = PAGE.width - MARGIN.left - MARGIN.right;
// Where common window envelopes (DL, C5/6; DIN 5008 form B) show the address: about 20-105 mm from
// the left, 45-90 mm from the top. No return address is printed there, so the envelope does not
// tell the postman or a housemate that the police wrote.
const WINDOW = { x: 25 * MM, y: 50 * MM, width: 80 * MM, height: 38 * MM };
const SENDER_COLUMN = { x: 125 * MM, width: PAGE.width - MARGIN.right - 125 * MM };
const FACTS_TOP = 100 * MM;
const BODY_SIZE = 10.5;
const LINE_GAP = 2;
const INK = '#1b1f24';
const MUTED = '#5b6470';
const ACCENT = '#1f3a5f';
const LINE = '#c9ced4';

const LABELS = {
  nl: { date: 'Datum', reference: 'Kenmerk', subject: 'Onderwerp', phone: 'Telefoon', email: 'E-mail', page: (n: number, of: number) => `pagina ${n} van ${of}` },
  en: { date: 'Date', reference: 'Reference', subject: 'Subject', phone: 'Phone', email: 'E-mail', page: (n: number, of: number) => `page ${n} of ${of}` },
} as const satisfies Record<LetterLanguage, unknown>;

export async function renderLetterPdf(template: ParsedTemplate, ctx: LetterContext): Promise<Uint8Array> {
  const rendered = renderTemplateText(template, ctx);
  const dated = letterDate(ctx.date);
  const doc: Doc = new PDFDocument({
    size: 'A4',
    margins: MARGIN,
    bufferPages: true,
    lang: LETTER_LOCALES[ctx.language],
    displayTitle: true,
    info: {
      Title: pdfText(`${ctx.campaign} \u2013 ${ctx.reference}`),
      Author: pdfText(ctx.sender.organisation),
      Subject: pdfText(rendered.subject ?? ctx.campaign),
      Creator: 'Lode',
      Producer: 'Lode (PDFKit)',
      CreationDate: dated,
      ModDate: dated,
    },
  });
  const bytes = collected(doc);
  letterhead(doc, ctx);
  recipientBlock(doc, ctx);
  facts(doc, ctx, rendered.subject);
  for (const block of rendered.blocks) drawBlock(doc, block);
  signature(doc, ctx);
  footers(doc, ctx);
  doc.end();
  return bytes;
}

function collected(doc: Doc): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  return new Promise((resolve, reject) => {
    doc.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
    doc.on('error', reject);
  });
}

function font(doc: Doc, name: FontName, size: number, color = INK): Doc {
  return doc.font(name).fontSize(size).fillColor(color);
}

function lines(text: string | undefined): string[] {
  return (text ?? '').split(/\r\n?|\n/).map((line) => line.trim()).filter(Boolean);
}

function letterhead(doc: Doc, ctx: LetterContext): void {
  const { sender } = ctx;
  const labels = LABELS[ctx.language];
  const top = MARGIN.top;
  font(doc, 'Helvetica-Bold', 15, ACCENT).text(pdfText(sender.organisation), MARGIN.left, top, { width: SENDER_COLUMN.x - MARGIN.left - 12 });
  if (sender.unit) font(doc, 'Helvetica', 10.5, MUTED).text(pdfText(sender.unit), { width: SENDER_COLUMN.x - MARGIN.left - 12 });
  const details = [
    ...lines(sender.address),
    ...(sender.phone ? [`${labels.phone} ${sender.phone}`] : []),
    ...(sender.email ? [`${labels.email} ${sender.email}`] : []),
  ];
  font(doc, 'Helvetica', 8.5, MUTED).text(pdfText(details.join('\n')), SENDER_COLUMN.x, top + 3, { width: SENDER_COLUMN.width, lineGap: 1 });
}

/** The name (when known) and the postal address, clipped to the window so nothing spills outside it. */
function recipientBlock(doc: Doc, ctx: LetterContext): void {
  const block = [ctx.person.name?.trim() ?? '', ...lines(ctx.person.address)].filter(Boolean);
  if (block.length === 0) return;
  font(doc, 'Helvetica', BODY_SIZE).text(pdfText(block.join('\n')), WINDOW.x, WINDOW.y, {
    width: WINDOW.width, height: WINDOW.height, ellipsis: true, lineGap: 1,
  });
}

function facts(doc: Doc, ctx: LetterContext, subject: string | undefined): void {
  const labels = LABELS[ctx.language];
  const rows: [string, string, FontName][] = [
    [labels.date, letterDateText(ctx), 'Helvetica'],
    [labels.reference, ctx.reference, 'Helvetica-Bold'],
    ...(subject ? [[labels.subject, subject, 'Helvetica'] as [string, string, FontName]] : []),
  ];
  doc.y = FACTS_TOP;
  for (const [label, value, valueFont] of rows) {
    const y = doc.y;
    font(doc, 'Helvetica', 9, MUTED).text(label, MARGIN.left, y + 1, { width: 80, lineBreak: false });
    font(doc, valueFont, 10, INK).text(pdfText(value), MARGIN.left + 85, y, { width: WIDTH - 85 });
    doc.moveDown(0.2);
  }
  doc.y += 22;
}

function bottom(doc: Doc): number {
  return doc.page.height - doc.page.margins.bottom;
}

/** Starts a new page when less than `height` points remain on this one. */
function ensureSpace(doc: Doc, height: number): void {
  if (doc.y + height > bottom(doc)) doc.addPage();
}

function drawBlock(doc: Doc, block: RenderedBlock): void {
  switch (block.kind) {
    case 'heading': {
      const size = block.level === 1 ? 14 : block.level === 2 ? 12 : BODY_SIZE;
      ensureSpace(doc, size * 4);
      doc.moveDown(0.3);
      drawRuns(doc, block.content.map((run) => (run.kind === 'text' ? { ...run, bold: true } : run)), MARGIN.left, doc.y, WIDTH, size);
      doc.moveDown(0.35);
      return;
    }
    case 'paragraph':
      drawRuns(doc, block.content, MARGIN.left, doc.y, WIDTH, BODY_SIZE);
      doc.moveDown(0.7);
      return;
    case 'list':
      block.items.forEach((item, i) => {
        ensureSpace(doc, BODY_SIZE * 2);
        const y = doc.y;
        const marker = block.ordered ? `${block.start + i}.` : '\u2022';
        font(doc, 'Helvetica', BODY_SIZE).text(marker, MARGIN.left + 4, y, { width: 16, lineBreak: false });
        drawRuns(doc, item, MARGIN.left + 20, y, WIDTH - 20, BODY_SIZE);
        doc.moveDown(0.25);
      });
      doc.moveDown(0.45);
      return;
    case 'rule': {
      ensureSpace(doc, 20);
      const y = doc.y + 4;
      doc.lineWidth(0.6).moveTo(MARGIN.left, y).lineTo(MARGIN.left + WIDTH, y).stroke(LINE);
      doc.y = y + 12;
      return;
    }
  }
}

type Segment = { text: string; font: FontName };

/** Styled runs as pdfkit's continued text: one call per change of font, line breaks as newlines. */
function drawRuns(doc: Doc, runs: TextRun[], x: number, y: number, width: number, size: number): void {
  const segments = segmentsOf(runs);
  segments.forEach((segment, i) => {
    const options = { width, lineGap: LINE_GAP, continued: i < segments.length - 1 };
    font(doc, segment.font, size);
    if (i === 0) doc.text(segment.text, x, y, options);
    else doc.text(segment.text, options);
  });
  doc.x = MARGIN.left;
}

function segmentsOf(runs: TextRun[]): Segment[] {
  const segments: Segment[] = [];
  for (const run of runs) {
    const last = segments[segments.length - 1];
    if (run.kind === 'break') {
      if (last) last.text += '\n';
      continue;
    }
    const text = pdfText(run.text);
    const name = fontFor(run.bold, run.italic);
    if (!text) continue;
    if (last && last.font === name) last.text += text;
    else segments.push({ text, font: name });
  }
  return segments;
}

function fontFor(bold: boolean, italic: boolean): FontName {
  if (bold) return italic ? 'Helvetica-BoldOblique' : 'Helvetica-Bold';
  return italic ? 'Helvetica-Oblique' : 'Helvetica';
}

function signature(doc: Doc, ctx: LetterContext): void {
  const signed = signatureLines(ctx.sender);
  // Room for a handwritten signature above the name, kept on the page with it.
  ensureSpace(doc, 36 + signed.length * (BODY_SIZE + LINE_GAP + 2));
  doc.y += 30;
  signed.forEach((line, i) => {
    font(doc, i === 0 && ctx.sender.signatory ? 'Helvetica-Bold' : 'Helvetica', BODY_SIZE).text(pdfText(line), MARGIN.left, doc.y, { width: WIDTH, lineGap: LINE_GAP });
  });
}

function footers(doc: Doc, ctx: LetterContext): void {
  const labels = LABELS[ctx.language];
  const range = doc.bufferedPageRange();
  const reference = pdfText(`${labels.reference}: ${ctx.reference}`);
  for (let i = range.start; i < range.start + range.count; i += 1) {
    doc.switchToPage(i);
    // Writing below the bottom margin would make pdfkit open a new page: lift the margin first.
    const margin = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    const y = doc.page.height - 15 * MM;
    doc.lineWidth(0.5).moveTo(MARGIN.left, y - 6).lineTo(MARGIN.left + WIDTH, y - 6).stroke(LINE);
    font(doc, 'Helvetica', 8, MUTED).text(reference, MARGIN.left, y, { width: WIDTH - 100, lineBreak: false });
    font(doc, 'Helvetica', 8, MUTED).text(labels.page(i - range.start + 1, range.count), MARGIN.left + WIDTH - 100, y, { width: 100, align: 'right', lineBreak: false });
    doc.page.margins.bottom = margin;
  }
}
