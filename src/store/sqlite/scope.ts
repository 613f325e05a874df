// Legal scope and privilege screening in the SQLite store (issue 6). What a viewer may not see
// is excluded by conditions in the store's own queries (search, message, conversationAround),
// like the dataset grants, so no caller can forget them and counts and facets never include
// what the page would hide.
//
// Who a message is between decides both rules: its sender, its recipients, and in a conversation
// that is not a group every member (outside groups a conversation is its fixed set of parties,
// the same rule `to:` uses). Accounts that a warrant's handles or a privileged identifier name
// are materialised (scope_accounts, privileged_accounts) because matching a phone handle needs
// the phone normaliser; ingest marks its new accounts in the same transaction (markNewAccounts).
import { statSync } from 'node:fs';
import type { SQLInputValue } from 'node:sqlite';
import { foldText, isVocabularyWord, tokenize } from '../../extract/tokens.ts';
import { normaliseEntityQuery } from '../../extract/entities/extract.ts';
import { queryContext } from '../../extract/entities/region.ts';
import {
  LOCAL_OPERATOR, type LegalScope, type PrivilegeDecision, type PrivilegedIdentifier, type PrivilegedKind, type PrivilegeStatus, type Viewer,
} from '../../model/security.ts';
import type { DecisionOutcome, NewLegalScope, PrivilegedAddOutcome, PurgeOutcome, WithheldMessage, WithheldQuery } from '../store.ts';
import { appendAudit } from './security.ts';
import { ftsWordsOf } from './fts-words.ts';
import { MESSAGE_SELECT, type SqliteStore } from './sqlite-store.ts';

type Row = Record<string, unknown>;

/** The parties of message `m` include one of these accounts (a subquery of account ids). */
function involvesAny(accounts: string): string {
  return `(m.sender_id IN (${accounts})
    OR (m.recipients IS NOT NULL AND EXISTS (SELECT 1 FROM json_each(m.recipients) j WHERE j.value IN (${accounts})))
    OR m.conversation_id IN (SELECT cm.conversation_id FROM conversation_members cm JOIN conversations c ON c.id = cm.conversation_id
                             WHERE c.is_group = 0 AND cm.account_id IN (${accounts})))`;
}

// An undated message cannot be shown to fall inside a window, so a window excludes it.
const WITHIN_SCOPE = `(m.dataset_id NOT IN (SELECT dataset_id FROM dataset_scopes)
  OR EXISTS (SELECT 1 FROM dataset_scopes sc WHERE sc.dataset_id = m.dataset_id
    AND (sc.from_ms IS NULL OR (m.ts_ms IS NOT NULL AND m.ts_ms >= sc.from_ms))
    AND (sc.to_ms IS NULL OR (m.ts_ms IS NOT NULL AND m.ts_ms < sc.to_ms))
    AND (sc.handles IS NULL OR ${involvesAny('SELECT account_id FROM scope_accounts')})))`;

const PRIVILEGED = involvesAny('SELECT account_id FROM privileged_accounts');

/**
 * Conditions on `m` (messages) that hide what the viewer may not see. Empty when nothing is
 * scoped or privileged, so stores without either pay nothing (not even the join FTS-only
 * queries would otherwise need). `alias` names the messages table in the caller's query when
 * it is not `m` (the conditions' own subqueries use other aliases).
 */
export function visibilityConditions(s: SqliteStore, viewer: Viewer = LOCAL_OPERATOR, alias = 'm'): string[] {
  const where: string[] = [];
  if (!viewer.isAdmin && s.sql('SELECT 1 AS x FROM dataset_scopes LIMIT 1').get()) where.push(WITHIN_SCOPE);
  if (!viewer.mayReviewPrivilege && s.sql('SELECT 1 AS x FROM privileged_accounts LIMIT 1').get()) {
    where.push(`(NOT ${PRIVILEGED} OR m.rowid IN (SELECT item_key FROM privilege_decisions WHERE status = 'released'))`);
  }
  if (alias === 'm') return where;
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(alias)) throw new Error(`not a table alias: ${alias}`);
  // `\bm\.` leaves the subqueries' own aliases alone (cm., sc., ...)
  return where.map((w) => w.replace(/\bm\./g, `${alias}.`));
}

