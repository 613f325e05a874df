// report.pdf: the report of report-html.ts on paper. It uses the PDF standard fonts (Helvetica,
// Courier), which every viewer has and which make the file independent of the fonts installed on
// the exporting machine; their encoding (WinAnsi) covers Dutch, French, German and the other
// Western European letters. A character outside it (an emoji, Cyrillic, Arabic) is printed as
// [U+XXXX], and the cover says so: the exact text is in report.html and items.jsonl. The PDF's
// dates come from the bundle's exportedAt, so the same bundle gives the same bytes.
import PDFDocument from 'pdfkit';
import type { Annotation } from '../../model/cases.ts';
import type { ExportBundle } from './bundle-files.ts';
import type { StoredMessage } from '../../model/items.ts';
import {
  annotationLabel, displayTime, reportModel, ROOT_COMMAND, SECTIONS, targetLabel, VERIFY_COMMAND, visiblePieces,
  type ReportMeta, type ReportModel,
} from './report-model.ts';

type Doc = InstanceType<typeof PDFDocument>;
type SectionId = (typeof SECTIONS)[number]['id'];

const PAGE = { width: 595.28, height: 841.89 };
const MARGIN = { top: 62, bottom: 66, left: 56, right: 56 };
const WIDTH = PAGE.width - MARGIN.left - MARGIN.right;
const INK = '#1b1f24';
const MUTED = '#5b6470';
const ACCENT = '#1f3a5f';
const NOTE = '#a15c00';
const NOTE_BG = '#fff8eb';
const EVIDENCE_BG = '#f6f7f9';
const LINE = '#d5d9de';

/** The code points WinAnsiEncoding maps outside Latin-1 (pdfkit's WIN_ANSI_MAP). */
const WIN_ANSI_EXTRA = new Set([
  0x0152, 0x0153, 0x0160, 0x0161, 0x0178, 0x017d, 0x017e, 0x0192, 0x02c6, 0x02dc, 0x2013, 0x2014, 0x2018,
  0x2019, 0x201a, 0x201c, 0x201d, 0x201e, 0x2020, 0x2021, 0x2022, 0x2026, 0x2030, 0x2039, 0x203a, 0x20ac, 0x2122,
]);

export function canShowInStandardFont(codePoint: number): boolean {
  return (codePoint >= 0x20 && codePoint <= 0x7e) || (codePoint >= 0xa0 && codePoint <= 0xff)
    || codePoint === 0x0a || WIN_ANSI_EXTRA.has(codePoint);
}

/**
 * Text as the standard fonts can print it: unprintable characters become [U+XXXX]; tabs become
 * four spaces and CR LF a line break (layout only; the exact bytes are in items.jsonl).
 */
export function pdfText(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  const normalised = String(value).replace(/\r\n?/g, '\n').replace(/\t/g, '    ');
  return visiblePieces(normalised, canShowInStandardFont).map((p) => p.text).join('');
}

