// Credential leak files ("combolists"): one `identifier<delimiter>secret` a line, the delimiter
// ':' ';' '|' or TAB, the secret a cleartext password or a hash, sometimes with an IP after it or
// a site URL before it ("stealer logs": `https://site/login:user:pass`). Each line becomes a
// credential exposure. The cleartext never leaves this module: only its SHA-1 and NTLM digests
// do, and quarantine excerpts mask everything after the delimiter.
import { open } from 'node:fs/promises';
import { isUtf8 } from 'node:buffer';
import { basename, extname } from 'node:path';
import iconv from 'iconv-lite';
import type { ExposureRecord, ReadItem } from '../../model/records.ts';
import { readByteLines } from '../lines.ts';
import type { FormatReader, ReaderInput } from './format.ts';
import { createNtlmHasher, passwordSha1, recogniseHashType, type NtlmHasher } from './password-hash.ts';

export const DELIMITERS = [':', ';', '|', '\t'] as const;
export type Delimiter = (typeof DELIMITERS)[number];
export type LineEncoding = 'utf-8' | 'latin1' | 'cp437';
export type IdentifierType = ExposureRecord['identifierType'];

export const MAX_LINE_BYTES = 64 * 1024;
const HEAD_BYTES = 64 * 1024;
const EXCERPT_CHARS = 300;
const MASK = '********';
/** Lines the head sample looks at when choosing the delimiter or detecting the format. */
const SAMPLE_LINES = 500;

export const combolist: FormatReader = {
  name: 'combolist',
  description: 'credential leak lists: email:password, user;hash, email|password, TAB, URL:user:pass stealer logs',
  detect: detectCombolist,
  read: readCombolist,
};

// ---------------------------------------------------------------------------------------------
// Identifiers

