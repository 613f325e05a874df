// Password hashing: argon2id with OWASP's recommended parameters, stored in the PHC string
// format so a stored hash carries its own parameters and old hashes verify after we raise them.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { argon2id } from 'hash-wasm';

/** OWASP Password Storage Cheat Sheet: argon2id, 19 MiB, 2 iterations, 1 lane. */
export const ARGON2_PARAMETERS = { memoryKiB: 19_456, iterations: 2, parallelism: 1, saltBytes: 16, hashBytes: 32 } as const;

export const MIN_PASSWORD_LENGTH = 12;
// argon2 takes any length, but a megabyte "password" is an attack on our CPU, not a password
export const MAX_PASSWORD_LENGTH = 1024;

// Bounds on what a stored hash may ask for: a hash we did not write must not make one login
// allocate gigabytes or spin for minutes.
const MAX_MEMORY_KIB = 1 << 20;
const MAX_ITERATIONS = 16;

/** Hashes a password with a fresh random salt: `$argon2id$v=19$m=19456,t=2,p=1$SALT$HASH`. */
export async function hashPassword(password: string): Promise<string> {
  const p = ARGON2_PARAMETERS;
  return argon2id({
    password: Buffer.from(password, 'utf8'), salt: randomBytes(p.saltBytes), iterations: p.iterations, parallelism: p.parallelism,
    memorySize: p.memoryKiB, hashLength: p.hashBytes, outputType: 'encoded',
  });
}

/**
 * Whether the password matches the encoded hash. The final comparison is constant-time. Without
 * a hash (an unknown user name) it still spends one hash's worth of time and answers false, so
 * response times do not tell which user names exist. A malformed hash matches nothing.
 */
export async function verifyPassword(password: string, encoded: string | undefined): Promise<boolean> {
  const known = encoded === undefined ? undefined : decodeArgon2id(encoded);
  const target = known ?? decodeArgon2id(await dummyHash())!;
  // hash-wasm refuses an empty password; no stored password is empty, but refusing one must
  // cost the same time as any other wrong password
  const isEmpty = password.length === 0;
  const actual = await argon2id({
    password: isEmpty ? Buffer.from([0]) : Buffer.from(password, 'utf8'), salt: target.salt, iterations: target.iterations, parallelism: target.parallelism,
    memorySize: target.memoryKiB, hashLength: target.hash.length, outputType: 'binary',
  });
  const equal = timingSafeEqual(actual, target.hash);
  return known !== undefined && !isEmpty && equal;
}

/** Whether a stored hash was made with other parameters than today's (rehash it at the next login). */
export function needsRehash(encoded: string): boolean {
  const decoded = decodeArgon2id(encoded);
  const p = ARGON2_PARAMETERS;
  return !decoded || decoded.memoryKiB !== p.memoryKiB || decoded.iterations !== p.iterations
    || decoded.parallelism !== p.parallelism || decoded.hash.length !== p.hashBytes;
}

/** Why a chosen password is refused, or undefined when it is acceptable. */
export function passwordProblem(password: string): string | undefined {
  if (password.length < MIN_PASSWORD_LENGTH) return `a password needs at least ${MIN_PASSWORD_LENGTH} characters`;
  if (password.length > MAX_PASSWORD_LENGTH) return `a password has at most ${MAX_PASSWORD_LENGTH} characters`;
  return undefined;
}

/** A generated password: 18 random bytes, 24 URL-safe characters (144 bits). */
export function newPassword(): string {
  return randomBytes(18).toString('base64url');
}

type DecodedHash = { memoryKiB: number; iterations: number; parallelism: number; salt: Buffer; hash: Buffer };

const PHC = /^\$argon2id\$v=19\$m=(\d{1,8}),t=(\d{1,3}),p=(\d{1,3})\$([A-Za-z0-9+/]{11,})\$([A-Za-z0-9+/]{22,})$/;

function decodeArgon2id(encoded: string): DecodedHash | undefined {
  const match = PHC.exec(encoded);
  if (!match) return undefined;
  const [memoryKiB, iterations, parallelism] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (parallelism < 1 || iterations < 1 || iterations > MAX_ITERATIONS || memoryKiB < 8 * parallelism || memoryKiB > MAX_MEMORY_KIB) return undefined;
  // PHC uses unpadded standard base64, which Buffer decodes as is
  const salt = Buffer.from(match[4]!, 'base64');
  const hash = Buffer.from(match[5]!, 'base64');
  if (salt.length < 8 || hash.length < 16) return undefined;
  return { memoryKiB, iterations, parallelism, salt, hash };
}

let dummy: Promise<string> | undefined;
function dummyHash(): Promise<string> {
  dummy ??= hashPassword(newPassword());
  return dummy;
}