/**
 * What of a dataset's accounts and the rows hanging on them (contacts, events, exposures) a
 * viewer may see: a privileged party's account only privilege reviewers; under a warrant that
 * names handles, only the named accounts for anyone but admins; under a time window, only events
 * inside it. `shown(column)` and `window(column)` give ` AND ...` conditions (or nothing).
 */
export function accountConditions(s: SqliteStore, datasetId: number, viewer: Viewer): {
  shown(column: string): string; window(column: string): string; namedHandlesOnly: boolean;
} {
  const scopeRow = viewer.isAdmin ? undefined : s.sql('SELECT handles, from_ms, to_ms FROM dataset_scopes WHERE dataset_id = ?').get(datasetId);
  const hidePrivileged = !viewer.mayReviewPrivilege && s.sql('SELECT 1 AS x FROM privileged_accounts LIMIT 1').get() !== undefined;
  const namedHandlesOnly = scopeRow !== undefined && scopeRow.handles !== null;
  return {
    shown: (column) => [
      // a row on no account (a leak's bare e-mail address) is no privileged party's: NOT IN alone would hide it
      ...(hidePrivileged ? [`(${column} IS NULL OR ${column} NOT IN (SELECT account_id FROM privileged_accounts))`] : []),
      ...(namedHandlesOnly ? [`${column} IN (SELECT account_id FROM scope_accounts)`] : []),
    ].map((w) => ` AND ${w}`).join(''),
    window: (column) => (scopeRow ? [
      ...(scopeRow.from_ms !== null ? [` AND ${column} >= ${Number(scopeRow.from_ms)}`] : []),
      ...(scopeRow.to_ms !== null ? [` AND ${column} < ${Number(scopeRow.to_ms)}`] : []),
    ].join('') : ''),
    namedHandlesOnly,
  };
}

export function isVisible(s: SqliteStore, rowid: number, viewer: Viewer | undefined): boolean {
  const where = visibilityConditions(s, viewer);
  if (where.length === 0) return true;
  return s.sql(`SELECT 1 AS x FROM messages m WHERE m.rowid = ? AND ${where.join(' AND ')}`).get(rowid) !== undefined;
}

// ---- legal scope

export function setScope(s: SqliteStore, dataset: string, scope: NewLegalScope, setBy: string): LegalScope | undefined {
  const row = s.sql('SELECT id FROM datasets WHERE name = ?').get(dataset);
  if (!row) return undefined;
  const datasetId = Number(row.id);
  transaction(s, () => {
    s.sql(`INSERT INTO dataset_scopes (dataset_id, handles, from_ms, to_ms, warrant, set_by, set_at) VALUES (?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (dataset_id) DO UPDATE SET handles = excluded.handles, from_ms = excluded.from_ms, to_ms = excluded.to_ms,
             warrant = excluded.warrant, set_by = excluded.set_by, set_at = excluded.set_at`)
      .run(datasetId, scope.handles === undefined ? null : JSON.stringify(scope.handles), scope.fromMs ?? null, scope.toMs ?? null, scope.warrant, setBy, now());
    markScopeAccounts(s, datasetId, 0);
  });
  return scopeOf(s, dataset);
}

export function scopeOf(s: SqliteStore, dataset: string): LegalScope | undefined {
  const row = s.sql(`SELECT sc.*, d.name FROM dataset_scopes sc JOIN datasets d ON d.id = sc.dataset_id WHERE d.name = ?`).get(dataset);
  if (!row) return undefined;
  return {
    dataset: String(row.name),
    ...(row.handles == null ? {} : { handles: JSON.parse(String(row.handles)) as string[] }),
    ...(row.from_ms == null ? {} : { from: new Date(Number(row.from_ms)).toISOString() }),
    ...(row.to_ms == null ? {} : { to: new Date(Number(row.to_ms)).toISOString() }),
    warrant: String(row.warrant), setBy: String(row.set_by), setAt: String(row.set_at),
  };
}

export function clearScope(s: SqliteStore, dataset: string): boolean {
  return transaction(s, () => {
    const row = s.sql('SELECT id FROM datasets WHERE name = ?').get(dataset);
    if (!row) return false;
    s.sql('DELETE FROM scope_accounts WHERE dataset_id = ?').run(Number(row.id));
    return s.sql('DELETE FROM dataset_scopes WHERE dataset_id = ?').run(Number(row.id)).changes > 0;
  });
}

