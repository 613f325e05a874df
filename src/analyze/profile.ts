// The account profile: everything Lode knows about one handle, gathered through the Store.
import type { AccountProfile, AccountRef } from '../model/attribution.ts';
import type { Viewer } from '../model/security.ts';
import type { Store } from '../store/store.ts';
import { groupAliases, nameHypotheses } from './aliases.ts';

export type ProfileRequest = { handle: string; dataset?: string; platform?: string; contacts?: number };

/** The profile, or the accounts the handle could mean when it is ambiguous, or nothing. */
export type ProfileAnswer =
  | { kind: 'profile'; profile: AccountProfile & { realName?: { name: string; support: number; writings: string[] } } }
  | { kind: 'ambiguous'; candidates: AccountRef[] }
  | { kind: 'unknown' };

/** `viewer`: who reads (absent: the local operator); counts, contacts and entities leave out what they may not see. */
export async function accountProfile(store: Store, request: ProfileRequest, viewer?: Viewer): Promise<ProfileAnswer> {
  const matches = await store.findAccounts(request.handle, request.dataset, request.platform, viewer);
  if (matches.length === 0) return { kind: 'unknown' };
  if (matches.length > 1) return { kind: 'ambiguous', candidates: matches.map(({ dataset, platform, handle }) => ({ dataset, platform, handle })) };
  const account = matches[0]!;
  const facts = await store.accountFacts(account.id, request.contacts ?? 10, viewer);
  const best = nameHypotheses(facts.savedAliases)[0];
  return {
    kind: 'profile',
    profile: {
      dataset: account.dataset,
      platform: account.platform,
      handle: account.handle,
      name: account.name,
      ...(best && best.support >= 2 ? { realName: { name: best.name, support: best.support, writings: best.writings } } : {}),
      aliases: groupAliases(facts.savedAliases),
      entities: facts.entities,
      devices: facts.devices,
      firstSeen: facts.firstSeen,
      lastSeen: facts.lastSeen,
      sent: facts.sent,
      received: facts.received,
      contacts: facts.contacts,
      activity: facts.activity,
      person: await store.personOf(account.id),
      links: (await store.links({ account: account.id, limit: 50, offset: 0 })).links,
    },
  };
}
