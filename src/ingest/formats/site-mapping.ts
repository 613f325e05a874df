// Site-database mapping v1 (DESIGN.md): how the tables of a seized website's database become
// accounts, events and credential exposures. Shared by the SQL dump reader (mysql-dump.ts) and
// the per-table CSV reader (site-csv.ts): both hand rows here as (table, columns, values).
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { createMD4 } from 'hash-wasm';
import { ACCOUNT_ROLES_KEY, type AccountRecord, type EventRecord, type ExposureRecord, type Location, type ReadItem } from '../../model/records.ts';
import { parseLooseTimestamp } from '../timestamps.ts';
import { FormatError } from './format.ts';
import { recogniseHashType } from './password-hash.ts';

/** A table whose rows are the site's users. Values are column names of that table. */
export type AccountTableMapping = {
  as: 'account';
  /** The column other tables refer to (usually `id`): what an event's `account` column holds. */
  key?: string;
  handle?: string;
  email?: string;
  ip?: string;
  phone?: string;
  ts?: string;
  /** A column with password hashes (or, as some sites kept them, cleartext passwords). */
  password_hash?: string;
  /** A column known to hold cleartext passwords. */
  password?: string;
  name?: string;
  date_of_birth?: string;
  address?: string;
};

/** A table whose rows are things an account did: payments, searches, logins... */
export type EventTableMapping = {
  as: 'event';
  type: string;
  /** The column holding the account table's `key` value. */
  account?: string;
  ts?: string;
  /** Columns that matter most; every other column is kept in the event's fields too. */
  fields?: string[];
  /** The column with the row's own id (makes two overlapping dumps store an event once). */
  ref?: string;
  /** Which account table `account` refers to, when the mapping has several (default: the first). */
  accounts?: string;
};

/** A table deliberately left out (a cache, a session store): its rows are not ingested. */
export type IgnoredTableMapping = { as: 'ignore' };

export type TableMapping = AccountTableMapping | EventTableMapping | IgnoredTableMapping;

export type SiteMapping = {
  tables: Record<string, TableMapping>;
  /** The platform of every record; default: the database name, else the file (or folder) name. */
  platform?: string;
};

/** What a table looks like to the proposal: its name, columns and how many rows it has. */
export type TableShape = { name: string; columns: string[]; rowCount: number };

/** A value as a site table holds it: text (numbers as their text), NULL, or raw bytes. */
export type SiteValue = string | null | Uint8Array;

/** One row of a site table, with where it sits in its file. */
export type SiteRow = { table: string; columns: readonly string[]; values: readonly SiteValue[]; location: Location };

export class SiteMappingError extends FormatError {}

const ACCOUNT_COLUMNS = ['key', 'handle', 'email', 'ip', 'phone', 'ts', 'password_hash', 'password', 'name', 'date_of_birth', 'address'] as const;
const EVENT_COLUMNS = ['account', 'ts', 'ref'] as const;

// ---------------------------------------------------------------------------------------------
// validation

/** Checks a mapping given with --mapping; every complaint names the table and field at fault. */
export function validateSiteMapping(value: unknown): SiteMapping {
  if (!isObject(value)) throw new SiteMappingError('the site-database mapping must be a JSON object like {"tables": {"users": {"as": "account", ...}}}');
  const tables = value.tables;
  if (!isObject(tables)) throw new SiteMappingError('the site-database mapping needs "tables": {"TABLE": {"as": "account" | "event" | "ignore", ...}}');
  if (value.platform !== undefined && typeof value.platform !== 'string') throw new SiteMappingError('mapping "platform" must be a string');
  const checked: Record<string, TableMapping> = {};
  for (const [table, entry] of Object.entries(tables)) checked[table] = validateTableMapping(table, entry);
  for (const [table, entry] of Object.entries(checked)) {
    if (entry.as === 'event' && entry.accounts !== undefined && checked[entry.accounts]?.as !== 'account') {
      throw new SiteMappingError(`mapping for table "${table}": "accounts" names "${entry.accounts}", which is not mapped "as": "account"`);
    }
  }
  return { tables: checked, platform: value.platform };
}

