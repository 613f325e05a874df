// Users, grants, sessions and the hash-chained audit log in the PostgreSQL store (as the SQLite
// store's security.ts).
import type { AuditEvent, AuditVerification, Grant, Role, Session, User, UserWithSecret } from '../../model/security.ts';
import type { AuditEventQuery, NewAuditEvent } from '../store.ts';
import type { PgDatabase } from './db.ts';

const TODO = (what: string): never => {
  throw new Error(`the PostgreSQL store's ${what} is not written yet`);
};

export async function createUser(db: PgDatabase, name: string, role: Role, passwordHash: string): Promise<User | undefined> { return TODO(`createUser ${db}${name}${role}${passwordHash}`); }
export async function findUser(db: PgDatabase, name: string): Promise<UserWithSecret | undefined> { return TODO(`findUser ${db}${name}`); }
export async function users(db: PgDatabase): Promise<User[]> { return TODO(`users ${db}`); }
export async function setPassword(db: PgDatabase, name: string, passwordHash: string): Promise<boolean> { return TODO(`setPassword ${db}${name}${passwordHash}`); }
export async function setDisabled(db: PgDatabase, name: string, disabled: boolean): Promise<boolean> { return TODO(`setDisabled ${db}${name}${disabled}`); }
export async function grant(db: PgDatabase, userName: string, kind: Grant['kind'], target: string, grantedBy: string): Promise<Grant | undefined> { return TODO(`grant ${db}${userName}${kind}${target}${grantedBy}`); }
export async function revoke(db: PgDatabase, userName: string, kind: Grant['kind'], target: string): Promise<boolean> { return TODO(`revoke ${db}${userName}${kind}${target}`); }
export async function grantsOf(db: PgDatabase, userName: string): Promise<Grant[]> { return TODO(`grantsOf ${db}${userName}`); }
export async function createSession(db: PgDatabase, digest: string, userId: number, kind: Session['kind'], expiresAt: string): Promise<Session> { return TODO(`createSession ${db}${digest}${userId}${kind}${expiresAt}`); }
export async function findSession(db: PgDatabase, digest: string): Promise<{ user: User; session: Session } | undefined> { return TODO(`findSession ${db}${digest}`); }
export async function deleteSession(db: PgDatabase, digest: string): Promise<boolean> { return TODO(`deleteSession ${db}${digest}`); }
export async function appendAudit(db: PgDatabase, event: NewAuditEvent): Promise<AuditEvent> { return TODO(`appendAudit ${db}${event.action}`); }
export async function auditEvents(db: PgDatabase, query: AuditEventQuery): Promise<{ total: number; events: AuditEvent[] }> { return TODO(`auditEvents ${db}${query.limit}`); }
export async function verifyAudit(db: PgDatabase): Promise<AuditVerification> { return TODO(`verifyAudit ${db}`); }
