// Intervention campaigns in the PostgreSQL store, as the SQLite store's campaigns.ts: the site
// accounts a selection reads, campaigns with their recipients (each a person as selected, kept as
// the JSON text it was written as, beside the columns a status board filters on), every change to
// a recipient with its history entry in one transaction, and what re-offending checks found.
//
// Timestamps are ISO 8601 text compared as text, as SQLite compares them: bytewise. A database
// created with a linguistic locale would order them by its collation (which may skip punctuation),
// so every comparison and ORDER BY on them says COLLATE "C".
import type {
  Campaign, CampaignPerson, CampaignSettings, CampaignSummary, Recipient, RecipientHistoryEntry, RecipientStatus, Reoffence,
} from '../../model/campaigns.ts';
import { LOCAL_OPERATOR } from '../../model/security.ts';
import { isAfterContact, recipientColumns, toCampaign, toRecipient } from '../row-models.ts';
import type { NewCampaign, RecipientChange, ReoffenceFound, SiteAccount, SiteAccountQuery } from '../store.ts';
import { Params, type Queryable } from './db.ts';
import type { PostgresStore } from './pg-store.ts';
import { optional } from './rows.ts';
import { accountConditions, andAll, visibilityConditions } from './scope.ts';

type S = PostgresStore;

// recipients are inserted this many at a time: one statement per chunk, not three per person,
// while a 100k campaign's person documents never travel as one message
const INSERT_CHUNK = 1000;

async function datasetIdOf(db: Queryable, name: string): Promise<number | undefined> {
  const row = await db.one<{ id: number }>('SELECT id FROM datasets WHERE name = $1', [name]);
  return row === undefined ? undefined : Number(row.id);
}

export async function siteAccounts(s: S, query: SiteAccountQuery): Promise<SiteAccount[]> {
  const datasetId = await datasetIdOf(s.db, query.dataset);
  if (datasetId === undefined) return [];
  const viewer = query.viewer ?? LOCAL_OPERATOR;
  const { shown, window } = await accountConditions(s.db, datasetId, viewer);
  const p = new Params();
  const where = [`a.dataset_id = ${p.add(datasetId)}`, `a.id > ${p.add(query.afterId)}`];
  if (query.ids !== undefined) where.push(`a.id = ANY(${p.add(query.ids)}::bigint[])`);
  const accounts = await s.db.query(`SELECT a.id, a.platform, a.handle, a.name, a.extra, pa.person_id FROM accounts a LEFT JOIN person_accounts pa ON pa.account_id = a.id
                                     WHERE ${where.join(' AND ')}${shown('a.id')} ORDER BY a.id LIMIT ${p.add(query.limit)}`, p.values);
  if (accounts.length === 0) return [];
  const ids = accounts.map((a) => Number(a.id));
  const byId = new Map<number, SiteAccount>(accounts.map((a) => [Number(a.id), {
    id: Number(a.id), platform: String(a.platform), handle: String(a.handle), name: optional(a.name),
    extra: a.extra === null ? {} : JSON.parse(String(a.extra)) as Record<string, unknown>,
    exposures: [], personId: a.person_id === null ? undefined : Number(a.person_id), events: [],
  }]));
  // the dataset id is implied by the accounts, but said: it is how the rows are keyed and distributed
  const inPage = 'dataset_id = $1 AND account_id = ANY($2::bigint[])';
  for (const e of await s.db.query(`SELECT account_id, identifier, identifier_type FROM exposures WHERE ${inPage} ORDER BY id`, [datasetId, ids])) {
    byId.get(Number(e.account_id))!.exposures.push({ identifier: String(e.identifier), type: String(e.identifier_type) });
  }
  const newest = (id: number, ms: unknown) => {
    const account = byId.get(id)!;
    if (ms !== null && ms !== undefined && (account.lastActiveMs === undefined || Number(ms) > account.lastActiveMs)) account.lastActiveMs = Number(ms);
  };
  if (query.events) {
    // NULLS FIRST: SQLite sorts undated events first, and both stores give the same order
    for (const e of await s.db.query(`SELECT account_id, type, ts_ms, fields FROM events WHERE ${inPage}${window('ts_ms')} ORDER BY account_id, ts_ms NULLS FIRST, id`, [datasetId, ids])) {
      const id = Number(e.account_id);
      byId.get(id)!.events.push({ type: String(e.type), tsMs: e.ts_ms === null ? undefined : Number(e.ts_ms), fields: e.fields === null ? {} : JSON.parse(String(e.fields)) as Record<string, unknown> });
      newest(id, e.ts_ms);
    }
  } else {
    for (const e of await s.db.query(`SELECT account_id, max(ts_ms) AS last FROM events WHERE ${inPage}${window('ts_ms')} GROUP BY account_id`, [datasetId, ids])) {
      newest(Number(e.account_id), e.last);
    }
  }
  const hidden = await visibilityConditions(s.db, viewer);
  for (const m of await s.db.query(`SELECT m.sender_id, max(m.ts_ms) AS last FROM messages m WHERE m.dataset_id = $1 AND m.sender_id = ANY($2::bigint[])${andAll(hidden)}
                                    GROUP BY m.sender_id`, [datasetId, ids])) {
    newest(Number(m.sender_id), m.last);
  }
  return [...byId.values()];
}

