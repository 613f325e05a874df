// Legal scope and privilege screening in the PostgreSQL store, as in the SQLite store (see its
// scope.ts): what a viewer may not see is excluded by conditions in the store's own queries. The
// conditions are SQL without parameters, ANDed into any query over messages `m`.
import { foldText, isVocabularyWord, tokenize } from '../../extract/tokens.ts';
import { normaliseEntityQuery } from '../../extract/entities/extract.ts';
import { queryContext } from '../../extract/entities/region.ts';
import {
  LOCAL_OPERATOR, type LegalScope, type PrivilegeDecision, type PrivilegedIdentifier, type PrivilegedKind, type PrivilegeStatus, type Viewer,
} from '../../model/security.ts';
import type { DecisionOutcome, NewLegalScope, PrivilegedAddOutcome, PurgeOutcome, WithheldMessage, WithheldQuery } from '../store.ts';
import type { PgDatabase, Queryable, Row, SqlValue } from './db.ts';
import { Params } from './db.ts';
import { MESSAGE_SELECT, accountIdsOf, toStoredMessage } from './rows.ts';
import { termsAndWordsOf } from './terms.ts';
import type { AppendAudit, HandleLookup } from './pg-store.ts';

/** The parties of message `m` include one of these accounts (a subquery of (dataset_id, account_id)). */
function involvesAny(accounts: string): string {
  return `((m.dataset_id, m.sender_id) IN (${accounts})
    OR (m.recipients IS NOT NULL AND EXISTS (SELECT 1 FROM unnest(m.recipients) r WHERE (m.dataset_id, r) IN (${accounts})))
    OR (m.dataset_id, m.conversation_id) IN (SELECT cm.dataset_id, cm.conversation_id FROM conversation_members cm
        JOIN conversations c ON c.dataset_id = cm.dataset_id AND c.id = cm.conversation_id
        WHERE c.is_group = 0 AND (cm.dataset_id, cm.account_id) IN (${accounts})))`;
}

// an undated message cannot be shown to fall inside a window, so a window excludes it
const WITHIN_SCOPE = `(m.dataset_id NOT IN (SELECT dataset_id FROM dataset_scopes)
  OR EXISTS (SELECT 1 FROM dataset_scopes sc WHERE sc.dataset_id = m.dataset_id
    AND (sc.from_ms IS NULL OR (m.ts_ms IS NOT NULL AND m.ts_ms >= sc.from_ms))
    AND (sc.to_ms IS NULL OR (m.ts_ms IS NOT NULL AND m.ts_ms < sc.to_ms))
    AND (sc.handles IS NULL OR ${involvesAny('SELECT dataset_id, account_id FROM scope_accounts')})))`;

const PRIVILEGED = involvesAny('SELECT dataset_id, account_id FROM privileged_accounts');

/** Conditions on `m` that hide what the viewer may not see; none when nothing is scoped or privileged. */
export async function visibilityConditions(db: Queryable, viewer: Viewer = LOCAL_OPERATOR, alias = 'm'): Promise<string[]> {
  const where: string[] = [];
  const present = await db.one<{ scoped: boolean; privileged: boolean }>(`SELECT EXISTS (SELECT 1 FROM dataset_scopes) AS scoped,
    EXISTS (SELECT 1 FROM privileged_accounts) AS privileged`);
  if (!viewer.isAdmin && present?.scoped) where.push(WITHIN_SCOPE);
  if (!viewer.mayReviewPrivilege && present?.privileged) {
    where.push(`(NOT ${PRIVILEGED} OR (m.dataset_id, m.key) IN (SELECT dataset_id, item_key FROM privilege_decisions WHERE status = 'released'))`);
  }
  if (alias === 'm') return where;
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(alias)) throw new Error(`not a table alias: ${alias}`);
  return where.map((w) => w.replace(/\bm\./g, `${alias}.`));
}

export function andAll(conditions: readonly string[]): string {
  return conditions.map((w) => ` AND ${w}`).join('');
}

