// Rows of the shared data model as the model's objects. Both stores keep these tables with the
// same columns, so one mapping serves both and they cannot drift apart.
import type { CampaignCriteria, CampaignPerson, CampaignSettings, Campaign, EmailRecord, EmailState, LetterRecord, Recipient, RecipientStatus, Reoffence } from '../model/campaigns.ts';
import type { AuditEvent, Role, User, UserWithSecret } from '../model/security.ts';
import type { Alert, AlertKind, AlertNote, AlertReason, AlertStatus, Watchlist } from '../model/triage.ts';
import type { RecipientChange } from './store.ts';
import type { StoredMessage } from '../model/items.ts';

export type Row = Record<string, unknown>;

export function optional(value: unknown): string | undefined {
  return value === null || value === undefined ? undefined : String(value);
}

// ---- security

export function toUser(row: Row): UserWithSecret {
  return {
    id: Number(row.id), name: String(row.name), role: String(row.role) as Role, createdAt: String(row.created_at),
    disabled: Number(row.disabled) !== 0, passwordHash: String(row.password_hash),
  };
}

export function withoutSecret(user: UserWithSecret): User {
  const { passwordHash: _secret, ...rest } = user;
  return rest;
}

export function toAuditEvent(row: Row): AuditEvent {
  return {
    seq: Number(row.seq), at: String(row.at), actor: String(row.actor), action: String(row.action),
    ...(row.target == null ? {} : { target: String(row.target) }),
    details: parseDetails(String(row.details)),
    prevHash: String(row.prev_hash), hash: String(row.hash),
  };
}

function parseDetails(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // below
  }
  // a row changed behind the log's back may hold anything: show it (its hash will not match)
  return { unparseable: text };
}

// ---- campaigns

export function toCampaign(r: Row): Campaign {
  return {
    id: Number(r.id), name: String(r.name), title: optional(r.title), dataset: String(r.dataset), criteria: JSON.parse(String(r.criteria)) as CampaignCriteria,
    language: String(r.language), code: String(r.code), settings: JSON.parse(String(r.settings)) as CampaignSettings, createdBy: String(r.created_by), createdAt: String(r.created_at),
  };
}

function toEmail(r: Row): EmailRecord | undefined {
  if (r.email_state === null) return undefined;
  return {
    to: String(r.email_to), state: String(r.email_state) as EmailState, attempts: Number(r.email_attempts), messageId: optional(r.email_message_id),
    lastError: optional(r.email_error), sentAt: optional(r.email_sent_at), bouncedAt: optional(r.email_bounced_at), bounceReason: optional(r.email_bounce_reason),
  };
}

/** A recipient row with its `contacted_at` (the first letter or e-mail sent) and e-mail columns. */
export function toRecipient(r: Row, reoffences: Reoffence[]): Recipient {
  return {
    ...(JSON.parse(String(r.person)) as CampaignPerson),
    id: Number(r.id), reference: String(r.reference), status: String(r.status) as RecipientStatus, statusAt: String(r.status_at),
    talk: r.talk_at === null ? undefined : { at: String(r.talk_at), place: optional(r.talk_place) },
    contactedAt: optional(r.contacted_at),
    letter: r.letter === null ? undefined : JSON.parse(String(r.letter)) as LetterRecord,
    email: toEmail(r),
    reoffences,
  };
}

const EMAIL_COLUMNS: Record<keyof EmailRecord, string> = {
  to: 'email_to', state: 'email_state', attempts: 'email_attempts', messageId: 'email_message_id', lastError: 'email_error',
  sentAt: 'email_sent_at', bouncedAt: 'email_bounced_at', bounceReason: 'email_bounce_reason',
};

/** The recipient columns a change sets, with their new values (none for a note alone). */
export function recipientColumns(change: RecipientChange, at: string): [column: string, value: string | number | null][] {
  const columns: [string, string | number | null][] = [];
  if (change.status) columns.push(['status', change.status], ['status_at', at]);
  if (change.talk) columns.push(['talk_at', change.talk.at], ['talk_place', change.talk.place ?? null]);
  if (change.letter) columns.push(['letter', JSON.stringify(change.letter)]);
  for (const [field, value] of Object.entries(change.email ?? {}) as [keyof EmailRecord, string | number | undefined][]) columns.push([EMAIL_COLUMNS[field], value ?? null]);
  return columns;
}