const EMAIL = /^[\p{L}\p{N}!#$%&'*+/=?^_`{}~.-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.[\p{L}\p{N}-]{2,}$/u;
const PHONE = /^\+?\d[\d ().-]{6,}$/;
// Deliberately narrower than what sites allow: brackets, quotes, commas, slashes and spaces in
// "usernames" are far more often the sign of a line that is not a credential at all.
const USERNAME = /^[\p{L}\p{N}._\-+!#$%&*=?^~'`{}@]{1,128}$/u;

export type Identifier = { value: string; type: IdentifierType };

/** The identifier normalised (e-mail lower-cased, phone as '+' and digits), or undefined. */
export function normaliseIdentifier(raw: string): Identifier | undefined {
  const trimmed = raw.trim();
  if (trimmed.length > 254) return undefined;
  if (EMAIL.test(trimmed)) return { value: trimmed.toLowerCase(), type: 'email' };
  if (PHONE.test(trimmed)) {
    const digits = trimmed.replace(/\D/g, '');
    if (digits.length >= 8 && digits.length <= 15) return { value: (trimmed.startsWith('+') ? '+' : '') + digits, type: 'phone' };
  }
  if (USERNAME.test(trimmed)) return { value: trimmed, type: 'username' };
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// URL prefixes of stealer logs

const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]{1,20}:\/\//;
// Without a scheme only a "www." host or a host followed by a path counts as a URL: a bare
// "name.surname" is as likely a username.
const SCHEMELESS_URL = /^(?:www\.[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+(?::\d{1,5})?(?:\/[^\s:;|]*)?|[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+(?::\d{1,5})?\/[^\s:;|]*)/u;
const URL_SEPARATORS = new Set([':', ';', '|', '\t', ' ']);

export type UrlPrefix = { url: string; separator: string; rest: string };

/**
 * Splits a leading URL off a stealer-log line (`https://site:8080/login:user:pass`,
 * `android://…==@com.app/:user:pass`, `www.site.com user:pass`). The URL runs through its host,
 * an optional `:port` followed by '/', and a path up to the first separator (':' ';' '|' TAB
 * space), which is dropped. Undefined when the line does not start with a URL.
 */
export function splitUrlPrefix(line: string): UrlPrefix | undefined {
  let end: number;
  const scheme = SCHEME.exec(line);
  if (scheme) {
    end = scheme[0].length;
    // `user:secret@host/` only when a host and a path follow the '@': in `https://site:joe@x.nl:pw`
    // the '@' belongs to the e-mail address that follows the URL
    const userinfo = /^[^/?#@\s]*@(?=[^/?#@\s:;|]+(?::\d{1,5})?[/?#])/.exec(line.slice(end));
    if (userinfo) end += userinfo[0].length;
    while (end < line.length && !'/?#'.includes(line[end]!) && !URL_SEPARATORS.has(line[end]!)) end += 1;
    const port = /^:\d{1,5}(?=[/?#])/.exec(line.slice(end));
    if (port) end += port[0].length;
    if (end < line.length && '/?#'.includes(line[end]!)) {
      while (end < line.length && !URL_SEPARATORS.has(line[end]!)) end += 1;
    }
  } else {
    const match = SCHEMELESS_URL.exec(line);
    if (!match) return undefined;
    end = match[0].length;
  }
  if (end < line.length && !URL_SEPARATORS.has(line[end]!)) return undefined;
  return { url: withoutUrlPassword(line.slice(0, end)), separator: line[end] ?? '', rest: line.slice(end + 1) };
}

/** `scheme://user:secret@host/…` keeps the user but never the secret. */
function withoutUrlPassword(url: string): string {
  return url.replace(/^([A-Za-z][A-Za-z0-9+.-]*:\/\/)([^/@:]*):[^/@]*@/, '$1$2@');
}

// ---------------------------------------------------------------------------------------------
// Lines

export type ParsedCredential = {
  identifier: Identifier;
  /** A cleartext password or a hash, as the line holds it: never stored, only digested. */
  secret: string;
  ip?: string;
  url?: string;
  /** The delimiter this line was split on (another than the file's only when that is absent). */
  delimiter: Delimiter;
};

export type LineProblem = { reason: string; excerpt: string };

const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)$/;
const IPV6 = /^(?=.*:.*:)[0-9A-Fa-f:.]{2,45}$/;
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f]/;

/** The position of the first delimiter of any kind, or -1. */
function firstAnyDelimiter(text: string): number {
  let first = -1;
  for (const d of DELIMITERS) {
    const i = text.indexOf(d);
    if (i !== -1 && (first === -1 || i < first)) first = i;
  }
  return first;
}

/**
 * What a human may see of a line that could not be read: the text up to the first delimiter
 * (of any kind, after a URL prefix) and a mask for the rest, since the rest may be a password.
 * A line without any delimiter might be a lone password, so only an e-mail address is shown.
 */
export function maskLine(text: string): string {
  const url = splitUrlPrefix(text);
  const head = url ? url.url + url.separator : '';
  const rest = url ? url.rest : text;
  const cut = firstAnyDelimiter(rest);
  let shown: string;
  if (cut === -1) shown = EMAIL.test(rest.trim()) ? rest : rest.length === 0 ? '' : MASK;
  else shown = rest.slice(0, cut + 1) + (cut + 1 < rest.length ? MASK : '');
  return (head + shown).replace(/[\x00-\x1f\x7f]/g, '?').slice(0, EXCERPT_CHARS);
}

/**
 * Parses one line. The secret starts after the FIRST occurrence of the file's delimiter, so a
 * password may hold delimiters of every kind; a line falls back to the first delimiter it does
 * hold only when the file's delimiter is absent from it. A trailing `<delimiter><IP address>` is
 * taken as the IP the leak recorded, not as part of the password.
 */
export function parseCredentialLine(text: string, fileDelimiter: Delimiter): ParsedCredential | LineProblem {
  const problem = (reason: string): LineProblem => ({ reason, excerpt: maskLine(text) });
  if (CONTROL.test(text)) return problem('binary data (control characters), not a credential line');
  const url = splitUrlPrefix(text);
  const rest = url ? url.rest : text;
  let cut = rest.indexOf(fileDelimiter);
  let delimiter: Delimiter = fileDelimiter;
  if (cut === -1) {
    cut = firstAnyDelimiter(rest);
    if (cut === -1) return problem(url ? 'no identifier and password after the URL' : 'no delimiter (: ; | or TAB) on the line');
    delimiter = rest[cut] as Delimiter;
  }
  const rawIdentifier = rest.slice(0, cut);
  let secret = rest.slice(cut + 1);
  if (rawIdentifier.trim() === '') return problem('empty identifier before the delimiter');
  // never echo the identifier in the reason: a mis-split one may hold part of a password
  const identifier = normaliseIdentifier(rawIdentifier);
  if (!identifier) return problem(`the text before the delimiter "${visible(delimiter)}" is not an e-mail address, username or phone number`);
  let ip: string | undefined;
  const lastCut = secret.lastIndexOf(delimiter);
  if (lastCut > 0) {
    const tail = secret.slice(lastCut + 1).trim();
    if (IPV4.test(tail) || (delimiter !== ':' && IPV6.test(tail))) {
      ip = tail;
      secret = secret.slice(0, lastCut);
    }
  }
  if (secret.trim() === '') return problem('no password or hash after the delimiter');
  return { identifier, secret, ip, url: url?.url, delimiter };
}

function visible(delimiter: Delimiter): string {
  return delimiter === '\t' ? 'TAB' : delimiter;
}

/** The hash type of a secret, reading 'hash<delimiter>salt' as salted whatever the delimiter. */
export function secretHashType(secret: string, delimiter: Delimiter): string | undefined {
  const type = recogniseHashType(secret);
  if (type !== undefined || delimiter === ':' || !secret.includes(delimiter)) return type;
  const salted = recogniseHashType(secret.replace(delimiter, ':'));
  return salted?.endsWith('-salted') ? salted : undefined;
}

/** The exposure a parsed line describes: digests of a cleartext, or the type of a hash. */
export function toExposure(parsed: ParsedCredential, platform: string, ntlm: NtlmHasher, encoding: LineEncoding): ExposureRecord {
  const hashType = secretHashType(parsed.secret, parsed.delimiter);
  const dataClasses: string[] = [parsed.identifier.type, hashType ? 'password-hash' : 'password'];
  const extra: Record<string, unknown> = {};
  if (parsed.ip !== undefined) {
    dataClasses.push('ip');
    extra.ip = parsed.ip;
  }
  if (parsed.url !== undefined) {
    dataClasses.push('url');
    extra.url = parsed.url;
  }
  if (encoding !== 'utf-8') extra.encoding = encoding;
  const record: ExposureRecord = {
    kind: 'exposure',
    platform,
    identifier: parsed.identifier.value,
    identifierType: parsed.identifier.type,
    dataClasses,
  };
  if (hashType) {
    record.hashType = hashType;
    // an unsalted SHA-1 is what the victim check compares anyway; other hashes are not kept
    if (hashType === 'sha1') record.passwordSha1 = parsed.secret.trim().toUpperCase();
  } else {
    record.passwordSha1 = passwordSha1(parsed.secret);
    record.passwordNtlm = ntlm(parsed.secret);
  }
  if (Object.keys(extra).length > 0) record.extra = extra;
  return record;
}

// ---------------------------------------------------------------------------------------------
// Bytes to text

/**
 * Decodes a line: UTF-8 when valid, else whichever of latin-1 and cp437 (DOS) yields more
 * letters; bytes 0x80-0x9F are control characters in latin-1 but letters (ü é ä...) in cp437,
 * which is what tells the two apart. A tie goes to latin-1, the more common of the two.
 */
export function decodeLine(bytes: Uint8Array): { text: string; encoding: LineEncoding } {
  if (isUtf8(bytes)) return { text: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'), encoding: 'utf-8' };
  const latin1 = iconv.decode(Buffer.from(bytes), 'latin1');
  const cp437 = iconv.decode(Buffer.from(bytes), 'cp437');
  return countLetters(cp437) > countLetters(latin1) ? { text: cp437, encoding: 'cp437' } : { text: latin1, encoding: 'latin1' };
}

function countLetters(text: string): number {
  return text.match(/\p{L}/gu)?.length ?? 0;
}

// ---------------------------------------------------------------------------------------------
// The file's delimiter and detection

/** The delimiter a line votes for: the first one on it, when what precedes is an identifier. */
function delimiterVote(text: string): { delimiter: Delimiter; identifier: Identifier; secret: string } | undefined {
  if (CONTROL.test(text)) return undefined;
  const rest = splitUrlPrefix(text)?.rest ?? text;
  const cut = firstAnyDelimiter(rest);
  if (cut <= 0 || cut === rest.length - 1) return undefined;
  const identifier = normaliseIdentifier(rest.slice(0, cut));
  return identifier ? { delimiter: rest[cut] as Delimiter, identifier, secret: rest.slice(cut + 1) } : undefined;
}

/**
 * The file's delimiter: the one most sample lines use right after a valid identifier. Each line
 * votes for the first delimiter on it (identifiers hold none), so passwords full of other
 * delimiters do not sway the choice. ':' when no line votes.
 */
export function chooseDelimiter(lines: readonly string[]): Delimiter {
  const votes = new Map<Delimiter, number>();
  for (const line of lines) {
    const vote = delimiterVote(line);
    if (vote) votes.set(vote.delimiter, (votes.get(vote.delimiter) ?? 0) + 1);
  }
  let best: Delimiter = ':';
  for (const d of DELIMITERS) if ((votes.get(d) ?? 0) > (votes.get(best) ?? 0)) best = d;
  return best;
}

const HEADER_IDENTIFIERS = /^(?:e-?mail|mail|email_?address|user(?:name|_?name)?|login|account|id|name|phone)$/i;
const HEADER_SECRETS = /^(?:pass(?:word)?|pwd|passwd|hash|password_?hash|salt|ip)$/i;

/** A first line such as `email;password`: the header row of a CSV, not a credential. */
function isHeaderRow(line: string): boolean {
  const fields = line.split(/[:;|\t,]/).map((f) => f.trim().replace(/^"|"$/g, ''));
  return fields.length >= 2 && HEADER_IDENTIFIERS.test(fields[0]!) && fields.slice(1).some((f) => HEADER_SECRETS.test(f));
}

function sampleLines(head: string): string[] {
  const lines = head.split('\n');
  // the head is cut at 64 KiB: its last line may be a fragment
  if (lines.length > 1) lines.pop();
  return lines.map((l) => l.replace(/\r$/, '').replace(/^\uFEFF/, '')).filter((l) => l.trim() !== '').slice(0, SAMPLE_LINES);
}

/**
 * How much the head looks like a combolist: the share of lines that are an identifier, a
 * delimiter and a secret, more so when the identifiers are e-mail addresses. Lines whose secret
 * starts with a space ("Subject: hi", "key: value") do not count, and username-only files must
 * have mostly distinct names (header blocks and vCards repeat theirs). A header row (a CSV) or a
 * JSON line rules the file out; a '.txt' name only breaks ties.
 */
export function detectCombolist(head: string, path: string): number {
  const lines = sampleLines(head);
  if (lines.length === 0) return 0;
  if (lines[0]!.trimStart().startsWith('{') || isHeaderRow(lines[0]!)) return 0;
  let matching = 0;
  let emails = 0;
  const identifiers = new Set<string>();
  for (const line of lines) {
    const vote = delimiterVote(line);
    if (!vote || /^\s/.test(vote.secret)) continue;
    matching += 1;
    if (vote.identifier.type === 'email') emails += 1;
    identifiers.add(vote.identifier.value);
  }
  const share = matching / lines.length;
  if (share < 0.5) return share * 0.5;
  const emailShare = emails / matching;
  const distinctShare = identifiers.size / matching;
  let score = 0.55 + 0.25 * ((share - 0.5) / 0.5) + 0.1 * emailShare;
  if (emailShare < 0.5 && distinctShare < 0.8) score = Math.min(score, 0.3);
  if (lines.length < 3) score -= 0.1;
  if (/\.txt$/i.test(path)) score += 0.05;
  return Math.max(0, Math.min(score, 0.95));
}

// ---------------------------------------------------------------------------------------------
// Reading

/** The leak's name as the exposures' platform: the file name without its extension. */
export function leakName(path: string): string {
  const name = basename(path);
  return name.slice(0, name.length - extname(name).length) || name;
}

async function readHeadLines(path: string): Promise<string[]> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, HEAD_BYTES, 0);
    const lines: string[] = [];
    let start = 0;
    for (let nl = buffer.indexOf(10, 0); nl !== -1 && nl < bytesRead; nl = buffer.indexOf(10, start)) {
      lines.push(decodeLine(buffer.subarray(start, nl)).text.replace(/\r$/, '').replace(/^\uFEFF/, ''));
      start = nl + 1;
    }
    // a last line without '\n' is whole only when the file ends within the head
    if (start < bytesRead && bytesRead < HEAD_BYTES) lines.push(decodeLine(buffer.subarray(start, bytesRead)).text.replace(/\r$/, ''));
    return lines.filter((l) => l.trim() !== '').slice(0, SAMPLE_LINES);
  } finally {
    await handle.close();
  }
}

async function* readCombolist(input: ReaderInput): AsyncGenerator<ReadItem> {
  const delimiter = chooseDelimiter(await readHeadLines(input.path));
  const platform = leakName(input.path);
  const ntlm = await createNtlmHasher();
  for await (const line of readByteLines(input.path, { from: input.from, maxLineBytes: MAX_LINE_BYTES, headBytes: EXCERPT_CHARS * 4 })) {
    if (line.kind === 'overlong') {
      yield {
        kind: 'malformed', location: line.location,
        reason: `line too long (${line.sizeBytes} bytes, limit ${MAX_LINE_BYTES})`, excerpt: maskLine(decodeLine(line.head).text),
      };
      continue;
    }
    const { text, encoding } = decodeLine(line.bytes);
    if (text.trim() === '') continue;
    const parsed = parseCredentialLine(text, delimiter);
    if ('reason' in parsed) {
      const from = encoding === 'utf-8' ? '' : ` (decoded as ${encoding})`;
      yield { kind: 'malformed', location: line.location, reason: parsed.reason + from, excerpt: parsed.excerpt };
    } else {
      yield { kind: 'record', record: toExposure(parsed, platform, ntlm, encoding), location: line.location };
    }
  }
}
