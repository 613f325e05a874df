// Writing an ingest batch into PostgreSQL: set-based statements and COPY, never a statement per
// record. Accounts, conversations and entities are upserted in sorted order (two ingest processes
// then take their locks in the same order and do not deadlock; when they still do, the whole
// transaction is retried). Messages go through COPY into a temporary table and from there into
// `messages` by time key, probing the next key on a clash as the SQLite store does: an item
// already stored (same id on its probe path) is a duplicate, so a file ingested twice, or by two
// processes at once, adds nothing.
import { from as copyFrom } from 'pg-copy-streams';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { foldText } from '../../extract/tokens.ts';
import { RECIPIENT_SEPARATOR } from '../../ingest/message-columns.ts';
import type { PreparedAccount, PreparedContact, PreparedEvent, PreparedExposure, PreparedGroup } from '../../ingest/prepare.ts';
import { EMPTY_COUNTS, type BatchCounts, type IngestBatch } from '../store.ts';
import { messageTimeKey } from '../time-key.ts';
import { textForPostgres, type PgClient } from './db.ts';
import { termsAndWordsOf } from './terms.ts';
import { markNewAccounts } from './scope.ts';

export type ToolrunIds = (component: string, version: string, client: PgClient) => Promise<number>;

type AccountKey = { platform: string; handle: string; line: number };