/** Active again after the first contact, or at an unknown time after it; nobody re-offends before being warned. */
export function isAfterContact(contactedAt: unknown, lastActive: unknown): boolean {
  return contactedAt !== null && contactedAt !== undefined && (lastActive === null || String(lastActive) > String(contactedAt));
}

// ---- triage

/** An alert row (with its watchlist's name and tool run joined) around the message it is on. */
export function toAlert(row: Row, message: StoredMessage, notes: AlertNote[]): Alert {
  return {
    id: Number(row.id),
    kind: String(row.kind) as AlertKind,
    score: Number(row.score),
    item: { id: message.id, ref: message.ref, dataset: message.dataset, ts: message.ts, from: message.from, to: message.to, body: message.body },
    reasons: JSON.parse(String(row.reasons)) as AlertReason[],
    ...(row.category == null ? {} : { category: String(row.category) }),
    ...(row.watchlist_name == null ? {} : { watchlist: String(row.watchlist_name) }),
    status: String(row.status) as AlertStatus,
    ...(row.assignee == null ? {} : { assignee: String(row.assignee) }),
    notes,
    toolrun: { component: String(row.component), version: String(row.version) },
    createdAt: String(row.created_at),
    updatedAt: String(row.updated_at),
  };
}

export function toWatchlist(r: Row): Watchlist {
  return {
    id: Number(r.id), name: String(r.name),
    ...(r.query == null ? {} : { query: String(r.query) }),
    ...(r.entities == null ? {} : { entities: JSON.parse(String(r.entities)) as Record<string, string[]> }),
    ...(r.dataset == null ? {} : { dataset: String(r.dataset) }),
    priority: Number(r.priority),
    createdBy: String(r.created_by), createdAt: String(r.created_at), alerts: Number(r.raised),
  };
}

// ---- accounts

type Contact = { sent: number; received: number };

/**
 * An account's most frequent contacts from two tallies (messages it sent to each account, and
 * messages each account sent into its conversations), itself left out, most messages first.
 */
export function topContacts(sentTo: readonly Row[], receivedFrom: readonly Row[], self: number, limit: number): [account: number, Contact][] {
  const contacts = new Map<number, Contact>();
  for (const r of sentTo) contacts.set(Number(r.other), { sent: Number(r.n), received: 0 });
  for (const r of receivedFrom) {
    const c = contacts.get(Number(r.other)) ?? { sent: 0, received: 0 };
    c.received = Number(r.n);
    contacts.set(Number(r.other), c);
  }
  contacts.delete(self);
  return [...contacts].sort((a, b) => b[1].sent + b[1].received - (a[1].sent + a[1].received)).slice(0, limit);
}

export function toAlertNote(n: Row): AlertNote {
  return { author: String(n.author), at: String(n.at), text: String(n.text) };
}

/**
 * A messages row (either store's MESSAGE_SELECT) as the model: `recipients` are the row's
 * recipient account ids (each store keeps them its own way), `handles` names every account.
 */
export function toStoredMessage(row: Row, recipients: readonly number[], handles: ReadonlyMap<number, string>): StoredMessage {
  const key = String(row.conversation_key);
  return {
    id: String(row.uid),
    ref: optional(row.ref),
    kind: Number(row.kind) === 1 ? 'note' : 'message',
    dataset: String(row.dataset),
    platform: String(row.platform),
    ts: row.ts_ms == null ? undefined : new Date(Number(row.ts_ms)).toISOString(),
    from: handles.get(Number(row.sender_id)) ?? `#${row.sender_id}`,
    to: recipients.map((r) => handles.get(r) ?? `#${r}`),
    group: key.startsWith('group:') ? key.slice('group:'.length) : undefined,
    body: String(row.body),
    lang: optional(row.lang),
    attachments: row.attachments ? JSON.parse(String(row.attachments)) : [],
    extra: row.extra ? JSON.parse(String(row.extra)) : undefined,
    provenance: {
      sourceId: Number(row.source_id), sourceSha256: String(row.sha256), sourcePath: String(row.path),
      line: Number(row.line), offset: Number(row.byte_offset),
    },
  };
}