/** The ways one handle can be written down for matching: folded, as a phone (E.164), as an e-mail. */
type HandleKeys = { folded: string; phone?: string; email?: string };

// a handle with a letter is no phone number: skips the normaliser for most chat handles
const LETTER = /\p{L}/u;

function keysOf(handle: string): HandleKeys {
  const keys: HandleKeys = { folded: foldText(handle.trim()) };
  if (!LETTER.test(handle) && /\d{5}/.test(handle.replace(/\D+/g, ''))) {
    const phone = normaliseEntityQuery('phone', handle, queryContext());
    if (phone !== undefined) keys.phone = phone;
  }
  if (handle.includes('@')) {
    const email = normaliseEntityQuery('email', handle);
    if (email !== undefined) keys.email = email;
  }
  return keys;
}

/** Marks the dataset's accounts above `afterId` that its scope's handles name. */
function markScopeAccounts(s: SqliteStore, datasetId: number, afterId: number): void {
  if (afterId === 0) s.sql('DELETE FROM scope_accounts WHERE dataset_id = ?').run(datasetId);
  const row = s.sql('SELECT handles FROM dataset_scopes WHERE dataset_id = ?').get(datasetId);
  if (!row || row.handles == null) return;
  const wanted = (JSON.parse(String(row.handles)) as string[]).map(keysOf);
  const folded = new Set(wanted.map((k) => k.folded));
  const phones = new Set(wanted.flatMap((k) => (k.phone ? [k.phone] : [])));
  const emails = new Set(wanted.flatMap((k) => (k.email ? [k.email] : [])));
  const insert = s.sql('INSERT INTO scope_accounts (account_id, dataset_id) VALUES (?, ?) ON CONFLICT DO NOTHING');
  for (const account of s.sql('SELECT id, handle FROM accounts WHERE dataset_id = ? AND id > ?').iterate(datasetId, afterId)) {
    const keys = keysOf(String(account.handle));
    if (folded.has(keys.folded) || (keys.phone && phones.has(keys.phone)) || (keys.email && emails.has(keys.email))) insert.run(Number(account.id), datasetId);
  }
}

// ---- privileged identifiers

/** The stored form of an identifier, or undefined when it is not one of its kind. */
export function normalisePrivilegedIdentifier(kind: PrivilegedKind, raw: string): string | undefined {
  const text = raw.trim();
  if (kind === 'phone') return normaliseEntityQuery('phone', text, queryContext());
  if (kind === 'email') return normaliseEntityQuery('email', text);
  const colon = text.indexOf(':');
  if (colon <= 0 || colon === text.length - 1) return undefined;
  return `${text.slice(0, colon).trim().toLowerCase()}:${foldText(text.slice(colon + 1).trim())}`;
}

export function addPrivileged(s: SqliteStore, kind: PrivilegedKind, raw: string, label: string | undefined, addedBy: string): PrivilegedAddOutcome {
  const value = normalisePrivilegedIdentifier(kind, raw);
  if (value === undefined) {
    const what = kind === 'phone' ? 'a phone number (give it with its country code, e.g. +31612345678)' : kind === 'email' ? 'an e-mail address' : 'PLATFORM:HANDLE';
    return { kind: 'invalid', reason: `"${raw}" is not ${what}` };
  }
  return transaction(s, () => {
    const inserted = s.sql('INSERT INTO privileged_identifiers (kind, value, label, added_by, added_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING')
      .run(kind, value, label ?? null, addedBy, now()).changes > 0;
    const id = Number(s.sql('SELECT id FROM privileged_identifiers WHERE kind = ? AND value = ?').get(kind, value)!.id);
    if (inserted) markPrivilegedAccounts(s, 0, [{ id, kind, value }]);
    return { kind: inserted ? 'added' : 'exists', identifier: privilegedIdentifiers(s).find((i) => i.id === id)! };
  });
}

export function privilegedIdentifiers(s: SqliteStore): PrivilegedIdentifier[] {
  return s.sql(`SELECT pi.*, (SELECT count(*) FROM privileged_accounts pa WHERE pa.identifier_id = pi.id) AS accounts
                FROM privileged_identifiers pi ORDER BY pi.kind, pi.value`).all()
    .map((r) => ({
      id: Number(r.id), kind: String(r.kind) as PrivilegedKind, value: String(r.value), ...(r.label == null ? {} : { label: String(r.label) }),
      addedBy: String(r.added_by), addedAt: String(r.added_at), accounts: Number(r.accounts),
    }));
}

