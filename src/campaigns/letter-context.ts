// What a letter or e-mail says about one recipient, from the campaign and the person as selected.
import type { Campaign, Recipient } from '../model/campaigns.ts';
import { shippedLegalText, type LetterContext, type LetterLanguage } from './template.ts';

export class CampaignSettingsError extends Error {}

export const LANGUAGES: readonly LetterLanguage[] = ['nl', 'en'];

export function isLanguage(value: string): value is LetterLanguage {
  return (LANGUAGES as readonly string[]).includes(value);
}

export function letterContext(campaign: Campaign, recipient: Recipient, language: LetterLanguage, date: string): LetterContext {
  const sender = campaign.settings.sender;
  if (!sender) {
    throw new CampaignSettingsError(`campaign ${campaign.name} has no sender yet: letters and e-mails need the letterhead (lode campaign configure ${campaign.name} --sender FILE)`);
  }
  return {
    language,
    reference: recipient.reference,
    date,
    site: campaign.settings.site ?? recipient.accounts[0]?.platform ?? campaign.dataset,
    campaign: campaign.title ?? campaign.name,
    person: {
      name: recipient.name,
      usernames: [...new Set(recipient.accounts.map((a) => a.handle))],
      emails: recipient.emails,
      address: recipient.addresses[0],
    },
    activity: recipient.activity,
    legalText: campaign.settings.legalText ?? shippedLegalText(language),
    sender,
  };
}
