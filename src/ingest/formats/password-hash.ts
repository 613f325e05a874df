// Password material as leaks hold it: recognising which kind of hash a value is, and the two
// digests of a cleartext password that the victim check needs (SHA-1 for Have I Been Pwned's
// range API, NTLM for Windows/AD checks). Pure functions; the cleartext goes in and never out.
import { createHash } from 'node:crypto';
import { createMD4 } from 'hash-wasm';

/**
 * The hash kinds this module names. Plain hex digests are named by length: 32 hex digits are
 * MD5 or NTLM alike (nothing in the value tells them apart), hence 'md5-or-ntlm'.
 */
export const HASH_TYPES = [
  'md5-or-ntlm',
  'sha1',
  'sha256',
  'sha512',
  'mysql',
  'bcrypt',
  'argon2',
  'phpass',
  'md5crypt',
  'sha256crypt',
  'sha512crypt',
  'django-pbkdf2-sha256',
  'md5-or-ntlm-salted',
  'sha1-salted',
  'sha256-salted',
  'sha512-salted',
] as const;
export type HashType = (typeof HASH_TYPES)[number];

const B64 = '[A-Za-z0-9+/=]';
const CRYPT64 = '[./A-Za-z0-9]';

// Modular-crypt and prefixed forms: each pattern is anchored and checks the lengths the
// algorithm produces, so a password that merely starts with '$2a$' is not taken for a hash.
const PREFIXED_HASHES: ReadonlyArray<readonly [HashType, RegExp]> = [
  ['bcrypt', new RegExp(`^\\$2[abxy]\\$\\d{2}\\$${CRYPT64}{53}$`)],
  ['argon2', new RegExp(`^\\$argon2(?:id|i|d)\\$(?:v=\\d+\\$)?m=\\d+,t=\\d+,p=\\d+\\$${B64}+\\$${B64}+$`)],
  ['phpass', new RegExp(`^\\$[PH]\\$${CRYPT64}{31}$`)],
  ['md5crypt', new RegExp(`^\\$1\\$${CRYPT64}{1,8}\\$${CRYPT64}{22}$`)],
  ['sha256crypt', new RegExp(`^\\$5\\$(?:rounds=\\d+\\$)?${CRYPT64}{1,16}\\$${CRYPT64}{43}$`)],
  ['sha512crypt', new RegExp(`^\\$6\\$(?:rounds=\\d+\\$)?${CRYPT64}{1,16}\\$${CRYPT64}{86}$`)],
  ['django-pbkdf2-sha256', new RegExp(`^pbkdf2_sha256\\$\\d+\\$[^$\\s]+\\$${B64}{43,44}$`)],
  ['mysql', /^\*[0-9A-Fa-f]{40}$/],
];

const HEX_BY_LENGTH: ReadonlyMap<number, HashType> = new Map<number, HashType>([
  [32, 'md5-or-ntlm'],
  [40, 'sha1'],
  [64, 'sha256'],
  [128, 'sha512'],
]);

const SALTED: Readonly<Record<string, HashType>> = {
  'md5-or-ntlm': 'md5-or-ntlm-salted',
  sha1: 'sha1-salted',
  sha256: 'sha256-salted',
  sha512: 'sha512-salted',
};

const HEX = /^[0-9A-Fa-f]+$/;
// A salt is short and printable; anything longer or spaced is more likely a further field.
const SALT = /^[\x21-\x7e]{1,64}$/;

function recogniseHexDigest(value: string): HashType | undefined {
  return HEX.test(value) ? HEX_BY_LENGTH.get(value.length) : undefined;
}

/**
 * The kind of password hash `value` is, or undefined when it does not look like one (then it is
 * a cleartext password, as far as anyone can tell). Recognises plain hex digests by length,
 * MySQL 4.1+ ('*' + 40 hex), bcrypt, argon2, phpass, md5crypt, sha256crypt, sha512crypt, Django
 * pbkdf2_sha256, and salted 'hexhash:salt' forms (named '<type>-salted').
 */
export function recogniseHashType(value: string): HashType | undefined {
  const trimmed = value.trim();
  for (const [type, pattern] of PREFIXED_HASHES) if (pattern.test(trimmed)) return type;
  const plain = recogniseHexDigest(trimmed);
  if (plain) return plain;
  const colon = trimmed.indexOf(':');
  if (colon <= 0) return undefined;
  const digest = recogniseHexDigest(trimmed.slice(0, colon));
  const salt = trimmed.slice(colon + 1);
  return digest && SALT.test(salt) ? SALTED[digest] : undefined;
}

/** Whether the hash is an unsalted SHA-1, the one kind that can stand in for passwordSha1. */
export function isPlainSha1(hashType: string | undefined): boolean {
  return hashType === 'sha1';
}

/** Upper-case hex SHA-1 of the UTF-8 password (the form Have I Been Pwned serves). */
export function passwordSha1(password: string): string {
  return createHash('sha1').update(password, 'utf8').digest('hex').toUpperCase();
}

/** Computes NTLM digests; one MD4 instance is reused, since creating one compiles WebAssembly. */
export type NtlmHasher = (password: string) => string;

/**
 * An NTLM hasher: upper-case hex MD4 of the UTF-16LE password. Node's OpenSSL 3 no longer ships
 * MD4, hence hash-wasm.
 */
export async function createNtlmHasher(): Promise<NtlmHasher> {
  const md4 = await createMD4();
  return (password) => {
    md4.init();
    md4.update(Buffer.from(password, 'utf16le'));
    return md4.digest('hex').toUpperCase();
  };
}

/** Upper-case hex NTLM of one password (convenience for single use; readers reuse a hasher). */
export async function passwordNtlm(password: string): Promise<string> {
  return (await createNtlmHasher())(password);
}