type IdentifierRow = { id: number; kind: PrivilegedKind; value: string };

/** Marks accounts above `afterId` that are one of the identifiers as privileged parties. */
function markPrivilegedAccounts(s: SqliteStore, afterId: number, identifiers: readonly IdentifierRow[]): void {
  if (identifiers.length === 0) return;
  const byKey = new Map(identifiers.map((i) => [`${i.kind}\u0000${i.value}`, i.id]));
  const insert = s.sql('INSERT INTO privileged_accounts (account_id, identifier_id) VALUES (?, ?) ON CONFLICT DO NOTHING');
  for (const account of s.sql('SELECT id, platform, handle FROM accounts WHERE id > ?').iterate(afterId)) {
    const handle = String(account.handle);
    const keys = keysOf(handle);
    const candidates = [`platform-handle\u0000${String(account.platform).toLowerCase()}:${keys.folded}`];
    if (keys.phone) candidates.push(`phone\u0000${keys.phone}`);
    if (keys.email) candidates.push(`email\u0000${keys.email}`);
    for (const key of candidates) {
      const identifier = byKey.get(key);
      if (identifier !== undefined) insert.run(Number(account.id), identifier);
    }
  }
}

/** The highest account id: what an ingest batch's new accounts come after. */
export function lastAccountId(s: SqliteStore): number {
  return Number(s.sql('SELECT max(id) AS id FROM accounts').get()?.id ?? 0);
}

/**
 * Marks the accounts a batch created (ids above `afterId`) against the scopes and privileged
 * identifiers. Runs inside the batch's transaction, so a message from a lawyer is never readable
 * before its sender is known to be one. Costs two small reads when nothing is registered.
 */
export function markNewAccounts(s: SqliteStore, afterId: number): void {
  const identifiers = s.sql('SELECT id, kind, value FROM privileged_identifiers').all()
    .map((r) => ({ id: Number(r.id), kind: String(r.kind) as PrivilegedKind, value: String(r.value) }));
  markPrivilegedAccounts(s, afterId, identifiers);
  for (const row of s.sql('SELECT dataset_id FROM dataset_scopes WHERE handles IS NOT NULL').all()) markScopeAccounts(s, Number(row.dataset_id), afterId);
}

// ---- review

const PENDING = `${PRIVILEGED} AND m.rowid NOT IN (SELECT item_key FROM privilege_decisions WHERE status IN ('released', 'destroyed'))`;

/** Privileged messages no reviewer has released or destroyed yet, newest first, within legal scope. */
export function withheldMessages(s: SqliteStore, query: WithheldQuery): { total: number; messages: WithheldMessage[] } {
  const where = [PENDING, ...visibilityConditions(s, { isAdmin: false, mayReviewPrivilege: true })];
  const params: SQLInputValue[] = [];
  if (query.dataset !== undefined) {
    where.push('m.dataset_id IN (SELECT id FROM datasets WHERE name = ?)');
    params.push(query.dataset);
  }
  if (query.datasets !== undefined) {
    where.push(query.datasets.length === 0 ? '0' : `m.dataset_id IN (SELECT id FROM datasets WHERE name IN (${query.datasets.map(() => '?').join(', ')}))`);
    params.push(...query.datasets);
  }
  const clause = where.join(' AND ');
  const total = Number(s.db.prepare(`SELECT count(*) AS n FROM messages m WHERE ${clause}`).get(...params)?.n ?? 0);
  const rows = s.db.prepare(`${MESSAGE_SELECT} WHERE ${clause} ORDER BY m.rowid DESC LIMIT ? OFFSET ?`).all(...params, query.limit, query.offset);
  return { total, messages: rows.map((row) => ({ ...s.toStoredMessage(row), privilegedParties: partiesOf(s, row) })) };
}

