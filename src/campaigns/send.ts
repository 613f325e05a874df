// Sending a campaign's e-mails: throttled to the rate the mail relay allows, retried when the
// server fails for a while, and resumable: each recipient's e-mail state is written before and
// after the attempt, so a run cut off anywhere sends nobody a second message. A message that was
// handed to the server when the run died ("sending") may or may not have left: it is not sent
// again unless the officer says so.
import type { Campaign, Recipient } from '../model/campaigns.ts';
import type { Store } from '../store/store.ts';
import { mailDomain, type Mailer, type OutgoingMail } from '../mail/mailer.ts';
import type { LetterLanguage, ParsedTemplate } from './template.ts';
import { composeEmail } from './email-compose.ts';
import { letterContext } from './letter-context.ts';
import { advances } from './tracking.ts';

export type SendOptions = {
  store: Store;
  campaign: Campaign;
  mailer: Mailer;
  /** The From: address; its domain names the Message-IDs. */
  from: string;
  template: ParsedTemplate;
  templateName: string;
  language: LetterLanguage;
  /** YYYY-MM-DD the e-mails are dated. */
  date: string;
  ratePerMinute: number;
  /** Attempts per message before it is left as failed for a later run. */
  maxAttempts: number;
  /** The first retry waits this long, each next one twice as long (default 30 s). */
  retryDelayMs?: number;
  /** Also send to recipients whose message was being handed over when an earlier run stopped. */
  resendUncertain?: boolean;
  /** The letter to attach, read back and checked against its recorded hash; absent: no attachment. */
  attachment?(recipient: Recipient): Promise<Uint8Array>;
  /** Only these references (default: every recipient). */
  references?: readonly string[];
  actor: string;
  sleep?(ms: number): Promise<void>;
  signal?: AbortSignal;
  onProgress?(event: SendProgress): void;
};

export type SendProgress = { reference: string; to: string; outcome: 'sent' | 'bounced' | 'retry' | 'failed'; response: string; attempt: number };

export type SendRun = {
  sent: number;
  bounced: number;
  failed: number;
  skipped: { noAddress: number; alreadySent: number; bounced: number; uncertain: number };
  stopped: boolean;
};

type Pending = { recipient: Recipient; attempt: number; notBefore: number };

