import { test } from 'node:test';
import assert from 'node:assert/strict';
import { discoverCases, discoverCasesAsync } from '../../src/analyze/discover/discover.ts';
import type { CandidateCase, DiscoveryMessage } from '../../src/analyze/discover/discover.ts';
import { contextForLanguage, extractEntities } from '../../src/extract/entities/extract.ts';
import { detectLanguage } from '../../src/extract/language.ts';
import { tokenize } from '../../src/extract/tokens.ts';
import { generateCorpus } from '../../src/generate/corpus.ts';

type Planted = { id: string; type: string; handles: string[]; messages: string[] };

/** A generated corpus as the store would hand it to discovery; threat alerts where the truth says so. */
function generated(messages: number, seed: number): { corpus: DiscoveryMessage[]; planted: Planted[] } {
  const corpus: DiscoveryMessage[] = [];
  const planted: Planted[] = [];
  const threats = new Set<string>();
  for (const { record, truth } of generateCorpus({ messages, seed })) {
    if (record?.kind === 'message') {
      const body = String(record.body);
      const lang = detectLanguage(tokenize(body));
      const m: DiscoveryMessage = {
        id: String(record.id), tsMs: Date.parse(String(record.ts)), dataset: 'gen', from: String(record.from),
        to: record.to as string[], body, entities: extractEntities(body, contextForLanguage(lang)),
      };
      if (lang !== undefined) m.lang = lang;
      corpus.push(m);
    } else if (truth?.kind === 'threat') threats.add(String(truth.message));
    else if (truth?.kind === 'case') {
      planted.push({ id: String(truth.id), type: String(truth.type), handles: truth.handles as string[], messages: truth.messages as string[] });
    }
  }
  // Stands in for the triage scorer: its threat score is what discovery reads.
  for (const m of corpus) if (threats.has(m.id)) m.threat = 1;
  return { corpus, planted };
}

/** Rank (0-based) of the candidate holding at least half a planted case and two of its accounts, or -1. */
function rankHolding(candidates: readonly CandidateCase[], planted: Planted): number {
  return candidates.findIndex((c) => {
    const ids = new Set(c.messageIds);
    const handles = new Set(c.accounts.map((a) => a.handle));
    const held = planted.messages.filter((id) => ids.has(id)).length;
    return held >= planted.messages.length / 2 && planted.handles.filter((h) => handles.has(h)).length >= 2;
  });
}

const { corpus, planted } = generated(40_000, 5);
const candidates = discoverCases(corpus);

test('discovery finds at least 80 % of the planted cases in a generated corpus', () => {
  assert.ok(planted.length >= 8, `the corpus plants cases (${planted.length})`);
  const found = planted.filter((p) => rankHolding(candidates, p) >= 0);
  assert.ok(found.length >= 0.8 * planted.length, `found ${found.length} of ${planted.length}: missed ${planted.filter((p) => !found.includes(p)).map((p) => p.id + ' ' + p.type).join(', ')}`);
});

test('every planted threat to life is found and ranks among the first candidates', () => {
  const threats = planted.filter((p) => p.type === 'threat');
  assert.ok(threats.length >= 3, `the corpus plants threats (${threats.length})`);
  const median = candidates.length / 2;
  for (const threat of threats) {
    const rank = rankHolding(candidates, threat);
    assert.ok(rank >= 0, `${threat.id} found`);
    assert.ok(rank < median, `${threat.id} at rank ${rank + 1} of ${candidates.length}`);
    assert.ok(rank < 2 * threats.length, `${threat.id} at rank ${rank + 1}, within the first ${2 * threats.length}`);
    assert.match(candidates[rank]!.reasons[0]!, /^\d+ threat alerts?$/);
  }
});

test('the same messages give the same candidates with the same ids, synchronously or not', async () => {
  const again = discoverCases(corpus);
  assert.deepEqual(again.map((c) => c.id), candidates.map((c) => c.id));
  assert.deepEqual(again[0], candidates[0]);
  const asynchronous = await discoverCasesAsync((async function* () { yield* corpus; })());
  assert.deepEqual(asynchronous.map((c) => [c.id, c.score]), candidates.map((c) => [c.id, c.score]));
  assert.equal(new Set(candidates.map((c) => c.id)).size, candidates.length);
});

