// Users, grants, sessions and the hash-chained audit log in the PostgreSQL store, answering as the
// SQLite store's security.ts does; the chain's rules live in src/security/audit-chain.ts and are
// the same for every store.
//
// Timestamps are ISO 8601 text compared and ordered bytewise, as SQLite does: names and targets
// are ordered COLLATE "C" so a linguistic database locale does not reorder lists.
import { ROLES, type AuditEvent, type AuditVerification, type Grant, type Role, type Session, type User, type UserWithSecret } from '../../model/security.ts';
import { auditHash, canonicalJson, verifyChainOf } from '../../security/audit-chain.ts';
import { toAuditEvent, toUser, withoutSecret } from '../row-models.ts';
import type { AuditEventQuery, NewAuditEvent } from '../store.ts';
import { Params, textForPostgres, type PgDatabase, type Queryable, type Row } from './db.ts';

// A session's last use is written at most this often: one write per request would turn every
// read of the API into a write transaction.
const LAST_USED_RESOLUTION_MS = 60_000;

const USER_COLUMNS = 'id, name, role, password_hash, created_at, disabled';

export async function createUser(db: PgDatabase, name: string, role: Role, passwordHash: string): Promise<User | undefined> {
  if (!ROLES.includes(role)) throw new Error(`unknown role "${role}"`);
  // a look first: an INSERT that meets a conflict would still spend an id (ids are the SQLite store's)
  if (await findUser(db, name)) return undefined;
  const row = await db.one(`INSERT INTO users (name, role, password_hash, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (name) DO NOTHING
                            RETURNING ${USER_COLUMNS}`, [name, role, passwordHash, now()]);
  return row ? withoutSecret(toUser(row)) : undefined;
}

export async function findUser(db: Queryable, name: string): Promise<UserWithSecret | undefined> {
  const row = await db.one(`SELECT ${USER_COLUMNS} FROM users WHERE name = $1`, [name]);
  return row ? toUser(row) : undefined;
}

export async function users(db: PgDatabase): Promise<User[]> {
  return (await db.query(`SELECT ${USER_COLUMNS} FROM users ORDER BY name COLLATE "C"`)).map((row) => withoutSecret(toUser(row)));
}

/** A new password ends every session and token of the user: whoever knew the old one is out. */
export async function setPassword(db: PgDatabase, name: string, passwordHash: string): Promise<boolean> {
  return db.tx(async (c) => {
    const user = await c.one<{ id: number }>('UPDATE users SET password_hash = $1 WHERE name = $2 RETURNING id', [passwordHash, name]);
    if (user) await c.run('DELETE FROM sessions WHERE user_id = $1', [user.id]);
    return user !== undefined;
  });
}

/** Disabling ends the user's sessions and tokens at once (findSession refuses them too). */
export async function setDisabled(db: PgDatabase, name: string, disabled: boolean): Promise<boolean> {
  return db.tx(async (c) => {
    const user = await c.one<{ id: number }>('UPDATE users SET disabled = $1 WHERE name = $2 RETURNING id', [disabled ? 1 : 0, name]);
    if (user && disabled) await c.run('DELETE FROM sessions WHERE user_id = $1', [user.id]);
    return user !== undefined;
  });
}

/** Undefined when there is no such user; granting twice keeps the first grant (and its grantor). */
export async function grant(db: PgDatabase, userName: string, kind: Grant['kind'], target: string, by: string): Promise<Grant | undefined> {
  // no user: the SELECT inserts nothing and the grant read back is none
  await db.run(`INSERT INTO grants (user_id, kind, target, granted_by, granted_at) SELECT id, $2, $3, $4, $5 FROM users WHERE name = $1
                ON CONFLICT DO NOTHING`, [userName, kind, target, by, now()]);
  return (await grantsOf(db, userName)).find((g) => g.kind === kind && g.target === target);
}

/** Whether there was such a grant. */
export async function revoke(db: PgDatabase, userName: string, kind: Grant['kind'], target: string): Promise<boolean> {
  return (await db.run('DELETE FROM grants WHERE user_id = (SELECT id FROM users WHERE name = $1) AND kind = $2 AND target = $3', [userName, kind, target])) > 0;
}

export async function grantsOf(db: Queryable, userName: string): Promise<Grant[]> {
  return (await db.query(`SELECT u.name, g.kind, g.target, g.granted_by, g.granted_at FROM grants g JOIN users u ON u.id = g.user_id
                          WHERE u.name = $1 ORDER BY g.kind COLLATE "C", g.target COLLATE "C"`, [userName]))
    .map((row) => ({
      user: String(row.name), kind: row.kind === 'case' ? 'case' : 'dataset', target: String(row.target),
      grantedBy: String(row.granted_by), grantedAt: String(row.granted_at),
    }));
}

