// Accounts, crews, brokers, contacts, groups and devices. This is the only
// state that grows with N (one account per ~350 messages), so it is kept in
// compact arrays; messages themselves are never held.

import { Rng, cumulativeOf } from './rng.ts';
import { DEVICE_MODELS, makeImei } from './entities.ts';
import type { IbanValue, Lang, Mention, PhoneValue } from './entities.ts';
import { canonicalName, groupName, makeHandle, makeRealName, nicknameAlias, realNameAlias } from './handles.ts';
import type { RealName } from './handles.ts';

export interface Device {
  imei: string;
  model: string;
  since?: number;
}

export interface OwnValues {
  phone?: PhoneValue;
  iban?: IbanValue;
  btc?: Mention;
  eth?: Mention;
  xmr?: Mention;
}

export interface Account {
  idx: number;
  handle: string;
  lang: Lang;
  crew: number;
  broker: boolean;
  weight: number;
  devices: Device[];
  contacts: Int32Array;
  contactCum: Float64Array;
  groups: number[];
  realName: RealName | null;
  own: OwnValues;
}

export type Specialty = 'coke' | 'weed' | 'lab' | 'money' | 'weapons' | 'mixed';

export interface Crew {
  id: string;
  members: number[];
  lang: Lang;
  city: string;
  specialty: Specialty;
  linked: number[];
}

export interface Group {
  id: string;
  name: string;
  members: number[];
  lang: Lang;
  /** Recipient list per sender position, precomputed so messages can share it. */
  recipients: string[][];
}

export interface Contact {
  owner: number;
  target: number;
  alias: string;
}

export interface Population {
  accounts: Account[];
  crews: Crew[];
  groups: Group[];
  accountCum: Float64Array;
  aliases: { handle: string; alias: string; owners: number }[];
  /** Contact aliases in owner order, streamed out once then dropped. */
  contactList: Contact[];
}

const CITIES: Readonly<Record<Lang, readonly string[]>> = {
  nl: ['rotterdam', 'amsterdam', 'amsterdam', 'rotterdam', 'utrecht', 'eindhoven', 'tilburg', 'breda', 'den haag', 'almere', 'antwerpen', 'antwerpen'],
  en: ['liverpool', 'liverpool', 'dublin', 'dublin', 'london', 'manchester', 'birmingham', 'marbella'],
  fr: ['marseille', 'marseille', 'marseille', 'paris', 'paris', 'lyon', 'nice', 'bruxelles'],
};

const SPECIALTIES: readonly Specialty[] = ['coke', 'coke', 'coke', 'weed', 'weed', 'lab', 'money', 'money', 'weapons', 'mixed', 'mixed', 'mixed'];

function crewLang(rng: Rng): Lang {
  const r = rng.next();
  return r < 0.66 ? 'nl' : r < 0.83 ? 'en' : 'fr';
}

export function accountCountFor(messages: number): number {
  return Math.max(40, Math.ceil(messages / 350));
}

