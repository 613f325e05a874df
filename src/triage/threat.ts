// Threat-to-life scoring: a violent intent counts when it is aimed at someone (a pronoun, a
// person word, a name or a handle near it), preparation adds to it, and look-alike contexts
// (games, films, sport, food, tiredness, one's own family) take it away. No single word raises
// an alert. Preparation alone ("ik heb een vest en een pistool") stays low unless the scorer
// knows the account took part in a recent intent (scorer.ts adds that context).

import type { AlertReason, TriageFinding } from '../model/triage.ts';
import type { Signal } from './signals.ts';

/** A finding at or above this raises a threat alert. */
export const THREAT_ALERT_THRESHOLD = 0.6;
/** Below this a message is not reported at all (most messages). */
export const THREAT_MIN_SCORE = 0.25;

export const THREAT_WEIGHTS = {
  /** A person the intent is aimed at, when the intent's own words do not name one. */
  maxTarget: 0.3,
  /** Preparation of one kind (weapon, vehicle, ...) adds at most this much... */
  prepPerCategory: 0.25,
  /** ...and all preparation together at most this much. */
  prepTotal: 0.35,
  /** A preparation message from or to an account in a recent intent's context. */
  context: 0.45,
  /** Preparation worth the context: one signal this strong... */
  prepForContext: 0.2,
  /** ...or signals of at least this weight adding up to this much ("gestolen" + "staat klaar", "dit is hem" + a photo)... */
  prepCountsForContext: 0.1,
  prepSumForContext: 0.25,
  /** ...or an intent this strong aimed at someone named this clearly (not just an unknown word next to it). */
  intentForContext: 0.3,
  targetForContext: 0.25,
  /** A need of an ordinary-word intent is met by a preparation signal this strong ("in de bus", not "in the unit"). */
  needWeight: 0.15,
  needNearTokens: 2,
  /** Look-alike cues this strong keep the context away. */
  decoyAgainstContext: -0.5,
} as const;

/** What one message holds for threat scoring, before any context. */
export type ThreatAssessment = {
  /** The intent that counts (the strongest with its target), if any. */
  intent?: Signal;
  /** The person it is aimed at (a signal near it), if any. */
  target?: Signal;
  /** Whether the intent's own words name its target. */
  isTargetImplicit: boolean;
  /** Preparation signals with their capped contributions. */
  preps: { signal: Signal; weight: number }[];
  /** Whether the message is specific enough for an intent context to make it a threat. */
  isContextual: boolean;
  decoys: Signal[];
  /** Score of the message on its own (0..1). */
  score: number;
};

/** Scores a message's signals on their own; the scorer adds context. */
export function assessThreat(signals: readonly Signal[], targetWindow: number): ThreatAssessment {
  let intent: Signal | undefined;
  let target: Signal | undefined;
  let best = 0;
  for (const s of signals) {
    if (s.kind !== 'intent') continue;
    const aimedAt = s.hasTarget ? undefined : clearestTarget(signals, s, targetWindow);
    if (s.needs !== undefined && !(isNeedMet(signals, s, s.needs) && (s.hasTarget || (aimedAt?.weight ?? 0) >= THREAT_WEIGHTS.targetForContext))) continue;
    const value = s.weight + (s.hasTarget ? THREAT_WEIGHTS.maxTarget : Math.min(THREAT_WEIGHTS.maxTarget, aimedAt?.weight ?? 0));
    if (value > best) {
      best = value;
      intent = s;
      target = aimedAt;
    }
  }
  const preps = cappedPreps(signals);
  // trade talk (prices, stock, delivery) explains away weapons talk, not a stated intent ("kost wat het kost")
  const decoys = signals.filter((s) => s.kind === 'decoy' && !(s.category === 'trade' && intent !== undefined));
  let score = best;
  for (const p of preps) score += p.weight;
  for (const d of decoys) score += d.weight;
  const assessment: ThreatAssessment = { intent, target, isTargetImplicit: intent?.hasTarget === true, preps, isContextual: false, decoys, score: clamp(score) };
  assessment.isContextual = isContextual(assessment);
  return assessment;
}

/**
 * Whether an intent context may make this message a threat: an intent aimed at someone, or
 * specific preparation (one strong signal, or signals adding up), and no strong look-alike cue.
 * Preparation of a kind that is `routine` for the sender (a weapons dealer talking guns) does not count.
 */
export function isContextual(assessment: ThreatAssessment, routine?: ReadonlySet<string>): boolean {
  let decoyWeight = 0;
  for (const d of assessment.decoys) decoyWeight += d.weight;
  // a look-alike (a film, a game) stays one inside a busy context too
  if (decoyWeight <= THREAT_WEIGHTS.decoyAgainstContext) return false;
  const { intent, target } = assessment;
  // an intent aimed at someone counts; an ordinary verb alone ("take care") does not
  if (intent !== undefined && intent.weight >= THREAT_WEIGHTS.intentForContext && (intent.hasTarget || (target?.weight ?? 0) >= THREAT_WEIGHTS.targetForContext)) return true;
  let total = 0;
  for (const { signal } of assessment.preps) {
    if (routine?.has(signal.category) === true) continue;
    if (signal.weight >= THREAT_WEIGHTS.prepForContext) return true;
    if (signal.weight >= THREAT_WEIGHTS.prepCountsForContext) total += signal.weight;
  }
  return total >= THREAT_WEIGHTS.prepSumForContext;
}