/** What of a dataset's accounts and the rows on them a viewer may see (see the SQLite store's accountConditions). */
export async function accountConditions(db: Queryable, datasetId: number, viewer: Viewer): Promise<{
  shown(column: string): string; window(column: string): string; namedHandlesOnly: boolean;
}> {
  const scopeRow = viewer.isAdmin ? undefined : await db.one('SELECT handles, from_ms, to_ms FROM dataset_scopes WHERE dataset_id = $1', [datasetId]);
  const hidePrivileged = !viewer.mayReviewPrivilege && (await db.one('SELECT 1 AS x FROM privileged_accounts LIMIT 1')) !== undefined;
  const namedHandlesOnly = scopeRow !== undefined && scopeRow.handles !== null;
  return {
    shown: (column) => [
      // a row on no account (a leak's bare e-mail address) is no privileged party's: NOT IN alone would hide it
      ...(hidePrivileged ? [`(${column} IS NULL OR ${column} NOT IN (SELECT account_id FROM privileged_accounts WHERE dataset_id = ${datasetId}))`] : []),
      ...(namedHandlesOnly ? [`${column} IN (SELECT account_id FROM scope_accounts WHERE dataset_id = ${datasetId})`] : []),
    ].map((w) => ` AND ${w}`).join(''),
    window: (column) => (scopeRow ? [
      ...(scopeRow.from_ms !== null ? [` AND ${column} >= ${Number(scopeRow.from_ms)}`] : []),
      ...(scopeRow.to_ms !== null ? [` AND ${column} < ${Number(scopeRow.to_ms)}`] : []),
    ].join('') : ''),
    namedHandlesOnly,
  };
}

export async function isVisible(db: Queryable, datasetId: number, key: number, viewer: Viewer | undefined): Promise<boolean> {
  const where = await visibilityConditions(db, viewer);
  if (where.length === 0) return true;
  return (await db.one(`SELECT 1 AS x FROM messages m WHERE m.dataset_id = $1 AND m.key = $2${andAll(where)}`, [datasetId, key])) !== undefined;
}

// ---- legal scope

export async function setScope(db: PgDatabase, dataset: string, scope: NewLegalScope, setBy: string): Promise<LegalScope | undefined> {
  const row = await db.one<{ id: number }>('SELECT id FROM datasets WHERE name = $1', [dataset]);
  if (!row) return undefined;
  await db.tx(async (c) => {
    await c.run(`INSERT INTO dataset_scopes (dataset_id, handles, from_ms, to_ms, warrant, set_by, set_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
                 ON CONFLICT (dataset_id) DO UPDATE SET handles = excluded.handles, from_ms = excluded.from_ms, to_ms = excluded.to_ms,
                   warrant = excluded.warrant, set_by = excluded.set_by, set_at = excluded.set_at`,
    [row.id, scope.handles === undefined ? null : JSON.stringify(scope.handles), scope.fromMs ?? null, scope.toMs ?? null, scope.warrant, setBy, now()]);
    await markScopeAccounts(c, row.id, undefined);
  });
  return scopeOf(db, dataset);
}

export async function scopeOf(db: Queryable, dataset: string): Promise<LegalScope | undefined> {
  const row = await db.one(`SELECT sc.*, d.name FROM dataset_scopes sc JOIN datasets d ON d.id = sc.dataset_id WHERE d.name = $1`, [dataset]);
  if (!row) return undefined;
  return {
    dataset: String(row.name),
    ...(row.handles == null ? {} : { handles: JSON.parse(String(row.handles)) as string[] }),
    ...(row.from_ms == null ? {} : { from: new Date(Number(row.from_ms)).toISOString() }),
    ...(row.to_ms == null ? {} : { to: new Date(Number(row.to_ms)).toISOString() }),
    warrant: String(row.warrant), setBy: String(row.set_by), setAt: String(row.set_at),
  };
}

export async function clearScope(db: PgDatabase, dataset: string): Promise<boolean> {
  return db.tx(async (c) => {
    const row = await c.one<{ id: number }>('SELECT id FROM datasets WHERE name = $1', [dataset]);
    if (!row) return false;
    await c.run('DELETE FROM scope_accounts WHERE dataset_id = $1', [row.id]);
    return (await c.run('DELETE FROM dataset_scopes WHERE dataset_id = $1', [row.id])) > 0;
  });
}

