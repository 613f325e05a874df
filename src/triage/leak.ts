// Insider-leak scoring: a sector (police, customs, port, municipality, registry) together with
// what an insider does for the network: a look-up of a plate or a record, a tip-off (a raid, a
// tap, a scan), or letting goods through. Knowing someone who works there is not a leak: "mijn
// neef werkt bij de politie" stays below the threshold.

import type { AlertReason, TriageFinding } from '../model/triage.ts';
import type { Signal } from './signals.ts';
import { round, spanReason } from './threat.ts';

export const LEAK_ALERT_THRESHOLD = 0.6;
export const LEAK_MIN_SCORE = 0.25;

export const LEAK_SECTORS = ['police', 'customs', 'port', 'municipality', 'registry'] as const;
export type LeakSector = (typeof LEAK_SECTORS)[number];
const SECTORS: ReadonlySet<string> = new Set(LEAK_SECTORS);

/** What an insider does for the network. */
const ACTIONS: ReadonlySet<string> = new Set(['lookup', 'tipoff', 'facilitation']);

/** A look-up "in the system" or of a plate without a sector named is, by default, a police one. */
const SYSTEM_SECTOR: LeakSector = 'police';

/** Scores leak signals; undefined when they do not reach LEAK_MIN_SCORE. */
export function scoreLeak(body: string, signals: readonly Signal[]): TriageFinding | undefined {
  let sector: Signal | undefined;
  let system: Signal | undefined;
  let insider: Signal | undefined;
  let action: Signal | undefined;
  let hasLeakSignal = false;
  for (const s of signals) {
    if (s.kind !== 'leak') continue;
    hasLeakSignal = true;
    if (SECTORS.has(s.category)) {
      if (!sector || s.weight > sector.weight) sector = s;
    } else if (s.category === 'system') {
      if (!system || s.weight > system.weight) system = s;
    } else if (s.category === 'insider') {
      if (!insider || s.weight > insider.weight) insider = s;
    } else if (ACTIONS.has(s.category)) {
      if (!action || s.weight > action.weight) action = s;
    }
  }
  if (!hasLeakSignal) return undefined;
  const place = sector ?? system;
  if (!place) return undefined;
  const category = sector ? sector.category : SYSTEM_SECTOR;
  const reasons: AlertReason[] = [];
  let score = place.weight;
  reasons.push(spanReason(body, 'leak:' + category, sector ? `sector (${category})` : `look-up in an official system (${category} by default)`, place, place.weight));
  if (sector && system) {
    // a sector and its system ("bvh", "in het systeem") say the same thing twice: a little more
    const weight = Math.min(0.1, system.weight);
    reasons.push(spanReason(body, 'leak:system', 'official system', system, weight));
    score += weight;
  }
  if (insider) {
    reasons.push(spanReason(body, 'leak:insider', 'insider contact', insider, insider.weight));
    score += insider.weight;
  }
  if (action) {
    reasons.push(spanReason(body, 'leak:' + action.category, ACTION_LABEL[action.category] ?? action.category, action, action.weight));
    score += action.weight;
  }
  for (const s of signals) {
    if (s.kind !== 'decoy' || s.category !== 'leak') continue;
    reasons.push(spanReason(body, 'decoy:leak', 'ordinary dealings with an authority', s, s.weight));
    score += s.weight;
  }
  const clamped = round(Math.max(0, Math.min(1, score)));
  if (clamped < LEAK_MIN_SCORE) return undefined;
  return { kind: 'leak', score: clamped, reasons, category };
}

const ACTION_LABEL: Readonly<Record<string, string>> = {
  lookup: 'look-up of a record',
  tipoff: 'tip-off about an investigation',
  facilitation: 'lets goods or people through',
};