export async function writeBatch(c: PgClient, sourceId: number, batch: IngestBatch, toolrunId: ToolrunIds): Promise<BatchCounts> {
  const source = await c.one<{ dataset_id: number }>('SELECT dataset_id FROM sources WHERE id = $1', [sourceId]);
  if (!source) throw new Error(`unknown source ${sourceId}`);
  const d = source.dataset_id;
  const counts: BatchCounts = { ...EMPTY_COUNTS };
  const accounts = batch.items.filter((i): i is PreparedAccount => i.kind === 'account');
  const contacts = batch.items.filter((i): i is PreparedContact => i.kind === 'contact');
  const groups = batch.items.filter((i): i is PreparedGroup => i.kind === 'group');
  const events = batch.items.filter((i): i is PreparedEvent => i.kind === 'event');
  const exposures = batch.items.filter((i): i is PreparedExposure => i.kind === 'exposure');
  const m = batch.messages;

  // ---- accounts: every handle the batch names, in the order the SQLite store meets them (the
  // items in order, then each message's sender and recipients), so both stores give the same ids
  const named = new Map<string, AccountKey>();
  const name = (platform: string, handle: string, line: number) => {
    const key = `${platform}\u0000${handle}`;
    if (!named.has(key)) named.set(key, { platform, handle, line });
  };
  for (const item of batch.items) {
    if (item.kind === 'account') name(item.platform, item.handle, item.location.line);
    else if (item.kind === 'contact') {
      name(item.platform, item.owner, item.location.line);
      name(item.platform, item.handle, item.location.line);
    } else if (item.kind === 'event') name(item.platform, item.account, item.location.line);
    else if (item.kind === 'exposure' && item.account !== undefined) name(item.platform, item.account, item.location.line);
  }
  for (let i = 0; i < m.count; i++) {
    name(m.platform[i]!, m.from[i]!, m.line[i]!);
    if (m.to[i] !== '') for (const handle of m.to[i]!.split(RECIPIENT_SEPARATOR)) name(m.platform[i]!, handle, m.line[i]!);
  }
  const accountIds = await idsOf(c, d, 'accounts', 'handle', [...named.values()].map((a) => [a.platform, a.handle] as const));
  const missing = [...named.values()].filter((a) => !accountIds.has(`${a.platform}\u0000${a.handle}`));
  // only what is missing is inserted: an INSERT that meets a conflict would still spend an id
  const created = missing.length === 0 ? [] : await c.query<{ id: number; platform: string; handle: string }>(`
    INSERT INTO accounts (dataset_id, platform, handle, handle_folded, source_id, line)
    SELECT $1, p, h, f, $2, l FROM unnest($3::text[], $4::text[], $5::text[], $6::bigint[]) WITH ORDINALITY AS x(p, h, f, l, n) ORDER BY n
    ON CONFLICT (dataset_id, platform, handle) DO NOTHING RETURNING id, platform, handle`,
  [d, sourceId, missing.map((a) => a.platform), missing.map((a) => a.handle), missing.map((a) => foldText(a.handle)), missing.map((a) => a.line)]);
  counts.accounts = created.length;
  for (const row of created) accountIds.set(`${row.platform}\u0000${row.handle}`, Number(row.id));
  // another process may have added some meanwhile: theirs are looked up
  if (created.length < missing.length) {
    for (const [key, id] of await idsOf(c, d, 'accounts', 'handle', missing.map((a) => [a.platform, a.handle] as const))) accountIds.set(key, id);
  }
  const accountId = (platform: string, handle: string) => accountIds.get(`${platform}\u0000${handle}`)!;
  await describeAccounts(c, d, accounts, accountId);
  counts.devices = await linkDevices(c, d, sourceId, accounts, accountId);

  // ---- conversations: groups as their records describe them, then every conversation a message is in
  counts.groups = await upsertGroups(c, d, groups);
  const conversationKeys = new Map<string, { platform: string; key: string }>();
  for (let i = 0; i < m.count; i++) conversationKeys.set(`${m.platform[i]}\u0000${m.conversation[i]}`, { platform: m.platform[i]!, key: m.conversation[i]! });
  const conversations = [...conversationKeys.values()];
  const conversationIds = await idsOf(c, d, 'conversations', 'key', conversations.map((x) => [x.platform, x.key] as const));
  const newConversations = conversations.filter((x) => !conversationIds.has(`${x.platform}\u0000${x.key}`));
  if (newConversations.length > 0) {
    await c.run(`
      INSERT INTO conversations (dataset_id, platform, key, is_group)
      SELECT $1, p, k, CASE WHEN k LIKE 'group:%' THEN 1 ELSE 0 END FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS x(p, k, n) ORDER BY n
      ON CONFLICT (dataset_id, platform, key) DO NOTHING`, [d, newConversations.map((x) => x.platform), newConversations.map((x) => x.key)]);
    for (const [key, id] of await idsOf(c, d, 'conversations', 'key', newConversations.map((x) => [x.platform, x.key] as const))) conversationIds.set(key, id);
  }

  // ---- contacts, events, exposures
  counts.contacts = await c.run(`
    INSERT INTO contacts (dataset_id, owner_id, contact_id, alias, alias_folded, extra, source_id, line)
    SELECT $1, o, t, a, f, e, $2, l FROM unnest($3::bigint[], $4::bigint[], $5::text[], $6::text[], $7::text[], $8::bigint[]) AS x(o, t, a, f, e, l)
    ON CONFLICT DO NOTHING`,
  [d, sourceId, contacts.map((x) => accountId(x.platform, x.owner)), contacts.map((x) => accountId(x.platform, x.handle)),
    contacts.map((x) => x.alias ?? ''), contacts.map((x) => foldText(x.alias ?? '')), contacts.map((x) => (x.extra ? JSON.stringify(x.extra) : null)), contacts.map((x) => x.location.line)]);
  counts.events = await c.run(`
    INSERT INTO events (dataset_id, uid, source_id, line, byte_offset, ref, platform, account_id, type, ts, ts_ms, fields, flags)
    SELECT $1, u, $2, l, o, r, p, a, t, ts, ms, f, fl
    FROM unnest($3::text[], $4::bigint[], $5::bigint[], $6::text[], $7::text[], $8::bigint[], $9::text[], $10::text[], $11::bigint[], $12::text[], $13::text[])
      AS x(u, l, o, r, p, a, t, ts, ms, f, fl)
    ON CONFLICT (dataset_id, uid) DO NOTHING`,
  [d, sourceId, events.map((e) => e.uid), events.map((e) => e.location.line), events.map((e) => e.location.offset), events.map((e) => e.ref ?? null),
    events.map((e) => e.platform), events.map((e) => accountId(e.platform, e.account)), events.map((e) => e.type), events.map((e) => e.ts ?? null),
    events.map((e) => e.tsMs ?? null), events.map((e) => JSON.stringify(e.fields)), events.map((e) => (e.flags && e.flags.length > 0 ? JSON.stringify(e.flags) : null))]);
  counts.exposures = await c.run(`
    INSERT INTO exposures (dataset_id, uid, source_id, line, byte_offset, platform, identifier, identifier_type, data_classes, password_sha1, password_ntlm, hash_type, account_id, extra)
    SELECT $1, u, $2, l, o, p, i, it, dc, s1, nt, ht, a, e
    FROM unnest($3::text[], $4::bigint[], $5::bigint[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::bigint[], $14::text[])
      AS x(u, l, o, p, i, it, dc, s1, nt, ht, a, e)
    ON CONFLICT (dataset_id, uid) DO NOTHING`,
  [d, sourceId, exposures.map((e) => e.uid), exposures.map((e) => e.location.line), exposures.map((e) => e.location.offset), exposures.map((e) => e.platform),
    exposures.map((e) => e.identifier), exposures.map((e) => e.identifierType), exposures.map((e) => JSON.stringify(e.dataClasses)),
    exposures.map((e) => e.passwordSha1 ?? null), exposures.map((e) => e.passwordNtlm ?? null), exposures.map((e) => e.hashType ?? null),
    exposures.map((e) => (e.account === undefined ? null : accountId(e.platform, e.account))), exposures.map((e) => (e.extra ? JSON.stringify(e.extra) : null))]);

  // ---- messages and what hangs on them
  // the messages stored and their words, for BM25 (word_totals)
  const added = { messages: 0, words: 0 };
  if (m.count > 0) {
    const members = new Map<string, [number, number]>();
    const rows: string[] = [];
    const words: number[] = [];
    for (let i = 0; i < m.count; i++) {
      const platform = m.platform[i]!;
      const sender = accountId(platform, m.from[i]!);
      const recipients = m.to[i] === '' ? [] : m.to[i]!.split(RECIPIENT_SEPARATOR).map((h) => accountId(platform, h));
      const conversation = conversationIds.get(`${platform}\u0000${m.conversation[i]}`)!;
      for (const account of [sender, ...recipients]) members.set(`${account}:${conversation}`, [account, conversation]);
      const tsMs = Number.isNaN(m.tsMs[i]!) ? undefined : m.tsMs[i]!;
      const fingerprint = m.fingerprint[i]!;
      const indexed = termsAndWordsOf(m.body[i]!);
      words.push(indexed.words);
      rows.push(copyRow([
        i, m.uid[i]!, messageTimeKey(tsMs, m.uid[i]!), m.kind[i]!, m.line[i]!, m.offset[i]!, m.ref[i]!, platform, conversation, sender,
        recipients.length > 0 ? `{${recipients.join(',')}}` : null, m.ts[i]!, tsMs ?? null, m.body[i]!, indexed.terms, m.lang[i]!,
        m.attachments[i] === null ? 0 : 1, m.attachments[i]!, m.extra[i]!, m.flags[i]!, Number.isNaN(fingerprint) ? null : fingerprint,
      ]));
    }
    const pairs = [...members.values()].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    await c.run(`INSERT INTO conversation_members (dataset_id, account_id, conversation_id) SELECT $1, a, v FROM unnest($2::bigint[], $3::bigint[]) AS x(a, v)
                 ON CONFLICT DO NOTHING`, [d, pairs.map((p) => p[0]), pairs.map((p) => p[1])]);
    const stored = await insertMessages(c, d, sourceId, rows);
    for (let i = 0; i < m.count; i++) {
      if (!stored.has(i)) {
        counts.duplicates += 1;
        continue;
      }
      counts[m.kind[i] === 1 ? 'notes' : 'messages'] += 1;
      added.messages += 1;
      added.words += words[i]!;
    }
    const extractor = batch.extractor ? await toolrunId(batch.extractor.component, batch.extractor.version, c) : 0;
    counts.mentions = await insertMentions(c, d, m.mentions, stored, extractor);
    const triageRun = batch.triage ? await toolrunId(batch.triage.component, batch.triage.version, c) : 0;
    counts.alerts = await insertFindings(c, d, m.findings, stored, triageRun, new Date().toISOString());
    if (stored.size > 0 && (await c.one('SELECT 1 AS x FROM watchlists LIMIT 1'))) {
      await c.run('INSERT INTO watch_queue (dataset_id, item_key) SELECT $1, k FROM unnest($2::bigint[]) AS x(k) ON CONFLICT DO NOTHING', [d, [...stored.values()]]);
    }
  }

  // ---- quarantine, vocabulary, scope marks, the checkpoint: all in this transaction
  const q = batch.quarantined;
  counts.quarantined = await c.run(`
    INSERT INTO quarantine (dataset_id, source_id, line, byte_offset, reason, excerpt)
    SELECT $1, $2, l, o, r, e FROM unnest($3::bigint[], $4::bigint[], $5::text[], $6::text[]) AS x(l, o, r, e)
    ON CONFLICT DO NOTHING`, [d, sourceId, q.map((x) => x.location.line), q.map((x) => x.location.offset), q.map((x) => x.reason), q.map((x) => x.excerpt)]);
  if (batch.newTerms.length > 0) {
    const terms = [...new Set(batch.newTerms)].sort();
    await c.run('INSERT INTO vocabulary (length, term) SELECT length(t), t FROM unnest($1::text[]) AS x(t) ON CONFLICT DO NOTHING', [terms]);
  }
  // a lawyer's message is never readable before its sender is known to be one
  if (created.length > 0) await markNewAccounts(c, d, created.map((r) => Number(r.id)));
  await c.run(`UPDATE sources SET checkpoint_line = $1, checkpoint_offset = $2, records = records + $3, quarantined = quarantined + $4 WHERE id = $5`,
    [batch.checkpoint.line, batch.checkpoint.offset, batch.records, batch.quarantined.length, sourceId]);
  // last: two processes ingesting into one dataset wait on this row for as short a time as can be
  if (added.messages > 0) {
    await c.run(`INSERT INTO word_totals (dataset_id, messages, words) VALUES ($1, $2, $3)
                 ON CONFLICT (dataset_id) DO UPDATE SET messages = word_totals.messages + excluded.messages, words = word_totals.words + excluded.words`,
    [d, added.messages, added.words]);
  }
  return counts;
}