/** Stores a session under the digest of its secret; expired sessions are swept on the way. */
export async function createSession(db: PgDatabase, digest: string, userId: number, kind: Session['kind'], expiresAt: string): Promise<Session> {
  const createdAt = now();
  await db.run('DELETE FROM sessions WHERE expires_at COLLATE "C" <= $1', [createdAt]);
  await db.run('INSERT INTO sessions (token_sha256, user_id, kind, created_at, expires_at, last_used_at) VALUES ($1, $2, $3, $4, $5, $6)',
    [digest, userId, kind, createdAt, expiresAt, createdAt]);
  return { userId, kind, createdAt, expiresAt, lastUsedAt: createdAt };
}

/** The live session and its (enabled) user; an expired session or a disabled user is none. */
export async function findSession(db: PgDatabase, digest: string): Promise<{ user: User; session: Session } | undefined> {
  const at = now();
  // the session's own columns are renamed: users has a created_at too
  const row = await db.one(`SELECT s.user_id, s.kind, s.created_at AS session_created_at, s.expires_at, s.last_used_at, ${USER_COLUMNS.split(', ').map((c) => `u.${c}`).join(', ')}
                            FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_sha256 = $1`, [digest]);
  if (!row || String(row.expires_at) <= at || Number(row.disabled) !== 0) return undefined;
  const staleBefore = new Date(Date.parse(at) - LAST_USED_RESOLUTION_MS).toISOString();
  let lastUsedAt = row.last_used_at == null ? undefined : String(row.last_used_at);
  if (lastUsedAt === undefined || lastUsedAt < staleBefore) {
    await db.run('UPDATE sessions SET last_used_at = $1 WHERE token_sha256 = $2', [at, digest]);
    lastUsedAt = at;
  }
  return {
    user: withoutSecret(toUser(row)),
    session: { userId: Number(row.user_id), kind: row.kind === 'token' ? 'token' : 'session', createdAt: String(row.session_created_at), expiresAt: String(row.expires_at), lastUsedAt },
  };
}

/** Whether there was such a session (logging out twice is not an error). */
export async function deleteSession(db: PgDatabase, digest: string): Promise<boolean> {
  return (await db.run('DELETE FROM sessions WHERE token_sha256 = $1', [digest])) > 0;
}

/**
 * Appends one event. Several processes (CLI runs, servers) append to one database, so the
 * transaction first locks the one row of audit_head: whoever holds it reads the chain's last
 * hash and writes the next seq, and everyone else waits for the commit and then reads the new
 * head (READ COMMITTED re-reads a row locked FOR UPDATE), so no two events link to the same one.
 */
export async function appendAudit(db: PgDatabase, event: NewAuditEvent): Promise<AuditEvent> {
  // the details as canonical JSON text: what is hashed is exactly what is kept and read back
  const detailsText = canonicalJson(event.details ?? {});
  const details = JSON.parse(detailsText) as Record<string, unknown>;
  return db.tx(async (c) => {
    const head = await c.one<{ seq: number }>('SELECT seq FROM audit_head WHERE id = 1 FOR UPDATE');
    if (!head) throw new Error('the audit log has no head (audit_head is empty): the table was changed behind the store\'s back');
    // a statement of its own, after the lock is held: joined into the locking statement, the
    // events would be read as they were before the wait, and two appends would link to one hash
    const last = await c.one<{ seq: number; hash: string }>('SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1');
    const prevHash = last ? last.hash : await genesis(c);
    // After the head, not after the last event left: a tail cut behind the log's back stays a gap
    // that verifyAudit reports, instead of being written over by the next events. An event
    // inserted beyond the head is followed, not collided with.
    const seq = Math.max(Number(head.seq), Number(last?.seq ?? 0)) + 1;
    const fields = {
      seq, at: now(), actor: kept(event.actor), action: kept(event.action), ...(event.target === undefined ? {} : { target: kept(event.target) }), details,
    };
    const hash = auditHash(prevHash, fields);
    // one statement for the event and the head: every round trip here is spent holding the lock
    // that all appenders wait for
    await c.run(`WITH appended AS (INSERT INTO audit_events (seq, at, actor, action, target, details, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING seq)
                 UPDATE audit_head SET seq = (SELECT seq FROM appended) WHERE id = 1`,
    [fields.seq, fields.at, fields.actor, fields.action, fields.target ?? null, detailsText, prevHash, hash]);
    return { ...fields, prevHash, hash };
  });
}

