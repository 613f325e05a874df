// How campaigns and recipients are shown (lode campaign --json, the API, the workbench's board):
// one shape for all three, the reference as the recipient's id.
import type { CampaignSummary, Recipient, RecipientStatus } from '../model/campaigns.ts';
import { RECIPIENT_STATUSES } from '../model/campaigns.ts';
import { parseTemplate, type ParsedTemplate } from './template.ts';

export type RecipientView = Omit<Recipient, 'id'> & { id: string; reoffending: boolean };

export function recipientView(recipient: Recipient): RecipientView {
  const { id: _storeId, ...rest } = recipient;
  return { id: recipient.reference, ...rest, reoffending: recipient.reoffences.some((o) => o.afterContact) };
}

/** Every status with its count (zeros included, in campaign order), for boards that draw columns. */
export function statusCounts(recipients: readonly { status: RecipientStatus }[]): Record<RecipientStatus, number> {
  const counts = Object.fromEntries(RECIPIENT_STATUSES.map((s) => [s, 0])) as Record<RecipientStatus, number>;
  for (const r of recipients) counts[r.status] += 1;
  return counts;
}

export function campaignLine(c: CampaignSummary): string {
  const counts = RECIPIENT_STATUSES.filter((s) => (c.byStatus[s] ?? 0) > 0).map((s) => `${s} ${c.byStatus[s]}`).join(', ');
  return `${c.name}  ${c.dataset}  ${c.recipients} recipients${counts ? ` (${counts})` : ''}${c.reoffending > 0 ? `, ${c.reoffending} re-offending` : ''}  ${c.title ?? ''}`;
}

export class TemplateFileError extends Error {}

/** A template an officer wrote: Markdown (.md) or HTML (.html), by its file name. */
export function parseTemplateFile(text: string, fileName: string): ParsedTemplate {
  const extension = /\.([a-z]+)$/i.exec(fileName)?.[1]?.toLowerCase();
  if (extension === 'md' || extension === 'markdown') return parseTemplate(text, 'markdown', fileName);
  if (extension === 'html' || extension === 'htm') return parseTemplate(text, 'html', fileName);
  throw new TemplateFileError(`${fileName}: a template is Markdown (.md) or HTML (.html)`);
}
