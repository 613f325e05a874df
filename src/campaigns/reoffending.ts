// Whether a campaign's recipients turn up again in other seized data: an account elsewhere with
// one of their e-mail addresses or phone numbers, or their username on the same platform (a
// later seizure of the same market). Each dataset is read once per growth: the check remembers
// how many sources it read, so asking again after nothing new was ingested reads nothing.
import type { Campaign, Recipient } from '../model/campaigns.ts';
import type { Viewer } from '../model/security.ts';
import type { ReoffenceFound, Store } from '../store/store.ts';
import { foldText } from '../extract/tokens.ts';
import { accountIdentifiers } from './identifiers.ts';
import type { CountryResolver } from './country.ts';

export type ReoffendingCheck = { datasetsRead: string[]; accountsRead: number; found: number };

const PAGE = 2000;
const EMAIL_HANDLE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE_HANDLE = /^\+?[\d\s().-]{8,20}$/;

export async function checkReoffending(options: { store: Store; campaign: Campaign; countries: CountryResolver; viewer?: Viewer }): Promise<ReoffendingCheck> {
  const { store, campaign } = options;
  const recipients = await store.recipients(campaign.name);
  const index = identifierIndex(recipients);
  const own = new Set(recipients.flatMap((r) => r.accounts.map((a) => a.id)));
  const scanned = await store.reoffenceScans(campaign.name);
  const sources = new Map<string, number>();
  for (const source of await store.sources()) sources.set(source.dataset, (sources.get(source.dataset) ?? 0) + 1);
  const read: { dataset: string; sources: number }[] = [];
  const found: ReoffenceFound[] = [];
  let accountsRead = 0;
  for (const [dataset, count] of [...sources].sort(([a], [b]) => a.localeCompare(b))) {
    if (dataset === campaign.dataset || scanned.get(dataset) === count) continue;
    let afterId = 0;
    for (;;) {
      const page = await store.siteAccounts({ dataset, afterId, limit: PAGE, events: false, viewer: options.viewer });
      for (const account of page) {
        if (own.has(account.id)) continue;
        const ids = accountIdentifiers(account);
        const emails = new Set(ids.emails);
        const phones = new Set(ids.phones);
        if (EMAIL_HANDLE.test(account.handle)) emails.add(account.handle.toLowerCase());
        else if (PHONE_HANDLE.test(account.handle)) phones.add(account.handle);
        const keys = [
          ...[...emails].map((e) => `email:${e}`),
          ...options.countries.countryEvidence({ emails: [], phones: [...phones], ibans: [], ips: [] }, { nationalPhoneCountries: campaign.criteria.countries }).phones.map((p) => `phone:${p}`),
          `handle:${account.platform}:${foldText(account.handle)}`,
        ];
        const matches = new Map<number, string>();
        for (const key of keys) for (const recipient of index.get(key) ?? []) if (!matches.has(recipient)) matches.set(recipient, key.startsWith('handle:') ? `handle:${account.handle}` : key);
        for (const [recipientId, matched] of matches) {
          found.push({
            recipientId, dataset, matched, account: { id: account.id, platform: account.platform, handle: account.handle },
            lastActive: account.lastActiveMs === undefined ? undefined : new Date(account.lastActiveMs).toISOString(),
          });
        }
      }
      accountsRead += page.length;
      if (page.length < PAGE) break;
      afterId = page[page.length - 1]!.id;
    }
    read.push({ dataset, sources: count });
  }
  const added = await store.saveReoffences(campaign.name, read, found);
  return { datasetsRead: read.map((r) => r.dataset), accountsRead, found: added };
}

/** Recipient ids by what identifies them: e-mail, E.164 phone, and platform-bound folded handle. */
function identifierIndex(recipients: readonly Recipient[]): Map<string, number[]> {
  const index = new Map<string, number[]>();
  const add = (key: string, id: number) => {
    const list = index.get(key);
    if (!list) index.set(key, [id]);
    else if (!list.includes(id)) list.push(id);
  };
  for (const r of recipients) {
    for (const email of r.emails) add(`email:${email}`, r.id);
    for (const phone of r.phones) add(`phone:${phone}`, r.id);
    for (const account of r.accounts) add(`handle:${account.platform}:${foldText(account.handle)}`, r.id);
  }
  return index;
}
