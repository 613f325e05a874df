// Records as readers yield them: the lode-jsonl v1 vocabulary (docs/FORMATS.md).
// Every format reader translates its input into these, so the pipeline knows one shape only.

/**
 * Where a record sits in its source file: the 1-based line and the byte offset of its start.
 * A reader yields locations in strictly increasing (line, offset) order; records that share a
 * line (rows of one extended INSERT) differ by offset. A resumed ingest skips everything up to
 * the committed location, so this order is what makes resume exact.
 */
export type Location = { line: number; offset: number };

/** A file attached to a message (never the bytes themselves, only what identifies them). */
export type AttachmentRef = { name?: string; mime?: string; sha256?: string; sizeBytes?: number };

/** A handset: its IMEI and model, and from when it was used when the source says so. */
export type DeviceRef = { imei?: string; model?: string; since?: string };

/**
 * The key of a site account's `extra` that says which of its columns held the e-mail, phone, IP,
 * postal address, registration time and birth date (`{"email": "mail", "ip": "last_ip"}`), as the
 * site-database mapping named them. Not a name a MySQL column carries, so no column is overwritten.
 */
export const ACCOUNT_ROLES_KEY = 'lode:roles';

/** A user of a platform as the source describes them. */
export type AccountRecord = {
  kind: 'account';
  platform: string;
  handle: string;
  name?: string;
  /** The device in use, as the source describes it. */
  device?: DeviceRef;
  /** Devices the account used over time, where the source keeps that history. */
  devices?: DeviceRef[];
  extra?: Record<string, unknown>;
};

/** A message sent by one account to one or more others, possibly inside a group. */
export type MessageRecord = {
  kind: 'message';
  platform: string;
  ref?: string;
  ts?: string;
  from: string;
  to: string[];
  group?: string;
  body: string;
  lang?: string;
  attachments?: AttachmentRef[];
  /** Quality flags the reader raises, e.g. a date order it had to infer. */
  flags?: string[];
  extra?: Record<string, unknown>;
};

/** An entry in an owner's contact list: the alias the owner gave another account. */
export type ContactRecord = {
  kind: 'contact';
  platform: string;
  owner: string;
  handle: string;
  alias?: string;
  extra?: Record<string, unknown>;
};

/** A note an account's owner wrote on the device (no recipients). */
export type NoteRecord = {
  kind: 'note';
  platform: string;
  ref?: string;
  owner: string;
  ts?: string;
  body: string;
  lang?: string;
  extra?: Record<string, unknown>;
};

/** A named group conversation and its members. */
export type GroupRecord = {
  kind: 'group';
  platform: string;
  ref: string;
  name?: string;
  members: string[];
  extra?: Record<string, unknown>;
};

/** A typed happening of a site database: registration, login, payment, search query. */
export type EventRecord = {
  kind: 'event';
  platform: string;
  ref?: string;
  account: string;
  type: string;
  ts?: string;
  fields: Record<string, unknown>;
  /** Quality flags the reader raises, e.g. a mapping Lode proposed rather than an analyst gave. */
  flags?: string[];
};

/**
 * That an identifier (mostly an e-mail address) sat in seized data, and what data about it was
 * exposed. The password is kept only as the victim check needs it: the SHA-1 and NTLM hashes of
 * a cleartext password (or the SHA-1 a leak itself held), never the cleartext.
 */
export type ExposureRecord = {
  kind: 'exposure';
  platform: string;
  /** The identifier as the victim would type it, normalised (e-mail lower-cased and trimmed). */
  identifier: string;
  identifierType: 'email' | 'username' | 'phone';
  /** What was exposed with it: email, password, password-hash, username, name, phone, ip, address, date-of-birth, payment... */
  dataClasses: string[];
  /** Upper-case hex SHA-1 of the password (what Have I Been Pwned's range API serves). */
  passwordSha1?: string;
  /** Upper-case hex NTLM (MD4 of UTF-16LE) of a cleartext password. */
  passwordNtlm?: string;
  /** The kind of hash the source held instead of a cleartext: md5, sha1, sha256, bcrypt, argon2, phpass, ntlm, mysql... */
  hashType?: string;
  /** The account of the same source this exposure belongs to, when there is one. */
  account?: string;
  extra?: Record<string, unknown>;
};

export type LodeRecord = AccountRecord | MessageRecord | ContactRecord | NoteRecord | GroupRecord | EventRecord | ExposureRecord;

/** What a reader yields: a record, or a piece it could not read (quarantined, never dropped). */
export type ReadItem =
  | { kind: 'record'; record: LodeRecord; location: Location }
  | { kind: 'malformed'; location: Location; reason: string; excerpt: string };
