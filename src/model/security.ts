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

/**
 * Who is reading, as the store's queries need to know it: admins see outside a dataset's legal
 * scope, privilege reviewers see privileged messages. The two are independent: an admin is not
 * a privilege reviewer (DESIGN.md: privileged messages are withheld from all but reviewers).
 */
export type Viewer = { isAdmin: boolean; mayReviewPrivilege: boolean };

/**
 * A read without a viewer: the operator at the console (CLI). They can open the store file
 * anyway, so the legal scope does not hide anything from them; but they are not a privilege
 * reviewer, and what the software shows them must not put lawyer-client communication on screen.
 */
export const LOCAL_OPERATOR: Viewer = { isAdmin: true, mayReviewPrivilege: false };

/** The legal scope a warrant gives a dataset: handles and/or a time window (to exclusive). */
export type LegalScope = {
  dataset: string;
  /** Absent: every handle of the dataset. As the warrant writes them. */
  handles?: string[];
  from?: string;
  /** Exclusive. */
  to?: string;
  warrant: string;
  setBy: string;
  setAt: string;
};

export const PRIVILEGED_KINDS = ['platform-handle', 'phone', 'email'] as const;
export type PrivilegedKind = (typeof PRIVILEGED_KINDS)[number];

/** An identifier of a privileged party (a lawyer): `platform:handle` folded, a phone in E.164, or a lower-case e-mail. */
export type PrivilegedIdentifier = {
  id: number;
  kind: PrivilegedKind;
  value: string;
  label?: string;
  addedBy: string;
  addedAt: string;
  /** Accounts in the store that are this identifier. */
  accounts: number;
};

export type PrivilegeStatus = 'withheld' | 'released' | 'destroyed';

/** What a privilege reviewer decided about one message. */
export type PrivilegeDecision = { id: string; dataset: string; status: PrivilegeStatus; decidedBy: string; decidedAt: string; note?: string };