export function buildPopulation(rng: Rng, messages: number, periodStart: number, periodEnd: number): Population {
  const total = accountCountFor(messages);
  const crews: Crew[] = [];
  const accounts: Account[] = [];
  const taken = new Set<string>();
  let assigned = 0;
  while (assigned < total) {
    // Crews of 3-15, most 4-8: small cells with a few large organisations.
    let size = Math.min(15, 3 + Math.floor(rng.geometric(3.2)));
    if (total - assigned - size < 3) size = total - assigned;
    const lang = crewLang(rng);
    const crew: Crew = { id: 'k-' + (crews.length + 1), members: [], lang, city: rng.pick(CITIES[lang]), specialty: rng.pick(SPECIALTIES), linked: [] };
    for (let i = 0; i < size; i++) {
      const idx = accounts.length;
      crew.members.push(idx);
      accounts.push({
        idx, handle: makeHandle(rng, taken), lang, crew: crews.length, broker: false, weight: 1, devices: [],
        contacts: new Int32Array(0), contactCum: new Float64Array(0), groups: [], realName: null, own: {},
      });
    }
    crews.push(crew);
    assigned += size;
  }

  // Zipf-like activity over a random ranking, so heavy users are spread over crews.
  const ranks = rng.shuffle(accounts.map((_, i) => i));
  ranks.forEach((acc, rank) => {
    const a = accounts[acc];
    if (a) a.weight = 1 / Math.pow(rank + 1, 0.9) + 0.0005;
  });

  for (const a of accounts) {
    const model = rng.pick(DEVICE_MODELS);
    a.devices.push({ imei: makeImei(rng, rng.pick(model.tacs)), model: model.model });
    // Some users replace or reflash their phone during the window but keep the handle.
    if (rng.chance(0.08)) {
      const m2 = rng.pick(DEVICE_MODELS);
      a.devices.push({ imei: makeImei(rng, rng.pick(m2.tacs)), model: m2.model, since: periodStart + Math.floor(rng.next() * (periodEnd - periodStart) * 0.9) });
    }
  }

  const contactSets: Set<number>[] = accounts.map(() => new Set<number>());
  const link = (a: number, b: number, symmetric: number): void => {
    if (a === b) return;
    contactSets[a]?.add(b);
    if (rng.chance(symmetric)) contactSets[b]?.add(a);
  };
  for (const crew of crews) for (const m of crew.members) for (const o of crew.members) link(m, o, 1);

  // Brokers sit in one crew but deal with members of 2-4 others.
  for (const a of accounts) {
    if (!rng.chance(0.045)) continue;
    a.broker = true;
    const own = crews[a.crew];
    const n = rng.range(2, 4);
    for (let i = 0; i < n; i++) {
      let c = rng.int(crews.length);
      if (rng.chance(0.6)) {
        for (let t = 0; t < 8 && crews[c]?.lang !== a.lang; t++) c = rng.int(crews.length);
      }
      const other = crews[c];
      if (!other || c === a.crew) continue;
      own?.linked.push(c);
      const k = Math.min(other.members.length, rng.range(2, 5));
      for (let j = 0; j < k; j++) link(a.idx, rng.pick(other.members), 0.9);
    }
  }
  for (const a of accounts) {
    const extra = rng.range(0, 4);
    for (let i = 0; i < extra; i++) link(a.idx, rng.int(accounts.length), 0.5);
  }

  for (const a of accounts) {
    const list = [...(contactSets[a.idx] ?? [])];
    a.contacts = Int32Array.from(list);
    a.contactCum = cumulativeOf(list.map((c) => {
      const other = accounts[c];
      if (!other) return 0;
      return other.weight * (other.crew === a.crew ? 3 : 1) + 0.002;
    }));
  }

  // Planted aliases: handles several owners independently saved under a real name.
  const inDegree = new Int32Array(accounts.length);
  for (const a of accounts) for (const c of a.contacts) inDegree[c] = (inDegree[c] ?? 0) + 1;
  const planted = new Set<number>();
  for (const a of accounts) {
    if ((inDegree[a.idx] ?? 0) >= 3 && rng.chance(0.3)) {
      a.realName = makeRealName(rng, a.lang);
      planted.add(a.idx);
    }
  }
  const realOwners = new Int32Array(accounts.length);
  const contactList: Contact[] = [];
  for (const owner of accounts) {
    for (const t of owner.contacts) {
      const target = accounts[t];
      if (!target) continue;
      let alias: string;
      // The first two owners always use the real name so each planted handle
      // has at least two independent confirmations.
      if (target.realName && ((realOwners[t] ?? 0) < 2 || rng.chance(0.55))) {
        alias = realNameAlias(rng, target.realName);
        realOwners[t] = (realOwners[t] ?? 0) + 1;
      } else alias = nicknameAlias(rng, owner.lang, target.handle);
      contactList.push({ owner: owner.idx, target: t, alias });
    }
  }
  const aliases: { handle: string; alias: string; owners: number }[] = [];
  for (const idx of planted) {
    const a = accounts[idx];
    if (a?.realName) aliases.push({ handle: a.handle, alias: canonicalName(a.realName), owners: realOwners[idx] ?? 0 });
  }

  const groups: Group[] = [];
  const addGroup = (members: number[], lang: Lang, city: string): void => {
    if (members.length < 3) return;
    const handles = members.map((m) => accounts[m]?.handle ?? '');
    const g: Group = {
      id: 'g-' + (groups.length + 1), name: groupName(rng, lang, city), members, lang,
      recipients: handles.map((_, i) => handles.filter((__, j) => j !== i)),
    };
    for (const m of members) accounts[m]?.groups.push(groups.length);
    groups.push(g);
  };
  for (const crew of crews) {
    if (crew.members.length >= 3 && rng.chance(0.7)) addGroup([...crew.members], crew.lang, crew.city);
    if (crew.members.length >= 7 && rng.chance(0.4)) addGroup(rng.shuffle([...crew.members]).slice(0, rng.range(3, 5)), crew.lang, crew.city);
  }
  for (const a of accounts) {
    if (!a.broker || !rng.chance(0.35)) continue;
    const members = [a.idx, ...[...a.contacts].filter((c) => accounts[c]?.crew !== a.crew).slice(0, rng.range(2, 6))];
    const crew = crews[a.crew];
    if (crew) addGroup(members, a.lang, crew.city);
  }

  return { accounts, crews, groups, accountCum: cumulativeOf(accounts.map((a) => a.weight)), aliases, contactList };
}