function validateTableMapping(table: string, entry: unknown): TableMapping {
  const where = `mapping for table "${table}"`;
  if (!isObject(entry)) throw new SiteMappingError(`${where} must be an object with "as": "account" | "event" | "ignore"`);
  const columnField = (field: string): void => {
    if (entry[field] !== undefined && (typeof entry[field] !== 'string' || entry[field] === '')) {
      throw new SiteMappingError(`${where}: "${field}" must be a column name (a non-empty string)`);
    }
  };
  switch (entry.as) {
    case 'account':
      for (const field of ACCOUNT_COLUMNS) columnField(field);
      if (entry.handle === undefined && entry.email === undefined && entry.key === undefined) {
        throw new SiteMappingError(`${where}: an account table needs at least one of "handle", "email" or "key"`);
      }
      return entry as AccountTableMapping;
    case 'event':
      if (typeof entry.type !== 'string' || entry.type === '') throw new SiteMappingError(`${where}: an event table needs "type" (e.g. "payment", "search", "login")`);
      for (const field of EVENT_COLUMNS) columnField(field);
      if (entry.accounts !== undefined && typeof entry.accounts !== 'string') throw new SiteMappingError(`${where}: "accounts" must be a table name`);
      if (entry.fields !== undefined && !(Array.isArray(entry.fields) && entry.fields.every((f) => typeof f === 'string'))) {
        throw new SiteMappingError(`${where}: "fields" must be an array of column names`);
      }
      return entry as EventTableMapping;
    case 'ignore':
      return { as: 'ignore' };
    default:
      throw new SiteMappingError(`${where}: "as" must be "account", "event" or "ignore" (got ${JSON.stringify(entry.as)})`);
  }
}

/** The columns a table mapping names, so a mapping that names a missing column is refused. */
export function mappedColumns(mapping: TableMapping): string[] {
  if (mapping.as === 'ignore') return [];
  const names: (string | undefined)[] = mapping.as === 'account'
    ? ACCOUNT_COLUMNS.map((field) => mapping[field])
    : [mapping.account, mapping.ts, mapping.ref, ...(mapping.fields ?? [])];
  return names.filter((n): n is string => n !== undefined);
}

/** Throws when the mapping names a column the table does not have (a mistyped mapping). */
export function checkMappingAgainstColumns(table: string, mapping: TableMapping, columns: readonly string[]): void {
  const missing = mappedColumns(mapping).filter((c) => !columns.includes(c));
  if (missing.length > 0) {
    throw new SiteMappingError(`mapping for table "${table}" names column${missing.length > 1 ? 's' : ''} ${missing.map((m) => `"${m}"`).join(', ')}, ` +
      `but the table's columns are: ${columns.join(', ')}`);
  }
}

// ---------------------------------------------------------------------------------------------
// proposal from names

