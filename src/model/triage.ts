// Triage: what the scorers find in a message and the alerts an analyst works through
// (DESIGN.md `lode alerts`). Every alert records the tool run that raised it.

export const ALERT_KINDS = ['threat', 'leak', 'watchlist'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

export const ALERT_STATUSES = ['new', 'acknowledged', 'escalated', 'dismissed'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

/** The queue an analyst works: everything not dismissed. */
export const OPEN_ALERT_STATUSES: readonly AlertStatus[] = ['new', 'acknowledged', 'escalated'];

/** A message as a triage scorer reads it (in time order, at ingest or when re-scoring). */
export type TriageMessage = {
  id: string;
  tsMs?: number;
  from: string;
  to: readonly string[];
  body: string;
  lang?: string;
  attachments: readonly { mime?: string; name?: string }[];
};

/** One reason an alert was raised: which signal, what text in the body (UTF-16 span), how much it weighed. */
export type AlertReason = {
  /** e.g. 'intent:kill', 'target', 'weapon', 'context:intent', 'leak:police', 'watchlist:query'. */
  signal: string;
  /** A human explanation, in English, e.g. 'violent intent (kill): "moet weg"'. */
  text: string;
  /** Where in the message body, when the reason is a piece of it. */
  start?: number;
  end?: number;
  /** This reason's contribution to the score. */
  weight: number;
  /** For a reason drawn from another message (context): that message's id. */
  item?: string;
};

/** What a scorer says about one message: kept only when it found something. */
export type TriageFinding = {
  kind: 'threat' | 'leak';
  /** 0..1; alerts are raised at or above the scorer's threshold. */
  score: number;
  reasons: AlertReason[];
  /** For a leak: the sector (police, customs, port, municipality, registry, ...). */
  category?: string;
};

export type AlertNote = { author: string; at: string; text: string };

export type Alert = {
  id: number;
  kind: AlertKind;
  score: number;
  item: { id: string; ref?: string; dataset: string; ts?: string; from: string; to: string[]; body: string };
  reasons: AlertReason[];
  category?: string;
  /** For a watchlist alert: the watchlist's name. */
  watchlist?: string;
  status: AlertStatus;
  assignee?: string;
  notes: AlertNote[];
  toolrun: { component: string; version: string };
  createdAt: string;
  updatedAt: string;
};

/** A saved query and/or entity list that runs on every new batch. */
export type Watchlist = {
  id: number;
  name: string;
  /** A query in the query language (docs/QUERY.md). */
  query?: string;
  /** Entity values (normalised) per type, e.g. { phone: ['+31612345678'] }; handles under 'handle'. */
  entities?: Record<string, string[]>;
  /** Restricts it to one dataset; absent: every dataset. */
  dataset?: string;
  /** The score of its alerts in the queue (0..1). */
  priority: number;
  createdBy: string;
  createdAt: string;
  /** How many alerts it raised so far. */
  alerts: number;
};
