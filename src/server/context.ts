// What every route is handed: the parts from the composition root, and what the authentication
// middleware learned about the caller.
import type { Grant, User } from '../model/security.ts';
import type { Store } from '../store/store.ts';
import type { CheckService } from '../breachcheck/check-service.ts';
import type { PublicCheckIndex } from '../breachcheck/check-index.ts';
import type { Mailer } from '../mail/mailer.ts';

export type ServerDeps = {
  store: Store;
  now: () => Date;
  /** Cookies only over HTTPS (`Secure`, `__Host-` names): on whenever the server is reached through TLS. */
  secureCookies: boolean;
  /** Where bugs (5xx) are reported; stderr in `lode serve`. */
  log: (line: string) => void;
  /** Where case exports are written (inside the Lode home: they are evidence); absent: no exports. */
  exportDirectory?: string;
  /** Where uploaded files to ingest are kept, by SHA-256 (inside the Lode home: they are evidence); absent: no uploads. */
  uploadDirectory?: string;
  /** The largest upload taken (default INGEST_MAX_BODY_BYTES). */
  uploadMaxBytes?: number;
  /** The public check (page, mail, range API); absent: those routes answer 503. */
  check?: CheckService;
  /** The public service's database, for the published datasets (HIBP v3 metadata). */
  checkIndex?: PublicCheckIndex;
  /** Where the built web pages are (default web/dist). */
  webDist?: string;
  /** Sends campaign e-mails from the workbench; absent: the workbench says to use the CLI or start with --smtp. */
  mailer?: Mailer;
  mailFrom?: string;
  /** Checks and challenges per client address in 15 minutes (defaults in routes/public-check.ts). */
  checkLimits?: { checks: number; challenges: number };
  /** Where campaign letters are written (inside the Lode home: they carry personal data); absent: no letters through the API. */
  campaignDirectory?: string;
};

export type Caller = {
  user: User;
  grants: Grant[];
  /** How the caller authenticated: a browser's cookie needs CSRF protection, a bearer token does not. */
  via: 'cookie' | 'bearer';
  /** The stored digest of the session or token in use (logout deletes it). */
  sessionDigest: string;
};

export type AppEnv = { Variables: { caller: Caller } };