const HANDLE_NAMES = ['username', 'user_name', 'login', 'nick', 'nickname', 'handle', 'user_login', 'uname', 'screen_name', 'screenname', 'login_name', 'member_name', 'user'];
const EMAIL_NAMES = ['email', 'mail', 'e_mail', 'email_address', 'emailaddress', 'user_email', 'useremail'];
const PASSWORD_NAMES = ['password', 'pass', 'passwd', 'password_hash', 'passwordhash', 'hash', 'pwd', 'user_pass', 'pass_hash', 'passhash', 'pw', 'password_md5'];
const IP_NAMES = ['ip', 'last_ip', 'reg_ip', 'ip_address', 'ipaddress', 'lastip', 'regip', 'registration_ip', 'signup_ip', 'user_ip', 'login_ip', 'remote_addr'];
const PHONE_NAMES = ['phone', 'mobile', 'tel', 'telephone', 'phone_number', 'phonenumber', 'msisdn', 'cellphone', 'cell'];
const REGISTERED_NAMES = ['created_at', 'registered', 'reg_date', 'joindate', 'join_date', 'joined', 'created', 'date_registered', 'registered_at', 'signup_date', 'user_registered', 'regdate', 'date_joined', 'creation_date'];
const NAME_NAMES = ['name', 'full_name', 'fullname', 'display_name', 'displayname', 'real_name', 'realname'];
const BIRTH_NAMES = ['dob', 'birthday', 'birthdate', 'birth_date', 'date_of_birth'];
const ADDRESS_NAMES = ['address', 'street', 'street_address', 'addr', 'address1'];
const FOREIGN_KEY_NAMES = ['user_id', 'uid', 'member_id', 'account_id', 'userid', 'memberid', 'accountid', 'customer_id', 'customerid', 'users_id'];
const EVENT_TIME_NAMES = ['ts', 'timestamp', 'time', 'date', 'datetime', 'created_at', 'created', 'paid_at', 'searched_at', 'logged_at', 'login_at', 'login_time', 'logged_in_at', 'date_created', 'occurred_at'];
const KEY_NAMES = ['id', 'user_id', 'uid', 'member_id', 'account_id', 'userid', 'memberid', 'customer_id'];

const EVENT_TABLES: ReadonlyArray<readonly [string, RegExp]> = [
  ['payment', /^(payments?|orders?|transactions?|invoices?|purchases?|deposits?)$/],
  ['search', /^(searches|search|queries|query|lookups?|search_log|search_history|searchlog)$/],
  ['login', /^(logins?|sessions?|access_log|accesslog|login_log|login_history|loginlog|login_attempts)$/],
];
const ACCOUNT_TABLES = /^(users?|members?|accounts?|customers?|clients?|profiles?|people|userbase)$/;

/** A mapping proposed from table and column names: what `lode inspect` shows, and what a dump without --mapping is read with. */
export function proposeMapping(tables: readonly TableShape[]): SiteMapping {
  const proposed: Record<string, TableMapping> = {};
  for (const table of tables) {
    const account = proposeAccountTable(table);
    if (account) proposed[table.name] = account;
  }
  const accountTables = Object.keys(proposed);
  for (const table of tables) {
    if (proposed[table.name]) continue;
    const event = proposeEventTable(table, accountTables);
    if (event) proposed[table.name] = event;
  }
  return { tables: proposed };
}

function proposeAccountTable(table: TableShape): AccountTableMapping | undefined {
  const find = columnFinder(table.columns);
  const handle = find(HANDLE_NAMES);
  const email = find(EMAIL_NAMES);
  const password = find(PASSWORD_NAMES);
  const userish = ACCOUNT_TABLES.test(unprefixed(table.name)) || ACCOUNT_TABLES.test(normaliseName(table.name));
  if (!(handle || email) || !(password || userish)) return undefined;
  const mapping: AccountTableMapping = { as: 'account' };
  const assign = (field: keyof Omit<AccountTableMapping, 'as'>, column: string | undefined) => {
    if (column !== undefined) mapping[field] = column;
  };
  assign('key', find(KEY_NAMES));
  assign('handle', handle);
  assign('email', email);
  assign('ip', find(IP_NAMES));
  assign('phone', find(PHONE_NAMES));
  assign('ts', find(REGISTERED_NAMES));
  assign('password_hash', password);
  assign('name', find(NAME_NAMES.filter((n) => n !== handle)));
  assign('date_of_birth', find(BIRTH_NAMES));
  assign('address', find(ADDRESS_NAMES));
  return mapping;
}

