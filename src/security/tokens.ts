// Session cookies and API tokens are random secrets handed to the client once; the store keeps
// only their SHA-256, so a copy of the database logs nobody in.
import { createHash, randomBytes } from 'node:crypto';

/** A new secret: 32 random bytes, base64url (43 characters). */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * The SHA-256 (hex) under which a secret is stored and looked up. A plain hash suffices: the
 * secret has 256 random bits, so there is nothing to guess, unlike a password.
 */
export function secretDigest(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}
