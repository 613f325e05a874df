// How campaigns and recipients are shown (lode campaign --json, the API, the workbench's board):
// one shape for all three, the reference as the recipient's id.
import type { Campaign, CampaignSummary, Recipient, RecipientStatus, StoredTemplate } from '../model/campaigns.ts';
import { RECIPIENT_STATUSES } from '../model/campaigns.ts';
import { parseTemplate, shippedTemplate, type LetterLanguage, type ParsedTemplate } from './template.ts';

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

/** A template an officer wrote as a file: Markdown (.md) or HTML (.html), by its name; checked now. */
export function templateFromFile(text: string, fileName: string): StoredTemplate {
  const extension = /\.([a-z]+)$/i.exec(fileName)?.[1]?.toLowerCase();
  const format = extension === 'md' || extension === 'markdown' ? 'markdown' : extension === 'html' || extension === 'htm' ? 'html' : undefined;
  if (format === undefined) throw new TemplateFileError(`${fileName}: a template is Markdown (.md) or HTML (.html)`);
  const stored = { name: fileName, format, text } as const;
  parseTemplate(text, format, fileName);
  return stored;
}

/**
 * The template a run uses: the one given for this run, else the campaign's own, else the one
 * shipped for the language. `name` says which, for the audit and the letters' record.
 */
export function chooseTemplate(campaign: Campaign, kind: 'letter' | 'email', language: LetterLanguage, given?: StoredTemplate): { template: ParsedTemplate; name: string } {
  const own = given ?? (kind === 'letter' ? campaign.settings.letterTemplate : campaign.settings.emailTemplate);
  if (own) return { template: parseTemplate(own.text, own.format, own.name), name: own.name };
  return { template: shippedTemplate(kind, language), name: `shipped:${kind}.${language}.md` };
}
