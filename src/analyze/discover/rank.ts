// What a candidate case says about itself: its accounts, topics, entities and period, how grave
// it is and why, and the few messages an analyst should read first. Severity adds up what makes a
// matter urgent or big (threat alerts, weapons, violence, volumes of drugs, sums of money,
// identifiers several people name); the score weighs it with how much talk there is.

import { createHash } from 'node:crypto';
import { topicSeverity } from '../../extract/topics/topics.ts';
import type { VolumeUnit } from '../../extract/topics/topics.ts';
import type { KeptMessage } from './scan.ts';
import type { CandidateCase, CandidateEvidence } from './types.ts';

export type RankOptions = { evidence: number };

type Reason = { weight: number; text: string };

// One threat alert outweighs a topic-rich crew: a life may depend on it.
const THREAT_WEIGHT = 30;
// A topic counts in full from this many messages on.
const FULL_TOPIC_MESSAGES = 3;
const MAX_SHARED_IDENTIFIERS = 3;
// Size breaks ties between equally grave candidates: doubling the talk adds this much.
const SIZE_WEIGHT = 1.5;

const IDENTIFIER_LABEL: Readonly<Record<string, string>> = {
  container: 'container', iban: 'IBAN', btc: 'bitcoin wallet', eth: 'ethereum wallet', xmr: 'monero wallet',
  plate: 'plate', coordinates: 'position', phone: 'phone', imei: 'IMEI', email: 'e-mail',
};

export function describeCandidate(messages: readonly KeptMessage[], options: RankOptions): CandidateCase {
  const sorted = [...messages].sort((a, b) => a.tsMs - b.tsMs || compare(a.id, b.id));
  const first = sorted[0]!;
  const dataset = first.dataset;

  const ids: { id: string; tsMs: number }[] = [];
  const accountCounts = new Map<string, number>();
  const bump = (handle: string): void => {
    accountCounts.set(handle, (accountCounts.get(handle) ?? 0) + 1);
  };
  let startMs = Number.POSITIVE_INFINITY;
  let endMs = Number.NEGATIVE_INFINITY;
  for (const m of sorted) {
    ids.push({ id: m.id, tsMs: m.tsMs });
    // Recipients of a large group message received it; they did not take part in it.
    for (const p of m.parties) bump(p.slice(dataset.length + 1));
    startMs = Math.min(startMs, m.tsMs);
    endMs = Math.max(endMs, m.tsMs);
    for (const r of m.replies) {
      ids.push({ id: r.id, tsMs: r.tsMs });
      bump(r.from);
      // A reply answers the other side of the exchange it follows.
      const other = r.from === m.from ? m.to[0] : m.from;
      if (other !== undefined && other !== r.from) bump(other);
      startMs = Math.min(startMs, r.tsMs);
      endMs = Math.max(endMs, r.tsMs);
    }
  }
  ids.sort((a, b) => a.tsMs - b.tsMs || compare(a.id, b.id));
  const accounts = [...accountCounts].map(([handle, count]) => ({ handle, messages: count }))
    .sort((a, b) => b.messages - a.messages || compare(a.handle, b.handle));

  const topicCounts = new Map<string, { count: number; terms: Map<string, number> }>();
  const entityCounts = new Map<string, { type: string; value: string; count: number; senders: Set<string> }>();
  let threats = 0;
  const volumes: Partial<Record<VolumeUnit, { quantity: number; written: string }>> = {};
  let topAmount: { value: number; written: string } | undefined;
  for (const m of sorted) {
    if (m.isThreat) threats++;
    for (const topic of m.topics) {
      let entry = topicCounts.get(topic);
      if (!entry) topicCounts.set(topic, (entry = { count: 0, terms: new Map() }));
      entry.count++;
    }
    for (const hit of m.hits) {
      const terms = topicCounts.get(hit.topic)!.terms;
      terms.set(hit.term, (terms.get(hit.term) ?? 0) + 1);
    }
    for (const e of m.entities) {
      const key = e.type + ':' + e.value;
      let entry = entityCounts.get(key);
      if (!entry) entityCounts.set(key, (entry = { type: e.type, value: e.value, count: 0, senders: new Set() }));
      entry.count++;
      entry.senders.add(m.from);
      if (e.type === 'amount') {
        const value = amountValue(e.value);
        if (!topAmount || value > topAmount.value) topAmount = { value, written: e.value };
      }
    }
    for (const v of m.volumes) {
      const best = volumes[v.unit];
      if (!best || v.quantity > best.quantity) volumes[v.unit] = { quantity: v.quantity, written: v.written };
    }
  }

  // Severity adds facts, each saturating: a plot is no graver for being talked about longer. A
  // threat to life comes before everything else, as it does for the duty officer.
  const reasons: Reason[] = [];
  if (threats > 0) reasons.push({ weight: THREAT_WEIGHT + 5 * Math.log2(threats), text: `${threats} threat alert${threats === 1 ? '' : 's'}` });
  for (const [topic, { count, terms }] of topicCounts) {
    const weight = topicSeverity(topic) * Math.min(1, count / FULL_TOPIC_MESSAGES);
    const named = [...terms].sort((a, b) => b[1] - a[1] || compare(a[0], b[0])).slice(0, 4).map(([t]) => t.replace(/\*$/, ''));
    reasons.push({ weight, text: `${topic}: ${named.join(', ')} (${count} message${count === 1 ? '' : 's'})` });
  }
  if (volumes.kg) reasons.push({ weight: 2 * Math.log10(1 + volumes.kg.quantity), text: `${formatQuantity(volumes.kg.quantity)} kg of drugs ("${volumes.kg.written}")` });
  if (volumes.pills) reasons.push({ weight: Math.log10(1 + volumes.pills.quantity / 100), text: `${formatQuantity(volumes.pills.quantity)} pills ("${volumes.pills.written}")` });
  if (volumes.drums) reasons.push({ weight: 1.5 * Math.log10(1 + volumes.drums.quantity), text: `${formatQuantity(volumes.drums.quantity)} drums of chemicals ("${volumes.drums.written}")` });
  if (volumes.pallets) reasons.push({ weight: 2 * Math.log10(1 + volumes.pallets.quantity), text: `${formatQuantity(volumes.pallets.quantity)} pallets ("${volumes.pallets.written}")` });
  if (topAmount && topAmount.value >= 10_000) reasons.push({ weight: 1.5 * Math.log10(topAmount.value / 1000), text: `sums up to ${topAmount.written}` });
  let shared = 0;
  for (const e of [...entityCounts.values()].sort((a, b) => b.count - a.count || compare(a.value, b.value))) {
    // An identifier that several people name is what ties a plot together.
    if (e.count >= 2 && e.type in IDENTIFIER_LABEL && e.senders.size >= 2 && shared++ < MAX_SHARED_IDENTIFIERS) {
      reasons.push({ weight: 3, text: `${IDENTIFIER_LABEL[e.type]} ${e.value} named ${e.count} times by ${e.senders.size} accounts` });
    }
  }
  reasons.sort((a, b) => b.weight - a.weight || compare(a.text, b.text));
  const severity = round(reasons.reduce((sum, r) => sum + r.weight, 0));
  const messageCount = ids.length;
  const score = round(severity + SIZE_WEIGHT * Math.log2(1 + messageCount));

  const topics = [...topicCounts].map(([topic, { count, terms }]) => ({
    topic, count, terms: [...terms].sort((a, b) => b[1] - a[1] || compare(a[0], b[0])).map(([t]) => t),
  })).sort((a, b) => b.count - a.count || compare(a.topic, b.topic));
  const mainTopic = mainTopicOf(topicCounts, threats);
  const entities = [...entityCounts.values()].map(({ type, value, count }) => ({ type, value, count }))
    .sort((a, b) => b.count - a.count || compare(a.type, b.type) || compare(a.value, b.value));

  const from = new Date(startMs).toISOString();
  const to = new Date(endMs).toISOString();
  const handles = accounts.map((a) => a.handle);
  const id = 'cand-' + createHash('sha256')
    .update([dataset, [...handles].sort().join(','), from, to, mainTopic].join('\n'))
    .digest('hex').slice(0, 16);
  const shown = handles.slice(0, 2).join(', ') + (handles.length > 2 ? ` +${handles.length - 2}` : '');
  const title = `${mainTopic}: ${shown}, ${from.slice(0, 10)}..${to.slice(0, 10)}`;

  return {
    id, dataset, title, topics, accounts, from, to,
    messages: messageCount,
    messageIds: ids.map((x) => x.id),
    entities, severity, score,
    reasons: reasons.map((r) => r.text),
    evidence: pickEvidence(sorted, options.evidence),
  };
}