test('every candidate is whole: evidence among its messages, counts that add up, ranked by score', () => {
  assert.ok(candidates.length > 0);
  const known = new Set(corpus.map((m) => m.id));
  candidates.forEach((c, i) => {
    const ids = new Set(c.messageIds);
    assert.equal(ids.size, c.messageIds.length, `${c.id} lists a message twice`);
    assert.equal(c.messages, c.messageIds.length);
    assert.ok(c.messages >= 5 && c.accounts.length >= 2);
    assert.ok(c.evidence.length > 0 && c.evidence.length <= 5);
    for (const e of c.evidence) assert.ok(ids.has(e.id), `${c.id}: evidence ${e.id} is one of its messages`);
    for (const id of c.messageIds) assert.ok(known.has(id));
    assert.ok(c.from <= c.to && c.title.includes(c.from.slice(0, 10)) && c.title.includes(c.to.slice(0, 10)));
    assert.match(c.id, /^cand-[0-9a-f]{16}$/);
    assert.equal(c.dataset, 'gen');
    if (i > 0) assert.ok(candidates[i - 1]!.score >= c.score);
  });
});

// ------------------------------------------------------------------ hand-made conversations

const DAY = 86_400_000;
const T0 = Date.parse('2020-04-01T20:00:00Z');
let sequence = 0;

function say(day: number, from: string, to: string, body: string, extra: Partial<DiscoveryMessage> = {}): DiscoveryMessage {
  const tsMs = T0 + day * DAY + (sequence % 50) * 60_000;
  return { id: `m-${++sequence}`, tsMs, dataset: 'hand', from, to: [to], body, lang: 'nl', entities: extractEntities(body, contextForLanguage('nl')), ...extra };
}

function inTimeOrder(messages: DiscoveryMessage[]): DiscoveryMessage[] {
  return [...messages].sort((a, b) => a.tsMs - b.tsMs);
}

/** Everyday chat between friends who know each other: the background every seized set has. */
function smallTalk(a: string, b: string, days: number): DiscoveryMessage[] {
  const lines = ['zin in pizza vanavond?', 'ja man', 'heb je de wedstrijd gezien', 'ajax was slecht', 'kom je zaterdag eten', 'is goed', 'mijn moeder is jarig', 'gefeliciteerd'];
  return Array.from({ length: days * 2 }, (_, i) => say(i / 2, i % 2 === 0 ? a : b, i % 2 === 0 ? b : a, lines[i % lines.length]!));
}

test('two friends chatting about food and football are no case', () => {
  const chat = inTimeOrder([...smallTalk('kees', 'piet', 20), ...smallTalk('anna', 'fatima', 20)]);
  assert.deepEqual(discoverCases(chat), []);
});

/** A cocaine import plotted by two accounts over ten days, with short replies. */
function importPlot(lead: string, helper: string, container: string, startDay: number): DiscoveryMessage[] {
  return [
    say(startDay, lead, helper, `bak ${container} komt binnen in de haven, 40 stenen erin`),
    say(startDay, helper, lead, 'top'),
    say(startDay + 2, helper, lead, 'boot ligt nog voor de kust'),
    say(startDay + 2, lead, helper, 'ok'),
    say(startDay + 5, lead, helper, 'uithalers zijn geregeld voor op de kade'),
    say(startDay + 7, helper, lead, `container ${container} is gelost`),
    say(startDay + 7, lead, helper, 'mooi'),
    say(startDay + 9, lead, helper, 'betaling 250k voor de mensen in de haven'),
    say(startDay + 10, helper, lead, 'lading ligt in de loods, alles binnen'),
  ];
}

test('a two-person import plot over ten days is one candidate, named for its topic', () => {
  const plot = importPlot('ijsbeer', 'jaguar', 'MSCU1234566', 0);
  const found = discoverCases(inTimeOrder([...plot, ...smallTalk('ijsbeer', 'neef', 12), ...smallTalk('kees', 'piet', 12)]));
  assert.equal(found.length, 1);
  const [candidate] = found;
  assert.deepEqual(candidate!.accounts.map((a) => a.handle).sort(), ['ijsbeer', 'jaguar']);
  assert.deepEqual([...candidate!.messageIds].sort(), plot.map((m) => m.id).sort());
  assert.match(candidate!.title, /^cocaine-import: (ijsbeer, jaguar|jaguar, ijsbeer), 2020-04-01\.\.2020-04-11$/);
  assert.equal(candidate!.topics[0]!.topic, 'cocaine-import');
  assert.ok(candidate!.entities.some((e) => e.type === 'container' && e.value === 'MSCU1234566' && e.count === 2));
  assert.ok(candidate!.reasons.some((r) => r.startsWith('40 kg of drugs')), candidate!.reasons.join('; '));
  assert.ok(candidate!.reasons.some((r) => r.startsWith('container MSCU1234566 named 2 times by 2 accounts')));
  assert.ok(candidate!.evidence.every((e) => !['top', 'ok', 'mooi'].includes(e.body)), 'acknowledgements are no evidence');
});

