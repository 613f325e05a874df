// `lode generate`: a seeded, streaming, EncroChat-like corpus in lode-jsonl v1
// with planted ground truth. Conversations are simulated as sessions merged
// through a min-heap by time, so output is time-ordered while only open
// conversations and per-account state are in memory.

import { createHash } from 'node:crypto';
import { BodyBuilder, TextSink } from './body.ts';
import { CASE_KINDS, CASES_PER_100K, caseTopic, planCase } from './cases.ts';
import type { CaseKind, CaseState, Sector } from './cases.ts';
import { ENTITY_TYPES } from './entities.ts';
import type { EntityType, Lang } from './entities.ts';
import { compileRules, expandRule } from './grammar.ts';
import type { Compiled, ExpandEnv } from './grammar.ts';
import { EN_RULES } from './lexicon-en.ts';
import { FR_RULES } from './lexicon-fr.ts';
import { NL_RULES } from './lexicon-nl.ts';
import { SHARED_RULES } from './lexicon-shared.ts';
import type { NoiseStyle } from './noise.ts';
import { buildPopulation } from './population.ts';
import type { Account, Group, Population } from './population.ts';
import { Rng, cumulativeOf, pickCumulative } from './rng.ts';
import { DAY, HOUR, MinHeap, TimeFormatter, hourQuotas, isShutdownPhase } from './schedule.ts';

export interface CorpusOptions {
  messages: number;
  seed: number;
  /** ISO start of the period; default 2020-03-01T00:00:00Z (EncroChat intercept window). */
  start?: string;
  /** Length of the period in days; default 105 (through 2020-06-13). */
  days?: number;
}

export interface CorpusItem {
  record?: Record<string, unknown>;
  truth?: Record<string, unknown>;
}

export const PLATFORM = 'encrochat';
export const DEFAULT_START = '2020-03-01T00:00:00Z';
export const DEFAULT_DAYS = 105;

export const LANGS: readonly Lang[] = ['nl', 'en', 'fr'];
export const GRAMMARS: Readonly<Record<Lang, Compiled>> = {
  nl: compileRules(NL_RULES),
  en: compileRules(EN_RULES),
  fr: compileRules(FR_RULES),
};
export const SHARED_GRAMMAR: Compiled = compileRules(SHARED_RULES);

/** Per-message probabilities of planted material outside case threads. */
export const RATES = {
  entitySentence: 0.045,
  entityDecoy: 0.014,
  threatDecoy: 0.0024,
  leak: 0.0004,
  attachment: 0.012,
  note: 0.004,
  codeSwitch: 0.04,
  longMessage: 0.12,
  emoji: 0.12,
} as const;

interface Weighted<T> {
  items: readonly T[];
  cum: Float64Array;
}

function weighted<T>(pairs: readonly (readonly [T, number])[]): Weighted<T> {
  return { items: pairs.map((p) => p[0]), cum: cumulativeOf(pairs.map((p) => p[1])) };
}

function draw<T>(w: Weighted<T>, rng: Rng): T {
  return w.items[pickCumulative(w.cum, rng)] as T;
}