/** Ids of (platform, name) pairs of a dataset's accounts or conversations, keyed `platform\0name`. */
async function idsOf(c: PgClient, d: number, table: 'accounts' | 'conversations', column: 'handle' | 'key', pairs: readonly (readonly [string, string])[]): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  if (pairs.length === 0) return ids;
  for (const row of await c.query<{ id: number; platform: string; name: string }>(`
    SELECT t.id, t.platform, t.${column} AS name FROM ${table} t JOIN unnest($2::text[], $3::text[]) AS x(p, v) ON t.platform = x.p AND t.${column} = x.v
    WHERE t.dataset_id = $1`, [d, pairs.map((p) => p[0]), pairs.map((p) => p[1])])) {
    ids.set(`${row.platform}\u0000${row.name}`, Number(row.id));
  }
  return ids;
}

/** Name and extra from account records; the last record of a handle in the batch wins, as it does when they are applied one by one. */
async function describeAccounts(c: PgClient, d: number, accounts: readonly PreparedAccount[], accountId: (p: string, h: string) => number): Promise<void> {
  const described = new Map<number, { name: string | null; extra: string | null }>();
  for (const a of accounts) {
    const id = accountId(a.platform, a.handle);
    const before = described.get(id);
    const extra = a.extra ? JSON.stringify(a.extra) : null;
    described.set(id, { name: a.name ?? before?.name ?? null, extra: extra ?? before?.extra ?? null });
  }
  const rows = [...described].filter(([, v]) => v.name !== null || v.extra !== null).sort((a, b) => a[0] - b[0]);
  if (rows.length === 0) return;
  await c.run(`
    UPDATE accounts a SET name = coalesce(x.n, a.name), extra = coalesce(x.e, a.extra)
    FROM unnest($2::bigint[], $3::text[], $4::text[]) AS x(id, n, e)
    WHERE a.dataset_id = $1 AND a.id = x.id AND (a.name IS DISTINCT FROM coalesce(x.n, a.name) OR a.extra IS DISTINCT FROM coalesce(x.e, a.extra))`,
  [d, rows.map((r) => r[0]), rows.map((r) => r[1].name), rows.map((r) => r[1].extra)]);
}

