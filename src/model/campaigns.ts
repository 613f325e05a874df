// Intervention campaigns: from a seized site's database, the people of one country who used it
// are selected, warned by letter and e-mail and invited to a "stop talk"; each recipient is
// tracked until the talk is held or they did not respond, and flagged when they turn up again
// in later seized data.

/** Where a recipient stands, in the order a campaign moves them. */
export const RECIPIENT_STATUSES = ['selected', 'letter-generated', 'letter-sent', 'email-sent', 'talk-scheduled', 'talk-held', 'no-response'] as const;
export type RecipientStatus = (typeof RECIPIENT_STATUSES)[number];

/** What points at a country, and how that was decided (shown with every recipient). */
export const COUNTRY_EVIDENCE_KINDS = ['email-domain', 'phone', 'iban', 'ip'] as const;
export type CountryEvidenceKind = (typeof COUNTRY_EVIDENCE_KINDS)[number];
export type CountryEvidence = {
  kind: CountryEvidenceKind;
  /** The identifier as the site held it (an address, a number, an IBAN, an IP). */
  value: string;
  /** ISO 3166-1 alpha-2, upper case. */
  country: string;
  /** How: "country-code domain .nl", "libphonenumber-js 1.13.16", "IBAN country code", "geoip-lite 2.0.3 (GeoLite2)". */
  method: string;
};

/** Who a campaign selects from a site dataset. Absent criteria do not filter. */
export type CampaignCriteria = {
  dataset: string;
  /** ISO 3166-1 alpha-2 codes: a recipient with evidence for any of them is in. */
  countries: string[];
  /** At least this many pieces of evidence for one of the countries (default 1). */
  minEvidence?: number;
  /** Only people with at least one payment. */
  paid?: boolean;
  minPayments?: number;
  minSearches?: number;
  /** Events of any type. */
  minEvents?: number;
  /** Activity (events, or registration when a person has no events) from this day (ISO date, inclusive). */
  from?: string;
  /** To this day (ISO date, exclusive). */
  to?: string;
  /** Event types that count as payments (default: payment). */
  paymentTypes?: string[];
  /** Event types that count as searches (default: search). */
  searchTypes?: string[];
};

/** A sum paid in one currency. */
export type AmountPaid = { currency: string; amount: number };

/** What a person did on the site, as a letter tells it. */
export type RecipientActivity = {
  registered?: string;
  firstActive?: string;
  lastActive?: string;
  payments: number;
  paid: AmountPaid[];
  searches: number;
  /** A few of the things they searched for, as the site logged them. */
  searchExamples: string[];
  events: number;
  /** Events by type. */
  eventTypes: Record<string, number>;
};

/** One site account behind a recipient. */
export type RecipientAccount = { id: number; platform: string; handle: string };

/** A person a campaign addresses: one or more accounts that share an e-mail, a phone or a confirmed Person. */
export type CampaignPerson = {
  name?: string;
  accounts: RecipientAccount[];
  emails: string[];
  /** E.164. */
  phones: string[];
  addresses: string[];
  ibans: string[];
  ips: string[];
  /** Countries the evidence points at, most evidence first. */
  countries: string[];
  evidence: CountryEvidence[];
  activity: RecipientActivity;
};

export type LetterRecord = { path: string; sha256: string; template: string; language: string; generatedAt: string };

export const EMAIL_STATES = ['queued', 'sending', 'sent', 'failed', 'bounced'] as const;
export type EmailState = (typeof EMAIL_STATES)[number];
export type EmailRecord = {
  to: string;
  state: EmailState;
  attempts: number;
  messageId?: string;
  lastError?: string;
  sentAt?: string;
  bouncedAt?: string;
  bounceReason?: string;
};

export type RecipientHistoryEntry = { status: RecipientStatus | 'note' | 'bounced' | 'reoffended'; at: string; actor: string; note?: string; details?: Record<string, unknown> };

/** A later dataset in which a recipient shows up again. */
export type Reoffence = {
  dataset: string;
  account: RecipientAccount;
  /** What matched: email:ADDRESS, phone:E164 or handle:NAME (same platform). */
  matched: string;
  lastActive?: string;
  /** Whether the recipient had been contacted (letter or e-mail sent) and was active there after that, or at an unknown time. */
  afterContact: boolean;
  foundAt: string;
};

export type Recipient = CampaignPerson & {
  id: number;
  /** Printed on the letter and in the e-mail: how a person or their lawyer refers to it. */
  reference: string;
  status: RecipientStatus;
  statusAt: string;
  talk?: { at: string; place?: string };
  /** When the first letter or e-mail was sent. */
  contactedAt?: string;
  letter?: LetterRecord;
  email?: EmailRecord;
  reoffences: Reoffence[];
};

/** Who sends a campaign's letters and e-mails: the letterhead and the signature. */
export type CampaignSender = { organisation: string; unit?: string; address?: string; phone?: string; email?: string; signatory?: string };

/** How a campaign's letters and e-mails read; set at creation and changed with `lode campaign configure`. */
export type CampaignSettings = {
  /** The site's name as letters write it (default: the dataset's platform). */
  site?: string;
  sender?: CampaignSender;
  /** Replaces the shipped legal paragraph of the campaign's language. */
  legalText?: string;
  /** Replace the shipped letter and e-mail of the campaign (checked when set). */
  letterTemplate?: StoredTemplate;
  emailTemplate?: StoredTemplate;
};

/** A template an officer wrote, kept with the campaign: Markdown or HTML with {{placeholders}}. */
export type StoredTemplate = { name: string; format: 'markdown' | 'html'; text: string };

export type Campaign = {
  id: number;
  name: string;
  title?: string;
  dataset: string;
  criteria: CampaignCriteria;
  /** The language letters and e-mails default to (nl or en). */
  language: string;
  /** The prefix of its recipients' references. */
  code: string;
  settings: CampaignSettings;
  createdBy: string;
  createdAt: string;
};

export type CampaignSummary = Campaign & { recipients: number; byStatus: Partial<Record<RecipientStatus, number>>; reoffending: number };