// ---- campaigns and recipients

const CAMPAIGN_SELECT = 'SELECT c.*, d.name AS dataset FROM campaigns c JOIN datasets d ON d.id = c.dataset_id';

export async function createCampaign(s: S, campaign: NewCampaign, people: readonly (CampaignPerson & { reference: string })[]): Promise<Campaign | undefined> {
  const datasetId = await datasetIdOf(s.db, campaign.dataset);
  if (datasetId === undefined) throw new Error(`no dataset ${campaign.dataset}`);
  const at = new Date().toISOString();
  const created = await s.db.tx(async (c) => {
    const toolrun = await s.toolrunId(campaign.toolrun.component, campaign.toolrun.version, c);
    // ON CONFLICT rather than a look first: two officers creating the same name at once get one
    // campaign and one undefined, where a look then an insert would give the second an error
    const row = await c.one<{ id: number }>(`INSERT INTO campaigns (name, title, dataset_id, criteria, language, settings, code, toolrun_id, created_by, created_at)
                                             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (name) DO NOTHING RETURNING id`,
    [campaign.name, campaign.title ?? null, datasetId, JSON.stringify(campaign.criteria), campaign.language, JSON.stringify(campaign.settings), campaign.code, toolrun,
      campaign.createdBy, at]);
    if (row === undefined) return false;
    const id = Number(row.id);
    for (let start = 0; start < people.length; start += INSERT_CHUNK) {
      const chunk = people.slice(start, start + INSERT_CHUNK);
      const inserted = await c.query<{ id: number; seq: number }>(`INSERT INTO campaign_recipients (campaign_id, seq, reference, person, status, status_at)
                                                                   SELECT $1, x.seq, x.reference, x.person, 'selected', $2
                                                                   FROM unnest($3::int[], $4::text[], $5::text[]) WITH ORDINALITY AS x(seq, reference, person, n) ORDER BY x.n
                                                                   RETURNING id, seq`,
      [id, at, chunk.map((_, i) => start + i + 1), chunk.map((person) => person.reference), chunk.map(({ reference: _reference, ...selected }) => JSON.stringify(selected))]);
      const recipientOf = new Map(inserted.map((r) => [Number(r.seq), Number(r.id)]));
      const recipientIds = chunk.map((_, i) => recipientOf.get(start + i + 1)!);
      const links = chunk.flatMap((person, i) => person.accounts.map((account) => [recipientIds[i]!, account.id] as const));
      // a person lists an account once, but a repeat is ignored as SQLite's INSERT OR IGNORE does
      await c.run(`INSERT INTO campaign_recipient_accounts (recipient_id, account_id) SELECT r, a FROM unnest($1::bigint[], $2::bigint[]) AS x(r, a) ON CONFLICT DO NOTHING`,
        [links.map((l) => l[0]), links.map((l) => l[1])]);
      await c.run(`INSERT INTO campaign_history (recipient_id, status, at, actor, note, details)
                   SELECT x.r, 'selected', $2, $3, NULL, NULL FROM unnest($1::bigint[]) WITH ORDINALITY AS x(r, n) ORDER BY x.n`, [recipientIds, at, campaign.createdBy]);
    }
    return true;
  });
  return created ? findCampaign(s, campaign.name) : undefined;
}

export async function findCampaign(s: S, name: string): Promise<Campaign | undefined> {
  const row = await s.db.one(`${CAMPAIGN_SELECT} WHERE c.name = $1`, [name]);
  return row ? toCampaign(row) : undefined;
}

export async function configureCampaign(s: S, name: string, change: { title?: string; language?: string; settings: CampaignSettings }): Promise<Campaign | undefined> {
  const changes = await s.db.run('UPDATE campaigns SET title = coalesce($1, title), language = coalesce($2, language), settings = $3 WHERE name = $4',
    [change.title ?? null, change.language ?? null, JSON.stringify(change.settings), name]);
  return changes === 0 ? undefined : findCampaign(s, name);
}

/** When recipient `r` was first contacted (a letter or an e-mail sent); NULL before that. */
const CONTACTED_AT = `(SELECT min(h.at COLLATE "C") FROM campaign_history h WHERE h.recipient_id = r.id AND h.status IN ('letter-sent', 'email-sent'))`;