/** A needed preparation: a strong one anywhere, or a weaker one right by the intent ("l'emmène au box"). */
function isNeedMet(signals: readonly Signal[], intent: Signal, needs: readonly string[]): boolean {
  for (const s of signals) {
    if (s.kind !== 'prep' || !needs.includes(s.category)) continue;
    if (s.weight >= THREAT_WEIGHTS.needWeight) return true;
    if (s.first >= 0 && tokenDistance(s, intent) <= THREAT_WEIGHTS.needNearTokens) return true;
  }
  return false;
}

function tokenDistance(a: Signal, b: Signal): number {
  return a.last < b.first ? b.first - a.last : a.first > b.last ? a.first - b.last : 0;
}

function clearestTarget(signals: readonly Signal[], intent: Signal, window: number): Signal | undefined {
  let found: Signal | undefined;
  let distance = Number.POSITIVE_INFINITY;
  for (const s of signals) {
    if (s.kind !== 'target' || s.first < 0) continue;
    const d = tokenDistance(s, intent);
    if (d > window) continue;
    // the clearest target in the window wins ("die gast" over a nearby unknown word), then the nearest
    if (found === undefined || s.weight > found.weight || (s.weight === found.weight && d < distance)) {
      found = s;
      distance = d;
    }
  }
  return found;
}

/** Preparation contributions: per kind and in total capped, strongest first, in text order otherwise. */
function cappedPreps(signals: readonly Signal[]): { signal: Signal; weight: number }[] {
  const preps = signals.filter((s) => s.kind === 'prep').sort((a, b) => b.weight - a.weight);
  const out: { signal: Signal; weight: number }[] = [];
  const used = new Map<string, number>();
  let total = 0;
  for (const signal of preps) {
    const inCategory = used.get(signal.category) ?? 0;
    const weight = Math.min(signal.weight, THREAT_WEIGHTS.prepPerCategory - inCategory, THREAT_WEIGHTS.prepTotal - total);
    if (weight <= 0) continue;
    used.set(signal.category, inCategory + weight);
    total += weight;
    out.push({ signal, weight: round(weight) });
  }
  return out;
}

/** Context from an earlier message: an intent by or to one of this message's accounts. */
export type ThreatContextReason = { item: string; account: string; intent: string; target?: string };

/** The finding for a message, with the context the scorer found for it (if it applies). */
export function threatFinding(body: string, assessment: ThreatAssessment, context?: ThreatContextReason): TriageFinding | undefined {
  const reasons: AlertReason[] = [];
  let score = 0;
  const { intent, target } = assessment;
  if (intent) {
    reasons.push(spanReason(body, 'intent:' + intent.category, `violent intent (${intent.category})`, intent, intent.weight));
    score += intent.weight;
    if (assessment.isTargetImplicit) {
      reasons.push(spanReason(body, 'target', 'aimed at a person named in the intent', intent, THREAT_WEIGHTS.maxTarget));
      score += THREAT_WEIGHTS.maxTarget;
    } else if (target) {
      const weight = Math.min(THREAT_WEIGHTS.maxTarget, target.weight);
      reasons.push(spanReason(body, 'target', `target (${target.term === target.category ? target.category : describeTarget(target)})`, target, weight));
      score += weight;
    }
  }
  for (const { signal, weight } of assessment.preps) {
    reasons.push(spanReason(body, 'prep:' + signal.category, `preparation (${signal.category})`, signal, weight));
    score += weight;
  }
  if (context && assessment.isContextual) {
    const about = context.target ? ` against ${context.target}` : '';
    reasons.push({
      signal: 'context:intent',
      text: `${context.account} took part in a violent intent (${context.intent}${about}) in message ${context.item} within the window`,
      weight: THREAT_WEIGHTS.context,
      item: context.item,
    });
    score += THREAT_WEIGHTS.context;
  }
  for (const decoy of assessment.decoys) {
    reasons.push(spanReason(body, 'decoy:' + decoy.category, `look-alike (${decoy.category})`, decoy, decoy.weight));
    score += decoy.weight;
  }
  const clamped = round(clamp(score));
  if (clamped < THREAT_MIN_SCORE) return undefined;
  return { kind: 'threat', score: clamped, reasons };
}

function describeTarget(target: Signal): string {
  return target.category === 'name' ? target.term : target.category;
}

/** A reason that points at its words in the body (or at an attachment, without a span). */
export function spanReason(body: string, signal: string, label: string, s: Signal, weight: number): AlertReason {
  if (s.start === undefined || s.end === undefined) return { signal, text: `${label}: ${s.term}`, weight: round(weight) };
  return { signal, text: `${label}: "${body.slice(s.start, s.end)}"`, start: s.start, end: s.end, weight: round(weight) };
}

function clamp(x: number): number {
  return x < 0 ? 0 : x > 1 ? 1 : x;
}

export function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
