// A Mailer that writes each message as an .eml file into a folder instead of sending it: a
// pickup folder for units whose mail leaves through another system (an air gap, a gateway that
// signs), and the demo's way of showing the check's mails without a mail server. The files are
// the exact messages SMTP would carry (RFC 5322, built by the same nodemailer composer).
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import nodemailer from 'nodemailer';
import type { Mailer, OutgoingMail, SendOutcome } from './mailer.ts';

export function openOutboxMailer(dir: string): Mailer {
  const folder = resolve(dir);
  const composer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'crlf' });
  let sequence = 0;
  let made: Promise<unknown> | undefined;
  const ensureFolder = () => (made ??= mkdir(folder, { recursive: true }));
  return {
    description: `outbox:${folder}`,
    async verify() {
      await ensureFolder();
    },
    async send(mail: OutgoingMail): Promise<SendOutcome> {
      await ensureFolder();
      const info = await composer.sendMail({
        from: mail.from, to: mail.to, subject: mail.subject, text: mail.text, ...(mail.html ? { html: mail.html } : {}),
        messageId: `<${mail.messageId}>`, headers: mail.headers ?? {},
        attachments: (mail.attachments ?? []).map((a) => ({ filename: a.filename, content: Buffer.from(a.content), contentType: a.contentType })),
      });
      sequence += 1;
      const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.(\d+)Z$/, '$1Z');
      const name = `${stamp}-${String(sequence).padStart(4, '0')}-${mail.messageId.replace(/[^A-Za-z0-9.@_-]/g, '_')}.eml`;
      await writeFile(join(folder, name), info.message as Buffer, { flag: 'wx' });
      return { kind: 'accepted', response: `written to ${join(folder, name)}` };
    },
    close() {
      composer.close();
    },
  };
}
