// Planted cases: planning threads that run over days or weeks between a few
// accounts, with shared entities (container, plate, IBAN, address) and, for
// threats to life, an arc from motive via preparation to confirmation.
// A plan holds only step skeletons; bodies are generated when a step is due.

import type { Rng } from './rng.ts';
import { pickCumulative } from './rng.ts';
import type { EntityCache } from './body.ts';
import type { Lang } from './entities.ts';
import type { Population } from './population.ts';
import { HOUR } from './schedule.ts';

export const CASE_KINDS = ['threat', 'coke', 'lab', 'money'] as const;
export type CaseKind = (typeof CASE_KINDS)[number];
export const INTENTS = ['kill', 'kidnap', 'torture', 'assault'] as const;
export type Intent = (typeof INTENTS)[number];
export const SECTORS = ['police', 'customs', 'port', 'municipality', 'registry'] as const;
export type Sector = (typeof SECTORS)[number];

/** Expected planted cases per 100k messages; threats give ~110 threat messages. */
export const CASES_PER_100K: Readonly<Record<CaseKind, number>> = { threat: 16, coke: 8, lab: 4, money: 6 };

export interface Step {
  at: number;
  speaker: number;
  to: number;
  rule: string;
  threat: boolean;
  leak: Sector | null;
  attach: boolean;
}

export interface CaseState {
  id: string;
  kind: CaseKind;
  intent: Intent | null;
  lang: Lang;
  members: number[];
  steps: Step[];
  vars: Record<string, string>;
  cache: EntityCache;
  placeHint: string;
  messageIds: string[];
  count: number;
  firstTs: string;
  lastTs: string;
}

export type TextExpander = (rule: string, lang: Lang) => string;

interface Beat {
  rule: string;
  threat?: boolean;
  leak?: Sector;
  attach?: boolean;
  lead?: boolean;
}

const PREP_RULES = ['thr.spot', 'thr.location', 'thr.weapon', 'thr.car', 'thr.photo', 'thr.time', 'thr.pay'];

function threatBeats(rng: Rng, intent: Intent): Beat[] {
  const beats: Beat[] = [{ rule: 'thr.motive', lead: true }];
  if (rng.chance(0.35)) beats.push(rng.chance(0.5) ? { rule: 'leak.municipality', leak: 'municipality' } : { rule: 'leak.police', leak: 'police' });
  beats.push({ rule: 'thr.' + intent, threat: true, lead: true });
  const preps = rng.shuffle([...PREP_RULES]).slice(0, rng.range(3, 6));
  for (const p of preps) beats.push({ rule: p, threat: true, attach: p === 'thr.photo' });
  if (rng.chance(0.55)) beats.push({ rule: 'thr.' + intent, threat: true, lead: true });
  beats.push({ rule: 'thr.confirm', threat: true, lead: true });
  if (rng.chance(0.2)) beats.push({ rule: 'thr.done' });
  return beats;
}

function cokeBeats(rng: Rng): Beat[] {
  const beats: Beat[] = [{ rule: 'case.coke.announce', lead: true }, { rule: 'case.coke.eta' }, { rule: 'case.coke.crew' }];
  if (rng.chance(0.5)) beats.push({ rule: 'biz.coke' });
  if (rng.chance(0.6)) beats.push(rng.chance(0.5) ? { rule: 'leak.customs', leak: 'customs' } : { rule: 'leak.port', leak: 'port' });
  beats.push({ rule: 'case.coke.eta' }, { rule: 'case.coke.pay', lead: true }, { rule: 'case.coke.pickup' });
  if (rng.chance(0.5)) beats.push({ rule: 'biz.meet' });
  beats.push({ rule: 'case.coke.done' });
  return beats;
}

function labBeats(rng: Rng): Beat[] {
  const beats: Beat[] = [{ rule: 'case.lab.chem', lead: true }, { rule: 'case.lab.place' }, { rule: 'case.lab.chem' }, { rule: 'case.lab.cook' }];
  if (rng.chance(0.5)) beats.push({ rule: 'biz.lab' });
  beats.push({ rule: 'case.lab.waste' }, { rule: 'case.lab.transport' }, { rule: 'case.lab.pay', lead: true });
  if (rng.chance(0.3)) beats.push({ rule: 'leak.registry', leak: 'registry' });
  return beats;
}

function moneyBeats(rng: Rng): Beat[] {
  const beats: Beat[] = [{ rule: 'case.money.cash', lead: true }, { rule: 'case.money.count' }, { rule: 'case.money.iban' }, { rule: 'case.money.crypto' }];
  if (rng.chance(0.6)) beats.push({ rule: 'case.money.front', lead: true });
  beats.push({ rule: 'case.money.cash' }, { rule: 'case.money.iban' }, { rule: 'case.money.count' });
  if (rng.chance(0.4)) beats.push({ rule: 'biz.money' });
  return beats;
}

const PORT_PLACES: Readonly<Record<Lang, readonly string[]>> = {
  nl: ['maasvlakte', 'waalhaven', 'botlek', 'haven antwerpen'],
  en: ['felixstowe', 'liverpool', 'dublin', 'haven antwerpen'],
  fr: ['marseille', 'le havre', 'haven antwerpen'],
};
const LAB_PLACES = ['moerdijk', 'eindhoven', 'tilburg', 'breda', 'wouwse plantage'];