type HandleKeys = { folded: string; phone?: string; email?: string };
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

/** Marks the dataset's accounts (those given, or all) that its scope's handles name. */
async function markScopeAccounts(c: Queryable, datasetId: number, accountIds: readonly number[] | undefined): Promise<void> {
  if (accountIds === undefined) await c.run('DELETE FROM scope_accounts WHERE dataset_id = $1', [datasetId]);
  const row = await c.one('SELECT handles FROM dataset_scopes WHERE dataset_id = $1', [datasetId]);
  if (!row || row.handles == null) return;
  const wanted = (JSON.parse(String(row.handles)) as string[]).map(keysOf);
  const folded = new Set(wanted.map((k) => k.folded));
  const phones = new Set(wanted.flatMap((k) => (k.phone ? [k.phone] : [])));
  const emails = new Set(wanted.flatMap((k) => (k.email ? [k.email] : [])));
  const accounts = accountIds === undefined
    ? await c.query('SELECT id, handle FROM accounts WHERE dataset_id = $1', [datasetId])
    : await c.query('SELECT id, handle FROM accounts WHERE dataset_id = $1 AND id = ANY($2::bigint[])', [datasetId, accountIds]);
  const named = accounts.filter((a) => {
    const keys = keysOf(String(a.handle));
    return folded.has(keys.folded) || (keys.phone !== undefined && phones.has(keys.phone)) || (keys.email !== undefined && emails.has(keys.email));
  }).map((a) => Number(a.id));
  if (named.length > 0) await c.run('INSERT INTO scope_accounts (dataset_id, account_id) SELECT $1, a FROM unnest($2::bigint[]) AS x(a) ON CONFLICT DO NOTHING', [datasetId, named]);
}

// ---- privileged identifiers

export function normalisePrivilegedIdentifier(kind: PrivilegedKind, raw: string): string | undefined {
  const text = raw.trim();
  if (kind === 'phone') return normaliseEntityQuery('phone', text, queryContext());
  if (kind === 'email') return normaliseEntityQuery('email', text);
  const colon = text.indexOf(':');
  if (colon <= 0 || colon === text.length - 1) return undefined;
  return `${text.slice(0, colon).trim().toLowerCase()}:${foldText(text.slice(colon + 1).trim())}`;
}

export async function addPrivileged(db: PgDatabase, kind: PrivilegedKind, raw: string, label: string | undefined, addedBy: string): Promise<PrivilegedAddOutcome> {
  const value = normalisePrivilegedIdentifier(kind, raw);
  if (value === undefined) {
    const what = kind === 'phone' ? 'a phone number (give it with its country code, e.g. +31612345678)' : kind === 'email' ? 'an e-mail address' : 'PLATFORM:HANDLE';
    return { kind: 'invalid', reason: `"${raw}" is not ${what}` };
  }
  const outcome = await db.tx(async (c) => {
    // a look first: an INSERT that meets a conflict would still spend an id (ids are the SQLite store's)
    const known = await c.one('SELECT id FROM privileged_identifiers WHERE kind = $1 AND value = $2', [kind, value]);
    const inserted = !known && (await c.run('INSERT INTO privileged_identifiers (kind, value, label, added_by, added_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING',
      [kind, value, label ?? null, addedBy, now()])) > 0;
    const id = Number((await c.one('SELECT id FROM privileged_identifiers WHERE kind = $1 AND value = $2', [kind, value]))!.id);
    if (inserted) await markPrivilegedAccounts(c, undefined, [{ id, kind, value }]);
    return { inserted, id };
  });
  return { kind: outcome.inserted ? 'added' : 'exists', identifier: (await privilegedIdentifiers(db)).find((i) => i.id === outcome.id)! };
}

