// Intervention campaigns in the SQLite store: the site accounts a selection reads, campaigns
// with their recipients (each a person as selected, kept as JSON beside the columns a status
// board filters on), every change to a recipient with its history entry in one transaction, and
// what re-offending checks found.
import type {
  Campaign, CampaignPerson, CampaignSettings, CampaignSummary, Recipient, RecipientHistoryEntry, RecipientStatus, Reoffence,
} from '../../model/campaigns.ts';
import { LOCAL_OPERATOR } from '../../model/security.ts';
import { isAfterContact, recipientColumns, toCampaign, toRecipient } from '../row-models.ts';
import type { NewCampaign, RecipientChange, ReoffenceFound, SiteAccount, SiteAccountQuery } from '../store.ts';
import { accountConditions, visibilityConditions } from './scope.ts';
import { optional, type SqliteStore } from './sqlite-store.ts';

type Row = Record<string, unknown>;

export function siteAccounts(s: SqliteStore, query: SiteAccountQuery): SiteAccount[] {
  const dataset = s.sql('SELECT id FROM datasets WHERE name = ?').get(query.dataset);
  if (!dataset) return [];
  const datasetId = Number(dataset.id);
  const viewer = query.viewer ?? LOCAL_OPERATOR;
  const { shown, window } = accountConditions(s, datasetId, viewer);
  const only = query.ids === undefined ? '' : ' AND a.id IN (SELECT value FROM json_each(?))';
  const accounts = s.db.prepare(`SELECT a.id, a.platform, a.handle, a.name, a.extra, pa.person_id FROM accounts a LEFT JOIN person_accounts pa ON pa.account_id = a.id
                                 WHERE a.dataset_id = ? AND a.id > ?${only}${shown('a.id')} ORDER BY a.id LIMIT ?`)
    .all(datasetId, query.afterId, ...(query.ids === undefined ? [] : [JSON.stringify(query.ids)]), query.limit);
  if (accounts.length === 0) return [];
  const ids = JSON.stringify(accounts.map((a) => Number(a.id)));
  const byId = new Map<number, SiteAccount>(accounts.map((a) => [Number(a.id), {
    id: Number(a.id), platform: String(a.platform), handle: String(a.handle), name: optional(a.name),
    extra: a.extra === null ? {} : JSON.parse(String(a.extra)) as Record<string, unknown>,
    exposures: [], personId: a.person_id === null ? undefined : Number(a.person_id), events: [],
  }]));
  const inPage = 'IN (SELECT value FROM json_each(?))';
  for (const e of s.sql(`SELECT account_id, identifier, identifier_type FROM exposures WHERE account_id ${inPage} ORDER BY id`).all(ids)) {
    byId.get(Number(e.account_id))!.exposures.push({ identifier: String(e.identifier), type: String(e.identifier_type) });
  }
  const newest = (id: number, ms: unknown) => {
    const account = byId.get(id)!;
    if (ms !== null && ms !== undefined && (account.lastActiveMs === undefined || Number(ms) > account.lastActiveMs)) account.lastActiveMs = Number(ms);
  };
  if (query.events) {
    for (const e of s.db.prepare(`SELECT account_id, type, ts_ms, fields FROM events WHERE account_id ${inPage}${window('ts_ms')} ORDER BY account_id, ts_ms, id`).all(ids)) {
      const id = Number(e.account_id);
      byId.get(id)!.events.push({ type: String(e.type), tsMs: e.ts_ms === null ? undefined : Number(e.ts_ms), fields: e.fields === null ? {} : JSON.parse(String(e.fields)) as Record<string, unknown> });
      newest(id, e.ts_ms);
    }
  } else {
    for (const e of s.db.prepare(`SELECT account_id, max(ts_ms) AS last FROM events WHERE account_id ${inPage}${window('ts_ms')} GROUP BY account_id`).all(ids)) newest(Number(e.account_id), e.last);
  }
  const hidden = visibilityConditions(s, viewer);
  for (const m of s.db.prepare(`SELECT m.sender_id, max(m.ts_ms) AS last FROM messages m WHERE m.sender_id ${inPage}${hidden.map((w) => ` AND ${w}`).join('')} GROUP BY m.sender_id`).all(ids)) {
    newest(Number(m.sender_id), m.last);
  }
  return [...byId.values()];
}

