// Returned mail as officers receive it: a mailbox (mbox) exported from the sending account, or
// single .eml files. Each message is decoded (MIME, base64, quoted-printable) so the reports
// inside are read as text, whatever the reporting server chose.
import { createReadStream } from 'node:fs';
import { simpleParser } from 'mailparser';
import { MailSplitter, mailLayoutOf } from '../ingest/formats/mbox.ts';
import { readBounce, type BounceReport } from './bounces.ts';

const MAX_MESSAGE_BYTES = 32 << 20;

export async function readBounceFile(path: string): Promise<BounceReport[]> {
  const reports: BounceReport[] = [];
  let splitter: MailSplitter | undefined;
  const pieces: Buffer[] = [];
  for await (const chunk of createReadStream(path)) {
    const bytes = chunk as Buffer;
    splitter ??= new MailSplitter({ layout: mailLayoutOf(bytes.subarray(0, 4096).toString('latin1')) ?? 'message', variant: 'mboxrd', maxMessageBytes: MAX_MESSAGE_BYTES });
    for (const piece of splitter.feed(bytes)) if (piece.kind === 'message') pieces.push(piece.bytes);
  }
  for (const piece of splitter?.end() ?? []) if (piece.kind === 'message') pieces.push(piece.bytes);
  for (const bytes of pieces) {
    const mail = await simpleParser(bytes, { skipHtmlToText: true, skipTextToHtml: true, skipImageLinks: true });
    const parts = [mail.text ?? '', ...mail.attachments.map((a) => a.content.toString('utf8'))];
    reports.push(readBounce(parts));
  }
  return reports;
}