/** Newest first, optionally of one actor or one action. */
export async function auditEvents(db: PgDatabase, query: AuditEventQuery): Promise<{ total: number; events: AuditEvent[] }> {
  const p = new Params();
  const where: string[] = [];
  if (query.actor !== undefined) where.push(`actor = ${p.add(query.actor)}`);
  if (query.action !== undefined) where.push(`action = ${p.add(query.action)}`);
  const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
  const total = Number((await db.one(`SELECT count(*) AS n FROM audit_events ${clause}`, p.values))?.n ?? 0);
  const events = (await db.query(`SELECT * FROM audit_events ${clause} ORDER BY seq DESC LIMIT ${p.add(query.limit)} OFFSET ${p.add(query.offset)}`, p.values))
    .map(toAuditEvent);
  return { total, events };
}

/**
 * Walks the whole chain in one REPEATABLE READ transaction: the events, the genesis and the head
 * are one snapshot while others append. Beyond the chain it checks what the chain cannot see: a
 * cut tail (audit_head, the highest seq ever written, is above the last one present) and dropped
 * or disabled append-only triggers. The events are read a page at a time: a team's log holds a
 * line for every read of evidence, millions of them.
 */
export async function verifyAudit(db: PgDatabase): Promise<AuditVerification> {
  return db.tx(async (c) => {
    await c.run('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
    const chain = await verifyChainOf(pagesOf(c), await genesis(c));
    if (!chain.ok) return chain;
    const highest = Number((await c.one<{ seq: number }>('SELECT seq FROM audit_head WHERE id = 1'))?.seq ?? 0);
    if (highest > chain.events) {
      return { ...chain, ok: false, firstBadSeq: chain.events + 1, reason: `the log ends at seq ${chain.events} but seq ${highest} was written: events at its end were removed` };
    }
    // ALTER TABLE ... DISABLE TRIGGER (or ENABLE REPLICA) switches a trigger off without dropping
    // it: only 'O' (origin, the default) and 'A' (always) fire on an ordinary session's writes
    const present = await c.query<{ name: string; enabled: string }>(`SELECT tgname AS name, tgenabled AS enabled FROM pg_trigger
                                                                     WHERE tgrelid IN ('audit_events'::regclass, 'audit_genesis'::regclass, 'audit_head'::regclass) AND NOT tgisinternal`);
    const triggers = new Map(present.map((t) => [String(t.name), String(t.enabled)]));
    const missing = APPEND_ONLY_TRIGGERS.filter((name) => !triggers.has(name));
    if (missing.length > 0) return { ...chain, ok: false, reason: `the chain is intact but the append-only triggers were dropped: ${missing.join(', ')}` };
    const disabled = APPEND_ONLY_TRIGGERS.filter((name) => !['O', 'A'].includes(triggers.get(name) ?? ''));
    if (disabled.length > 0) return { ...chain, ok: false, reason: `the chain is intact but the append-only triggers were disabled: ${disabled.join(', ')}` };
    return chain;
  });
}

/** schema.ts: each refuses UPDATE, DELETE or TRUNCATE of its table; the head only moves forward. */
export const APPEND_ONLY_TRIGGERS = ['audit_events_no_change', 'audit_genesis_no_change', 'audit_head_no_rewind', 'audit_head_no_delete'];

async function genesis(c: Queryable): Promise<string> {
  const row = await c.one<{ hash: string }>('SELECT hash FROM audit_genesis WHERE id = 1');
  // without its genesis no chain verifies: a value no hash can equal says so at seq 1
  return row ? String(row.hash) : 'missing genesis';
}

/**
 * Text as PostgreSQL keeps it: no U+0000 (db.ts stores U+FFFD) and no lone surrogate (UTF-8 has
 * none). The hash must cover the stored text, or a message id with a NUL would fail verification.
 */
function kept(text: string): string {
  return textForPostgres(text.toWellFormed());
}

const AUDIT_PAGE = 10_000;

/** The events in seq order, a page at a time; the first page from the lowest seq, whatever it is. */
async function* pagesOf(c: Queryable): AsyncGenerator<AuditEvent> {
  let after: number | null = null;
  for (;;) {
    const rows: Row[] = await c.query(`SELECT seq, at, actor, action, target, details, prev_hash, hash FROM audit_events
                                WHERE $1::bigint IS NULL OR seq > $1 ORDER BY seq LIMIT ${AUDIT_PAGE}`, [after]);
    for (const row of rows) yield toAuditEvent(row);
    if (rows.length < AUDIT_PAGE) return;
    after = Number(rows.at(-1)!.seq);
  }
}

function now(): string {
  return new Date().toISOString();
}