const ENTITY_SENTENCES = weighted<EntityType>([
  ['phone', 24], ['amount', 20], ['plate', 10], ['iban', 9], ['coordinates', 6], ['url', 6], ['email', 4], ['btc', 4], ['imei', 3],
  ['container', 2.5], ['ipv4', 2], ['eth', 2], ['bic', 1.5], ['ipv6', 1], ['xmr', 1],
]);
const DECOY_SENTENCES = weighted<string>([
  ['order', 14], ['shortphone', 6], ['parcel', 6], ['iban', 8], ['imei', 5], ['btc', 5], ['bech32', 3], ['container', 4], ['date', 14],
  ['score', 14], ['pizza', 10], ['stenen', 8], ['version', 4], ['eth', 3],
]);
export const THREAT_DECOY_WHY: Readonly<Record<string, string>> = {
  food: 'food hyperbole ("die pizza klappen")',
  laugh: 'laughing idiom ("dood van het lachen")',
  group: 'removing someone from a chat group',
  hurry: 'hurry up ("schiet op")',
  game: 'video game violence',
  film: 'film or series',
  sport: 'sport result hyperbole',
  tired: 'tiredness idiom ("dead tired")',
  pickup: 'everyday pick-up ("ophalen")',
  family: 'idiom / hyperbole ("killing it", "mum will murder me")',
};
const THREAT_DECOYS = weighted<string>(Object.keys(THREAT_DECOY_WHY).map((k) => [k, 1] as const));
const LEAKS = weighted<Sector>([['police', 40], ['customs', 15], ['port', 20], ['municipality', 12], ['registry', 13]]);
const CHAT_TOPICS = weighted<string>([
  ['chat.food', 10], ['chat.football', 9], ['chat.family', 10], ['chat.cars', 7], ['chat.gym', 4], ['chat.weather', 4], ['chat.plans', 14],
  ['chat.media', 6], ['chat.girls', 5], ['chat.holiday', 3], ['chat.covid', 6], ['chat.clothes', 3], ['chat.health', 3], ['chat.phone', 5],
]);
const BIZ_BY_SPECIALTY: Readonly<Record<string, Weighted<string>>> = {
  coke: weighted([['biz.coke', 6], ['biz.meet', 3], ['biz.money', 2], ['biz.crypto', 1], ['biz.weapons', 0.5]]),
  weed: weighted([['biz.weed', 6], ['biz.meet', 3], ['biz.money', 2], ['biz.coke', 0.5]]),
  lab: weighted([['biz.lab', 6], ['biz.meet', 2], ['biz.money', 2], ['biz.crypto', 1]]),
  money: weighted([['biz.money', 6], ['biz.crypto', 3], ['biz.meet', 2], ['biz.coke', 1]]),
  weapons: weighted([['biz.weapons', 4], ['biz.meet', 3], ['biz.money', 2], ['biz.coke', 2]]),
  mixed: weighted([['biz.coke', 3], ['biz.weed', 2], ['biz.money', 2], ['biz.meet', 3], ['biz.crypto', 1], ['biz.lab', 1], ['biz.weapons', 1]]),
};
const NOTE_RULES = weighted<string>([['note.todo', 4], ['note.debt', 3], ['note.contact', 3], ['note.address', 2]]);
const SEPARATORS = [' ', ' ', ', ', '. ', '\n', ' - ', '  ', '! '];

interface Session {
  next: number;
  seq: number;
  remaining: number;
  members: number[];
  group: Group | null;
  lang: Lang;
  topic: string;
  last: number;
  pos: number;
  kase: CaseState | null;
  step: number;
}

function styleFor(rng: Rng): NoiseStyle {
  // Writing habits differ per person (and give authorship analysis something to find).
  return { typo: 0.01 + rng.next() * 0.12, capitalise: rng.next() * 0.8, stretch: rng.next() * 0.25, shout: rng.chance(0.05) ? 0.04 : 0.003 };
}

function gap(rng: Rng): number {
  const r = rng.next();
  if (r < 0.7) return rng.range(3, 90) * 1000;
  if (r < 0.95) return rng.range(90, 900) * 1000;
  return rng.range(900, 7200) * 1000;
}

function sessionLength(rng: Rng, group: boolean): number {
  const n = rng.geometric(group ? 9 : 6);
  return Math.min(n, 120);
}

function attachmentFor(rng: Rng, seed: number, id: string, ts: number, photo: boolean): Record<string, string> {
  const d = new Date(ts);
  const ymd = d.getUTCFullYear() + String(d.getUTCMonth() + 1).padStart(2, '0') + String(d.getUTCDate()).padStart(2, '0');
  const r = photo ? 0 : rng.next();
  let name: string;
  let mime: string;
  if (r < 0.55) { name = 'IMG_' + rng.digits(4) + '.jpg'; mime = 'image/jpeg'; }
  else if (r < 0.7) { name = 'IMG-' + ymd + '-WA' + rng.digits(4) + '.jpg'; mime = 'image/jpeg'; }
  else if (r < 0.85) { name = 'PTT-' + ymd + '-WA' + rng.digits(4) + '.opus'; mime = 'audio/ogg'; }
  else if (r < 0.95) { name = 'VID_' + ymd + '_' + rng.digits(6) + '.mp4'; mime = 'video/mp4'; }
  else { name = 'scan_' + rng.digits(3) + '.pdf'; mime = 'application/pdf'; }
  // The hash stands in for content we never generate; it is stable per seed and message.
  const sha256 = createHash('sha256').update(seed + ':' + id + ':' + name).digest('hex');
  return { name, mime, sha256 };
}

