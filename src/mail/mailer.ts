// The boundary between Lode and mail servers: campaigns and the public check hand messages to a
// Mailer and learn whether the server took them. `smtp-mailer.ts` implements it over SMTP; the
// composition root (src/main.ts) builds one from `--smtp URL`.

export type OutgoingMail = {
  from: string;
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** Without angle brackets: local@domain. Also what a bounce quotes back. */
  messageId: string;
  headers?: Record<string, string>;
  attachments?: { filename: string; content: Uint8Array; contentType: string }[];
};

/**
 * What the server said. `permanent`: it refused the message for good (a 5xx reply: the address
 * does not exist, the domain takes no mail); a retry would get the same answer, so it is a bounce.
 * Otherwise the failure is transient (4xx, a dropped connection) and worth another attempt.
 */
export type SendOutcome =
  | { kind: 'accepted'; response: string }
  | { kind: 'refused'; permanent: boolean; code?: number; response: string };

export interface Mailer {
  /** Where mail goes, without credentials (for logs and the audit). */
  readonly description: string;
  /** Connects and authenticates once, so a wrong password stops a run before its first message. */
  verify(): Promise<void>;
  send(mail: OutgoingMail): Promise<SendOutcome>;
  close(): void;
}

/** The mail server refused our login or our TLS: no message can be sent, so a run stops. */
export class MailerConfigurationError extends Error {}

/** The domain of a From: address ("Unit <unit@police.example>" too): what names our Message-IDs. */
export function mailDomain(address: string): string {
  return /@([^@>\s]+)>?\s*$/.exec(address)?.[1]?.toLowerCase() ?? 'lode.invalid';
}