function proposeEventTable(table: TableShape, accountTables: readonly string[]): EventTableMapping | undefined {
  const type = EVENT_TABLES.find(([, pattern]) => pattern.test(unprefixed(table.name)) || pattern.test(normaliseName(table.name)))?.[0];
  if (!type) return undefined;
  const find = columnFinder(table.columns);
  const account = find(FOREIGN_KEY_NAMES);
  const ts = find(EVENT_TIME_NAMES) ?? table.columns.find((c) => /_(at|time|date)$/.test(normaliseName(c)));
  const ref = find(['id']);
  const used = new Set([account, ts, ref]);
  const mapping: EventTableMapping = { as: 'event', type, fields: table.columns.filter((c) => !used.has(c)) };
  if (account !== undefined) mapping.account = account;
  if (ts !== undefined) mapping.ts = ts;
  if (ref !== undefined) mapping.ref = ref;
  if (account !== undefined && accountTables.length > 1) mapping.accounts = pickAccountTable(accountTables);
  return mapping;
}

function pickAccountTable(accountTables: readonly string[]): string {
  return accountTables.find((t) => /^users?$/.test(unprefixed(t))) ?? accountTables[0]!;
}

function columnFinder(columns: readonly string[]): (names: readonly string[]) => string | undefined {
  const normalised = columns.map(normaliseName);
  return (names) => {
    for (const name of names) {
      const index = normalised.indexOf(name);
      if (index !== -1) return columns[index];
    }
    return undefined;
  };
}

function normaliseName(name: string): string {
  return name.trim().toLowerCase().replace(/[\s-]+/g, '_');
}

/** `wp_users` -> `users`, `phpbb_sessions` -> `sessions`: forum and CMS tables carry a prefix. */
function unprefixed(name: string): string {
  return normaliseName(name).replace(/^[a-z0-9]+_/, '');
}

// ---------------------------------------------------------------------------------------------
// rows to records

/** Everything turning rows into records needs besides the row itself. */
export type SiteContext = {
  mapping: SiteMapping;
  /** True when the mapping was proposed rather than given: records are flagged 'mapping-proposed'. */
  isProposed: boolean;
  platform: string;
  keys: AccountKeyLookup;
  hashers: PasswordHashers;
};

export type AccountKeyLookup = { handleOf(table: string, key: string): string | undefined };
export type PasswordHashers = { sha1(password: string): string; ntlm(password: string): string };

export async function createPasswordHashers(): Promise<PasswordHashers> {
  // one MD4 instance: creating one compiles WebAssembly
  const md4 = await createMD4();
  return {
    sha1: (password) => createHash('sha1').update(password, 'utf8').digest('hex').toUpperCase(),
    ntlm: (password) => {
      md4.init();
      md4.update(Buffer.from(password, 'utf16le'));
      return md4.digest('hex').toUpperCase();
    },
  };
}

/** The platform a site's records carry: the mapping's, else the database's name, else the file's. */
export function sitePlatform(mapping: SiteMapping | undefined, databaseName: string | undefined, fallbackName: string): string {
  return mapping?.platform ?? databaseName ?? fallbackName;
}

/** The account table an event table's `account` column refers to. */
export function accountTableOf(mapping: SiteMapping, event: EventTableMapping): string | undefined {
  return event.accounts ?? firstAccountTable(mapping);
}

// asked once a row: remembered per mapping
const firstAccountTables = new WeakMap<SiteMapping, string | undefined>();

function firstAccountTable(mapping: SiteMapping): string | undefined {
  if (!firstAccountTables.has(mapping)) firstAccountTables.set(mapping, Object.entries(mapping.tables).find(([, m]) => m.as === 'account')?.[0]);
  return firstAccountTables.get(mapping);
}

/** The foreign-key column of a table no mapping covers, if it has one (user_id, uid...). */
export function foreignKeyColumn(columns: readonly string[]): string | undefined {
  return columnFinder(columns)(FOREIGN_KEY_NAMES);
}

/**
 * The account's handle: its username, else its e-mail, else `id:<key>` (events name an account
 * they cannot resolve the same way, so both meet on one account).
 */
export function accountHandle(mapping: AccountTableMapping, cell: (column: string | undefined) => string | undefined): string | undefined {
  const handle = cell(mapping.handle) ?? cell(mapping.email);
  if (handle !== undefined) return handle;
  const key = cell(mapping.key);
  return key === undefined ? undefined : `id:${key}`;
}

