// Who may see what, and the record of what everyone did. The vocabulary of the server's access
// control (DESIGN.md "Security model") and of the audit log.

export const ROLES = ['admin', 'analyst', 'investigator', 'privilege-reviewer', 'auditor', 'campaign-officer'] as const;
export type Role = (typeof ROLES)[number];

export type User = { id: number; name: string; role: Role; createdAt: string; disabled: boolean };

/** A user together with the encoded argon2id hash of their password (never leaves the server). */
export type UserWithSecret = User & { passwordHash: string };

/** Access to one dataset or one case (investigators see only the cases they are granted). */
export type Grant = { user: string; kind: 'dataset' | 'case'; target: string; grantedBy: string; grantedAt: string };

/** A login: a browser session (cookie) or an API token (bearer). Only the SHA-256 of the secret is stored. */
export type Session = { userId: number; kind: 'session' | 'token'; createdAt: string; expiresAt: string; lastUsedAt?: string };

/** One entry of the append-only audit log; `hash` chains it to the entry before. */
export type AuditEvent = {
  seq: number;
  at: string;
  actor: string;
  action: string;
  target?: string;
  details: Record<string, unknown>;
  prevHash: string;
  hash: string;
};

/**
 * What `lode audit verify` finds: an intact chain, or the first entry that does not fit.
 * `events` counts the entries verified intact; `head` is the last intact hash: written down
 * elsewhere, it shows later whether the log's tail was cut off (which no chain can show itself).
 */
export type AuditVerification = { ok: boolean; events: number; firstBadSeq?: number; reason?: string; head?: string };