test('a broker who talks to two crews does not merge their plots', () => {
  // Each crew talks among itself; the broker is the only account both crews know.
  const crewA = [...smallTalk('adam', 'bas', 12), ...smallTalk('adam', 'broker', 12), ...smallTalk('bas', 'broker', 12)];
  const crewC = [...smallTalk('cor', 'dirk', 12), ...smallTalk('cor', 'broker', 12), ...smallTalk('dirk', 'broker', 12)];
  const plotA = [
    say(1, 'broker', 'adam', 'bak MSCU1234566 komt binnen in de haven'), say(2, 'adam', 'bas', 'uithalers voor de kade regelen'),
    say(3, 'bas', 'broker', 'MSCU1234566 staat op de kade'), say(4, 'adam', 'broker', 'de boot is gelost'), say(6, 'broker', 'bas', 'lading naar de loods'),
  ];
  const plotC = [
    say(1, 'broker', 'cor', 'container TGHU7654320 komt binnen in de haven'), say(2, 'cor', 'dirk', 'uithalers zijn geregeld voor de kade'),
    say(3, 'dirk', 'broker', 'TGHU7654320 wordt gelost'), say(5, 'cor', 'broker', 'boot ligt aan de kade'), say(6, 'broker', 'dirk', 'lading is binnen'),
  ];
  const found = discoverCases(inTimeOrder([...crewA, ...crewC, ...plotA, ...plotC]));
  assert.equal(found.length, 2, found.map((c) => c.title).join(' | '));
  const byCrew = (m: DiscoveryMessage[]): CandidateCase | undefined => found.find((c) => c.messageIds.includes(m[0]!.id));
  const a = byCrew(plotA)!;
  const c = byCrew(plotC)!;
  assert.notEqual(a, c);
  assert.deepEqual(a.accounts.map((x) => x.handle).sort(), ['adam', 'bas', 'broker']);
  assert.deepEqual(c.accounts.map((x) => x.handle).sort(), ['broker', 'cor', 'dirk']);
  for (const m of plotA) assert.ok(a.messageIds.includes(m.id));
  for (const m of plotC) assert.ok(c.messageIds.includes(m.id));
});

test('a threat to life outranks a bigger drug deal, and says why', () => {
  const deal = importPlot('ijsbeer', 'jaguar', 'MSCU1234566', 0);
  const threat = [
    say(3, 'scarface', 'tapeworm', 'die rat moet weg, hij heeft ons verraden', { threat: 0.9 }),
    say(3, 'tapeworm', 'scarface', 'begrepen'),
    say(4, 'tapeworm', 'ghost', 'de AK ligt klaar in de vluchtauto', { threat: 0.8 }),
    say(5, 'ghost', 'scarface', 'spotter zit voor zijn deur', { threat: 0.7 }),
    say(5, 'scarface', 'ghost', 'ok'),
  ];
  const chat = [...smallTalk('scarface', 'tapeworm', 8), ...smallTalk('tapeworm', 'ghost', 8), ...smallTalk('ghost', 'scarface', 8)];
  const found = discoverCases(inTimeOrder([...deal, ...threat, ...chat]));
  assert.equal(found.length, 2);
  assert.ok(threat.every((m) => found[0]!.messageIds.includes(m.id)));
  assert.match(found[0]!.title, /^violence: /);
  assert.equal(found[0]!.reasons[0], '3 threat alerts');
  assert.ok(found[0]!.reasons.some((r) => /^weapons: ak/.test(r)));
  assert.ok(found[0]!.severity > found[1]!.severity);
  // A score below the threshold is no alert: the same plot without alerts is no longer first.
  const calm = discoverCases(inTimeOrder([...deal, ...threat.map((m) => ({ ...m, threat: 0.2 })), ...chat]));
  assert.ok(!calm.some((c) => c.reasons.some((r) => /threat alert/.test(r))));
});

test('the same handles in two datasets are two worlds', () => {
  const first = importPlot('ijsbeer', 'jaguar', 'MSCU1234566', 0);
  const second = importPlot('ijsbeer', 'jaguar', 'MSCU1234566', 1).map((m) => ({ ...m, id: m.id + '-b', dataset: 'other' }));
  const found = discoverCases(inTimeOrder([...first, ...second]));
  assert.deepEqual(found.map((c) => c.dataset).sort(), ['hand', 'other']);
  assert.ok(found.every((c) => c.messages === first.length));
});
