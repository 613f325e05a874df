// A campaign from a selection: the recipients a dry run lists are exactly those stored, with the
// same references, because both number the same sorted selection.
import type { Campaign, CampaignCriteria, CampaignPerson, CampaignSettings } from '../model/campaigns.ts';
import { LODE_VERSION } from '../model/version.ts';
import type { Store } from '../store/store.ts';
import { campaignCode, formatReference } from './reference.ts';
import type { SelectionReport } from './select.ts';

export const SELECTION_TOOLRUN = { component: 'lode-campaign-select', version: LODE_VERSION } as const;

export type NumberedPerson = CampaignPerson & { reference: string };

/** A code no other campaign uses: the name's letters and digits, with a number added on a clash. */
export async function freeCampaignCode(store: Store, name: string): Promise<string> {
  const taken = new Set((await store.campaigns()).map((c) => c.code));
  const base = campaignCode(name);
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) {
    const code = `${base.slice(0, 10 - String(n).length)}${n}`;
    if (!taken.has(code)) return code;
  }
}

export function numberPeople(code: string, people: readonly CampaignPerson[]): NumberedPerson[] {
  return people.map((person, i) => ({ ...person, reference: formatReference(code, i + 1) }));
}

export type NewCampaignRequest = {
  name: string;
  title?: string;
  criteria: CampaignCriteria;
  language: string;
  settings: CampaignSettings;
  createdBy: string;
};

/** Stores the campaign; undefined when its name is taken. */
export async function storeCampaign(store: Store, request: NewCampaignRequest, selection: SelectionReport): Promise<{ campaign: Campaign; people: NumberedPerson[] } | undefined> {
  const code = await freeCampaignCode(store, request.name);
  const people = numberPeople(code, selection.people);
  const campaign = await store.createCampaign({ ...request, dataset: request.criteria.dataset, code, toolrun: SELECTION_TOOLRUN }, people);
  return campaign ? { campaign, people } : undefined;
}