/** Each account's current device and its history: devices new to the dataset are counted. */
async function linkDevices(c: PgClient, d: number, sourceId: number, accounts: readonly PreparedAccount[], accountId: (p: string, h: string) => number): Promise<number> {
  const links: { account: number; imei: string; model: string; since: string | null; line: number }[] = [];
  for (const a of accounts) {
    for (const device of [...(a.devices ?? []), ...(a.device ? [a.device] : [])]) {
      if (!device.imei && !device.model) continue;
      links.push({ account: accountId(a.platform, a.handle), imei: device.imei ?? '', model: device.model ?? '', since: device.since ?? null, line: a.location.line });
    }
  }
  if (links.length === 0) return 0;
  const devices = [...new Map(links.map((l) => [`${l.imei}\u0000${l.model}`, l])).values()];
  const known = new Set((await c.query<{ imei: string; model: string }>(`SELECT dv.imei, dv.model FROM devices dv JOIN unnest($2::text[], $3::text[]) AS x(i, m)
    ON dv.imei = x.i AND dv.model = x.m WHERE dv.dataset_id = $1`, [d, devices.map((x) => x.imei), devices.map((x) => x.model)])).map((r) => `${r.imei}\u0000${r.model}`));
  const fresh = devices.filter((x) => !known.has(`${x.imei}\u0000${x.model}`));
  const inserted = fresh.length === 0 ? 0 : await c.run(`INSERT INTO devices (dataset_id, imei, model) SELECT $1, i, m FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS x(i, m, n)
    ORDER BY n ON CONFLICT DO NOTHING`, [d, fresh.map((x) => x.imei), fresh.map((x) => x.model)]);
  // the first `since` a link gets is kept: later records only fill one that was missing
  const firstOfEach = new Map<string, (typeof links)[number]>();
  for (const l of links) {
    const key = `${l.account}\u0000${l.imei}\u0000${l.model}`;
    const seen = firstOfEach.get(key);
    if (!seen) firstOfEach.set(key, l);
    else if (seen.since === null && l.since !== null) firstOfEach.set(key, { ...seen, since: l.since });
  }
  const unique = [...firstOfEach.values()].sort((a, b) => a.account - b.account);
  await c.run(`
    INSERT INTO account_devices (dataset_id, account_id, device_id, since, source_id, line)
    SELECT $1, x.a, dv.id, x.s, $2, x.l FROM unnest($3::bigint[], $4::text[], $5::text[], $6::text[], $7::bigint[]) AS x(a, i, m, s, l)
    JOIN devices dv ON dv.dataset_id = $1 AND dv.imei = x.i AND dv.model = x.m
    ON CONFLICT (dataset_id, account_id, device_id) DO UPDATE SET since = coalesce(account_devices.since, excluded.since)`,
  [d, sourceId, unique.map((l) => l.account), unique.map((l) => l.imei), unique.map((l) => l.model), unique.map((l) => l.since), unique.map((l) => l.line)]);
  return inserted;
}

