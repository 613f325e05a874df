// Bounces that come back later as mail: delivery status notifications (RFC 3464) and the
// looser reports some servers write. What ties one to a campaign e-mail is the original
// message's Message-ID or its X-Lode-Reference header, quoted in the report; only a report whose
// action is "failed" is a bounce ("delayed" and "delivered" are not).
import type { Store } from '../store/store.ts';

export type BounceReport = {
  messageIds: string[];
  references: string[];
  isFailure: boolean;
  /** The server's reason (Diagnostic-Code or Status). */
  reason?: string;
};

/** Reads the parts of one returned mail (its text and the text of its attachments). */
export function readBounce(parts: readonly string[]): BounceReport {
  const text = parts.join('\n');
  const messageIds = [...text.matchAll(/^(?:Original-)?Message-ID:\s*<([^>\s]+)>/gim)].map((m) => m[1]!.toLowerCase());
  const references = [...text.matchAll(/^X-Lode-Reference:\s*([A-Z0-9]+-\d+-\d{2})\s*$/gim)].map((m) => m[1]!.toUpperCase());
  const actions = [...text.matchAll(/^Action:\s*([a-z]+)/gim)].map((m) => m[1]!.toLowerCase());
  const diagnostic = /^Diagnostic-Code:\s*(?:smtp;\s*)?(.+(?:\n[ \t].+)*)/im.exec(text)?.[1]?.replace(/\s+/g, ' ').trim();
  const status = /^Status:\s*(\d\.\d{1,3}\.\d{1,3})/im.exec(text)?.[1];
  // without a DSN part, a plain "Undelivered Mail Returned to Sender" with the original attached
  const isPlainFailure = actions.length === 0 && /(undeliver|delivery (status notification \()?fail|returned mail|mail delivery failed|user unknown|does not exist)/i.test(text);
  return {
    messageIds: [...new Set(messageIds)],
    references: [...new Set(references)],
    isFailure: actions.includes('failed') || (actions.length === 0 && ((status?.startsWith('5') ?? false) || isPlainFailure)),
    reason: diagnostic ?? (status ? `status ${status}` : undefined),
  };
}

export type BounceOutcome = { reports: number; bounced: string[]; alreadyBounced: number; notFailures: number; unmatched: number };

/** Marks the recipients whose e-mails these reports return as bounced (history entry each). */
export async function applyBounces(store: Store, campaign: string, reports: readonly BounceReport[], actor: string): Promise<BounceOutcome> {
  const outcome: BounceOutcome = { reports: reports.length, bounced: [], alreadyBounced: 0, notFailures: 0, unmatched: 0 };
  for (const report of reports) {
    if (!report.isFailure) {
      outcome.notFailures += 1;
      continue;
    }
    const reference = await referenceOf(store, campaign, report);
    if (reference === undefined) {
      outcome.unmatched += 1;
      continue;
    }
    const [recipient] = await store.recipients(campaign, { reference });
    if (recipient?.email?.state === 'bounced') {
      outcome.alreadyBounced += 1;
      continue;
    }
    const at = new Date().toISOString();
    await store.updateRecipient(campaign, reference, {
      label: 'bounced', at, email: { state: 'bounced', bouncedAt: at, bounceReason: report.reason ?? 'returned as undeliverable' },
      details: { reason: report.reason, messageIds: report.messageIds },
    }, actor);
    outcome.bounced.push(reference);
  }
  return outcome;
}

async function referenceOf(store: Store, campaign: string, report: BounceReport): Promise<string | undefined> {
  for (const id of report.messageIds) {
    const found = await store.recipientByMessageId(id);
    if (found?.campaign === campaign) return found.reference;
  }
  for (const reference of report.references) {
    if ((await store.recipients(campaign, { reference })).length > 0) return reference;
  }
  return undefined;
}