// ---- campaigns and recipients

const CAMPAIGN_SELECT = 'SELECT c.*, d.name AS dataset FROM campaigns c JOIN datasets d ON d.id = c.dataset_id';

export function createCampaign(s: SqliteStore, campaign: NewCampaign, people: readonly (CampaignPerson & { reference: string })[]): Campaign | undefined {
  const dataset = s.sql('SELECT id FROM datasets WHERE name = ?').get(campaign.dataset);
  if (!dataset) throw new Error(`no dataset ${campaign.dataset}`);
  const at = new Date().toISOString();
  s.db.exec('BEGIN IMMEDIATE');
  try {
    if (s.sql('SELECT 1 AS x FROM campaigns WHERE name = ?').get(campaign.name)) {
      s.db.exec('ROLLBACK');
      return undefined;
    }
    const toolrun = s.toolrunId(campaign.toolrun.component, campaign.toolrun.version);
    const id = Number(s.sql(`INSERT INTO campaigns (name, title, dataset_id, criteria, language, settings, code, toolrun_id, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(campaign.name, campaign.title ?? null, Number(dataset.id), JSON.stringify(campaign.criteria), campaign.language, JSON.stringify(campaign.settings), campaign.code, toolrun,
        campaign.createdBy, at).lastInsertRowid);
    people.forEach((person, i) => {
      const { reference, ...selected } = person;
      const recipient = Number(s.sql(`INSERT INTO campaign_recipients (campaign_id, seq, reference, person, status, status_at) VALUES (?, ?, ?, ?, 'selected', ?)`)
        .run(id, i + 1, reference, JSON.stringify(selected), at).lastInsertRowid);
      for (const account of person.accounts) s.sql('INSERT OR IGNORE INTO campaign_recipient_accounts (recipient_id, account_id) VALUES (?, ?)').run(recipient, account.id);
      s.sql(`INSERT INTO campaign_history (recipient_id, status, at, actor, note, details) VALUES (?, 'selected', ?, ?, NULL, NULL)`).run(recipient, at, campaign.createdBy);
    });
    s.db.exec('COMMIT');
  } catch (error) {
    s.db.exec('ROLLBACK');
    throw error;
  }
  return findCampaign(s, campaign.name);
}

export function findCampaign(s: SqliteStore, name: string): Campaign | undefined {
  const row = s.sql(`${CAMPAIGN_SELECT} WHERE c.name = ?`).get(name);
  return row ? toCampaign(row) : undefined;
}

export function configureCampaign(s: SqliteStore, name: string, change: { title?: string; language?: string; settings: CampaignSettings }): Campaign | undefined {
  const changes = s.sql('UPDATE campaigns SET title = coalesce(?, title), language = coalesce(?, language), settings = ? WHERE name = ?')
    .run(change.title ?? null, change.language ?? null, JSON.stringify(change.settings), name).changes;
  return changes === 0 ? undefined : findCampaign(s, name);
}

export function campaigns(s: SqliteStore, datasets?: readonly string[]): CampaignSummary[] {
  const filter = datasets === undefined ? '' : ' WHERE d.name IN (SELECT value FROM json_each(?))';
  const rows = s.db.prepare(`${CAMPAIGN_SELECT}${filter} ORDER BY c.created_at DESC, c.id DESC`).all(...(datasets === undefined ? [] : [JSON.stringify(datasets)]));
  return rows.map((row) => {
    const campaign = toCampaign(row);
    const byStatus: Partial<Record<RecipientStatus, number>> = {};
    let recipients = 0;
    for (const r of s.sql('SELECT status, count(*) AS n FROM campaign_recipients WHERE campaign_id = ? GROUP BY status').all(campaign.id)) {
      byStatus[String(r.status) as RecipientStatus] = Number(r.n);
      recipients += Number(r.n);
    }
    const reoffending = Number(s.sql(`SELECT count(*) AS n FROM (SELECT r.id, ${CONTACTED_AT} AS contacted FROM campaign_recipients r WHERE r.campaign_id = ?) x
                                      WHERE x.contacted IS NOT NULL AND EXISTS (SELECT 1 FROM campaign_reoffences o WHERE o.recipient_id = x.id
                                        AND (o.last_active IS NULL OR o.last_active > x.contacted))`).get(campaign.id)?.n ?? 0);
    return { ...campaign, recipients, byStatus, reoffending };
  });
}

const CONTACTED_AT = `(SELECT min(h.at) FROM campaign_history h WHERE h.recipient_id = r.id AND h.status IN ('letter-sent', 'email-sent'))`;

export function recipients(s: SqliteStore, campaign: string, query: { status?: RecipientStatus; reference?: string } = {}): Recipient[] {
  const where = ['c.name = ?'];
  const params: string[] = [campaign];
  if (query.status) {
    where.push('r.status = ?');
    params.push(query.status);
  }
  if (query.reference) {
    where.push('r.reference = ?');
    params.push(query.reference);
  }
  const rows = s.db.prepare(`SELECT r.*, ${CONTACTED_AT} AS contacted_at FROM campaign_recipients r JOIN campaigns c ON c.id = r.campaign_id
                             WHERE ${where.join(' AND ')} ORDER BY r.seq`).all(...params);
  const contacted = new Map(rows.map((r) => [Number(r.id), r.contacted_at]));
  const offences = new Map<number, Reoffence[]>();
  const ids = JSON.stringify(rows.map((r) => Number(r.id)));
  for (const o of s.db.prepare(`SELECT o.*, a.platform, a.handle, d.name AS dataset FROM campaign_reoffences o JOIN accounts a ON a.id = o.account_id JOIN datasets d ON d.id = o.dataset_id
                                WHERE o.recipient_id IN (SELECT value FROM json_each(?)) ORDER BY o.found_at, o.account_id`).all(ids)) {
    const list = offences.get(Number(o.recipient_id)) ?? [];
    list.push({
      dataset: String(o.dataset), account: { id: Number(o.account_id), platform: String(o.platform), handle: String(o.handle) }, matched: String(o.matched),
      lastActive: optional(o.last_active), afterContact: isAfterContact(contacted.get(Number(o.recipient_id)), o.last_active), foundAt: String(o.found_at),
    });
    offences.set(Number(o.recipient_id), list);
  }
  return rows.map((r) => toRecipient(r, offences.get(Number(r.id)) ?? []));
}

function recipientRow(s: SqliteStore, campaign: string, reference: string): Row | undefined {
  return s.sql('SELECT r.* FROM campaign_recipients r JOIN campaigns c ON c.id = r.campaign_id WHERE c.name = ? AND r.reference = ?').get(campaign, reference);
}

export function updateRecipient(s: SqliteStore, campaign: string, reference: string, change: RecipientChange, actor: string): Recipient | undefined {
  const at = change.at ?? new Date().toISOString();
  s.db.exec('BEGIN IMMEDIATE');
  try {
    const row = recipientRow(s, campaign, reference);
    if (!row) {
      s.db.exec('ROLLBACK');
      return undefined;
    }
    const id = Number(row.id);
    const columns = recipientColumns(change, at);
    if (columns.length > 0) {
      s.db.prepare(`UPDATE campaign_recipients SET ${columns.map(([column]) => `${column} = ?`).join(', ')} WHERE id = ?`).run(...columns.map(([, value]) => value), id);
    }
    const label = change.status ?? change.label ?? (change.note === undefined ? undefined : 'note');
    if (label !== undefined) {
      s.sql('INSERT INTO campaign_history (recipient_id, status, at, actor, note, details) VALUES (?, ?, ?, ?, ?, ?)')
        .run(id, label, at, actor, change.note ?? null, change.details ? JSON.stringify(change.details) : null);
    }
    s.db.exec('COMMIT');
  } catch (error) {
    s.db.exec('ROLLBACK');
    throw error;
  }
  return recipients(s, campaign, { reference })[0];
}

export function recipientHistory(s: SqliteStore, campaign: string, reference: string): RecipientHistoryEntry[] {
  const row = recipientRow(s, campaign, reference);
  if (!row) return [];
  return s.sql('SELECT * FROM campaign_history WHERE recipient_id = ? ORDER BY id').all(Number(row.id)).map((h) => ({
    status: String(h.status) as RecipientHistoryEntry['status'], at: String(h.at), actor: String(h.actor), note: optional(h.note),
    details: h.details === null ? undefined : JSON.parse(String(h.details)) as Record<string, unknown>,
  }));
}

export function recipientByMessageId(s: SqliteStore, messageId: string): { campaign: string; reference: string } | undefined {
  const row = s.sql(`SELECT c.name, r.reference FROM campaign_recipients r JOIN campaigns c ON c.id = r.campaign_id WHERE r.email_message_id = ?`).get(messageId);
  return row ? { campaign: String(row.name), reference: String(row.reference) } : undefined;
}

// ---- re-offending

export function reoffenceScans(s: SqliteStore, campaign: string): Map<string, number> {
  return new Map(s.sql(`SELECT d.name, sc.sources FROM campaign_scans sc JOIN campaigns c ON c.id = sc.campaign_id JOIN datasets d ON d.id = sc.dataset_id WHERE c.name = ?`)
    .all(campaign).map((r) => [String(r.name), Number(r.sources)]));
}

export function saveReoffences(s: SqliteStore, campaign: string, scanned: readonly { dataset: string; sources: number }[], found: readonly ReoffenceFound[]): number {
  const row = s.sql('SELECT id FROM campaigns WHERE name = ?').get(campaign);
  if (!row) throw new Error(`no campaign ${campaign}`);
  const campaignId = Number(row.id);
  const at = new Date().toISOString();
  let added = 0;
  s.db.exec('BEGIN IMMEDIATE');
  try {
    for (const f of found) {
      const datasetId = Number(s.sql('SELECT id FROM datasets WHERE name = ?').get(f.dataset)?.id);
      const known = s.sql('SELECT 1 AS x FROM campaign_reoffences WHERE recipient_id = ? AND account_id = ?').get(f.recipientId, f.account.id) !== undefined;
      if (known) {
        s.sql('UPDATE campaign_reoffences SET last_active = ? WHERE recipient_id = ? AND account_id = ?').run(f.lastActive ?? null, f.recipientId, f.account.id);
        continue;
      }
      s.sql(`INSERT INTO campaign_reoffences (recipient_id, account_id, dataset_id, matched, last_active, found_at) VALUES (?, ?, ?, ?, ?, ?)`)
        .run(f.recipientId, f.account.id, datasetId, f.matched, f.lastActive ?? null, at);
      s.sql(`INSERT INTO campaign_history (recipient_id, status, at, actor, note, details) VALUES (?, 'reoffended', ?, 'lode', NULL, ?)`)
        .run(f.recipientId, at, JSON.stringify({ dataset: f.dataset, account: f.account, matched: f.matched, lastActive: f.lastActive }));
      added += 1;
    }
    for (const scan of scanned) {
      const datasetId = Number(s.sql('SELECT id FROM datasets WHERE name = ?').get(scan.dataset)?.id);
      s.sql(`INSERT INTO campaign_scans (campaign_id, dataset_id, sources) VALUES (?, ?, ?) ON CONFLICT (campaign_id, dataset_id) DO UPDATE SET sources = excluded.sources`)
        .run(campaignId, datasetId, scan.sources);
    }
    s.db.exec('COMMIT');
  } catch (error) {
    s.db.exec('ROLLBACK');
    throw error;
  }
  return added;
}