export async function renderReportPdf(bundle: ExportBundle, meta: ReportMeta): Promise<Uint8Array> {
  const model = reportModel(bundle, meta);
  const exportedAt = new Date(Date.parse(bundle.exportedAt) || 0);
  const doc: Doc = new PDFDocument({
    size: 'A4',
    margins: MARGIN,
    bufferPages: true,
    autoFirstPage: true,
    lang: 'en',
    displayTitle: true,
    info: {
      Title: pdfText(`Case ${bundle.case.name}: court bundle`),
      Author: pdfText(bundle.exportedBy),
      Subject: pdfText(bundle.case.title ?? bundle.case.name),
      Creator: pdfText(`Lode ${bundle.producedBy.lode}`),
      Producer: pdfText(`Lode ${bundle.producedBy.lode} (PDFKit)`),
      CreationDate: exportedAt,
      ModDate: exportedAt,
      Keywords: pdfText(`data root SHA-256 ${meta.dataRootSha256}`),
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<void>((resolve, reject) => {
    doc.on('end', () => resolve());
    doc.on('error', reject);
  });

  const sectionPages = new Map<SectionId, number>();
  cover(doc, model);
  doc.addPage();
  const tocPage = currentPage(doc);
  doc.addPage();
  const sections: [SectionId, (d: Doc, m: ReportModel) => void][] = [
    ['summary', summary], ['timeline', timeline], ['messages', messages], ['accounts', accounts],
    ['entities', entities], ['persons', persons], ['alerts', alerts], ['annotations', annotations],
    ['queries', queries], ['method', method],
  ];
  for (const [id, draw] of sections) {
    sectionHeading(doc, id, sectionPages);
    draw(doc, model);
  }
  contents(doc, tocPage, sectionPages);
  footers(doc, model);
  doc.end();
  await ended;
  return new Uint8Array(Buffer.concat(chunks));
}

function currentPage(doc: Doc): number {
  const range = doc.bufferedPageRange();
  return range.start + range.count - 1;
}

function bottom(doc: Doc): number {
  return doc.page.height - doc.page.margins.bottom;
}

/** Starts a new page when less than `height` points remain on this one. */
function ensureSpace(doc: Doc, height: number): void {
  if (doc.y + height > bottom(doc)) doc.addPage();
}

function font(doc: Doc, name: 'Helvetica' | 'Helvetica-Bold' | 'Helvetica-Oblique' | 'Courier', size: number, color = INK): Doc {
  return doc.font(name).fontSize(size).fillColor(color);
}

function paragraph(doc: Doc, value: string, size = 9.5, color = INK): void {
  font(doc, 'Helvetica', size, color).text(pdfText(value), MARGIN.left, doc.y, { width: WIDTH });
}

function cover(doc: Doc, model: ReportModel): void {
  const { bundle, counts, meta } = model;
  const c = bundle.case;
  doc.rect(0, 0, PAGE.width, 10).fill(ACCENT);
  doc.y = 90;
  font(doc, 'Helvetica', 9, MUTED).text('LODE  ·  COURT BUNDLE  ·  EVIDENCE REPORT', MARGIN.left, doc.y, { width: WIDTH, characterSpacing: 1 });
  doc.moveDown(1.2);
  font(doc, 'Helvetica-Bold', 26, INK).text(pdfText(c.title ?? c.name), { width: WIDTH });
  if (c.title) font(doc, 'Helvetica', 13, MUTED).text(pdfText(`Case ${c.name}`), { width: WIDTH });
  if (c.description) {
    doc.moveDown(0.6);
    font(doc, 'Helvetica', 11, INK).text(pdfText(c.description), { width: WIDTH });
  }
  doc.moveDown(1.5);
  const facts: [string, string][] = [
    ['Case', `${c.name} (id ${c.id}, ${c.status})`],
    ['Opened', `${displayTime(c.createdAt)} by ${c.createdBy}`],
    ['Exported', `${displayTime(bundle.exportedAt)} by ${bundle.exportedBy}`],
    ['Software', `Lode ${bundle.producedBy.lode}`],
    ['Datasets', model.datasets.join(', ') || 'none'],
    ['Period', `${displayTime(model.period.first)} - ${displayTime(model.period.last)}`],
  ];
  if (c.candidate) facts.push(['Opened from', `discovery candidate ${c.candidate}`]);
  if (counts.withheld > 0) facts.push(['Withheld', `${counts.withheld} linked ${counts.withheld === 1 ? 'message is' : 'messages are'} not in this export: the exporting user may not see ${counts.withheld === 1 ? 'it' : 'them'} (legal privilege or outside the legal scope)`]);
  for (const [label, value] of facts) {
    const y = doc.y;
    font(doc, 'Helvetica', 9, MUTED).text(label, MARGIN.left, y, { width: 90 });
    font(doc, 'Helvetica', 10, INK).text(pdfText(value), MARGIN.left + 95, y, { width: WIDTH - 95 });
    doc.moveDown(0.25);
  }
  doc.moveDown(1);
  const tiles: [string, number][] = [
    ['Messages', counts.messages], ['Device notes', counts.notes], ['Accounts', counts.accounts], ['Entities', counts.entities],
    ['Persons', counts.persons], ['Alerts', counts.alerts], ['Annotations', counts.annotations], ['Queries', counts.queries],
  ];
  const tileWidth = (WIDTH - 3 * 8) / 4;
  const top = doc.y;
  tiles.forEach(([label, n], i) => {
    const x = MARGIN.left + (i % 4) * (tileWidth + 8);
    const y = top + Math.floor(i / 4) * 50;
    doc.lineWidth(0.6).rect(x, y, tileWidth, 42).stroke(LINE);
    font(doc, 'Helvetica-Bold', 16, ACCENT).text(String(n), x + 8, y + 6, { width: tileWidth - 16, lineBreak: false });
    font(doc, 'Helvetica', 8, MUTED).text(label, x + 8, y + 27, { width: tileWidth - 16, lineBreak: false });
  });
  doc.y = top + 2 * 50 + 10;
  const boxTop = doc.y;
  doc.x = MARGIN.left;
  const explain = `The SHA-256 of the MANIFEST.sha256 lines of every file of this export except the two reports (a report cannot contain its own digest). Recompute it with  ${ROOT_COMMAND}  and check every file with  ${VERIFY_COMMAND}  in the export directory.`;
  const explainHeight = font(doc, 'Helvetica', 8.5).heightOfString(explain, { width: WIDTH - 24 });
  doc.rect(MARGIN.left, boxTop, WIDTH, 58 + explainHeight).fillAndStroke('#f4f7fb', ACCENT);
  font(doc, 'Helvetica-Bold', 8, ACCENT).text('DATA ROOT SHA-256', MARGIN.left + 12, boxTop + 10, { width: WIDTH - 24, characterSpacing: 0.8 });
  font(doc, 'Courier', 9.6, INK).text(meta.dataRootSha256, MARGIN.left + 12, boxTop + 24, { width: WIDTH - 24 });
  font(doc, 'Helvetica', 8.5, MUTED).text(explain, MARGIN.left + 12, boxTop + 42, { width: WIDTH - 24 });
  doc.y = boxTop + 58 + explainHeight + 16;
  paragraph(doc, 'Evidence text is reproduced exactly as stored, with one exception forced by the PDF standard fonts: a character they cannot print (an emoji, a non-Latin script) is shown as [U+XXXX] with its Unicode code point. Characters that would be invisible or reorder the text are shown the same way. report.html and items.jsonl hold the exact text. Analyst annotations, translations by hand and tags are marked as such: they are not evidence and never alter it.', 8.5, MUTED);
}

function sectionHeading(doc: Doc, id: SectionId, pages: Map<SectionId, number>): void {
  const title = SECTIONS.find((s) => s.id === id)?.title ?? id;
  if (id !== 'summary' && doc.y > MARGIN.top + (bottom(doc) - MARGIN.top) * 0.6) doc.addPage();
  else if (doc.y > MARGIN.top + 1) doc.moveDown(1.5);
  pages.set(id, currentPage(doc));
  doc.addNamedDestination(id);
  doc.outline.addItem(title);
  const number = SECTIONS.findIndex((s) => s.id === id) + 1;
  font(doc, 'Helvetica-Bold', 16, ACCENT).text(`${number}. ${title}`, MARGIN.left, doc.y, { width: WIDTH });
  const y = doc.y + 2;
  doc.lineWidth(1.2).moveTo(MARGIN.left, y).lineTo(MARGIN.left + WIDTH, y).stroke(ACCENT);
  doc.y = y + 10;
}

function subheading(doc: Doc, title: string): void {
  ensureSpace(doc, 50);
  doc.moveDown(0.6);
  font(doc, 'Helvetica-Bold', 11.5, INK).text(pdfText(title), MARGIN.left, doc.y, { width: WIDTH });
  doc.moveDown(0.3);
}

function contents(doc: Doc, tocPage: number, pages: Map<SectionId, number>): void {
  doc.switchToPage(tocPage);
  doc.y = MARGIN.top;
  font(doc, 'Helvetica-Bold', 16, ACCENT).text('Contents', MARGIN.left, doc.y, { width: WIDTH });
  doc.moveDown(1);
  SECTIONS.forEach((s, i) => {
    const y = doc.y;
    const page = (pages.get(s.id) ?? 0) + 1;
    font(doc, 'Helvetica', 11, INK).text(`${i + 1}. ${s.title}`, MARGIN.left, y, { width: WIDTH - 60, goTo: s.id });
    font(doc, 'Helvetica', 11, MUTED).text(String(page), MARGIN.left + WIDTH - 60, y, { width: 60, align: 'right' });
    doc.moveDown(0.5);
  });
}

function footers(doc: Doc, model: ReportModel): void {
  const range = doc.bufferedPageRange();
  const label = pdfText(`Lode court bundle · case ${model.bundle.case.name} · data root SHA-256 ${model.meta.dataRootSha256.slice(0, 16)}...`);
  for (let i = range.start; i < range.start + range.count; i += 1) {
    doc.switchToPage(i);
    // Writing below the bottom margin would make pdfkit open a new page: lift the margin first.
    const margin = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    const y = doc.page.height - 40;
    doc.lineWidth(0.5).moveTo(MARGIN.left, y - 6).lineTo(MARGIN.left + WIDTH, y - 6).stroke(LINE);
    font(doc, 'Helvetica', 7, MUTED).text(label, MARGIN.left, y, { width: WIDTH - 80, lineBreak: false });
    font(doc, 'Helvetica', 7, MUTED).text(`Page ${i + 1} of ${range.count}`, MARGIN.left + WIDTH - 80, y, { width: 80, align: 'right', lineBreak: false });
    doc.page.margins.bottom = margin;
  }
}

/** A table row: cells side by side, the row as tall as its tallest cell, never split over pages. */
function row(doc: Doc, cells: string[], widths: number[], options: { bold?: boolean; size?: number; mono?: number[] } = {}): void {
  const size = options.size ?? 8.5;
  const pad = 3;
  const heights = cells.map((cell, i) => {
    font(doc, options.mono?.includes(i) ? 'Courier' : options.bold ? 'Helvetica-Bold' : 'Helvetica', size);
    return doc.heightOfString(pdfText(cell) || ' ', { width: (widths[i] ?? 50) - 2 * pad });
  });
  const height = Math.max(...heights) + 2 * pad;
  ensureSpace(doc, height + 2);
  const y = doc.y;
  let x = MARGIN.left;
  cells.forEach((cell, i) => {
    const width = widths[i] ?? 50;
    font(doc, options.mono?.includes(i) ? 'Courier' : options.bold ? 'Helvetica-Bold' : 'Helvetica', size, INK)
      .text(pdfText(cell), x + pad, y + pad, { width: width - 2 * pad });
    x += width;
  });
  doc.lineWidth(options.bold ? 1 : 0.4).moveTo(MARGIN.left, y + height).lineTo(MARGIN.left + widths.reduce((a, b) => a + b, 0), y + height).stroke(options.bold ? INK : LINE);
  doc.x = MARGIN.left;
  doc.y = y + height + 1;
}

function table(doc: Doc, header: string[], rows: string[][], fractions: number[], mono: number[] = []): void {
  const total = fractions.reduce((a, b) => a + b, 0);
  const widths = fractions.map((f) => (f / total) * WIDTH);
  row(doc, header, widths, { bold: true });
  for (const r of rows) row(doc, r, widths, { mono });
  doc.moveDown(0.5);
}

function empty(doc: Doc, what: string): void {
  paragraph(doc, what, 9.5, MUTED);
}

function summary(doc: Doc, model: ReportModel): void {
  const { counts } = model;
  table(doc, ['What', 'Count'], [
    ['Messages', String(counts.messages)], ['Linked messages withheld (privilege or legal scope)', String(counts.withheld)],
    ['Notes written on devices', String(counts.notes)], ['Accounts', String(counts.accounts)],
    ['Entities (phones, IBANs, wallets, plates...)', String(counts.entities)], ['Persons', String(counts.persons)],
    ['Triage alerts', String(counts.alerts)], ['Analyst annotations', String(counts.annotations)],
    ['of which translations by hand', String(counts.translations)], ['Queries and word lists', String(counts.queries)],
    ['Timeline entries', String(counts.timeline)],
  ], [4, 1]);
  paragraph(doc, `Conversations: ${model.conversations.length}. Datasets: ${model.datasets.join(', ') || 'none'}. First message ${displayTime(model.period.first)}, last ${displayTime(model.period.last)}.`);
}

function timeline(doc: Doc, model: ReportModel): void {
  if (model.timeline.length === 0) return empty(doc, 'No timeline entries.');
  table(doc, ['Time', 'Kind', 'Item', 'Summary'], model.timeline.map((t) => [displayTime(t.ts), t.kind, t.ref, t.summary]), [2.2, 1.1, 2.2, 5], [2]);
  paragraph(doc, 'Annotation entries on the timeline are analyst work, not evidence.', 8, MUTED);
}

function messages(doc: Doc, model: ReportModel): void {
  if (model.conversations.length === 0) return empty(doc, 'No messages.');
  paragraph(doc, 'Each item shows its Lode id, the id the source gave it (ref), and its provenance: the SHA-256 and path of the seized source file, the 1-based line and the byte offset of the record in it.', 8.5, MUTED);
  for (const conversation of model.conversations) {
    ensureSpace(doc, 110);
    doc.moveDown(0.8);
    font(doc, 'Helvetica-Bold', 12, INK).text(pdfText(conversation.title), MARGIN.left, doc.y, { width: WIDTH });
    font(doc, 'Helvetica', 8.5, MUTED).text(pdfText(`${conversation.platform} · dataset ${conversation.dataset} · ${conversation.messages.length} ${conversation.messages.length === 1 ? 'item' : 'items'}`), { width: WIDTH });
    doc.moveDown(0.4);
    for (const m of conversation.messages) message(doc, model, m);
  }
}

function message(doc: Doc, model: ReportModel, m: StoredMessage): void {
  ensureSpace(doc, 90);
  const parties = m.kind === 'note' ? `Note by ${m.from}` : `From ${m.from} to ${m.to.length ? m.to.join(', ') : '(no recipient recorded)'}`;
  const top = doc.y;
  const firstPage = currentPage(doc);
  font(doc, 'Helvetica-Bold', 9.5, INK).text(pdfText(displayTime(m.ts)), MARGIN.left + 8, top, { width: WIDTH - 8, continued: true });
  font(doc, 'Helvetica', 9.5, INK).text(pdfText(`    ${parties}`), { width: WIDTH - 8 });
  const metaBits = [`Lode id ${m.id}`, m.ref !== undefined ? `source ref ${m.ref}` : 'no source ref', m.group !== undefined ? `group ${m.group}` : '', m.lang ? `language ${m.lang}` : ''].filter(Boolean);
  font(doc, 'Helvetica', 7.5, MUTED).text(pdfText(metaBits.join(' · ')), MARGIN.left + 8, doc.y + 1, { width: WIDTH - 8 });
  doc.moveDown(0.3);

  const body = pdfText(m.body) || ' ';
  font(doc, 'Helvetica', 10.5, INK);
  const bodyHeight = doc.heightOfString(body, { width: WIDTH - 24 });
  if (doc.y + bodyHeight + 12 <= bottom(doc)) {
    doc.rect(MARGIN.left + 8, doc.y, WIDTH - 8, bodyHeight + 10).fill(EVIDENCE_BG);
    font(doc, 'Helvetica', 10.5, INK).text(body, MARGIN.left + 16, doc.y + 5, { width: WIDTH - 24 });
    doc.y += 6;
  } else {
    font(doc, 'Helvetica', 10.5, INK).text(body, MARGIN.left + 16, doc.y, { width: WIDTH - 24 });
  }
  doc.moveDown(0.3);
  for (const a of m.attachments) {
    const bits = [`Attachment ${a.name ?? '(no name)'}`, a.mime ?? '', a.sizeBytes !== undefined ? `${a.sizeBytes} bytes` : '', a.sha256 ? `SHA-256 ${a.sha256}` : ''].filter(Boolean);
    font(doc, 'Helvetica', 8, INK).text(pdfText(bits.join(' · ')), MARGIN.left + 8, doc.y, { width: WIDTH - 8 });
  }
  const spans = (m.entities ?? []).filter((e) => e.end <= m.body.length);
  if (spans.length) {
    font(doc, 'Helvetica', 8, MUTED).text(pdfText(`Entities: ${spans.map((e) => `${e.type} ${e.value}`).join('; ')}`), MARGIN.left + 8, doc.y, { width: WIDTH - 8 });
  }
  // The hash gets a line of its own so that it is never broken and can be copied whole.
  font(doc, 'Helvetica-Bold', 6.8, MUTED).text('PROVENANCE   ', MARGIN.left + 8, doc.y + 2, { continued: true, width: WIDTH - 8 });
  font(doc, 'Courier', 7.4, MUTED).text(`source SHA-256 ${m.provenance.sourceSha256}`, { width: WIDTH - 8 });
  font(doc, 'Courier', 7.4, MUTED).text(pdfText(`file ${m.provenance.sourcePath} · line ${m.provenance.line} · byte offset ${m.provenance.offset}`), MARGIN.left + 8, doc.y, { width: WIDTH - 8 });
  const tags = model.tagsOn('message', m.id);
  if (tags.length) font(doc, 'Helvetica-Oblique', 8, NOTE).text(pdfText(`Tags (analyst): ${tags.join(', ')}`), MARGIN.left + 8, doc.y + 2, { width: WIDTH - 8 });
  for (const a of model.notesOn('message', m.id)) note(doc, a, 8);
  const end = doc.y + 4;
  // A bar marks where one item starts and ends; an item broken over pages is marked on its last page.
  const barTop = currentPage(doc) === firstPage ? top - 2 : MARGIN.top - 2;
  doc.lineWidth(2).moveTo(MARGIN.left, barTop).lineTo(MARGIN.left, end).stroke(ACCENT);
  doc.y = end + 8;
}

/** An annotation in an amber box with its label, so no reader can take it for evidence. */
function note(doc: Doc, a: Annotation, indent: number): void {
  const label = pdfText(`${annotationLabel(a).toUpperCase()} · ${a.author} · ${displayTime(a.at)}`);
  const body = pdfText(a.text) || ' ';
  const width = WIDTH - indent - 20;
  const labelHeight = font(doc, 'Helvetica-Bold', 7, NOTE).heightOfString(label, { width });
  const textHeight = font(doc, 'Helvetica-Oblique', 9.5, INK).heightOfString(body, { width });
  const height = labelHeight + textHeight + 14;
  doc.y += 4;
  if (height < bottom(doc) - MARGIN.top) ensureSpace(doc, height);
  const top = doc.y;
  if (top + height <= bottom(doc)) {
    doc.rect(MARGIN.left + indent, top, WIDTH - indent, height).fill(NOTE_BG);
    doc.rect(MARGIN.left + indent, top, 3, height).fill(NOTE);
  }
  font(doc, 'Helvetica-Bold', 7, NOTE).text(label, MARGIN.left + indent + 12, top + 5, { width });
  font(doc, 'Helvetica-Oblique', 9.5, INK).text(body, MARGIN.left + indent + 12, doc.y + 2, { width });
  doc.y = Math.max(doc.y, top + height) + 2;
  doc.x = MARGIN.left;
}

function notesAndTags(doc: Doc, model: ReportModel, kind: 'account' | 'entity' | 'person', ref: string): void {
  const tags = model.tagsOn(kind, ref);
  if (tags.length) font(doc, 'Helvetica-Oblique', 8, NOTE).text(pdfText(`Tags (analyst) on ${kind} ${ref}: ${tags.join(', ')}`), MARGIN.left, doc.y + 2, { width: WIDTH });
  for (const a of model.notesOn(kind, ref)) note(doc, a, 0);
}

function accounts(doc: Doc, model: ReportModel): void {
  const list = model.bundle.accounts;
  if (list.length === 0) return empty(doc, 'No accounts linked to the case.');
  table(doc, ['Handle', 'Platform', 'Dataset', 'Name (attributed)', 'Messages', 'Aliases others saved'],
    list.map((a) => [a.handle, a.platform, a.dataset, a.name ?? '', String(a.messages), a.aliases.join(', ')]), [2, 1.4, 1.4, 2, 1, 2.6]);
  for (const a of list) notesAndTags(doc, model, 'account', String(a.id));
  paragraph(doc, 'Names and aliases are what contact lists in the evidence call an account, reconciled by Lode; they are a hypothesis, not an identification.', 8, MUTED);
}

function entities(doc: Doc, model: ReportModel): void {
  const list = model.bundle.entities;
  if (list.length === 0) return empty(doc, 'No entities linked to the case.');
  table(doc, ['Type', 'Normalised value', 'Mentions', 'Messages in this report'],
    list.map((e) => [e.type, e.value, String(e.mentions), model.mentionsOf(e.type, e.value).join(', ') || 'none']), [1.1, 3.4, 1, 3.5], [1, 3]);
  for (const e of list) notesAndTags(doc, model, 'entity', `${e.type}:${e.value}`);
}

function persons(doc: Doc, model: ReportModel): void {
  const list = model.bundle.persons;
  if (list.length === 0) return empty(doc, 'No persons linked to the case.');
  table(doc, ['Id', 'Name', 'Accounts (links confirmed by an analyst)'],
    list.map((p) => [String(p.id), p.name ?? '(no name)', p.accounts.map((a) => `${a.platform}:${a.handle} (${a.dataset})`).join(', ')]), [0.6, 2.4, 6]);
  for (const p of list) notesAndTags(doc, model, 'person', String(p.id));
}

function alerts(doc: Doc, model: ReportModel): void {
  const list = model.bundle.alerts;
  if (list.length === 0) return empty(doc, 'No alerts.');
  table(doc, ['Id', 'Kind', 'Score', 'Item', 'Status', 'Reasons'],
    list.map((a) => [String(a.id), a.kind, a.score.toFixed(2), a.item, a.status, a.reasons.join('; ')]), [0.6, 1.1, 0.8, 2.3, 1.2, 4], [3]);
  paragraph(doc, "Alerts are computed by Lode's triage rules (see the tool runs under Method); they point at evidence and are not evidence themselves.", 8, MUTED);
}

function annotations(doc: Doc, model: ReportModel): void {
  if (model.annotations.length === 0) return empty(doc, 'No annotations.');
  paragraph(doc, 'Everything in this section was written by analysts. It explains or translates the evidence and is not part of it.', 8.5, MUTED);
  for (const a of model.annotations) {
    ensureSpace(doc, 50);
    font(doc, 'Helvetica', 8.5, INK).text(pdfText(`#${a.id} on ${targetLabel(a)}`), MARGIN.left, doc.y + 6, { width: WIDTH });
    note(doc, a, 0);
  }
}

function queries(doc: Doc, model: ReportModel): void {
  const list = model.bundle.queries;
  if (list.length === 0) return empty(doc, 'No queries recorded.');
  paragraph(doc, 'The queries, word lists and discovery candidates used to build the case, exactly as they were run (also in queries.json).', 8.5, MUTED);
  list.forEach((q, i) => {
    ensureSpace(doc, 50);
    const head = `${i + 1}. ${q.kind}${q.dataset ? ` on dataset ${q.dataset}` : ''}${q.hits !== undefined ? ` · ${q.hits} hits` : ''} · ${q.addedBy} · ${displayTime(q.at)}`;
    font(doc, 'Helvetica-Bold', 9, INK).text(pdfText(head), MARGIN.left, doc.y + 6, { width: WIDTH });
    font(doc, 'Courier', 8.5, INK).text(pdfText(q.text), MARGIN.left + 10, doc.y + 2, { width: WIDTH - 10 });
  });
}

function method(doc: Doc, model: ReportModel): void {
  const { bundle, meta } = model;
  subheading(doc, 'Software');
  paragraph(doc, `Exported with Lode ${bundle.producedBy.lode}. Derived data (entities, alerts, attributions) records the component and version that produced it:`);
  doc.moveDown(0.3);
  if (bundle.producedBy.toolruns.length) table(doc, ['Component', 'Version'], bundle.producedBy.toolruns.map((t) => [t.component, t.version]), [3, 1], [0, 1]);
  else empty(doc, 'No tool runs recorded.');
  subheading(doc, 'Provenance');
  paragraph(doc, 'Every message carries the SHA-256 and path of the seized file it was read from, the 1-based line and the byte offset of its record. To check an item against the seizure, hash the original file (sha256sum FILE), compare with the source SHA-256, and read the record at the given byte offset.');
  subheading(doc, 'Case items');
  if (bundle.items.length) table(doc, ['Kind', 'Ref', 'Added by', 'Added at'], bundle.items.map((i) => [i.kind, i.ref, i.addedBy, displayTime(i.addedAt)]), [1, 3, 1.5, 2], [1]);
  else empty(doc, 'None.');
  subheading(doc, 'Files and verification');
  paragraph(doc, `In the export directory, ${VERIFY_COMMAND} must print OK for every file (the manifest also covers this report). The data root SHA-256 on the cover, ${meta.dataRootSha256}, is the SHA-256 of the manifest lines of the files below; ${ROOT_COMMAND} prints it.`);
  doc.moveDown(0.3);
  table(doc, ['File', 'Bytes', 'SHA-256'], meta.dataFiles.map((f) => [f.path, String(f.bytes), f.sha256]), [1.6, 0.8, 5], [0, 2]);
}
