// CSV exports of a seized website's tables: one file per table (users.csv, payments.csv in one
// folder; the table is the file's name), read with the site-database mapping like an SQL dump.
// An event table's accounts are resolved through the sibling account-table file, read first.
import { createReadStream } from 'node:fs';
import { open, readdir } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { parse } from 'csv-parse';
import { parse as parseSync } from 'csv-parse/sync';
import type { ReadItem } from '../../model/records.ts';
import { guessDelimiter } from './csv.ts';
import type { FormatReader, ReaderInput } from './format.ts';
import {
  AccountKeyIndex, accountTableOf, checkMappingAgainstColumns, createPasswordHashers, foreignKeyColumn, indexAccountRow, proposeMapping,
  siteRowItems, sitePlatform, validateSiteMapping, type SiteMapping, type SiteRow, type TableShape,
} from './site-mapping.ts';

const TABLE_FILE = /\.(csv|tsv)$/i;
const HEAD_BYTES = 64 * 1024;
const EXCERPT_CHARS = 300;
/** Cells MySQL (`\N`) and phpMyAdmin (`NULL`) write for NULL. */
const NULL_CELLS = new Set(['', '\\N', 'NULL']);
const EVENT_VALUE_COLUMNS = /^(amount|price|total|sum|currency|query|search|term|keyword|q|ip|ip_address|user_agent|method)$/i;

export const siteCsv: FormatReader = {
  name: 'site-csv',
  description: 'CSV export of a website database, one file per table (users.csv, payments.csv...), read with the site-database mapping',
  detect(head, path) {
    const firstLine = head.split(/\r?\n/).find((l) => l.trim() !== '');
    if (firstLine === undefined || firstLine.trimStart().startsWith('{')) return 0;
    const columns = headerColumns(firstLine);
    if (columns === undefined || columns.length < 2) return 0;
    return isClearlySiteTable(tableName(path), columns) ? 0.92 : 0;
  },
  read: readSiteCsv,
};

/**
 * Whether a header is unmistakably a site table, so this reader wins over the generic CSV one:
 * accounts with an e-mail or password column, or rows tied to a user id that carry payment,
 * search or login data.
 */
export function isClearlySiteTable(table: string, columns: readonly string[]): boolean {
  const proposed = proposeMapping([{ name: table, columns: [...columns], rowCount: 0 }]).tables[table];
  if (proposed?.as === 'account') return proposed.email !== undefined || proposed.password_hash !== undefined;
  if (proposed?.as === 'event') return proposed.account !== undefined;
  return foreignKeyColumn(columns) !== undefined && columns.some((c) => EVENT_VALUE_COLUMNS.test(c.trim()));
}

function tableName(path: string): string {
  return basename(path, extname(path));
}

function headerColumns(line: string): string[] | undefined {
  try {
    const rows = parseSync(line, { delimiter: guessDelimiter(line), relax_quotes: true }) as string[][];
    return rows[0]?.map((c) => c.trim());
  } catch {
    return undefined;
  }
}

async function readHeader(path: string): Promise<{ columns: string[]; delimiter: string } | undefined> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, HEAD_BYTES, 0);
    const text = buffer.subarray(0, bytesRead).toString('utf8').replace(/^\ufeff/, '');
    const firstLine = text.split(/\r?\n/).find((l) => l.trim() !== '');
    if (firstLine === undefined) return undefined;
    const columns = headerColumns(firstLine);
    return columns === undefined ? undefined : { columns, delimiter: guessDelimiter(firstLine) };
  } finally {
    await handle.close();
  }
}

/** The table files beside `path`, with their headers: what a proposal and key lookups need. */
async function siblingTables(path: string): Promise<Map<string, { path: string; columns: string[] }>> {
  const dir = dirname(path);
  const tables = new Map<string, { path: string; columns: string[] }>();
  const names = (await readdir(dir)).filter((n) => TABLE_FILE.test(n)).sort();
  for (const name of names) {
    const header = await readHeader(join(dir, name)).catch(() => undefined);
    if (header) tables.set(tableName(name), { path: join(dir, name), columns: header.columns });
  }
  return tables;
}

