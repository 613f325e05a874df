// Users, grants, sessions and the audit log in the SQLite store. Functions of the database and
// its statement cache, so sqlite-store.ts only delegates; the chain's rules live in
// src/security/audit-chain.ts and are the same for every store.
import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite';
import { ROLES, type AuditEvent, type AuditVerification, type Grant, type Role, type Session, type User, type UserWithSecret } from '../../model/security.ts';
import { auditHash, canonicalJson, verifyChain } from '../../security/audit-chain.ts';
import { toAuditEvent, toUser, withoutSecret } from '../row-models.ts';
import type { AuditEventQuery, NewAuditEvent } from '../store.ts';

/** The database and its prepared-statement cache (SqliteStore is one). */
export type SecurityDb = { readonly db: DatabaseSync; sql(text: string): StatementSync };

// A session's last use is written at most this often: one write per request would turn every
// read of the API into a write transaction.
const LAST_USED_RESOLUTION_MS = 60_000;

const USER_COLUMNS = 'id, name, role, password_hash, created_at, disabled';

export function createUser(s: SecurityDb, name: string, role: Role, passwordHash: string): User | undefined {
  if (!ROLES.includes(role)) throw new Error(`unknown role "${role}"`);
  const result = s.sql('INSERT INTO users (name, role, password_hash, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (name) DO NOTHING')
    .run(name, role, passwordHash, now());
  if (result.changes === 0) return undefined;
  return withoutSecret(findUser(s, name)!);
}

export function findUser(s: SecurityDb, name: string): UserWithSecret | undefined {
  const row = s.sql(`SELECT ${USER_COLUMNS} FROM users WHERE name = ?`).get(name);
  return row ? toUser(row) : undefined;
}

export function users(s: SecurityDb): User[] {
  return s.sql(`SELECT ${USER_COLUMNS} FROM users ORDER BY name`).all().map((row) => withoutSecret(toUser(row)));
}

/** A new password ends every session and token of the user: whoever knew the old one is out. */
export function setPassword(s: SecurityDb, name: string, passwordHash: string): boolean {
  return transaction(s.db, () => {
    const changed = s.sql('UPDATE users SET password_hash = ? WHERE name = ?').run(passwordHash, name).changes > 0;
    if (changed) s.sql('DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE name = ?)').run(name);
    return changed;
  });
}

/** Disabling ends the user's sessions and tokens at once (findSession refuses them too). */
export function setDisabled(s: SecurityDb, name: string, disabled: boolean): boolean {
  return transaction(s.db, () => {
    const changed = s.sql('UPDATE users SET disabled = ? WHERE name = ?').run(disabled ? 1 : 0, name).changes > 0;
    if (changed && disabled) s.sql('DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE name = ?)').run(name);
    return changed;
  });
}

/** Undefined when there is no such user; granting twice keeps the first grant. */
export function grant(s: SecurityDb, userName: string, kind: Grant['kind'], target: string, by: string): Grant | undefined {
  const user = findUser(s, userName);
  if (!user) return undefined;
  s.sql('INSERT INTO grants (user_id, kind, target, granted_by, granted_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING')
    .run(user.id, kind, target, by, now());
  return grantsOf(s, userName).find((g) => g.kind === kind && g.target === target);
}

/** Whether there was such a grant. */
export function revoke(s: SecurityDb, userName: string, kind: Grant['kind'], target: string): boolean {
  return s.sql('DELETE FROM grants WHERE user_id = (SELECT id FROM users WHERE name = ?) AND kind = ? AND target = ?')
    .run(userName, kind, target).changes > 0;
}

export function grantsOf(s: SecurityDb, userName: string): Grant[] {
  return s.sql(`SELECT u.name, g.kind, g.target, g.granted_by, g.granted_at FROM grants g JOIN users u ON u.id = g.user_id
                WHERE u.name = ? ORDER BY g.kind, g.target`)
    .all(userName)
    .map((row) => ({
      user: String(row.name), kind: row.kind === 'case' ? 'case' : 'dataset', target: String(row.target),
      grantedBy: String(row.granted_by), grantedAt: String(row.granted_at),
    }));
}

/** Stores a session under the digest of its secret; expired sessions are swept on the way. */
export function createSession(s: SecurityDb, digest: string, userId: number, kind: Session['kind'], expiresAt: string): Session {
  const createdAt = now();
  s.sql('DELETE FROM sessions WHERE expires_at <= ?').run(createdAt);
  s.sql('INSERT INTO sessions (token_sha256, user_id, kind, created_at, expires_at, last_used_at) VALUES (?, ?, ?, ?, ?, ?)')
    .run(digest, userId, kind, createdAt, expiresAt, createdAt);
  return { userId, kind, createdAt, expiresAt, lastUsedAt: createdAt };
}

