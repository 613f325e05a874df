// The formats Lode reads. A new format is one module here; nothing else changes.
import type { FormatReader } from './format.ts';
import { lodeJsonl } from './lode-jsonl.ts';
import { csv } from './csv.ts';
import { mysqlDump } from './mysql-dump.ts';
import { siteCsv } from './site-csv.ts';
import { eml, mbox } from './mail.ts';
import { combolist } from './combolist.ts';
import { telegram } from './telegram.ts';
import { caseUco } from './case-uco.ts';
import { xmpp } from './xmpp.ts';
import { smsBackup } from './sms-backup.ts';
import { whatsapp } from './whatsapp.ts';

export const FORMATS: readonly FormatReader[] = [lodeJsonl, csv, combolist, mbox, eml, telegram, caseUco, mysqlDump, siteCsv, xmpp, smsBackup, whatsapp];

const MIN_CONFIDENCE = 0.5;

export function findFormat(name: string): FormatReader | undefined {
  return FORMATS.find((f) => f.name === name);
}

/**
 * Whether the start of a file is binary (a photo, a database file): NUL characters, or many
 * bytes that are not UTF-8 or are control characters. Every reader here reads text, and a text
 * sniffer shown enough random bytes will eventually see a delimiter pattern in them.
 */
export function looksBinary(head: string): boolean {
  const sample = head.slice(0, 4096);
  if (sample.includes('\u0000')) return true;
  let odd = 0;
  for (const c of sample) {
    const code = c.codePointAt(0)!;
    if (c === '\ufffd' || (code < 32 && c !== '\n' && c !== '\r' && c !== '\t' && c !== '\f')) odd += 1;
  }
  return sample.length > 0 && odd / sample.length > 0.05;
}

/** The most confident reader for a file, if any is confident enough. */
export function detectFormat(head: string, path: string): FormatReader | undefined {
  if (looksBinary(head)) return undefined;
  let best: FormatReader | undefined;
  let bestScore = 0;
  for (const format of FORMATS) {
    const score = format.detect(head, path);
    if (score > bestScore) {
      best = format;
      bestScore = score;
    }
  }
  return bestScore >= MIN_CONFIDENCE ? best : undefined;
}
