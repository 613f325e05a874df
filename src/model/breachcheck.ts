// The public victim check: what a seized dataset is called in public, and what the public service
// holds about it. The public service never holds an identifier in the clear: e-mail addresses
// are keyed hashes (HMAC-SHA-256 with a key kept outside its database), passwords only as the
// SHA-1 and NTLM hashes Have I Been Pwned's range API serves.

/** A published dataset in Have I Been Pwned's v3 "breach model" (field names as HIBP writes them). */
export type PublicBreach = {
  Name: string;
  Title: string;
  Domain: string;
  /** YYYY-MM-DD. */
  BreachDate: string;
  /** ISO 8601. */
  AddedDate: string;
  ModifiedDate: string;
  PwnCount: number;
  /** HTML, as HIBP's; ours is plain text escaped. */
  Description: string;
  LogoPath: string;
  DataClasses: string[];
  IsVerified: boolean;
  IsFabricated: boolean;
  IsSensitive: boolean;
  IsRetired: boolean;
  IsSpamList: boolean;
  IsMalware: boolean;
  IsSubscriptionFree: boolean;
  IsStealerLog: boolean;
};

/** What the public check mail tells a person about one dataset their address is in. */
export type CheckFinding = { breach: string; title: string; breachDate: string; dataClasses: string[] };

/** The password hash families the range API serves. */
export const RANGE_MODES = ['sha1', 'ntlm'] as const;
export type RangeMode = (typeof RANGE_MODES)[number];

/** Lode's own data classes (ExposureRecord.dataClasses) as Have I Been Pwned names them. */
export const HIBP_DATA_CLASSES: Record<string, string> = {
  email: 'Email addresses',
  username: 'Usernames',
  password: 'Passwords',
  'password-hash': 'Passwords',
  ip: 'IP addresses',
  phone: 'Phone numbers',
  name: 'Names',
  address: 'Physical addresses',
  'date-of-birth': 'Dates of birth',
  payment: 'Purchases',
  url: 'Website activity',
};