export async function sendCampaignEmails(options: SendOptions): Promise<SendRun> {
  const { store, campaign, mailer } = options;
  const sleep = options.sleep ?? ((ms) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const all = await store.recipients(campaign.name);
  const wanted = options.references ? all.filter((r) => options.references!.includes(r.reference)) : all;
  const chosen = sendable(wanted, options.resendUncertain === true);
  const run: SendRun = { sent: 0, bounced: 0, failed: 0, skipped: chosen.skipped, stopped: false };
  const queue: Pending[] = chosen.queue.map((recipient) => ({ recipient, attempt: 0, notBefore: 0 }));
  if (queue.length === 0) return run;
  await mailer.verify();
  const intervalMs = 60_000 / options.ratePerMinute;
  const retryDelayMs = options.retryDelayMs ?? 30_000;
  let nextSlot = 0;
  while (queue.length > 0) {
    if (options.signal?.aborted) {
      run.stopped = true;
      break;
    }
    queue.sort((a, b) => a.notBefore - b.notBefore);
    const item = queue.shift()!;
    const wait = Math.max(item.notBefore, nextSlot) - Date.now();
    if (wait > 0) await sleep(wait);
    nextSlot = Date.now() + intervalMs;
    item.attempt += 1;
    const outcome = await sendOne(options, item.recipient, item.attempt);
    options.onProgress?.({ reference: item.recipient.reference, to: item.recipient.emails[0]!, outcome: outcome.kind, response: outcome.response, attempt: item.attempt });
    if (outcome.kind === 'sent') run.sent += 1;
    else if (outcome.kind === 'bounced') run.bounced += 1;
    else if (item.attempt < options.maxAttempts) queue.push({ ...item, notBefore: Date.now() + retryDelayMs * 2 ** (item.attempt - 1) });
    else {
      run.failed += 1;
      await store.updateRecipient(campaign.name, item.recipient.reference, { email: { state: 'failed' } }, options.actor);
    }
  }
  // what a stopped run had queued stays as it was: queued, failed or never tried, sent by the next run
  return run;
}

async function sendOne(options: SendOptions, recipient: Recipient, attempt: number): Promise<{ kind: 'sent' | 'bounced' | 'retry'; response: string }> {
  const { store, campaign } = options;
  const to = recipient.emails[0]!;
  const message = composeEmail(options.template, letterContext(campaign, recipient, options.language, options.date));
  const messageId = campaignMessageId(recipient.reference, options.from);
  const mail: OutgoingMail = {
    from: options.from, to, subject: message.subject, text: message.text, html: message.html, messageId,
    headers: { 'X-Lode-Reference': recipient.reference, 'Auto-Submitted': 'auto-generated' },
    ...(options.attachment ? { attachments: [{ filename: `${recipient.reference}.pdf`, content: await options.attachment(recipient), contentType: 'application/pdf' }] } : {}),
  };
  const attempts = (recipient.email?.attempts ?? 0) + 1;
  await store.updateRecipient(campaign.name, recipient.reference, { email: { to, state: 'sending', attempts, messageId } }, options.actor);
  let outcome;
  try {
    outcome = await options.mailer.send(mail);
  } catch (error) {
    // the server refused our login or TLS: nothing left, so the message is not "sending"
    await store.updateRecipient(campaign.name, recipient.reference, { email: { state: recipient.email?.state === 'failed' ? 'failed' : 'queued', attempts } }, options.actor);
    throw error;
  }
  const at = new Date().toISOString();
  if (outcome.kind === 'accepted') {
    const moves = advances(recipient.status, 'email-sent');
    await store.updateRecipient(campaign.name, recipient.reference, {
      ...(moves ? { status: 'email-sent' as const } : { label: 'email-sent' as const }),
      at, email: { state: 'sent', sentAt: at, lastError: undefined }, details: { to, messageId, response: outcome.response, attempt },
    }, options.actor);
    return { kind: 'sent', response: outcome.response };
  }
  if (outcome.permanent) {
    await store.updateRecipient(campaign.name, recipient.reference, {
      label: 'bounced', at, email: { state: 'bounced', bouncedAt: at, bounceReason: outcome.response, lastError: outcome.response },
      details: { to, messageId, code: outcome.code, response: outcome.response },
    }, options.actor);
    return { kind: 'bounced', response: outcome.response };
  }
  await store.updateRecipient(campaign.name, recipient.reference, { email: { state: 'queued', lastError: outcome.response } }, options.actor);
  return { kind: 'retry', response: outcome.response };
}

export type PlannedEmail = { reference: string; to: string; subject: string; messageId: string };

/** What a send would do, for a dry run: the same choice of recipients, nothing sent or changed. */
export async function planEmails(options: {
  store: Store; campaign: Campaign; template: ParsedTemplate; language: LetterLanguage; date: string; from: string; references?: readonly string[]; resendUncertain?: boolean;
}): Promise<{ messages: PlannedEmail[]; skipped: SendRun['skipped'] }> {
  const all = await options.store.recipients(options.campaign.name);
  const wanted = options.references ? all.filter((r) => options.references!.includes(r.reference)) : all;
  const { queue, skipped } = sendable(wanted, options.resendUncertain === true);
  return {
    skipped,
    messages: queue.map((recipient) => ({
      reference: recipient.reference, to: recipient.emails[0]!, messageId: campaignMessageId(recipient.reference, options.from),
      subject: composeEmail(options.template, letterContext(options.campaign, recipient, options.language, options.date)).subject,
    })),
  };
}

/** Who gets a message in this run, and why the others do not. */
function sendable(recipients: readonly Recipient[], resendUncertain: boolean): { queue: Recipient[]; skipped: SendRun['skipped'] } {
  const skipped = { noAddress: 0, alreadySent: 0, bounced: 0, uncertain: 0 };
  const queue: Recipient[] = [];
  for (const recipient of recipients) {
    const state = recipient.email?.state;
    if (recipient.emails.length === 0) skipped.noAddress += 1;
    else if (state === 'sent') skipped.alreadySent += 1;
    else if (state === 'bounced') skipped.bounced += 1;
    else if (state === 'sending' && !resendUncertain) skipped.uncertain += 1;
    else queue.push(recipient);
  }
  return { queue, skipped };
}

/** The Message-ID of a recipient's campaign e-mail: stable, so a bounce or a resend finds the same one. */
export function campaignMessageId(reference: string, from: string): string {
  return `${reference.toLowerCase()}.campaign@${mailDomain(from)}`;
}