export async function campaigns(s: S, datasets?: readonly string[]): Promise<CampaignSummary[]> {
  const filter = datasets === undefined ? '' : ' WHERE d.name = ANY($1::text[])';
  const rows = await s.db.query(`${CAMPAIGN_SELECT}${filter} ORDER BY c.created_at COLLATE "C" DESC, c.id DESC`, datasets === undefined ? [] : [datasets]);
  if (rows.length === 0) return [];
  const ids = rows.map((r) => Number(r.id));
  const byStatus = new Map<number, Partial<Record<RecipientStatus, number>>>(ids.map((id) => [id, {}]));
  // in status order, as SQLite's GROUP BY gives them: the counts' keys come out in the same order
  for (const r of await s.db.query(`SELECT campaign_id, status, count(*) AS n FROM campaign_recipients WHERE campaign_id = ANY($1::bigint[])
                                    GROUP BY campaign_id, status ORDER BY campaign_id, status COLLATE "C"`, [ids])) {
    byStatus.get(Number(r.campaign_id))![String(r.status) as RecipientStatus] = Number(r.n);
  }
  // starts from the re-offences (few) rather than from every recipient's history (a campaign's worth)
  const reoffending = new Map((await s.db.query(`SELECT r.campaign_id, count(DISTINCT r.id) AS n FROM campaign_reoffences o JOIN campaign_recipients r ON r.id = o.recipient_id
                                                   CROSS JOIN LATERAL (SELECT ${CONTACTED_AT} AS contacted) x
                                                   WHERE r.campaign_id = ANY($1::bigint[]) AND x.contacted IS NOT NULL
                                                     AND (o.last_active IS NULL OR o.last_active COLLATE "C" > x.contacted)
                                                   GROUP BY r.campaign_id`, [ids])).map((r) => [Number(r.campaign_id), Number(r.n)]));
  return rows.map((row) => {
    const campaign = toCampaign(row);
    const counts = byStatus.get(campaign.id)!;
    const recipients = Object.values(counts).reduce((sum, n) => sum + n, 0);
    return { ...campaign, recipients, byStatus: counts, reoffending: reoffending.get(campaign.id) ?? 0 };
  });
}

export async function recipients(s: S, campaign: string, query: { status?: RecipientStatus; reference?: string } = {}): Promise<Recipient[]> {
  const p = new Params();
  const where = [`c.name = ${p.add(campaign)}`];
  if (query.status) where.push(`r.status = ${p.add(query.status)}`);
  if (query.reference) where.push(`r.reference = ${p.add(query.reference)}`);
  const rows = await s.db.query(`SELECT r.*, ${CONTACTED_AT} AS contacted_at FROM campaign_recipients r JOIN campaigns c ON c.id = r.campaign_id
                                 WHERE ${where.join(' AND ')} ORDER BY r.seq`, p.values);
  if (rows.length === 0) return [];
  const contacted = new Map(rows.map((r) => [Number(r.id), r.contacted_at]));
  const offences = new Map<number, Reoffence[]>();
  for (const o of await s.db.query(`SELECT o.*, a.platform, a.handle, d.name AS dataset FROM campaign_reoffences o
                                    JOIN accounts a ON a.dataset_id = o.dataset_id AND a.id = o.account_id JOIN datasets d ON d.id = o.dataset_id
                                    WHERE o.recipient_id = ANY($1::bigint[]) ORDER BY o.found_at COLLATE "C", o.account_id`, [rows.map((r) => Number(r.id))])) {
    const list = offences.get(Number(o.recipient_id)) ?? [];
    list.push({
      dataset: String(o.dataset), account: { id: Number(o.account_id), platform: String(o.platform), handle: String(o.handle) }, matched: String(o.matched),
      lastActive: optional(o.last_active), afterContact: isAfterContact(contacted.get(Number(o.recipient_id)), o.last_active), foundAt: String(o.found_at),
    });
    offences.set(Number(o.recipient_id), list);
  }
  return rows.map((r) => toRecipient(r, offences.get(Number(r.id)) ?? []));
}

/** `lock`: inside a transaction, holds the row until it ends, so two changes to one recipient follow each other. */
async function recipientId(db: Queryable, campaign: string, reference: string, lock = false): Promise<number | undefined> {
  const row = await db.one<{ id: number }>(`SELECT r.id FROM campaign_recipients r JOIN campaigns c ON c.id = r.campaign_id WHERE c.name = $1 AND r.reference = $2${lock ? ' FOR UPDATE OF r' : ''}`,
    [campaign, reference]);
  return row === undefined ? undefined : Number(row.id);
}