export function planCase(
  rng: Rng, kind: CaseKind, id: string, start: number, periodEnd: number, pop: Population, expand: TextExpander,
): CaseState {
  // Prefer bigger crews: a plan needs a leader and at least one helper.
  let crewIdx = pickCumulative(pop.accountCum, rng);
  let crew = pop.crews[pop.accounts[crewIdx]?.crew ?? 0];
  for (let t = 0; t < 10 && (crew?.members.length ?? 0) < 3; t++) {
    crewIdx = pickCumulative(pop.accountCum, rng);
    crew = pop.crews[pop.accounts[crewIdx]?.crew ?? 0];
  }
  if (!crew) throw new Error('no crew');
  const lang = crew.lang;
  const members = rng.shuffle([...crew.members]).slice(0, Math.min(crew.members.length, rng.range(2, 4)));
  if (kind === 'coke' || kind === 'money') {
    const lead = pop.accounts[members[0] ?? 0];
    const outside = lead ? [...lead.contacts].filter((c) => pop.accounts[c]?.crew !== lead.crew) : [];
    if (outside.length > 0) members.push(rng.pick(outside));
  }
  const intent: Intent | null = kind === 'threat' ? rng.pick(['kill', 'kill', 'kill', 'kill', 'kidnap', 'kidnap', 'torture', 'assault', 'assault'] as const) : null;
  const beats = kind === 'threat' ? threatBeats(rng, intent ?? 'kill') : kind === 'coke' ? cokeBeats(rng) : kind === 'lab' ? labBeats(rng) : moneyBeats(rng);

  const vars: Record<string, string> = {
    day: expand('day', lang),
    time: rng.pick(['6:30', '7:45', '8 uur', '17:00', '19:00', '20:30', '21:15', '22:00', '23:30', '00:30', '2:00']),
    addr: expand('addr', lang),
    port: expand('port', lang),
    n: String(rng.pick([2, 3, 4, 5, 8, 10, 12, 20, 40, 50, 100, 250, 400, 500, 1000])),
    chem: expand('chem', lang),
  };
  if (kind === 'threat') {
    // Half the targets are another user's handle, as in real threat chats.
    const other = pop.accounts[rng.int(pop.accounts.length)];
    if (other && other.crew !== pop.accounts[members[0] ?? 0]?.crew && rng.chance(0.5)) vars['target'] = other.handle;
    else {
      const name = expand('name', lang);
      vars['target'] = rng.chance(0.5) ? name : lang === 'en' ? name + ' from ' + expand('hood', lang) : lang === 'fr' ? name + ' de ' + expand('hood', lang) : name + ' van ' + expand('hood', lang);
    }
  }
  const placeHint = kind === 'coke' ? rng.pick(PORT_PLACES[lang]) : kind === 'lab' ? rng.pick(LAB_PLACES) : crew.city;

  const spanDays = kind === 'threat' ? rng.range(2, 21) : kind === 'lab' ? rng.range(10, 45) : rng.range(5, 35);
  const end = Math.min(start + spanDays * 24 * HOUR, periodEnd - HOUR);
  const offsets = beats.map(() => rng.next()).sort((a, b) => a - b);
  offsets[0] = 0;
  const steps: Step[] = [];
  const leader = members[0] ?? 0;
  beats.forEach((beat, i) => {
    let at = start + Math.floor((offsets[i] ?? 0) * (end - start));
    const prev = steps[steps.length - 1];
    if (prev && at <= prev.at) at = prev.at + 1000;
    const speaker = beat.lead || members.length < 2 ? leader : rng.pick(members);
    let to = rng.pick(members);
    for (let t = 0; t < 5 && to === speaker; t++) to = rng.pick(members);
    if (to === speaker) {
      to = pop.accounts[speaker]?.contacts[0] ?? (speaker === 0 ? 1 : 0);
      if (!members.includes(to)) members.push(to);
    }
    steps.push({ at, speaker, to, rule: beat.rule, threat: beat.threat ?? false, leak: beat.leak ?? null, attach: beat.attach ?? false });
    // Replies follow within minutes: acknowledgements carry no label.
    const replies = rng.range(0, 2);
    let t = at;
    for (let r = 0; r < replies; r++) {
      t += rng.range(20, 600) * 1000;
      steps.push({ at: t, speaker: to, to: speaker, rule: kind === 'threat' ? 'thr.ack' : rng.chance(0.85) ? 'ack' : 'filler', threat: false, leak: null, attach: false });
    }
  });
  steps.sort((a, b) => a.at - b.at);
  return { id, kind, intent, lang, members, steps, vars, cache: {}, placeHint, messageIds: [], count: 0, firstTs: '', lastTs: '' };
}

export function caseTopic(c: CaseState): string {
  const target = c.vars['target'] ?? '';
  switch (c.kind) {
    case 'threat': return 'planned ' + (c.intent ?? 'kill') + ' of ' + target;
    case 'coke': return 'cocaine import via container ' + (c.cache.container ?? '?') + ' (' + (c.vars['port'] ?? '') + ')';
    case 'lab': return 'synthetic drug lab (' + (c.vars['chem'] ?? '') + ') near ' + c.placeHint;
    case 'money': return 'money laundering chain (cash, bank, crypto)';
  }
}