/** Which parties of a message made it privileged, and as which identifier. */
function partiesOf(s: SqliteStore, row: Row): WithheldMessage['privilegedParties'] {
  const accounts = new Set<number>([Number(row.sender_id), ...(row.recipients ? (JSON.parse(String(row.recipients)) as number[]) : [])]);
  for (const member of s.sql(`SELECT cm.account_id FROM messages m JOIN conversations c ON c.id = m.conversation_id AND c.is_group = 0
                              JOIN conversation_members cm ON cm.conversation_id = c.id WHERE m.rowid = ?`).all(Number(row.rowid))) {
    accounts.add(Number(member.account_id));
  }
  const lookup = s.sql(`SELECT a.handle, pi.kind, pi.value, pi.label FROM privileged_accounts pa JOIN privileged_identifiers pi ON pi.id = pa.identifier_id
                        JOIN accounts a ON a.id = pa.account_id WHERE pa.account_id = ?`);
  return [...accounts].flatMap((id) => lookup.all(id).map((r) => ({
    handle: String(r.handle), identifier: `${String(r.kind)}:${String(r.value)}`, ...(r.label == null ? {} : { label: String(r.label) }),
  })));
}

/**
 * Releases or destroys a privileged message. `datasets` limits which messages the reviewer may
 * decide on (their grants); undefined: all. Destroying replaces the body with a tombstone,
 * removes the old words from the full-text index (the external-content 'delete' needs the old
 * text), the fuzzy vocabulary and the entity mentions, and clears attachments and raw fields.
 * The decision row commits with the change; the audit event follows in its own transaction (the
 * log's append takes its own lock), and the decision row names who and when meanwhile.
 */
export function decidePrivilege(
  s: SqliteStore, id: string, rowid: number | undefined, status: Exclude<PrivilegeStatus, 'withheld'>, decidedBy: string, note: string | undefined,
  datasets: readonly string[] | undefined,
): DecisionOutcome {
  if (rowid === undefined) return { kind: 'not-found' };
  const outcome = transaction(s, (): DecisionOutcome => {
    const row = s.sql(`SELECT m.rowid, m.body, m.dataset_id, d.name AS dataset FROM messages m JOIN datasets d ON d.id = m.dataset_id WHERE m.rowid = ?`).get(rowid);
    if (!row || (datasets !== undefined && !datasets.includes(String(row.dataset)))) return { kind: 'not-found' };
    // the reviewer sees only what the legal scope allows; beyond it a message is like no message
    if (!isVisible(s, rowid, { isAdmin: false, mayReviewPrivilege: true })) return { kind: 'not-found' };
    if (!s.sql(`SELECT 1 AS x FROM messages m WHERE m.rowid = ? AND ${PRIVILEGED}`).get(rowid)) return { kind: 'not-privileged' };
    const previous = s.sql('SELECT status FROM privilege_decisions WHERE item_key = ?').get(rowid);
    if (previous?.status === 'destroyed') return { kind: 'destroyed' };
    const decidedAt = now();
    if (status === 'destroyed') destroyBody(s, rowid, String(row.body), `[destroyed under privilege by ${decidedBy} at ${decidedAt}]`);
    s.sql(`INSERT INTO privilege_decisions (item_key, uid, status, decided_by, decided_at, note) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (item_key) DO UPDATE SET status = excluded.status, decided_by = excluded.decided_by, decided_at = excluded.decided_at, note = excluded.note`)
      .run(rowid, id, status, decidedBy, decidedAt, note ?? null);
    const decision: PrivilegeDecision = { id, dataset: String(row.dataset), status, decidedBy, decidedAt, ...(note === undefined ? {} : { note }) };
    return { kind: 'decided', decision };
  }, () => s.db.exec('PRAGMA secure_delete = ON'), () => s.db.exec('PRAGMA secure_delete = OFF'));
  if (outcome.kind === 'decided') {
    appendAudit(s, { actor: decidedBy, action: status === 'destroyed' ? 'privilege.destroy' : 'privilege.release', target: id, details: { dataset: outcome.decision.dataset, ...(note === undefined ? {} : { note }) } });
  }
  return outcome;
}