export async function privilegedIdentifiers(db: Queryable): Promise<PrivilegedIdentifier[]> {
  return (await db.query(`SELECT pi.*, (SELECT count(*) FROM privileged_accounts pa WHERE pa.identifier_id = pi.id) AS accounts
                          FROM privileged_identifiers pi ORDER BY pi.kind, pi.value`))
    .map((r) => ({
      id: Number(r.id), kind: String(r.kind) as PrivilegedKind, value: String(r.value), ...(r.label == null ? {} : { label: String(r.label) }),
      addedBy: String(r.added_by), addedAt: String(r.added_at), accounts: Number(r.accounts),
    }));
}

type IdentifierRow = { id: number; kind: PrivilegedKind; value: string };

/** Marks accounts (those given, or all) that are one of the identifiers as privileged parties. */
async function markPrivilegedAccounts(c: Queryable, accountIds: readonly number[] | undefined, identifiers: readonly IdentifierRow[]): Promise<void> {
  if (identifiers.length === 0) return;
  const byKey = new Map(identifiers.map((i) => [`${i.kind}\u0000${i.value}`, i.id]));
  const accounts = accountIds === undefined
    ? await c.query('SELECT dataset_id, id, platform, handle FROM accounts')
    : await c.query('SELECT dataset_id, id, platform, handle FROM accounts WHERE id = ANY($1::bigint[])', [accountIds]);
  const marks: [number, number, number][] = [];
  for (const account of accounts) {
    const keys = keysOf(String(account.handle));
    const candidates = [`platform-handle\u0000${String(account.platform).toLowerCase()}:${keys.folded}`];
    if (keys.phone) candidates.push(`phone\u0000${keys.phone}`);
    if (keys.email) candidates.push(`email\u0000${keys.email}`);
    for (const key of candidates) {
      const identifier = byKey.get(key);
      if (identifier !== undefined) marks.push([Number(account.dataset_id), Number(account.id), identifier]);
    }
  }
  if (marks.length === 0) return;
  await c.run(`INSERT INTO privileged_accounts (dataset_id, account_id, identifier_id) SELECT d, a, i FROM unnest($1::bigint[], $2::bigint[], $3::bigint[]) AS x(d, a, i)
               ON CONFLICT DO NOTHING`, [marks.map((m) => m[0]), marks.map((m) => m[1]), marks.map((m) => m[2])]);
}

/**
 * Marks the accounts an ingest batch created against the scopes and privileged identifiers, in
 * the batch's transaction. Costs two small reads when nothing is registered.
 */
export async function markNewAccounts(c: Queryable, datasetId: number, accountIds: readonly number[]): Promise<void> {
  const identifiers = (await c.query('SELECT id, kind, value FROM privileged_identifiers'))
    .map((r) => ({ id: Number(r.id), kind: String(r.kind) as PrivilegedKind, value: String(r.value) }));
  await markPrivilegedAccounts(c, accountIds, identifiers);
  if (await c.one('SELECT 1 AS x FROM dataset_scopes WHERE dataset_id = $1 AND handles IS NOT NULL', [datasetId])) await markScopeAccounts(c, datasetId, accountIds);
}

// ---- review

const PENDING = `${PRIVILEGED} AND (m.dataset_id, m.key) NOT IN (SELECT dataset_id, item_key FROM privilege_decisions WHERE status IN ('released', 'destroyed'))`;

export async function withheldMessages(db: Queryable, query: WithheldQuery, handles: HandleLookup): Promise<{ total: number; messages: WithheldMessage[] }> {
  const p = new Params();
  const where = [PENDING, ...(await visibilityConditions(db, { isAdmin: false, mayReviewPrivilege: true }))];
  if (query.dataset !== undefined) where.push(`m.dataset_id IN (SELECT id FROM datasets WHERE name = ${p.add(query.dataset)})`);
  if (query.datasets !== undefined) where.push(`m.dataset_id IN (SELECT id FROM datasets WHERE name = ANY(${p.add(query.datasets)}::text[]))`);
  const clause = where.join(' AND ');
  const total = Number((await db.one(`SELECT count(*) AS n FROM messages m WHERE ${clause}`, p.values))?.n ?? 0);
  const rows = await db.query(`${MESSAGE_SELECT} WHERE ${clause} ORDER BY m.key DESC LIMIT ${p.add(query.limit)} OFFSET ${p.add(query.offset)}`, p.values);
  const names = await handles(accountIdsOf(rows));
  const messages: WithheldMessage[] = [];
  for (const row of rows) messages.push({ ...toStoredMessage(row, names), privilegedParties: await partiesOf(db, row) });
  return { total, messages };
}

