// Who a campaign addresses: the people behind a site dataset's accounts who are of the campaign's
// countries and did what the criteria ask. Accounts that share an e-mail address, a phone number
// or a confirmed Person are one person and get one letter.
//
// Two passes keep memory to what a person needs, whatever the dataset's size: the first reads
// every account with its events once for identifiers and country evidence only, and groups
// accounts into people; the second reads again, by id, only the accounts of people whose
// evidence points at a campaign country, for their activity.
import type { CampaignCriteria, CampaignPerson, CountryEvidence, RecipientAccount } from '../model/campaigns.ts';
import type { Viewer } from '../model/security.ts';
import type { SiteAccount, Store } from '../store/store.ts';
import { accountIdentifiers } from './identifiers.ts';
import { activityOf, mergeActivity } from './activity.ts';
import { rankCountries, type CountryResolver } from './country.ts';

export type SelectionReport = {
  people: CampaignPerson[];
  accounts: number;
  /** People (after merging accounts) in the dataset. */
  peopleConsidered: number;
  /** People with enough evidence for a campaign country. */
  ofCountry: number;
  /** How many people of the countries each other criterion left out (the first that failed). */
  excluded: Record<string, number>;
};

export type SelectOptions = {
  store: Store;
  criteria: CampaignCriteria;
  countries: CountryResolver;
  viewer?: Viewer;
  pageSize?: number;
  onProgress?(accounts: number): void;
};

const PAGE = 1000;

export async function selectRecipients(options: SelectOptions): Promise<SelectionReport> {
  const { store, criteria } = options;
  const countries = criteria.countries.map((c) => c.toUpperCase());
  const minEvidence = criteria.minEvidence ?? 1;
  const groups = new PeopleGroups();
  const evidenceOf = new Map<number, CountryEvidence[]>();
  let accounts = 0;
  for await (const page of pages(store, { dataset: criteria.dataset, events: true, viewer: options.viewer, pageSize: options.pageSize })) {
    for (const account of page) {
      const ids = accountIdentifiers(account);
      const resolved = options.countries.countryEvidence(ids, { nationalPhoneCountries: countries });
      groups.add(account.id, [...ids.emails.map((e) => `email:${e}`), ...resolved.phones.map((p) => `phone:${p}`), ...(account.personId === undefined ? [] : [`person:${account.personId}`])]);
      if (resolved.evidence.length > 0) evidenceOf.set(account.id, resolved.evidence);
    }
    accounts += page.length;
    options.onProgress?.(accounts);
  }
  const people = groups.people();
  const wanted = people.filter((members) => countryEvidenceCount(members.flatMap((id) => evidenceOf.get(id) ?? []), countries) >= minEvidence);
  const excluded: Record<string, number> = {};
  const selected: CampaignPerson[] = [];
  for (let i = 0; i < wanted.length; i += 50) {
    const batch = wanted.slice(i, i + 50);
    const ids = batch.flat();
    const read = new Map<number, SiteAccount>();
    for await (const page of pages(store, { dataset: criteria.dataset, events: true, viewer: options.viewer, ids })) for (const a of page) read.set(a.id, a);
    for (const members of batch) {
      const person = personOf(members.map((id) => read.get(id)).filter((a): a is SiteAccount => a !== undefined), criteria, options.countries, countries);
      const failed = failedCriterion(person, criteria);
      if (failed) excluded[failed] = (excluded[failed] ?? 0) + 1;
      else selected.push(person);
    }
  }
  return { people: selected.sort(byFirstAccount), accounts, peopleConsidered: people.length, ofCountry: wanted.length, excluded };
}

async function* pages(store: Store, query: { dataset: string; events: boolean; viewer?: Viewer; ids?: number[]; pageSize?: number }): AsyncGenerator<SiteAccount[]> {
  let afterId = 0;
  const limit = query.pageSize ?? PAGE;
  for (;;) {
    const page = await store.siteAccounts({ dataset: query.dataset, afterId, limit, events: query.events, viewer: query.viewer, ids: query.ids });
    if (page.length === 0) return;
    yield page;
    afterId = page[page.length - 1]!.id;
    if (page.length < limit) return;
  }
}