function deviceAt(a: Account, ms: number): string {
  let imei = a.devices[0]?.imei ?? '';
  for (const d of a.devices) if (d.since === undefined || d.since <= ms) imei = d.imei;
  return imei;
}

function increment(map: Record<string, number>, key: string, by = 1): void {
  map[key] = (map[key] ?? 0) + by;
}

export function* generateCorpus(options: CorpusOptions): Generator<CorpusItem> {
  const total = Math.floor(options.messages);
  if (!Number.isFinite(total) || total < 0) throw new RangeError('messages must be a non-negative number');
  const seed = options.seed >>> 0;
  const start = Date.parse(options.start ?? DEFAULT_START);
  if (Number.isNaN(start)) throw new RangeError('start must be an ISO date');
  const days = Math.max(1, Math.floor(options.days ?? DEFAULT_DAYS));
  const periodEnd = start + days * DAY;
  const fmt = new TimeFormatter();

  const setupRng = new Rng(seed, 1);
  const rng = new Rng(seed, 2);
  const pop: Population = buildPopulation(setupRng, total, start, periodEnd);
  const styles = pop.accounts.map(() => styleFor(setupRng));

  const counts = {
    entity: {} as Record<string, number>,
    decoy_entity: {} as Record<string, number>,
    threat: {} as Record<string, number>,
    threat_decoy: 0,
    leak: {} as Record<string, number>,
    case: {} as Record<string, number>,
    langs: {} as Record<string, number>,
    attachments: 0,
  };

  // ---------------------------------------------------------- static records
  for (const a of pop.accounts) {
    const current = a.devices[a.devices.length - 1] ?? a.devices[0];
    const record: Record<string, unknown> = { kind: 'account', platform: PLATFORM, handle: a.handle, device: { imei: current?.imei, model: current?.model } };
    if (a.devices.length > 1) {
      record['devices'] = a.devices.map((d) => (d.since === undefined ? { imei: d.imei, model: d.model } : { imei: d.imei, model: d.model, since: fmt.format(d.since) }));
    }
    yield { record };
  }
  const contactCount = pop.contactList.length;
  for (const c of pop.contactList) {
    yield { record: { kind: 'contact', platform: PLATFORM, owner: pop.accounts[c.owner]?.handle, handle: pop.accounts[c.target]?.handle, alias: c.alias } };
  }
  pop.contactList = [];
  for (const g of pop.groups) {
    yield { record: { kind: 'group', platform: PLATFORM, id: g.id, name: g.name, members: g.members.map((m) => pop.accounts[m]?.handle) } };
  }
  for (const al of pop.aliases) yield { truth: { kind: 'alias', handle: al.handle, alias: al.alias, owners: al.owners } };
  for (const crew of pop.crews) {
    yield {
      truth: {
        kind: 'crew', id: crew.id, lang: crew.lang, city: crew.city, specialty: crew.specialty,
        members: crew.members.map((m) => pop.accounts[m]?.handle),
        brokers: crew.members.filter((m) => pop.accounts[m]?.broker).map((m) => pop.accounts[m]?.handle),
      },
    };
  }
  for (const a of pop.accounts) {
    if (a.devices.length > 1) yield { truth: { kind: 'device_switch', handle: a.handle, imeis: a.devices.map((d) => d.imei), ts: fmt.format(a.devices[1]?.since ?? start) } };
  }

  // ---------------------------------------------------------- message stream
  const builder = new BodyBuilder(rng);
  const textSink = new TextSink();
  const env: ExpandEnv = { rng, lang: 'nl', own: GRAMMARS.nl, shared: SHARED_GRAMMAR, vars: {}, sink: builder };
  const noVars: Record<string, string> = {};
  const say = (rule: string): void => expandRule(env, rule);
  const expandText = (rule: string, lang: Lang): string => {
    textSink.value = '';
    expandRule({ rng, lang, own: GRAMMARS[lang], shared: SHARED_GRAMMAR, vars: noVars, sink: textSink }, rule);
    return textSink.value;
  };

  const heap = new MinHeap<Session>();
  let seq = 0;
  let messageCount = 0;
  let noteCount = 0;
  let caseCount = 0;
  const pendingTruth: Record<string, unknown>[] = [];

  const pushSpans = (id: string): void => {
    for (const s of builder.spans) {
      increment(counts.entity, s.type);
      pendingTruth.push({ kind: 'entity', type: s.type, value: s.value, raw: s.raw, message: id, start: s.start, end: s.end });
    }
    for (const d of builder.decoys) {
      increment(counts.decoy_entity, d.type);
      pendingTruth.push({ kind: 'decoy_entity', type: d.type, raw: d.raw, message: id, start: d.start, end: d.end, why: d.why });
    }
  };

  const switchLang = (lang: Lang): Lang => {
    if (!rng.chance(RATES.codeSwitch)) return lang;
    // Dutch and French speakers drop into English most; English crews into Dutch (Spain/NL bases).
    if (lang === 'en') return rng.chance(0.7) ? 'nl' : 'fr';
    return rng.chance(0.8) ? 'en' : lang === 'nl' ? 'fr' : 'nl';
  };

  const newChatSession = (at: number, length: number): Session => {
    const a = pickCumulative(pop.accountCum, rng);
    const acc = pop.accounts[a] as Account;
    let group: Group | null = null;
    let members: number[];
    if (acc.groups.length > 0 && rng.chance(0.14)) {
      group = pop.groups[rng.pick(acc.groups)] ?? null;
    }
    if (group) members = group.members;
    else if (acc.contacts.length > 0) members = [a, acc.contacts[pickCumulative(acc.contactCum, rng)] ?? 0];
    else members = [a, (a + 1) % pop.accounts.length];
    const crew = pop.crews[acc.crew];
    const biz = rng.chance(crew?.specialty === 'mixed' ? 0.25 : 0.3);
    const topic = biz ? draw(BIZ_BY_SPECIALTY[crew?.specialty ?? 'mixed'] ?? (BIZ_BY_SPECIALTY['mixed'] as Weighted<string>), rng) : draw(CHAT_TOPICS, rng);
    return { next: at, seq: seq++, remaining: length, members, group, lang: group ? group.lang : acc.lang, topic, last: group ? group.members.indexOf(a) : 0, pos: 0, kase: null, step: 0 };
  };

  const speakerOf = (s: Session): number => {
    if (s.pos === 0) return s.last < 0 ? 0 : s.last;
    if (s.members.length === 2) return rng.chance(0.75) ? 1 - s.last : s.last;
    let i = rng.int(s.members.length);
    if (i === s.last && rng.chance(0.8)) i = (i + 1) % s.members.length;
    return i;
  };

  /** Free-chat body; returns labels for planted material it chose. */
  const chatBody = (s: Session): { leak: Sector | null; tdec: string | null; special: boolean } => {
    const sp = rng.next();
    let leak: Sector | null = null;
    let tdec: string | null = null;
    let special = true;
    if (s.pos > 0 && sp < RATES.entitySentence) {
      if (rng.chance(0.15)) { say('ack'); builder.text(rng.pick(SEPARATORS)); }
      say('ent.' + draw(ENTITY_SENTENCES, rng));
    } else if (sp < RATES.entitySentence + RATES.entityDecoy) {
      say('dec.' + draw(DECOY_SENTENCES, rng));
    } else if (sp < RATES.entitySentence + RATES.entityDecoy + RATES.threatDecoy) {
      tdec = draw(THREAT_DECOYS, rng);
      say('tdec.' + tdec);
    } else if (sp < RATES.entitySentence + RATES.entityDecoy + RATES.threatDecoy + RATES.leak) {
      leak = draw(LEAKS, rng);
      say('leak.' + leak);
    } else {
      special = false;
      if (s.pos === 0) {
        const r = rng.next();
        if (r < 0.45) say('greet');
        else if (r < 0.75) { say('greet'); builder.text(rng.pick(SEPARATORS)); say(s.topic); }
        else say(s.topic);
      } else if (s.remaining === 1 && rng.chance(0.3)) say('close');
      else {
        const x = rng.next();
        if (x < 0.55) say(s.topic);
        else if (x < 0.75) say('ack');
        else if (x < 0.85) say('question');
        else if (x < 0.9) say('filler');
        else say(draw(CHAT_TOPICS, rng));
        if (x < 0.55 && rng.chance(RATES.longMessage)) {
          const more = rng.range(1, rng.chance(0.2) ? 6 : 3);
          for (let i = 0; i < more; i++) { builder.text(rng.pick(SEPARATORS)); say(rng.chance(0.7) ? s.topic : draw(CHAT_TOPICS, rng)); }
        }
      }
    }
    if (rng.chance(RATES.emoji)) { builder.text(rng.chance(0.7) ? ' ' : ''); say('emoji'); }
    else if (rng.chance(0.03)) { builder.text(' '); say('lol'); }
    return { leak, tdec, special };
  };

  const emitFrom = (s: Session, ts: number): Record<string, unknown> => {
    const id = 'e-' + ++messageCount;
    const iso = fmt.format(ts);
    let from: number;
    let to: string[];
    let groupId: string | null = null;
    let lang: Lang;
    let attach = false;
    let leak: Sector | null = null;
    let tdec: string | null = null;
    let threat = false;
    const kase = s.kase;
    if (kase) {
      const step = kase.steps[s.step];
      if (!step) throw new Error('case step out of range');
      from = step.speaker;
      to = [pop.accounts[step.to]?.handle ?? ''];
      lang = kase.lang;
      const acc = pop.accounts[from] as Account;
      builder.reset(lang, styles[from] as NoiseStyle, acc.own, deviceAt(acc, ts), kase.cache);
      builder.placeHint = kase.placeHint;
      env.lang = lang;
      env.own = GRAMMARS[lang];
      env.vars = kase.vars;
      say(step.rule);
      env.vars = noVars;
      attach = step.attach;
      leak = step.leak;
      threat = step.threat;
      kase.count++;
      if (kase.messageIds.length < 200) kase.messageIds.push(id);
      if (!kase.firstTs) kase.firstTs = iso;
      kase.lastTs = iso;
    } else {
      const who = speakerOf(s);
      s.last = who;
      from = s.members[who] ?? 0;
      if (s.group) {
        groupId = s.group.id;
        to = s.group.recipients[who] ?? [];
      } else to = [pop.accounts[s.members[1 - who] ?? 0]?.handle ?? ''];
      lang = isShutdownPhase(ts) ? s.lang : switchLang(s.lang);
      const acc = pop.accounts[from] as Account;
      builder.reset(lang, styles[from] as NoiseStyle, acc.own, deviceAt(acc, ts), null);
      builder.placeHint = undefined;
      env.lang = lang;
      env.own = GRAMMARS[lang];
      if (isShutdownPhase(ts) && rng.chance(0.08)) say('panic');
      else {
        const labels = chatBody(s);
        leak = labels.leak;
        tdec = labels.tdec;
        attach = !labels.special && rng.chance(RATES.attachment);
      }
    }
    const body = builder.finish();
    increment(counts.langs, lang);
    const record: Record<string, unknown> = { kind: 'message', platform: PLATFORM, id, ts: iso, from: pop.accounts[from]?.handle, to };
    if (groupId) record['group'] = groupId;
    record['body'] = body;
    if (attach) {
      record['attachments'] = [attachmentFor(rng, seed, id, ts, threat)];
      counts.attachments++;
    }
    pushSpans(id);
    if (threat && kase) {
      increment(counts.threat, kase.intent ?? 'kill');
      pendingTruth.push({ kind: 'threat', message: id, case: kase.id, intent: kase.intent, lang });
    }
    if (tdec) {
      counts.threat_decoy++;
      pendingTruth.push({ kind: 'threat_decoy', message: id, why: THREAT_DECOY_WHY[tdec], lang });
    }
    if (leak) {
      increment(counts.leak, leak);
      const t: Record<string, unknown> = { kind: 'leak', message: id, sector: leak, lang };
      if (kase) t['case'] = kase.id;
      pendingTruth.push(t);
    }
    return record;
  };

  const emitNote = (ts: number): Record<string, unknown> => {
    const owner = pickCumulative(pop.accountCum, rng);
    const acc = pop.accounts[owner] as Account;
    const id = 'n-' + ++noteCount;
    builder.reset(acc.lang, styles[owner] as NoiseStyle, acc.own, deviceAt(acc, ts), null);
    builder.noisy = false;
    env.lang = acc.lang;
    env.own = GRAMMARS[acc.lang];
    say(draw(NOTE_RULES, rng));
    const body = builder.finish();
    pushSpans(id);
    return { kind: 'note', platform: PLATFORM, owner: acc.handle, id, ts: fmt.format(ts), body };
  };

  const quotas = hourQuotas(new Rng(seed, 3), total, start, days);
  const caseAcc: Record<CaseKind, number> = { threat: 0.5, coke: 0.5, lab: 0.5, money: 0.5 };
  let allocated = 0;
  let carry = 0;
  const hours = days * 24;
  const lastCaseStart = periodEnd - 4 * DAY;

  function scheduleHour(h: number, hourStart: number): void {
    let q = (quotas[h] ?? 0) + carry;
    if (hourStart < lastCaseStart) {
      for (const kind of CASE_KINDS) {
        caseAcc[kind] += ((quotas[h] ?? 0) * CASES_PER_100K[kind]) / 100_000;
        while (caseAcc[kind] >= 1 && allocated < total) {
          caseAcc[kind] -= 1;
          const at = hourStart + rng.int(HOUR);
          const plan = planCase(rng, kind, 'c-' + ++caseCount, at, periodEnd, pop, expandText);
          const len = Math.min(plan.steps.length, total - allocated);
          heap.push({ next: plan.steps[0]?.at ?? at, seq: seq++, remaining: len, members: plan.members, group: null, lang: plan.lang, topic: '', last: 0, pos: 0, kase: plan, step: 0 });
          allocated += len;
          q -= len;
        }
      }
    }
    const starts: number[] = [];
    while (q > 0 && allocated < total) {
      const len = Math.min(sessionLength(rng, false), q, total - allocated);
      starts.push(len);
      allocated += len;
      q -= len;
    }
    carry = q < 0 ? q : 0;
    // Sessions start in time order within the hour so sequence numbers break ties consistently.
    const offsets = starts.map(() => rng.int(HOUR)).sort((x, y) => x - y);
    starts.forEach((len, i) => heap.push(newChatSession(hourStart + (offsets[i] ?? 0), len)));
  }

  // One flat loop (no nested generators: each yield level costs per record).
  // Phase h < hours schedules that hour's sessions then emits everything due
  // before the hour ends; the last phase drains what is still open.
  for (let h = 0; h <= hours; h++) {
    let limit: number;
    if (h < hours) {
      const hourStart = start + h * HOUR;
      limit = hourStart + HOUR;
      if (allocated < total) scheduleHour(h, hourStart);
    } else {
      if (allocated < total) heap.push(newChatSession(periodEnd - HOUR, total - allocated));
      limit = Number.POSITIVE_INFINITY;
    }
    for (let top = heap.peek(); top && top.next < limit; top = heap.peek()) {
      heap.pop();
      const ts = top.next;
      yield { record: emitFrom(top, ts) };
      for (let i = 0; i < pendingTruth.length; i++) yield { truth: pendingTruth[i] };
      pendingTruth.length = 0;
      top.pos++;
      top.remaining--;
      if (top.kase) {
        top.step++;
        const nextStep = top.kase.steps[top.step];
        if (nextStep && top.remaining > 0) {
          top.next = Math.max(nextStep.at, ts);
          heap.push(top);
        } else {
          increment(counts.case, top.kase.kind);
          yield { truth: caseRecord(top.kase, pop) };
        }
      } else if (top.remaining > 0) {
        let next = ts + gap(rng);
        // Conversations still open at the end of the window are squeezed into its last seconds.
        if (next >= periodEnd) next = Math.max(ts, Math.min(periodEnd - 1000, ts + rng.range(1, 5) * 1000));
        top.next = next;
        heap.push(top);
      }
      if (rng.chance(RATES.note)) {
        yield { record: emitNote(ts) };
        for (let i = 0; i < pendingTruth.length; i++) yield { truth: pendingTruth[i] };
        pendingTruth.length = 0;
      }
    }
  }

  const per100k = (n: number): number => (total > 0 ? Math.round((n / total) * 100_000 * 10) / 10 : 0);
  const sum = (m: Record<string, number>): number => Object.values(m).reduce((a, b) => a + b, 0);
  yield {
    truth: {
      kind: 'summary', format: 'lode-jsonl', version: 1, generator: 'lode generate', seed, messages: messageCount, notes: noteCount,
      accounts: pop.accounts.length, contacts: contactCount, groups: pop.groups.length, crews: pop.crews.length,
      start: fmt.format(start), end: fmt.format(periodEnd - 1000),
      counts: {
        entity: counts.entity, entity_total: sum(counts.entity), decoy_entity: counts.decoy_entity, decoy_entity_total: sum(counts.decoy_entity),
        threat: counts.threat, threat_total: sum(counts.threat), threat_decoy: counts.threat_decoy, leak: counts.leak, leak_total: sum(counts.leak),
        alias: pop.aliases.length, case: counts.case, case_total: caseCount, attachments: counts.attachments,
        device_switch: pop.accounts.filter((a) => a.devices.length > 1).length,
      },
      langs: counts.langs,
      per_100k: {
        entity: per100k(sum(counts.entity)), decoy_entity: per100k(sum(counts.decoy_entity)), threat: per100k(sum(counts.threat)),
        threat_decoy: per100k(counts.threat_decoy), leak: per100k(sum(counts.leak)), case: per100k(caseCount),
      },
      entity_types: ENTITY_TYPES,
    },
  };
}