async function partiesOf(db: Queryable, row: Row): Promise<WithheldMessage['privilegedParties']> {
  const accounts = new Set<number>([Number(row.sender_id), ...((row.recipients as number[] | null) ?? []).map(Number)]);
  for (const member of await db.query(`SELECT cm.account_id FROM conversation_members cm JOIN conversations c ON c.dataset_id = cm.dataset_id AND c.id = cm.conversation_id
                                        WHERE c.is_group = 0 AND cm.dataset_id = $1 AND cm.conversation_id = (SELECT conversation_id FROM messages WHERE dataset_id = $1 AND key = $2)`,
  [Number(row.dataset_id), Number(row.key)])) {
    accounts.add(Number(member.account_id));
  }
  const found = await db.query(`SELECT a.id, a.handle, pi.kind, pi.value, pi.label FROM privileged_accounts pa JOIN privileged_identifiers pi ON pi.id = pa.identifier_id
                                JOIN accounts a ON a.dataset_id = pa.dataset_id AND a.id = pa.account_id
                                WHERE pa.dataset_id = $1 AND pa.account_id = ANY($2::bigint[]) ORDER BY a.id, pi.id`, [Number(row.dataset_id), [...accounts]]);
  const order = [...accounts];
  return found.sort((a, b) => order.indexOf(Number(a.id)) - order.indexOf(Number(b.id))).map((r) => ({
    handle: String(r.handle), identifier: `${String(r.kind)}:${String(r.value)}`, ...(r.label == null ? {} : { label: String(r.label) }),
  }));
}

/** Releases or destroys a privileged message (see the SQLite store's decidePrivilege). */
export async function decidePrivilege(
  db: PgDatabase, id: string, located: { datasetId: number; key: number } | undefined, status: Exclude<PrivilegeStatus, 'withheld'>, decidedBy: string,
  note: string | undefined, datasets: readonly string[] | undefined, appendAudit: AppendAudit,
): Promise<DecisionOutcome> {
  if (located === undefined) return { kind: 'not-found' };
  const outcome = await db.tx(async (c): Promise<DecisionOutcome> => {
    const row = await c.one(`SELECT m.body, d.name AS dataset FROM messages m JOIN datasets d ON d.id = m.dataset_id WHERE m.dataset_id = $1 AND m.key = $2 FOR UPDATE OF m`,
      [located.datasetId, located.key]);
    if (!row || (datasets !== undefined && !datasets.includes(String(row.dataset)))) return { kind: 'not-found' };
    if (!(await isVisible(c, located.datasetId, located.key, { isAdmin: false, mayReviewPrivilege: true }))) return { kind: 'not-found' };
    if (!(await c.one(`SELECT 1 AS x FROM messages m WHERE m.dataset_id = $1 AND m.key = $2 AND ${PRIVILEGED}`, [located.datasetId, located.key]))) return { kind: 'not-privileged' };
    const previous = await c.one('SELECT status FROM privilege_decisions WHERE dataset_id = $1 AND item_key = $2', [located.datasetId, located.key]);
    if (previous?.status === 'destroyed') return { kind: 'destroyed' };
    const decidedAt = now();
    if (status === 'destroyed') await destroyBody(c, located.datasetId, located.key, String(row.body), `[destroyed under privilege by ${decidedBy} at ${decidedAt}]`);
    await c.run(`INSERT INTO privilege_decisions (dataset_id, item_key, uid, status, decided_by, decided_at, note) VALUES ($1, $2, $3, $4, $5, $6, $7)
                 ON CONFLICT (dataset_id, item_key) DO UPDATE SET status = excluded.status, decided_by = excluded.decided_by, decided_at = excluded.decided_at, note = excluded.note`,
    [located.datasetId, located.key, id, status, decidedBy, decidedAt, note ?? null]);
    const decision: PrivilegeDecision = { id, dataset: String(row.dataset), status, decidedBy, decidedAt, ...(note === undefined ? {} : { note }) };
    return { kind: 'decided', decision };
  });
  if (outcome.kind === 'decided') {
    await appendAudit({ actor: decidedBy, action: status === 'destroyed' ? 'privilege.destroy' : 'privilege.release', target: id, details: { dataset: outcome.decision.dataset, ...(note === undefined ? {} : { note }) } });
  }
  return outcome;
}