/** The text of a value for a record: bytes that are printable UTF-8 read as text, others as 0x hex. */
export function valueText(value: SiteValue | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return value;
  const bytes = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  const text = bytes.toString('utf8');
  // text only when the bytes are valid UTF-8 without control characters (tab and newlines allowed)
  return Buffer.from(text, 'utf8').equals(bytes) && !/[\x00-\x08\x0b\x0c\x0e-\x1f\ufffd]/.test(text) ? text : `0x${bytes.toString('hex')}`;
}

const PASSWORDISH_COLUMN = /^(password|pass|passwd|pwd|pw|user_pass|pass_?hash|password_?hash|password_md5|hash|secret|pin)$/i;
/** Long unbroken runs of base64-ish characters: some hash nobody named, not a password someone typed. */
const UNKNOWN_HASH = /^[A-Za-z0-9+/=$.:_-]{32,}$/;
const MAX_EXCERPT_CHARS = 300;

/** Turns one row into what it means: an account and its exposure, an event, or a `row:<table>` event. */
export function siteRowItems(context: SiteContext, row: SiteRow): ReadItem[] {
  const mapping = context.mapping.tables[row.table];
  if (mapping?.as === 'ignore') return [];
  const cell = cellReader(row);
  if (mapping?.as === 'account') return accountItems(context, mapping, row, cell);
  if (mapping?.as === 'event') return [eventItem(context, mapping, row, cell)];
  return [unmappedRowItem(context, row, cell)];
}

type CellReader = (column: string | undefined) => string | undefined;

function cellReader(row: SiteRow): CellReader {
  return (column) => {
    if (column === undefined) return undefined;
    const index = row.columns.indexOf(column);
    if (index === -1) return undefined;
    const text = valueText(row.values[index]);
    return text === undefined || text.trim() === '' ? undefined : text;
  };
}

function accountItems(context: SiteContext, mapping: AccountTableMapping, row: SiteRow, cell: CellReader): ReadItem[] {
  const handle = accountHandle(mapping, cell);
  if (handle === undefined) {
    return [malformed(row, `account row of table "${row.table}" has no username, e-mail or key to name the account by`)];
  }
  const passwordColumns = new Set([mapping.password_hash, mapping.password].filter((c) => c !== undefined));
  const extra: Record<string, unknown> = { table: row.table };
  row.columns.forEach((column, i) => {
    const text = valueText(row.values[i]);
    if (passwordColumns.has(column) || text === undefined || column === mapping.name || column === mapping.handle) return;
    extra[column] = text;
  });
  const flags = context.isProposed ? ['mapping-proposed'] : [];
  if (flags.length > 0) extra.flags = flags;
  // a site's own column may be called "roles": a name no MySQL column carries keeps both
  const roles = accountRoles(mapping, cell);
  if (roles) extra[ACCOUNT_ROLES_KEY] = roles;
  const account: AccountRecord = { kind: 'account', platform: context.platform, handle, name: cell(mapping.name), extra };
  const items: ReadItem[] = [{ kind: 'record', record: account, location: row.location }];
  const email = cell(mapping.email)?.trim().toLowerCase();
  if (email !== undefined && email.includes('@')) {
    const exposure = exposureOf(context, mapping, cell, email, handle, flags);
    // the exposure comes from the same row: it sits one byte into the row, which keeps
    // locations unique and increasing (no row is shorter than two bytes)
    items.push({ kind: 'record', record: exposure, location: { line: row.location.line, offset: row.location.offset + 1 } });
  }
  return items;
}

/** The account roles this row fills, by column: what reads a site's contact details (campaigns) need to know. */
const ROLE_FIELDS = ['email', 'phone', 'ip', 'address', 'ts', 'date_of_birth'] as const;

function accountRoles(mapping: AccountTableMapping, cell: CellReader): Partial<Record<(typeof ROLE_FIELDS)[number], string>> | undefined {
  const roles: Partial<Record<(typeof ROLE_FIELDS)[number], string>> = {};
  for (const role of ROLE_FIELDS) {
    const column = mapping[role];
    if (column !== undefined && cell(column) !== undefined) roles[role] = column;
  }
  return Object.keys(roles).length > 0 ? roles : undefined;
}

