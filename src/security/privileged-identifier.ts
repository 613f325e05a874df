// How a privileged party's identifier is written, for `lode privileged add` and POST
// /api/v1/privileged alike. The store normalises the value (E.164, lower-case e-mail, folded handle).
import type { PrivilegedKind } from '../model/security.ts';

export const PRIVILEGED_IDENTIFIER_RULE = 'phone:NUMBER, email:ADDR or PLATFORM:HANDLE';

/** `phone:...` and `email:...` by their prefix; any other `PLATFORM:HANDLE` is an account. Undefined without a prefix. */
export function parsePrivilegedIdentifier(text: string): { kind: PrivilegedKind; value: string } | undefined {
  const colon = text.indexOf(':');
  if (colon <= 0) return undefined;
  const prefix = text.slice(0, colon).toLowerCase();
  if (prefix === 'phone' || prefix === 'email') return { kind: prefix, value: text.slice(colon + 1) };
  return { kind: 'platform-handle', value: text };
}
