// One PDF letter per recipient, written where the officer says, with a MANIFEST.sha256 that
// `sha256sum -c` verifies and a letters.csv for whoever prints and posts them. Each recipient
// records its letter's hash, and moves to letter-generated (never back: a recipient whose talk
// is scheduled keeps that status when letters are printed again).
import { createHash } from 'node:crypto';
import type { Campaign, Recipient, RecipientStatus } from '../model/campaigns.ts';
import type { Store } from '../store/store.ts';
import type { LetterLanguage, ParsedTemplate } from './template.ts';
import { renderLetterPdf } from './letter-pdf.ts';
import { letterContext } from './letter-context.ts';
import { advances } from './tracking.ts';

/** Where letters go (a folder: letter-folder.ts). Nothing is final before commit(). */
export type LetterSink = {
  /** Writes one file; returns the path it will have once committed. */
  write(name: string, bytes: Uint8Array): Promise<string>;
  commit(): Promise<void>;
};

export type LetterRun = {
  letters: { reference: string; file: string; sha256: string; hasAddress: boolean }[];
  /** Recipients without a postal address: the letter is made, but someone must find where to post it. */
  withoutAddress: number;
  manifest: string;
};

export type LetterOptions = {
  store: Store;
  campaign: Campaign;
  template: ParsedTemplate;
  templateName: string;
  language: LetterLanguage;
  /** YYYY-MM-DD printed on the letters. */
  date: string;
  sink: LetterSink;
  actor: string;
  /** Only these statuses (default: every recipient). */
  statuses?: readonly RecipientStatus[];
  onProgress?(done: number, total: number): void;
};

export async function generateLetters(options: LetterOptions): Promise<LetterRun> {
  const { store, campaign } = options;
  const all = await store.recipients(campaign.name);
  const chosen = options.statuses ? all.filter((r) => options.statuses!.includes(r.status)) : all;
  const letters: (LetterRun['letters'][number] & { path: string; recipient: Recipient })[] = [];
  for (const [i, recipient] of chosen.entries()) {
    const bytes = await renderLetterPdf(options.template, letterContext(campaign, recipient, options.language, options.date));
    const file = `${recipient.reference}.pdf`;
    const path = await options.sink.write(file, bytes);
    letters.push({ reference: recipient.reference, file, path, recipient, sha256: createHash('sha256').update(bytes).digest('hex'), hasAddress: recipient.addresses.length > 0 });
    options.onProgress?.(i + 1, chosen.length);
  }
  const csv = new TextEncoder().encode(lettersCsv(chosen, letters));
  await options.sink.write('letters.csv', csv);
  const manifestLines = [...letters.map((l) => `${l.sha256}  ${l.file}`), `${createHash('sha256').update(csv).digest('hex')}  letters.csv`];
  const manifest = await options.sink.write('MANIFEST.sha256', new TextEncoder().encode(`${manifestLines.join('\n')}\n`));
  // the letters exist only now: a run that failed before leaves every recipient as it was
  await options.sink.commit();
  const generatedAt = new Date().toISOString();
  for (const letter of letters) {
    await store.updateRecipient(campaign.name, letter.reference, {
      ...(advances(letter.recipient.status, 'letter-generated') ? { status: 'letter-generated' as const } : { label: 'letter-generated' as const }),
      letter: { path: letter.path, sha256: letter.sha256, template: options.templateName, language: options.language, generatedAt },
      details: { file: letter.file, sha256: letter.sha256, template: options.templateName },
    }, options.actor);
  }
  return {
    letters: letters.map(({ reference, file, sha256, hasAddress }) => ({ reference, file, sha256, hasAddress })),
    withoutAddress: letters.filter((l) => !l.hasAddress).length,
    manifest,
  };
}

/** One row a letter, for the print shop: the reference, the name and the address block. */
function lettersCsv(recipients: readonly Recipient[], letters: LetterRun['letters']): string {
  const byReference = new Map(recipients.map((r) => [r.reference, r]));
  const rows = [['reference', 'file', 'name', 'address', 'email', 'status'].join(',')];
  for (const letter of letters) {
    const r = byReference.get(letter.reference)!;
    rows.push([letter.reference, letter.file, r.name ?? '', r.addresses[0] ?? '', r.emails[0] ?? '', r.status].map(csvCell).join(','));
  }
  return `${rows.join('\r\n')}\r\n`;
}

function csvCell(value: string): string {
  // a cell starting with = + - @ is a formula to a spreadsheet: a seized name must not run as one
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
