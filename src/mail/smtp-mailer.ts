// A Mailer over SMTP with nodemailer: `smtp://user:pass@host:587` upgrades with STARTTLS when the
// server offers it (`?requireTLS=true` refuses to send without), `smtps://host:465` starts in TLS.
// A private CA (a unit's own mail relay) is passed as PEM; certificates are always verified.
import nodemailer from 'nodemailer';
import type { Mailer, OutgoingMail, SendOutcome } from './mailer.ts';
import { MailerConfigurationError } from './mailer.ts';

export type SmtpSettings = { url: string; ca?: string; timeoutMs?: number };

type SmtpError = Error & { code?: string; responseCode?: number; response?: string };

export class SmtpUrlError extends Error {}

/** The URL without its password, for logs and the audit. */
export function describeSmtpUrl(url: string): string {
  const parsed = parseSmtpUrl(url);
  parsed.password = '';
  if (parsed.username) parsed.username = decodeURIComponent(parsed.username);
  return parsed.toString();
}

export function parseSmtpUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new SmtpUrlError(`"${url}" is not a URL: give smtp://[user:password@]host[:port] or smtps://...`);
  }
  if (parsed.protocol !== 'smtp:' && parsed.protocol !== 'smtps:') throw new SmtpUrlError(`the mail server URL must start with smtp:// or smtps://, not ${parsed.protocol}//`);
  if (!parsed.hostname) throw new SmtpUrlError('the mail server URL names no host');
  return parsed;
}

export function openSmtpMailer(settings: SmtpSettings): Mailer {
  parseSmtpUrl(settings.url);
  const timeoutMs = settings.timeoutMs ?? 30_000;
  // a pooled connection: one per message measured 113 ms a message against 5 ms on loopback, and
  // over a network each new connection costs its TLS and login round trips again
  const transport = nodemailer.createTransport({
    url: settings.url,
    pool: true,
    maxConnections: 2,
    maxMessages: 100,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs * 2,
    ...(settings.ca ? { tls: { ca: settings.ca } } : {}),
  });
  return {
    description: describeSmtpUrl(settings.url),
    async verify() {
      try {
        await transport.verify();
      } catch (error) {
        const e = error as SmtpError;
        if (isConfigurationFailure(e)) throw new MailerConfigurationError(`the mail server refused us: ${e.message}`);
        throw new MailerConfigurationError(`cannot reach the mail server ${describeSmtpUrl(settings.url)}: ${e.message}`);
      }
    },
    async send(mail: OutgoingMail): Promise<SendOutcome> {
      try {
        const info = await transport.sendMail({
          from: mail.from, to: mail.to, subject: mail.subject, text: mail.text, ...(mail.html ? { html: mail.html } : {}),
          messageId: `<${mail.messageId}>`, headers: mail.headers ?? {},
          attachments: (mail.attachments ?? []).map((a) => ({ filename: a.filename, content: Buffer.from(a.content), contentType: a.contentType })),
        });
        if (info.rejected.length > 0) return { kind: 'refused', permanent: true, response: String(info.response ?? 'recipient rejected') };
        return { kind: 'accepted', response: String(info.response ?? '') };
      } catch (error) {
        const e = error as SmtpError;
        if (isConfigurationFailure(e)) throw new MailerConfigurationError(`the mail server refused us: ${e.message}`);
        return { kind: 'refused', permanent: isPermanent(e.responseCode), ...(e.responseCode ? { code: e.responseCode } : {}), response: e.response ?? e.message };
      }
    },
    close() {
      transport.close();
    },
  };
}

/** RFC 5321: every 5yz reply is final, except 503 (bad sequence), which a new session can get past. */
function isPermanent(code: number | undefined): boolean {
  return code !== undefined && code >= 500 && code < 600 && code !== 503;
}

function isConfigurationFailure(e: SmtpError): boolean {
  return e.code === 'EAUTH' || e.code === 'ETLS' || e.code === 'ENOAUTH' || /certificate|self[- ]signed|wrong version number/i.test(e.message);
}