export async function updateRecipient(s: S, campaign: string, reference: string, change: RecipientChange, actor: string): Promise<Recipient | undefined> {
  const at = change.at ?? new Date().toISOString();
  const found = await s.db.tx(async (c) => {
    const id = await recipientId(c, campaign, reference, true);
    if (id === undefined) return false;
    const columns = recipientColumns(change, at);
    if (columns.length > 0) {
      const p = new Params();
      await c.run(`UPDATE campaign_recipients SET ${columns.map(([column, value]) => `${column} = ${p.add(value)}`).join(', ')} WHERE id = ${p.add(id)}`, p.values);
    }
    const label = change.status ?? change.label ?? (change.note === undefined ? undefined : 'note');
    if (label !== undefined) {
      await c.run('INSERT INTO campaign_history (recipient_id, status, at, actor, note, details) VALUES ($1, $2, $3, $4, $5, $6)',
        [id, label, at, actor, change.note ?? null, change.details ? JSON.stringify(change.details) : null]);
    }
    return true;
  });
  return found ? (await recipients(s, campaign, { reference }))[0] : undefined;
}

export async function recipientHistory(s: S, campaign: string, reference: string): Promise<RecipientHistoryEntry[]> {
  const id = await recipientId(s.db, campaign, reference);
  if (id === undefined) return [];
  return (await s.db.query('SELECT * FROM campaign_history WHERE recipient_id = $1 ORDER BY id', [id])).map((h) => ({
    status: String(h.status) as RecipientHistoryEntry['status'], at: String(h.at), actor: String(h.actor), note: optional(h.note),
    details: h.details === null ? undefined : JSON.parse(String(h.details)) as Record<string, unknown>,
  }));
}

export async function recipientByMessageId(s: S, messageId: string): Promise<{ campaign: string; reference: string } | undefined> {
  const row = await s.db.one(`SELECT c.name, r.reference FROM campaign_recipients r JOIN campaigns c ON c.id = r.campaign_id WHERE r.email_message_id = $1 ORDER BY r.id LIMIT 1`,
    [messageId]);
  return row ? { campaign: String(row.name), reference: String(row.reference) } : undefined;
}

// ---- re-offending

export async function reoffenceScans(s: S, campaign: string): Promise<Map<string, number>> {
  return new Map((await s.db.query(`SELECT d.name, sc.sources FROM campaign_scans sc JOIN campaigns c ON c.id = sc.campaign_id JOIN datasets d ON d.id = sc.dataset_id
                                    WHERE c.name = $1`, [campaign])).map((r) => [String(r.name), Number(r.sources)]));
}

export async function saveReoffences(s: S, campaign: string, scanned: readonly { dataset: string; sources: number }[], found: readonly ReoffenceFound[]): Promise<number> {
  const row = await s.db.one<{ id: number }>('SELECT id FROM campaigns WHERE name = $1', [campaign]);
  if (!row) throw new Error(`no campaign ${campaign}`);
  const campaignId = Number(row.id);
  const at = new Date().toISOString();
  return s.db.tx(async (c) => {
    const datasetIds = new Map<string, number>();
    const datasetId = async (name: string) => {
      const id = datasetIds.get(name) ?? await datasetIdOf(c, name);
      if (id === undefined) throw new Error(`no dataset ${name}`);
      datasetIds.set(name, id);
      return id;
    };
    let added = 0;
    for (const f of found) {
      const inserted = await c.run(`INSERT INTO campaign_reoffences (recipient_id, account_id, dataset_id, matched, last_active, found_at) VALUES ($1, $2, $3, $4, $5, $6)
                                    ON CONFLICT (recipient_id, account_id) DO NOTHING`, [f.recipientId, f.account.id, await datasetId(f.dataset), f.matched, f.lastActive ?? null, at]);
      if (inserted === 0) {
        // a match found before: only when its account was last active is news
        await c.run('UPDATE campaign_reoffences SET last_active = $1 WHERE recipient_id = $2 AND account_id = $3', [f.lastActive ?? null, f.recipientId, f.account.id]);
        continue;
      }
      await c.run(`INSERT INTO campaign_history (recipient_id, status, at, actor, note, details) VALUES ($1, 'reoffended', $2, 'lode', NULL, $3)`,
        [f.recipientId, at, JSON.stringify({ dataset: f.dataset, account: f.account, matched: f.matched, lastActive: f.lastActive })]);
      added += 1;
    }
    for (const scan of scanned) {
      await c.run(`INSERT INTO campaign_scans (campaign_id, dataset_id, sources) VALUES ($1, $2, $3) ON CONFLICT (campaign_id, dataset_id) DO UPDATE SET sources = excluded.sources`,
        [campaignId, await datasetId(scan.dataset), scan.sources]);
    }
    return added;
  });
}