/** The live session and its (enabled) user; an expired session or a disabled user is none. */
export function findSession(s: SecurityDb, digest: string): { user: User; session: Session } | undefined {
  const at = now();
  const row = s.sql(`SELECT s.user_id, s.kind, s.created_at AS session_created_at, s.expires_at, s.last_used_at, ${USER_COLUMNS.split(', ').map((c) => `u.${c}`).join(', ')}
                     FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_sha256 = ?`).get(digest);
  if (!row || String(row.expires_at) <= at || Number(row.disabled) !== 0) return undefined;
  const staleBefore = new Date(Date.parse(at) - LAST_USED_RESOLUTION_MS).toISOString();
  let lastUsedAt = row.last_used_at == null ? undefined : String(row.last_used_at);
  if (lastUsedAt === undefined || lastUsedAt < staleBefore) {
    s.sql('UPDATE sessions SET last_used_at = ? WHERE token_sha256 = ?').run(at, digest);
    lastUsedAt = at;
  }
  return {
    user: withoutSecret(toUser(row)),
    session: { userId: Number(row.user_id), kind: row.kind === 'token' ? 'token' : 'session', createdAt: String(row.session_created_at), expiresAt: String(row.expires_at), lastUsedAt },
  };
}

/** Whether there was such a session (logging out twice is not an error). */
export function deleteSession(s: SecurityDb, digest: string): boolean {
  return s.sql('DELETE FROM sessions WHERE token_sha256 = ?').run(digest).changes > 0;
}

/**
 * Appends one event. Reading the chain's head and inserting after it is one IMMEDIATE
 * transaction: it takes the write lock before the read, so two processes appending to one file
 * wait for each other instead of both linking to the same head (a fork).
 */
export function appendAudit(s: SecurityDb, event: NewAuditEvent): AuditEvent {
  // the details as canonical JSON text: what is hashed is exactly what is kept and read back
  const detailsText = canonicalJson(event.details ?? {});
  const details = JSON.parse(detailsText) as Record<string, unknown>;
  return transaction(s.db, () => {
    const head = s.sql('SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1').get();
    const prevHash = head ? String(head.hash) : genesis(s);
    // SQLite keeps a lone surrogate as U+FFFD: the hash covers the text as it is kept
    const fields = {
      seq: head ? Number(head.seq) + 1 : 1, at: now(), actor: event.actor.toWellFormed(), action: event.action.toWellFormed(),
      ...(event.target === undefined ? {} : { target: event.target.toWellFormed() }), details,
    };
    const hash = auditHash(prevHash, fields);
    s.sql('INSERT INTO audit_events (seq, at, actor, action, target, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(fields.seq, fields.at, fields.actor, fields.action, fields.target ?? null, detailsText, prevHash, hash);
    return { ...fields, prevHash, hash };
  });
}

/** Newest first, optionally of one actor or one action. */
export function auditEvents(s: SecurityDb, query: AuditEventQuery): { total: number; events: AuditEvent[] } {
  const where: string[] = [];
  const params: SQLInputValue[] = [];
  if (query.actor !== undefined) {
    where.push('actor = ?');
    params.push(query.actor);
  }
  if (query.action !== undefined) {
    where.push('action = ?');
    params.push(query.action);
  }
  const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
  const total = Number(s.sql(`SELECT count(*) AS n FROM audit_events ${clause}`).get(...params)?.n ?? 0);
  const events = s.sql(`SELECT * FROM audit_events ${clause} ORDER BY seq DESC LIMIT ? OFFSET ?`).all(...params, query.limit, query.offset).map(toAuditEvent);
  return { total, events };
}

/**
 * Walks the whole chain in one read transaction (a consistent snapshot while others append),
 * streaming rows. Beyond the chain it checks what the chain cannot see: a cut tail (the highest
 * seq ever written is above the last one present) and dropped append-only triggers.
 */
export function verifyAudit(s: SecurityDb): AuditVerification {
  s.db.exec('BEGIN');
  try {
    const rows = s.sql('SELECT * FROM audit_events ORDER BY seq').iterate();
    const chain = verifyChain(mapIterable(rows, toAuditEvent), genesis(s));
    if (!chain.ok) return chain;
    const highest = Number(s.sql(`SELECT seq FROM sqlite_sequence WHERE name = 'audit_events'`).get()?.seq ?? 0);
    if (highest > chain.events) {
      return { ...chain, ok: false, firstBadSeq: chain.events + 1, reason: `the log ends at seq ${chain.events} but seq ${highest} was written: events at its end were removed` };
    }
    const triggers = new Set(s.sql(`SELECT name FROM sqlite_schema WHERE type = 'trigger' AND tbl_name IN ('audit_events', 'audit_genesis')`).all().map((r) => String(r.name)));
    const missing = APPEND_ONLY_TRIGGERS.filter((name) => !triggers.has(name));
    if (missing.length > 0) return { ...chain, ok: false, reason: `the chain is intact but the append-only triggers were dropped: ${missing.join(', ')}` };
    return chain;
  } finally {
    s.db.exec('COMMIT');
  }
}

const APPEND_ONLY_TRIGGERS = ['audit_events_no_update', 'audit_events_no_delete', 'audit_genesis_no_update', 'audit_genesis_no_delete'];

function genesis(s: SecurityDb): string {
  const row = s.sql('SELECT hash FROM audit_genesis WHERE id = 1').get();
  // without its genesis no chain verifies: a value no hash can equal says so at seq 1
  return row ? String(row.hash) : 'missing genesis';
}

function* mapIterable<T, U>(items: Iterable<T>, map: (item: T) => U): Generator<U> {
  for (const item of items) yield map(item);
}

function transaction<T>(db: DatabaseSync, work: () => T): T {
  db.exec('BEGIN IMMEDIATE');
  try {
    const result = work();
    db.exec('COMMIT');
    return result;
  } catch (error) {
    db.exec('ROLLBACK');
    throw error;
  }
}

function now(): string {
  return new Date().toISOString();
}