/** Group conversations as their records describe them; counts the groups added or changed. */
async function upsertGroups(c: PgClient, d: number, groups: readonly PreparedGroup[]): Promise<number> {
  let changed = 0;
  // one statement each: a batch rarely holds more than a handful of group records
  for (const g of groups) {
    changed += await c.run(`
      INSERT INTO conversations (dataset_id, platform, key, is_group, name, members) VALUES ($1, $2, $3, 1, $4, $5)
      ON CONFLICT (dataset_id, platform, key) DO UPDATE SET name = coalesce(excluded.name, conversations.name), members = excluded.members
      WHERE coalesce(conversations.name, '') IS DISTINCT FROM coalesce(excluded.name, '') OR coalesce(conversations.members, '') IS DISTINCT FROM excluded.members`,
    [d, g.platform, `group:${g.ref}`, g.name ?? null, JSON.stringify(g.members)]);
  }
  return changed;
}

const STAGING_COLUMNS = ['ordinal', 'uid', 'key', 'kind', 'line', 'byte_offset', 'ref', 'platform', 'conversation_id', 'sender_id', 'recipients',
  'ts', 'ts_ms', 'body', 'terms', 'lang', 'has_attachment', 'attachments', 'extra', 'flags', 'fingerprint'] as const;

/**
 * The messages through a temporary table, placed by time key: a clash with another item moves
 * it to the next key, an item already there (same id) is a duplicate. Returns the stored ones:
 * batch index → key.
 */