function personOf(accounts: readonly SiteAccount[], criteria: CampaignCriteria, resolver: CountryResolver, countries: readonly string[]): CampaignPerson {
  const emails = new Set<string>();
  const phones = new Set<string>();
  const addresses = new Set<string>();
  const ibans = new Set<string>();
  const ips = new Set<string>();
  const evidence = new Map<string, CountryEvidence>();
  let activity;
  let name: string | undefined;
  for (const account of accounts) {
    const ids = accountIdentifiers(account);
    const resolved = resolver.countryEvidence(ids, { nationalPhoneCountries: countries });
    for (const e of ids.emails) emails.add(e);
    for (const p of resolved.phones) phones.add(p);
    for (const a of ids.addresses) addresses.add(a);
    for (const i of resolved.ibans) ibans.add(i);
    for (const ip of ids.ips) ips.add(ip);
    for (const e of resolved.evidence) evidence.set(`${e.kind}:${e.value}:${e.country}`, e);
    name ??= account.name;
    const own = activityOf(account.events, ids.registered, criteria);
    activity = activity === undefined ? own : mergeActivity(activity, own);
  }
  const found = [...evidence.values()].sort((a, b) => a.kind.localeCompare(b.kind) || a.value.localeCompare(b.value));
  return {
    name,
    accounts: accounts.map((a): RecipientAccount => ({ id: a.id, platform: a.platform, handle: a.handle })),
    emails: [...emails].sort(), phones: [...phones].sort(), addresses: [...addresses].sort(), ibans: [...ibans].sort(), ips: [...ips].sort(),
    countries: rankCountries(found),
    evidence: found,
    activity: activity ?? activityOf([], undefined),
  };
}

function countryEvidenceCount(evidence: readonly CountryEvidence[], countries: readonly string[]): number {
  const best = countries.map((country) => new Set(evidence.filter((e) => e.country === country).map((e) => `${e.kind}:${e.value}`)).size);
  return Math.max(0, ...best);
}

/** The first criterion a person fails, named as the option that asks it; undefined when they pass all. */
export function failedCriterion(person: CampaignPerson, criteria: CampaignCriteria): string | undefined {
  const a = person.activity;
  if (criteria.paid && a.payments === 0) return 'paid';
  if (criteria.minPayments !== undefined && a.payments < criteria.minPayments) return 'min-payments';
  if (criteria.minSearches !== undefined && a.searches < criteria.minSearches) return 'min-searches';
  if (criteria.minEvents !== undefined && a.events < criteria.minEvents) return 'min-events';
  if (criteria.from !== undefined || criteria.to !== undefined) {
    // active in the period: some activity inside it, judged on first and last activity (or registration)
    const first = a.firstActive ?? a.registered;
    const last = a.lastActive ?? a.registered;
    if (first === undefined || last === undefined) return 'period';
    if (criteria.from !== undefined && last < criteria.from) return 'period';
    if (criteria.to !== undefined && first >= criteria.to) return 'period';
  }
  return undefined;
}

function byFirstAccount(a: CampaignPerson, b: CampaignPerson): number {
  return a.accounts[0]!.id - b.accounts[0]!.id;
}

/** Union-find over account ids, joined through shared keys (email:…, phone:…, person:…). */
class PeopleGroups {
  private readonly parent = new Map<number, number>();
  private readonly owner = new Map<string, number>();

  add(id: number, keys: readonly string[]): void {
    if (!this.parent.has(id)) this.parent.set(id, id);
    for (const key of keys) {
      const other = this.owner.get(key);
      if (other === undefined) this.owner.set(key, id);
      else this.union(id, other);
    }
  }

  /** Groups of account ids, each sorted, ordered by their first id. */
  people(): number[][] {
    const groups = new Map<number, number[]>();
    for (const id of [...this.parent.keys()].sort((a, b) => a - b)) {
      const root = this.find(id);
      const group = groups.get(root);
      if (group) group.push(id);
      else groups.set(root, [id]);
    }
    return [...groups.values()].sort((a, b) => a[0]! - b[0]!);
  }

  private find(id: number): number {
    let root = id;
    while (this.parent.get(root) !== root) root = this.parent.get(root)!;
    // path compression: later finds of this chain take one step
    let node = id;
    while (node !== root) {
      const next = this.parent.get(node)!;
      this.parent.set(node, root);
      node = next;
    }
    return root;
  }

  private union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent.set(Math.max(ra, rb), Math.min(ra, rb));
  }
}