function exposureOf(context: SiteContext, mapping: AccountTableMapping, cell: CellReader, email: string, handle: string, flags: string[]): ExposureRecord {
  const dataClasses = ['email'];
  const exposure: ExposureRecord = { kind: 'exposure', platform: context.platform, identifier: email, identifierType: 'email', dataClasses, account: handle };
  if (cell(mapping.handle) !== undefined) dataClasses.push('username');
  const password = describePassword(cell(mapping.password_hash), cell(mapping.password), context.hashers);
  if (password) {
    dataClasses.push(password.dataClass);
    if (password.hashType) exposure.hashType = password.hashType;
    if (password.sha1) exposure.passwordSha1 = password.sha1;
    if (password.ntlm) exposure.passwordNtlm = password.ntlm;
  }
  const classes: ReadonlyArray<readonly [string, string | undefined]> = [
    ['ip', mapping.ip], ['phone', mapping.phone], ['name', mapping.name], ['date-of-birth', mapping.date_of_birth], ['address', mapping.address],
  ];
  for (const [dataClass, column] of classes) if (cell(column) !== undefined) dataClasses.push(dataClass);
  if (flags.length > 0) exposure.extra = { flags };
  return exposure;
}

type PasswordFacts = { dataClass: 'password' | 'password-hash'; hashType?: string; sha1?: string; ntlm?: string };

/**
 * What a password column exposes. A recognised hash is named; a value that is clearly typed by a
 * person becomes its SHA-1 and NTLM (the cleartext itself is never kept); a long unnamed token
 * is counted as a hash of unknown kind.
 */
export function describePassword(hashColumnValue: string | undefined, cleartextColumnValue: string | undefined, hashers: PasswordHashers): PasswordFacts | undefined {
  const value = hashColumnValue ?? cleartextColumnValue;
  if (value === undefined) return undefined;
  const bare = /^0x[0-9a-f]+$/i.test(value) ? value.slice(2) : value;
  const hashType = recogniseHashType(bare);
  if (hashType !== undefined) {
    return { dataClass: 'password-hash', hashType, sha1: hashType === 'sha1' ? bare.toUpperCase() : undefined };
  }
  if (hashColumnValue !== undefined && UNKNOWN_HASH.test(value)) return { dataClass: 'password-hash' };
  return { dataClass: 'password', sha1: hashers.sha1(value), ntlm: hashers.ntlm(value) };
}

function eventItem(context: SiteContext, mapping: EventTableMapping, row: SiteRow, cell: CellReader): ReadItem {
  const accountTable = accountTableOf(context.mapping, mapping);
  const account = resolveAccount(context, accountTable, cell(mapping.account));
  const rawTs = cell(mapping.ts);
  const ts = rawTs === undefined ? undefined : siteTimestamp(rawTs);
  const fields: Record<string, unknown> = {};
  for (const column of fieldOrder(mapping, row.columns)) addField(fields, column, cell(column), context.hashers);
  if (rawTs !== undefined && ts === undefined) fields[mapping.ts!] = rawTs;
  if (mapping.account !== undefined && account.startsWith('id:')) fields[mapping.account] = cell(mapping.account);
  const ref = cell(mapping.ref);
  const event: EventRecord = {
    kind: 'event', platform: context.platform, ref: ref === undefined ? undefined : `${row.table}:${ref}`,
    account, type: mapping.type, ts, fields,
  };
  if (context.isProposed) event.flags = ['mapping-proposed'];
  return { kind: 'record', record: event, location: row.location };
}

// an INSERT's rows share one columns array: the order is worked out once per statement, not per row
const fieldOrders = new WeakMap<EventTableMapping, WeakMap<readonly string[], readonly string[]>>();