async function destroyBody(c: Queryable, datasetId: number, key: number, oldBody: string, tombstone: string): Promise<void> {
  // the tombstone is indexed like any body: the index stays the exact image of the table
  const indexed = termsAndWordsOf(tombstone);
  await c.run('UPDATE messages SET body = $1, terms = $2::tsvector, attachments = NULL, has_attachment = 0, extra = NULL, fingerprint = NULL WHERE dataset_id = $3 AND key = $4',
    [tombstone, indexed.terms, datasetId, key]);
  await c.run('UPDATE word_totals SET words = words - $1 + $2 WHERE dataset_id = $3', [termsAndWordsOf(oldBody).words, indexed.words, datasetId]);
  const mentioned = await c.query('SELECT entity_id, count(*) AS n FROM mentions WHERE dataset_id = $1 AND item_key = $2 GROUP BY entity_id', [datasetId, key]);
  for (const m of mentioned) await c.run('UPDATE entities SET mentions = mentions - $1 WHERE dataset_id = $2 AND id = $3', [Number(m.n), datasetId, Number(m.entity_id)]);
  await c.run('DELETE FROM mentions WHERE dataset_id = $1 AND item_key = $2', [datasetId, key]);
  if (mentioned.length > 0) {
    await c.run('DELETE FROM entities WHERE dataset_id = $1 AND id = ANY($2::bigint[]) AND mentions <= 0', [datasetId, mentioned.map((m) => Number(m.entity_id))]);
  }
  // a word of the destroyed body that no other message has leaves the fuzzy vocabulary
  for (const word of new Set(tokenize(oldBody).filter(isVocabularyWord))) {
    const still = await c.one(`SELECT 1 AS x FROM messages WHERE terms @@ $1::tsquery LIMIT 1`, [`'${word}'`]);
    if (!still) await c.run('DELETE FROM vocabulary WHERE length = $1 AND term = $2', [word.length, word]);
  }
}

/**
 * Erases destroyed messages' words from the database's files: PostgreSQL keeps an updated row's old
 * version until VACUUM, and the GIN index its postings; VACUUM FULL rewrites every table and index
 * from live rows only. The write-ahead log is the server's, not the database's: a CHECKPOINT with a
 * WAL switch lets its old segments be recycled, but until they are overwritten (and in any WAL
 * archive or base backup) the text remains; docs/DEPLOY.md says so. Slow on a big store (a full
 * rewrite), so destroy does not run it itself.
 */
export async function purgeDestroyed(db: PgDatabase, actor: string, appendAudit: AppendAudit): Promise<PurgeOutcome> {
  const destroyed = Number((await db.one(`SELECT count(*) AS n FROM privilege_decisions WHERE status = 'destroyed'`))?.n ?? 0);
  const size = async () => Number((await db.one('SELECT pg_database_size(current_database()) AS n'))?.n ?? 0);
  const bytesBefore = await size();
  // the whole database, as the SQLite store rewrites its whole file: a destroyed body's words may
  // sit in more tables than the messages (the vocabulary, mentions) and in their indexes
  await db.run('VACUUM (FULL)');
  await db.run('CHECKPOINT').catch(() => 0);
  await db.run('SELECT pg_switch_wal()').catch(() => 0);
  const bytesAfter = await size();
  await appendAudit({ actor, action: 'privilege.purge', details: { destroyed, bytesBefore, bytesAfter } });
  return { destroyed, bytesBefore, bytesAfter };
}

function now(): string {
  return new Date().toISOString();
}

export type { SqlValue };
