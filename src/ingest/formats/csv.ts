// CSV (and TSV, semicolon CSV) with a column mapping: which column is the sender, the body,
// the time... Without a mapping the header names are matched against common names in Dutch,
// English, French and German; a file whose columns cannot be matched is refused with the list.
import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import type { LodeRecord, ReadItem } from '../../model/records.ts';
import { parseLooseTimestamp, type DateOrder } from '../timestamps.ts';
import { FormatError, type FormatReader, type ReaderInput } from './format.ts';

export type CsvKind = 'message' | 'account' | 'contact';
export type CsvMapping = {
  kind: CsvKind;
  platform: string;
  /** Lode field -> CSV column name. */
  columns: Record<string, string>;
  delimiter?: string;
  /** How several recipients share one cell. */
  toSeparator?: string;
  dateOrder?: DateOrder;
  encoding?: 'utf8' | 'latin1';
};

export class CsvMappingError extends FormatError {}

const FIELDS: Record<CsvKind, { required: string[]; optional: string[] }> = {
  message: { required: ['from', 'body'], optional: ['id', 'ts', 'to', 'group', 'lang'] },
  account: { required: ['handle'], optional: ['name', 'imei', 'model'] },
  contact: { required: ['owner', 'handle'], optional: ['alias'] },
};

const SYNONYMS: Record<string, string[]> = {
  id: ['id', 'message_id', 'messageid', 'msg_id', 'bericht_id', 'ref'],
  ts: ['ts', 'timestamp', 'time', 'date', 'datetime', 'date_time', 'sent', 'sent_at', 'datum', 'tijd', 'tijdstip', 'horodatage', 'zeit'],
  from: ['from', 'sender', 'author', 'van', 'afzender', 'expediteur', 'expéditeur', 'absender', 'from_handle'],
  to: ['to', 'recipient', 'recipients', 'aan', 'ontvanger', 'destinataire', 'empfänger', 'to_handle'],
  body: ['body', 'text', 'message', 'content', 'bericht', 'tekst', 'inhoud', 'contenu', 'nachricht'],
  group: ['group', 'chat', 'thread', 'conversation', 'groep', 'groupe'],
  lang: ['lang', 'language', 'taal', 'langue'],
  handle: ['handle', 'username', 'user', 'account', 'gebruiker', 'contact', 'contact_handle'],
  name: ['name', 'naam', 'nom', 'display_name', 'full_name'],
  imei: ['imei'],
  model: ['model', 'device', 'toestel'],
  owner: ['owner', 'eigenaar', 'propriétaire'],
  alias: ['alias', 'contact_name', 'saved_as', 'opgeslagen_als', 'bijnaam', 'nickname'],
};

export const csv: FormatReader = {
  name: 'csv',
  description: 'CSV/TSV with a header row and a column mapping (--mapping FILE, or inferred from the header)',
  detect(head, path) {
    const lines = head.split(/\r?\n/).filter((l) => l.trim() !== '').slice(0, 10);
    if (lines.length === 0 || lines[0]!.trimStart().startsWith('{')) return 0;
    const delimiter = guessDelimiter(lines[0]!);
    const columns = lines[0]!.split(delimiter).length;
    if (columns < 2) return 0;
    // quoted cells may span lines, so most lines (not all) carry the header's column count
    const body = lines.slice(1, -1);
    const consistent = body.length === 0 || body.filter((l) => l.split(delimiter).length >= columns).length / body.length >= 0.6;
    const named = /\.(csv|tsv)$/i.test(path);
    if (named) return consistent ? 0.9 : 0.7;
    return consistent && body.length > 0 ? 0.5 : 0.1;
  },
  read: readCsv,
};

export function guessDelimiter(headerLine: string): string {
  const counts = [',', ';', '\t', '|'].map((d) => ({ d, n: headerLine.split(d).length - 1 }));
  counts.sort((a, b) => b.n - a.n);
  return counts[0]!.n > 0 ? counts[0]!.d : ',';
}

/** A mapping from the header alone, or a CsvMappingError listing what could not be matched. */
export function inferMapping(header: string[], kind?: CsvKind): CsvMapping {
  const normalised = header.map((h) => h.trim().toLowerCase().replace(/[\s-]+/g, '_'));
  const find = (field: string) => {
    const index = normalised.findIndex((h) => SYNONYMS[field]?.includes(h));
    return index === -1 ? undefined : header[index];
  };
  const kinds: CsvKind[] = kind ? [kind] : ['message', 'contact', 'account'];
  for (const k of kinds) {
    const columns: Record<string, string> = {};
    for (const field of [...FIELDS[k].required, ...FIELDS[k].optional]) {
      const column = find(field);
      if (column !== undefined) columns[field] = column;
    }
    if (FIELDS[k].required.every((f) => columns[f] !== undefined)) return { kind: k, platform: 'csv', columns };
  }
  throw new CsvMappingError(
    `cannot tell which CSV columns hold what (columns: ${header.join(', ')}); pass --mapping FILE, e.g. ` +
      `{"kind":"message","platform":"sms","columns":{"from":"Sender","body":"Text","ts":"Date","to":"Recipient"}}`,
  );
}