/** An event's field columns in order: the mapping's `fields` first, then the rest; not its account or time. */
function fieldOrder(mapping: EventTableMapping, columns: readonly string[]): readonly string[] {
  let byColumns = fieldOrders.get(mapping);
  if (byColumns === undefined) fieldOrders.set(mapping, byColumns = new WeakMap());
  let order = byColumns.get(columns);
  if (order === undefined) {
    const used = new Set([mapping.account, mapping.ts]);
    order = [...(mapping.fields ?? []), ...columns.filter((c) => !mapping.fields?.includes(c))].filter((c) => !used.has(c));
    byColumns.set(columns, order);
  }
  return order;
}

/** Rows of tables no mapping covers are kept as events `row:<table>`, so nothing is lost and all is searchable. */
function unmappedRowItem(context: SiteContext, row: SiteRow, cell: CellReader): ReadItem {
  const foreignKey = foreignKeyColumn(row.columns);
  const account = foreignKey === undefined ? NO_ACCOUNT : resolveAccount(context, firstAccountTable(context.mapping), cell(foreignKey));
  const fields: Record<string, unknown> = {};
  for (const column of row.columns) addField(fields, column, cell(column), context.hashers);
  return { kind: 'record', record: { kind: 'event', platform: context.platform, account, type: `row:${row.table}`, fields }, location: row.location };
}

const NO_ACCOUNT = '(none)';

function resolveAccount(context: SiteContext, accountTable: string | undefined, key: string | undefined): string {
  if (key === undefined) return NO_ACCOUNT;
  return (accountTable === undefined ? undefined : context.keys.handleOf(accountTable, key)) ?? `id:${key}`;
}

/** A field for an event; a password-like column outside the account table keeps only its SHA-1. */
function addField(fields: Record<string, unknown>, column: string, value: string | undefined, hashers: PasswordHashers): void {
  if (value === undefined) return;
  if (PASSWORDISH_COLUMN.test(column) && recogniseHashType(value) === undefined && !UNKNOWN_HASH.test(value)) {
    fields[`${column}_sha1`] = hashers.sha1(value);
    return;
  }
  fields[column] = value;
}

/** MySQL DATETIME (`2020-04-01 12:34:56`, no zone), a date, or epoch seconds; zero dates are no time. */
export function siteTimestamp(value: string): string | undefined {
  const v = value.trim();
  if (/^0000-00-00/.test(v)) return undefined;
  if (isMysqlDatetime(v)) {
    const month = twoDigits(v, 5);
    const day = twoDigits(v, 8);
    const isValid = month >= 1 && month <= 12 && day >= 1 && day <= 31 && twoDigits(v, 11) < 24 && twoDigits(v, 14) < 60 && twoDigits(v, 17) < 60;
    return isValid ? `${v.slice(0, 10)}T${v.slice(11)}` : undefined;
  }
  return parseLooseTimestamp(v, 'ymd');
}

/**
 * `YYYY-MM-DD HH:MM:SS` (or with a `T`), optionally `.` and 1 to 6 digits. Checked character by
 * character: an event table holds millions of these, and a regular expression with captures
 * costs several times more.
 */
function isMysqlDatetime(v: string): boolean {
  const length = v.length;
  if (length !== 19 && (length < 21 || length > 26)) return false;
  for (let i = 0; i < length; i += 1) {
    const c = v.charCodeAt(i);
    const isDigit = c >= 0x30 && c <= 0x39;
    switch (i) {
      case 4: case 7: if (c !== 0x2d) return false; break;
      case 10: if (c !== 0x20 && c !== 0x54) return false; break;
      case 13: case 16: if (c !== 0x3a) return false; break;
      case 19: if (c !== 0x2e) return false; break;
      default: if (!isDigit) return false;
    }
  }
  return true;
}

function twoDigits(v: string, at: number): number {
  return (v.charCodeAt(at) - 0x30) * 10 + v.charCodeAt(at + 1) - 0x30;
}