/** A threat to life names the candidate whatever else it holds; otherwise the weightiest topic (severity x messages). */
function mainTopicOf(topics: Map<string, { count: number }>, threats: number): string {
  if (threats > 0) return 'violence';
  let best = '';
  let bestWeight = 0;
  for (const [topic, { count }] of [...topics].sort((a, b) => compare(a[0], b[0]))) {
    const weight = topicSeverity(topic) * count;
    if (weight > bestWeight) {
      best = topic;
      bestWeight = weight;
    }
  }
  return best || 'identifiers';
}

/** The messages that say most: threat alerts, the gravest topics, identifiers and volumes. */
function pickEvidence(messages: readonly KeptMessage[], count: number): CandidateEvidence[] {
  const weighed = messages.map((m) => {
    let weight = m.isThreat ? 10 : 0;
    for (const topic of m.topics) weight += topicSeverity(topic);
    for (const e of m.entities) if (e.type in IDENTIFIER_LABEL || e.type === 'amount') weight += 1;
    weight += 2 * m.volumes.length;
    return { m, weight };
  });
  weighed.sort((a, b) => b.weight - a.weight || a.m.tsMs - b.m.tsMs || compare(a.m.id, b.m.id));
  return weighed.slice(0, count).map((w) => w.m)
    .sort((a, b) => a.tsMs - b.tsMs || compare(a.id, b.id))
    .map((m) => ({ id: m.id, ts: new Date(m.tsMs).toISOString(), from: m.from, to: [...m.to], body: m.body }));
}

/** "EUR 25000" -> 25000. The currency is left out: a bare "25k" is EUR by default even in English chat. */
function amountValue(value: string): number {
  const space = value.indexOf(' ');
  const n = Number(space >= 0 ? value.slice(space + 1) : value);
  return Number.isFinite(n) ? n : 0;
}

function formatQuantity(n: number): string {
  return Number.isInteger(n) ? n.toLocaleString('en') : n.toFixed(1);
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