export function validateMapping(value: unknown): CsvMapping {
  if (typeof value !== 'object' || value === null) throw new CsvMappingError('the CSV mapping must be a JSON object');
  const m = value as Partial<CsvMapping>;
  const kind = m.kind ?? 'message';
  if (!(kind in FIELDS)) throw new CsvMappingError(`mapping "kind" must be one of ${Object.keys(FIELDS).join(', ')}`);
  if (typeof m.columns !== 'object' || m.columns === null) throw new CsvMappingError('mapping needs "columns": {"lode field": "CSV column"}');
  for (const field of FIELDS[kind].required) {
    if (typeof m.columns[field] !== 'string') throw new CsvMappingError(`mapping for ${kind} needs a column for "${field}"`);
  }
  return { ...m, kind, platform: m.platform ?? 'csv', columns: m.columns } as CsvMapping;
}

async function* readCsv(input: ReaderInput): AsyncGenerator<ReadItem> {
  const given = input.options.mapping === undefined ? undefined : validateMapping(input.options.mapping);
  const parser = createReadStream(input.path, { encoding: given?.encoding ?? 'utf8' }).pipe(
    parse({
      delimiter: given?.delimiter ?? [',', ';', '\t', '|'],
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: false,
      max_record_size: 1 << 20,
      skip_records_with_error: false,
    }),
  );
  let header: string[] | undefined;
  let mapping = given;
  // csv-parse's own line count is not the start line of a record; counting the line breaks
  // inside the cells of each record is exact for LF and CRLF files
  let next = { line: 1, offset: 0 };
  try {
    for await (const row of parser as AsyncIterable<{ record: string[]; info: { bytes: number } }>) {
      const location = next;
      next = { line: next.line + 1 + row.record.reduce((n, cell) => n + countLineBreaks(cell), 0), offset: row.info.bytes };
      if (row.record.every((cell) => cell === '')) continue;
      if (!header) {
        header = row.record;
        mapping ??= inferMapping(header);
        continue;
      }
      const result = toRecord(header, row.record, mapping!);
      if (typeof result === 'string') {
        yield { kind: 'malformed', location, reason: result, excerpt: row.record.join(',').slice(0, 300) };
      } else {
        yield { kind: 'record', record: result, location };
      }
    }
  } catch (error) {
    if (error instanceof CsvMappingError) throw error;
    // csv-parse stops at a broken structure (an unclosed quote): the rest cannot be read safely
    const message = (error as Error).message;
    yield { kind: 'malformed', location: next, reason: `CSV structure: ${message}`, excerpt: '' };
  }
}

function toRecord(header: string[], values: string[], mapping: CsvMapping): LodeRecord | string {
  const cell = (field: string): string | undefined => {
    const column = mapping.columns[field];
    if (column === undefined) return undefined;
    const index = header.indexOf(column);
    const value = index === -1 ? undefined : values[index];
    return value === undefined || value === '' ? undefined : value;
  };
  const mapped = new Set(Object.values(mapping.columns));
  const extra: Record<string, string> = {};
  header.forEach((h, i) => {
    if (!mapped.has(h) && values[i] !== undefined && values[i] !== '') extra[h] = values[i]!;
  });
  for (const field of FIELDS[mapping.kind].required) {
    if (cell(field) === undefined) return `missing value for "${field}" (column "${mapping.columns[field]}")`;
  }
  const rest = Object.keys(extra).length > 0 ? extra : undefined;
  switch (mapping.kind) {
    case 'message': {
      const rawTs = cell('ts');
      const ts = rawTs === undefined ? undefined : parseLooseTimestamp(rawTs, mapping.dateOrder);
      if (rawTs !== undefined && ts === undefined) return `cannot read time "${rawTs.slice(0, 40)}" (column "${mapping.columns.ts}")`;
      const to = cell('to');
      return {
        kind: 'message', platform: mapping.platform, ref: cell('id'), ts, from: cell('from')!,
        to: to === undefined ? [] : to.split(mapping.toSeparator ?? /[;,]/).map((t) => t.trim()).filter((t) => t !== ''),
        group: cell('group'), body: cell('body')!, lang: cell('lang'), extra: rest,
      };
    }
    case 'account': {
      const imei = cell('imei');
      const model = cell('model');
      return {
        kind: 'account', platform: mapping.platform, handle: cell('handle')!, name: cell('name'),
        device: imei || model ? { imei, model } : undefined, extra: rest,
      };
    }
    case 'contact':
      return { kind: 'contact', platform: mapping.platform, owner: cell('owner')!, handle: cell('handle')!, alias: cell('alias'), extra: rest };
  }
}

function countLineBreaks(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n += 1;
  return n;
}