type CsvRowItem = { kind: 'row'; row: SiteRow } | Extract<ReadItem, { kind: 'malformed' }>;

/** A table file's rows, NULL cells as null, with exact line and byte offset of each row. */
async function* tableRows(path: string, table: string): AsyncGenerator<CsvRowItem> {
  const header = await readHeader(path);
  if (!header) return;
  const parser = createReadStream(path).pipe(parse({
    delimiter: header.delimiter, bom: true, info: true, relax_column_count: true, max_record_size: 64 << 20,
  }));
  let columns: string[] | undefined;
  let next = { line: 1, offset: 0 };
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { bytes: number } }>) {
      const location = next;
      next = { line: next.line + 1 + record.reduce((n, cell) => n + countLineBreaks(cell), 0), offset: info.bytes };
      if (record.every((cell) => cell === '')) continue;
      if (!columns) {
        columns = record.map((c) => c.trim());
        continue;
      }
      if (record.length !== columns.length) {
        yield { kind: 'malformed', location, reason: `row has ${record.length} cells but ${basename(path)} has ${columns.length} columns`, excerpt: record.join(',').slice(0, EXCERPT_CHARS) };
        continue;
      }
      yield { kind: 'row', row: { table, columns, values: record.map((cell) => (NULL_CELLS.has(cell) ? null : cell)), location } };
    }
  } catch (error) {
    // csv-parse stops at a broken structure (an unclosed quote): the rest cannot be read safely
    yield { kind: 'malformed', location: next, reason: `CSV structure: ${(error as Error).message}`, excerpt: '' };
  }
}

async function* readSiteCsv(input: ReaderInput): AsyncGenerator<ReadItem> {
  const given = input.options.mapping === undefined ? undefined : validateSiteMapping(input.options.mapping);
  const table = tableName(input.path);
  const siblings = await siblingTables(input.path);
  const shapes: TableShape[] = [...siblings].map(([name, t]) => ({ name, columns: t.columns, rowCount: 0 }));
  const mapping: SiteMapping = given ?? proposeMapping(shapes);
  const own = siblings.get(table);
  const entry = mapping.tables[table];
  if (own && entry) checkMappingAgainstColumns(table, entry, own.columns);
  const keys = new AccountKeyIndex();
  try {
    await indexReferencedAccounts(keys, mapping, table, own?.columns ?? [], siblings);
    const context = {
      mapping, isProposed: given === undefined, keys, hashers: await createPasswordHashers(),
      platform: sitePlatform(given, undefined, basename(dirname(input.path))),
    };
    for await (const item of tableRows(input.path, table)) {
      if (item.kind === 'row') yield* siteRowItems(context, item.row);
      else yield item;
    }
  } finally {
    keys.close();
  }
}

/** Reads the account-table file the rows of `table` refer to into the key index. */
async function indexReferencedAccounts(
  keys: AccountKeyIndex, mapping: SiteMapping, table: string, columns: readonly string[], siblings: Map<string, { path: string }>,
): Promise<void> {
  const entry = mapping.tables[table];
  let accountTable: string | undefined;
  if (entry?.as === 'event' && entry.account !== undefined) accountTable = accountTableOf(mapping, entry);
  else if (entry === undefined && foreignKeyColumn(columns) !== undefined) {
    accountTable = Object.entries(mapping.tables).find(([, m]) => m.as === 'account')?.[0];
  }
  const file = accountTable === undefined ? undefined : siblings.get(accountTable);
  if (accountTable === undefined || !file) return;
  for await (const item of tableRows(file.path, accountTable)) if (item.kind === 'row') indexAccountRow(keys, mapping, item.row);
  keys.flush();
}

function countLineBreaks(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n += 1;
  return n;
}