function caseRecord(k: CaseState, pop: Population): Record<string, unknown> {
  const record: Record<string, unknown> = {
    kind: 'case', id: k.id, type: k.kind, topic: caseTopic(k), lang: k.lang,
    handles: k.members.map((m) => pop.accounts[m]?.handle), from: k.firstTs, to: k.lastTs,
    messages: k.messageIds, message_count: k.count, entities: sharedEntities(k),
  };
  if (k.intent) record['intent'] = k.intent;
  if (k.vars['target']) record['target'] = k.vars['target'];
  return record;
}

function sharedEntities(k: CaseState): { type: string; value: string }[] {
  const out: { type: string; value: string }[] = [];
  const c = k.cache;
  if (c.container) out.push({ type: 'container', value: c.container });
  if (c.plate) out.push({ type: 'plate', value: c.plate.country + ':' + c.plate.groups.join('-') });
  if (c.iban) out.push({ type: 'iban', value: c.iban.iban });
  if (c.coords) out.push({ type: 'coordinates', value: c.coords.lat.toFixed(5) + ',' + c.coords.lon.toFixed(5) });
  if (c.btc) out.push({ type: 'btc', value: c.btc.value });
  if (c.eth) out.push({ type: 'eth', value: c.eth.value });
  if (c.xmr) out.push({ type: 'xmr', value: c.xmr.value });
  if (k.vars['addr'] && (k.kind === 'threat' || k.kind === 'lab')) out.push({ type: 'address', value: k.vars['addr'] });
  return out;
}