async function insertMessages(c: PgClient, d: number, sourceId: number, rows: readonly string[]): Promise<Map<number, number>> {
  await c.run(`CREATE TEMP TABLE staging_messages (
    ordinal INTEGER, uid TEXT, key BIGINT, kind SMALLINT, line BIGINT, byte_offset BIGINT, ref TEXT, platform TEXT, conversation_id BIGINT,
    sender_id BIGINT, recipients BIGINT[], ts TEXT, ts_ms BIGINT, body TEXT, terms TSVECTOR, lang TEXT, has_attachment SMALLINT,
    attachments TEXT, extra TEXT, flags TEXT, fingerprint BIGINT, state SMALLINT NOT NULL DEFAULT 0) ON COMMIT DROP`);
  await pipeline(Readable.from(rows), c.raw.query(copyFrom(`COPY staging_messages (${STAGING_COLUMNS.join(', ')}) FROM STDIN`)));
  const columns = STAGING_COLUMNS.filter((x) => x !== 'ordinal');
  // state: 0 to place, 1 stored, 2 a duplicate of an item already stored
  for (;;) {
    const inserted = await c.query<{ key: number }>(`
      INSERT INTO messages (dataset_id, source_id, ${columns.join(', ')})
      SELECT $1, $2, ${columns.join(', ')} FROM staging_messages WHERE state = 0 ORDER BY ordinal
      ON CONFLICT (dataset_id, key) DO NOTHING RETURNING key`, [d, sourceId]);
    // two of the batch with one key: the earlier took it
    if (inserted.length > 0) {
      await c.run(`UPDATE staging_messages s SET state = 1 FROM (
                     SELECT DISTINCT ON (key) ordinal FROM staging_messages WHERE state = 0 AND key = ANY($1::bigint[]) ORDER BY key, ordinal) f
                   WHERE s.ordinal = f.ordinal`, [inserted.map((r) => r.key)]);
    }
    await c.run(`UPDATE staging_messages s SET state = 2 FROM messages m WHERE s.state = 0 AND m.dataset_id = $1 AND m.key = s.key AND m.uid = s.uid`, [d]);
    const left = await c.run('UPDATE staging_messages SET key = key + 1 WHERE state = 0');
    if (left === 0) break;
  }
  const stored = new Map<number, number>();
  for (const row of await c.query<{ ordinal: number; key: number }>('SELECT ordinal, key FROM staging_messages WHERE state = 1')) stored.set(Number(row.ordinal), Number(row.key));
  await c.run('DROP TABLE staging_messages');
  return stored;
}

/**
 * The mentions of the stored messages (a message stored before kept the mentions it got then),
 * and the entities' counters. Also reindexEntities' (analysis.ts) way of adding mentions: a
 * chunk of stored messages is a batch whose every message is stored.
 */
