// Who is behind a handle: what others called it, what it disclosed, how it lived, and the links
// that tie accounts together into a person.

/** An account as other parts of Lode name it. */
export type AccountRef = { dataset: string; platform: string; handle: string };

/** A name another user saved for this account in their contact list. */
export type SavedAlias = { alias: string; count: number; savedBy: string[] };

export type AccountProfile = AccountRef & {
  name?: string;
  aliases: SavedAlias[];
  /** Identifiers in messages the account sent: its own numbers, IBANs, addresses... or others'. */
  entities: { type: string; value: string; count: number }[];
  devices: { imei?: string; model?: string; since?: string }[];
  firstSeen?: string;
  lastSeen?: string;
  sent: number;
  received: number;
  contacts: { handle: string; platform: string; sent: number; received: number }[];
  /** Messages sent by hour of the day (UTC, 0..23), by weekday (0 Sunday .. 6 Saturday), and by both ([weekday][hour]). */
  activity: { byHour: number[]; byWeekday: number[]; byWeekdayHour: number[][] };
  person?: { id: number; name?: string; accounts: AccountRef[] };
  links: AccountLink[];
};

export const LINK_KINDS = ['shared-device', 'shared-identifier', 'disclosed-identifier', 'alias-match'] as const;
export type LinkKind = (typeof LINK_KINDS)[number];

export type LinkStatus = 'proposed' | 'confirmed' | 'rejected';

/** Evidence that two accounts are used by the same person, with a score from 0 to 1. */
export type AccountLink = {
  id: number;
  a: AccountRef;
  b: AccountRef;
  kind: LinkKind;
  score: number;
  evidence: LinkEvidence[];
  status: LinkStatus;
  decidedBy?: string;
  decidedAt?: string;
  note?: string;
};

/** One fact behind a link: the shared value and where each side has it. */
export type LinkEvidence = { what: string; value: string; a: string; b: string };

/** A candidate link as the evidence queries propose it, before it is stored. */
export type ProposedLink = { aId: number; bId: number; kind: LinkKind; score: number; evidence: LinkEvidence[] };
