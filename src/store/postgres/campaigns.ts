// Intervention campaigns in the PostgreSQL store (as the SQLite store's campaigns.ts).
import type { Campaign, CampaignPerson, CampaignSettings, CampaignSummary, Recipient, RecipientHistoryEntry, RecipientStatus } from '../../model/campaigns.ts';
import type { NewCampaign, RecipientChange, ReoffenceFound, SiteAccount, SiteAccountQuery } from '../store.ts';
import type { PostgresStore } from './pg-store.ts';

const TODO = (what: string): never => {
  throw new Error(`the PostgreSQL store's ${what} is not written yet`);
};
type S = PostgresStore;

export async function siteAccounts(s: S, query: SiteAccountQuery): Promise<SiteAccount[]> { return TODO(`siteAccounts ${s}${query}`); }
export async function createCampaign(s: S, campaign: NewCampaign, people: readonly (CampaignPerson & { reference: string })[]): Promise<Campaign | undefined> { return TODO(`createCampaign ${s}${campaign}${people}`); }
export async function campaigns(s: S, datasets?: readonly string[]): Promise<CampaignSummary[]> { return TODO(`campaigns ${s}${datasets}`); }
export async function findCampaign(s: S, name: string): Promise<Campaign | undefined> { return TODO(`findCampaign ${s}${name}`); }
export async function configureCampaign(s: S, name: string, change: { title?: string; language?: string; settings: CampaignSettings }): Promise<Campaign | undefined> { return TODO(`configureCampaign ${s}${name}${change}`); }
export async function recipients(s: S, campaign: string, query?: { status?: RecipientStatus; reference?: string }): Promise<Recipient[]> { return TODO(`recipients ${s}${campaign}${query}`); }
export async function updateRecipient(s: S, campaign: string, reference: string, change: RecipientChange, actor: string): Promise<Recipient | undefined> { return TODO(`updateRecipient ${s}${campaign}${reference}${change}${actor}`); }
export async function recipientHistory(s: S, campaign: string, reference: string): Promise<RecipientHistoryEntry[]> { return TODO(`recipientHistory ${s}${campaign}${reference}`); }
export async function recipientByMessageId(s: S, messageId: string): Promise<{ campaign: string; reference: string } | undefined> { return TODO(`recipientByMessageId ${s}${messageId}`); }
export async function reoffenceScans(s: S, campaign: string): Promise<Map<string, number>> { return TODO(`reoffenceScans ${s}${campaign}`); }
export async function saveReoffences(s: S, campaign: string, scanned: readonly { dataset: string; sources: number }[], found: readonly ReoffenceFound[]): Promise<number> { return TODO(`saveReoffences ${s}${campaign}${scanned}${found}`); }