export async function insertMentions(c: PgClient, d: number, mentions: IngestBatch['messages']['mentions'], stored: ReadonlyMap<number, number>, toolrun: number): Promise<number> {
  const picked: number[] = [];
  for (let j = 0; j < mentions.item.length; j++) if (stored.has(mentions.item[j]!)) picked.push(j);
  if (picked.length === 0) return 0;
  // in the order the mentions come (as the SQLite store meets them), only the new ones: same ids in both stores
  const entities = [...new Map(picked.map((j) => [`${mentions.type[j]}\u0000${mentions.value[j]}`, j])).values()];
  const known = new Set((await c.query<{ type: string; value: string }>(`SELECT e.type, e.value FROM entities e JOIN unnest($2::text[], $3::text[]) AS x(t, v)
    ON e.type = x.t AND e.value = x.v WHERE e.dataset_id = $1`, [d, entities.map((j) => mentions.type[j]!), entities.map((j) => mentions.value[j]!)]))
    .map((r) => `${r.type}\u0000${r.value}`));
  const fresh = entities.filter((j) => !known.has(`${mentions.type[j]}\u0000${mentions.value[j]}`));
  if (fresh.length > 0) {
    await c.run(`INSERT INTO entities (dataset_id, type, value) SELECT $1, t, v FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS x(t, v, n) ORDER BY n ON CONFLICT DO NOTHING`,
      [d, fresh.map((j) => mentions.type[j]!), fresh.map((j) => mentions.value[j]!)]);
  }
  const added = await c.query<{ entity_id: number }>(`
    INSERT INTO mentions (dataset_id, entity_id, item_key, start, "end", toolrun_id)
    SELECT $1, e.id, x.k, x.s, x.e, $2 FROM unnest($3::text[], $4::text[], $5::bigint[], $6::int[], $7::int[]) AS x(t, v, k, s, e)
    JOIN entities e ON e.dataset_id = $1 AND e.type = x.t AND e.value = x.v
    ON CONFLICT DO NOTHING RETURNING entity_id`,
  [d, toolrun, picked.map((j) => mentions.type[j]!), picked.map((j) => mentions.value[j]!), picked.map((j) => stored.get(mentions.item[j]!)!),
    picked.map((j) => mentions.start[j]!), picked.map((j) => mentions.end[j]!)]);
  const perEntity = new Map<number, number>();
  for (const row of added) perEntity.set(Number(row.entity_id), (perEntity.get(Number(row.entity_id)) ?? 0) + 1);
  const ids = [...perEntity.keys()].sort((a, b) => a - b);
  await c.run(`UPDATE entities e SET mentions = e.mentions + x.n FROM unnest($2::bigint[], $3::bigint[]) AS x(id, n) WHERE e.dataset_id = $1 AND e.id = x.id`,
    [d, ids, ids.map((id) => perEntity.get(id)!)]);
  return added.length;
}

/** Findings of the stored messages, and the alerts those at the threshold raise. */
async function insertFindings(c: PgClient, d: number, findings: IngestBatch['messages']['findings'], stored: ReadonlyMap<number, number>, toolrun: number, at: string): Promise<number> {
  const picked: number[] = [];
  for (let j = 0; j < findings.item.length; j++) if (stored.has(findings.item[j]!)) picked.push(j);
  if (picked.length === 0) return 0;
  const f = picked.map((j) => findings.finding[j]!);
  const keys = picked.map((j) => stored.get(findings.item[j]!)!);
  await c.run(`
    INSERT INTO findings (dataset_id, item_key, kind, score, category, reasons, toolrun_id)
    SELECT $1, k, t, s, g, r, $2 FROM unnest($3::bigint[], $4::text[], $5::float8[], $6::text[], $7::text[]) AS x(k, t, s, g, r)
    ON CONFLICT (dataset_id, item_key, kind) DO UPDATE SET score = excluded.score, category = excluded.category, reasons = excluded.reasons, toolrun_id = excluded.toolrun_id`,
  [d, toolrun, keys, f.map((x) => x.kind), f.map((x) => x.score), f.map((x) => x.category ?? null), f.map((x) => JSON.stringify(x.reasons))]);
  const raising = picked.map((j, i) => [j, i] as const).filter(([j]) => findings.alert[j] === 1).map(([, i]) => i);
  if (raising.length === 0) return 0;
  return c.run(`
    INSERT INTO alerts (kind, dataset_id, item_key, watchlist_id, score, category, reasons, toolrun_id, created_at, updated_at)
    SELECT t, $1, k, 0, s, g, r, $2, $3, $3 FROM unnest($4::text[], $5::bigint[], $6::float8[], $7::text[], $8::text[]) AS x(t, k, s, g, r)
    ON CONFLICT (dataset_id, kind, item_key, watchlist_id) DO NOTHING`,
  [d, toolrun, at, raising.map((i) => f[i]!.kind), raising.map((i) => keys[i]!), raising.map((i) => f[i]!.score), raising.map((i) => f[i]!.category ?? null),
    raising.map((i) => JSON.stringify(f[i]!.reasons))]);
}

/** A line of COPY's text format: tab-separated, \N for NULL, backslash escapes. */
function copyRow(values: readonly (string | number | null)[]): string {
  return `${values.map(copyValue).join('\t')}\n`;
}

function copyValue(value: string | number | null): string {
  if (value === null) return '\\N';
  if (typeof value === 'number') return String(value);
  return textForPostgres(value).replace(/[\\\n\r\t]/g, (ch) => (ch === '\\' ? '\\\\' : ch === '\n' ? '\\n' : ch === '\r' ? '\\r' : '\\t'));
}