function malformed(row: SiteRow, reason: string): ReadItem {
  const excerpt = row.values.map((v) => valueText(v) ?? 'NULL').join(', ').slice(0, MAX_EXCERPT_CHARS);
  return { kind: 'malformed', location: row.location, reason, excerpt };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// ---------------------------------------------------------------------------------------------
// account keys on disk

/**
 * key -> handle of the account tables, for resolving events to accounts. On disk in a temporary
 * SQLite file (a site can have 50M users; that does not fit a worker's heap), deleted by close(),
 * with the keys asked most recently kept in memory in front of it.
 */
export class AccountKeyIndex implements AccountKeyLookup {
  private readonly dir: string;
  private readonly db: DatabaseSync;
  private readonly insert: StatementSync;
  private readonly select: StatementSync;
  private pending = 0;
  /**
   * Recent answers (misses too), in two generations: a hit costs one Map lookup, and when the
   * young generation is full it becomes the old one, so what was not asked since is dropped.
   */
  private recent = new Map<string, string | null>();
  private older = new Map<string, string | null>();
  private static readonly ROWS_PER_TRANSACTION = 50_000;
  /** Keys per generation: about 20 MB of heap each (40 MB in all), however many accounts the site had. */
  private static readonly RECENT_KEYS = 100_000;

  constructor() {
    this.dir = mkdtempSync(join(tmpdir(), 'lode-site-keys-'));
    this.db = new DatabaseSync(join(this.dir, 'keys.sqlite'));
    // the file is ours alone: an exclusive lock keeps SQLite from re-validating its page cache
    // (a lock and a read of the header, system calls) on every lookup, which cost most of a lookup
    this.db.exec(`PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA locking_mode = EXCLUSIVE;
      PRAGMA cache_size = -32768; PRAGMA mmap_size = 1073741824;
      CREATE TABLE account_keys (tbl TEXT NOT NULL, key TEXT NOT NULL, handle TEXT NOT NULL, PRIMARY KEY (tbl, key)) WITHOUT ROWID`);
    this.insert = this.db.prepare('INSERT OR REPLACE INTO account_keys (tbl, key, handle) VALUES (?, ?, ?)');
    this.select = this.db.prepare('SELECT handle FROM account_keys WHERE tbl = ? AND key = ?');
    this.select.setReturnArrays(true);
  }

  add(table: string, key: string, handle: string): void {
    if (this.pending === 0) this.db.exec('BEGIN');
    this.insert.run(table, key, handle);
    this.pending += 1;
    if (this.pending >= AccountKeyIndex.ROWS_PER_TRANSACTION) this.flush();
  }

  /** Ends the write phase: everything added becomes visible to lookups. */
  flush(): void {
    if (this.pending === 0) return;
    this.db.exec('COMMIT');
    this.pending = 0;
    this.recent.clear();
    this.older.clear();
  }

  handleOf(table: string, key: string): string | undefined {
    // a table name holds no NUL, so table + NUL + key names one key of one table
    const cacheKey = `${table}\0${key}`;
    let handle = this.recent.get(cacheKey);
    if (handle === undefined) {
      handle = this.older.get(cacheKey);
      if (handle === undefined) {
        const row = this.select.get(table, key) as unknown[] | undefined;
        handle = row === undefined ? null : String(row[0]);
      }
      if (this.recent.size >= AccountKeyIndex.RECENT_KEYS) {
        this.older = this.recent;
        this.recent = new Map();
      }
      this.recent.set(cacheKey, handle);
    }
    return handle ?? undefined;
  }

  close(): void {
    if (this.db.isOpen) this.db.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Records the account key of an account-table row into the index (the first pass). */
export function indexAccountRow(index: AccountKeyIndex, mapping: SiteMapping, row: SiteRow): void {
  const table = mapping.tables[row.table];
  if (table?.as !== 'account' || table.key === undefined) return;
  const cell = cellReader(row);
  const key = cell(table.key);
  const handle = accountHandle(table, cell);
  if (key !== undefined && handle !== undefined) index.add(row.table, key, handle);
}