function destroyBody(s: SqliteStore, rowid: number, oldBody: string, tombstone: string): void {
  s.sql(`INSERT INTO message_fts (message_fts, rowid, words) VALUES ('delete', ?, ?)`).run(rowid, ftsWordsOf(oldBody));
  // the tombstone is indexed like any body: the index stays the exact image of the table
  s.sql('INSERT INTO message_fts (rowid, words) VALUES (?, ?)').run(rowid, ftsWordsOf(tombstone));
  s.sql('UPDATE messages SET body = ?, attachments = NULL, has_attachment = 0, extra = NULL, fingerprint = NULL WHERE rowid = ?').run(tombstone, rowid);
  // entities found in the body are its content too: an e-mail only the lawyer's message held
  // must not survive as an entity
  const mentioned = s.sql('SELECT entity_id, count(*) AS n FROM mentions WHERE item_key = ? GROUP BY entity_id').all(rowid);
  for (const m of mentioned) s.sql('UPDATE entities SET mentions = mentions - ? WHERE id = ?').run(Number(m.n), Number(m.entity_id));
  s.sql('DELETE FROM mentions WHERE item_key = ?').run(rowid);
  for (const m of mentioned) s.sql('DELETE FROM entities WHERE id = ? AND mentions <= 0').run(Number(m.entity_id));
  // a word of the destroyed body that no other message has leaves the fuzzy vocabulary
  const stillIndexed = s.sql('SELECT 1 AS x FROM message_fts WHERE message_fts MATCH ? LIMIT 1');
  for (const word of new Set(tokenize(oldBody).filter(isVocabularyWord))) {
    if (!stillIndexed.get(`"${word.replaceAll('"', '""')}"`)) s.sql('DELETE FROM vocabulary WHERE length = ? AND term = ?').run(word.length, word);
  }
}

/**
 * Erases destroyed messages' words from the file itself. A destroy's FTS5 'delete' only adds a
 * delete marker: the old postings stay in their segment until a merge reaches it, and old page
 * images stay in the WAL and on free pages. So: 'optimize' merges every segment into one,
 * dropping deleted postings; a TRUNCATE checkpoint moves the WAL into the file and empties it;
 * VACUUM (secure_delete on) rewrites the file from live rows only, so no free page keeps old
 * content; a last checkpoint writes that rewrite back and empties the WAL again. A full rewrite:
 * minutes on a big store, so destroy does not run it itself (lode privileged purge does).
 */
export function purgeDestroyed(s: SqliteStore, actor: string): PurgeOutcome {
  const destroyed = Number(s.sql(`SELECT count(*) AS n FROM privilege_decisions WHERE status = 'destroyed'`).get()?.n ?? 0);
  const bytesBefore = storeBytes(s);
  const secureDelete = Number(s.db.prepare('PRAGMA secure_delete').get()?.secure_delete ?? 0);
  let emptied: boolean;
  s.db.exec('PRAGMA secure_delete = ON');
  try {
    s.db.exec(`INSERT INTO message_fts (message_fts) VALUES ('optimize')`);
    checkpoint(s);
    s.db.exec('VACUUM');
    emptied = checkpoint(s);
  } finally {
    s.db.exec(`PRAGMA secure_delete = ${secureDelete}`);
  }
  const bytesAfter = storeBytes(s);
  appendAudit(s, { actor, action: 'privilege.purge', details: { destroyed, bytesBefore, bytesAfter, walEmptied: emptied } });
  if (!emptied) {
    // the rewrite is done, but old frames may still sit in the WAL until a checkpoint completes
    throw new Error('purge: another process kept the write-ahead log from being emptied, so it may still hold destroyed text; '
      + 'run lode privileged purge again when nothing else has the store open');
  }
  return { destroyed, bytesBefore, bytesAfter };
}

/** A TRUNCATE checkpoint; false when a reader kept it from copying and emptying the whole WAL. */
function checkpoint(s: SqliteStore): boolean {
  const row = s.db.prepare('PRAGMA wal_checkpoint(TRUNCATE)').get();
  return Number(row?.busy ?? 0) === 0;
}

/** The database file and its WAL, in bytes (0 for an in-memory store). */
function storeBytes(s: SqliteStore): number {
  const file = s.db.location();
  if (!file) return 0;
  return [file, `${file}-wal`].reduce((sum, path) => sum + (statSync(path, { throwIfNoEntry: false })?.size ?? 0), 0);
}

function transaction<T>(s: SqliteStore, work: () => T, before?: () => void, after?: () => void): T {
  before?.();
  s.db.exec('BEGIN IMMEDIATE');
  try {
    const result = work();
    s.db.exec('COMMIT');
    return result;
  } catch (error) {
    s.db.exec('ROLLBACK');
    throw error;
  } finally {
    after?.();
  }
}

function now(): string {
  return new Date().toISOString();
}
