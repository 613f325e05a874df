// The triage scorer for a stream of messages in time order (ingest of one file, or a re-score
// of stored messages). Threat threads run for days as direct messages between varying pairs of
// a crew, and many preparation messages mean nothing alone ("dit is hem" + a photo), so the
// scorer remembers, per account, the last violent intent it took part in: a preparation message
// from or to such an account within the window scores as a threat and names that intent's
// message. Memory is bounded (expired contexts are swept, the number of accounts is capped) and
// nothing here does I/O, so the same object works in an ingest worker and in a re-score.

import type { TriageFinding, TriageMessage } from '../model/triage.ts';
import { foldText } from '../extract/tokens.ts';
import { scoreLeak } from './leak.ts';
import { builtinLexicon } from './lexicon.ts';
import type { CompiledLexicon } from './lexicon.ts';
import { findSignals, TARGET_WINDOW } from './signals.ts';
import { assessThreat, isContextual, THREAT_ALERT_THRESHOLD, threatFinding } from './threat.ts';
import type { ThreatAssessment, ThreatContextReason } from './threat.ts';

export { THREAT_ALERT_THRESHOLD } from './threat.ts';
export { LEAK_ALERT_THRESHOLD } from './leak.ts';

/** What produced a triage finding (recorded with every alert). */
export const TRIAGE_TOOLRUN = { component: 'lode-triage', version: '1.0.0' } as const;

export type { TriageMessage } from '../model/triage.ts';

export type TriageScorerOptions = {
  lexicon?: CompiledLexicon;
  /** How long an intent gives context to its accounts' messages (default 21 days: threads run 2–21 days). */
  windowMs?: number;
  /** At most this many accounts hold a context; the oldest go first. */
  maxAccounts?: number;
  /** At most this many handles are remembered to recognise a handle named as a target. */
  maxHandles?: number;
};

export const DEFAULT_WINDOW_MS = 21 * 24 * 3600 * 1000;
const DEFAULT_MAX_ACCOUNTS = 100_000;
const DEFAULT_MAX_HANDLES = 500_000;
const SWEEP_EVERY = 4096;
/** An account that mentioned a kind of preparation this often within ROUTINE_MS, outside any alert, does so routinely. */
const ROUTINE_MIN_COUNT = 2;
const ROUTINE_MS = 60 * 24 * 3600 * 1000;
const ROUTINE_SIGNAL_WEIGHT = 0.15;
/**
 * Preparation kinds that can be an account's daily business: weapons (a dealer talks guns all day). Cars
 * are everyone's daily talk but stolen cars and false plates are not; a time, a place or a photo of a
 * person is never routine.
 */
const ROUTINE_KINDS: ReadonlySet<string> = new Set(['weapon']);
/** Clocks of devices disagree a little: a reply stamped just before the intent still counts. */
const CLOCK_SLACK_MS = 5 * 60 * 1000;

type IntentContext = { item: string; tsMs: number; intent: string; target?: string; account: string };

export class TriageScorer {
  readonly windowMs: number;
  readonly maxAccounts: number;
  readonly maxHandles: number;
  private readonly lexicon: CompiledLexicon;
  private readonly contexts = new Map<string, IntentContext>();
  private readonly handles = new Set<string>();
  private readonly handlesSeen = new Set<string>();
  /** Per sender, the preparation kinds it talks about and when it last did (weapons dealers talk guns daily). */
  private readonly routines = new Map<string, Map<string, { count: number; lastMs: number }>>();
  private readonly isHandle: (word: string) => boolean;
  private scored = 0;
  private latestMs = Number.NEGATIVE_INFINITY;

  constructor(options: TriageScorerOptions = {}) {
    this.lexicon = options.lexicon ?? builtinLexicon();
    this.windowMs = options.windowMs ?? DEFAULT_WINDOW_MS;
    this.maxAccounts = options.maxAccounts ?? DEFAULT_MAX_ACCOUNTS;
    this.maxHandles = options.maxHandles ?? DEFAULT_MAX_HANDLES;
    this.isHandle = (word) => this.handles.has(word);
  }

  /** How many accounts hold an intent context now (for tests and progress). */
  get contextSize(): number {
    return this.contexts.size;
  }

  /** Findings for one message, in stream order; empty for most messages. */
  score(message: TriageMessage): TriageFinding[] {
    const { tsMs } = message;
    if (tsMs !== undefined && tsMs > this.latestMs) this.latestMs = tsMs;
    if (++this.scored % SWEEP_EVERY === 0) this.sweep();
    const signals = findSignals(message.body, message.lang, message.attachments, { lexicon: this.lexicon, isHandle: this.isHandle });
    const findings: TriageFinding[] = [];
    if (signals.length > 0) {
      const assessment = assessThreat(signals, TARGET_WINDOW);
      let context = assessment.isContextual ? this.contextOf(message) : undefined;
      if (context && assessment.intent === undefined) {
        // preparation talk that is this sender's daily business is no news after an intent
        const routine = this.routineOf(message.from, message.tsMs);
        if (routine !== undefined && !isContextual(assessment, routine)) context = undefined;
      }
      const reason: ThreatContextReason | undefined = context
        ? { item: context.item, account: context.account, intent: context.intent, ...(context.target !== undefined ? { target: context.target } : {}) }
        : undefined;
      const threat = threatFinding(message.body, assessment, reason);
      if (threat) {
        findings.push(threat);
        if (threat.score >= THREAT_ALERT_THRESHOLD && tsMs !== undefined) {
          const standalone = assessment.intent !== undefined && assessment.score >= THREAT_ALERT_THRESHOLD;
          if (standalone) {
            const target = assessment.target && assessment.target.start !== undefined ? message.body.slice(assessment.target.start, assessment.target.end) : undefined;
            const fresh: IntentContext = { item: message.id, tsMs, intent: assessment.intent!.category, account: message.from, ...(target !== undefined ? { target } : {}) };
            this.enter(message, fresh, true);
          } else if (context) {
            // the thread grows: whoever a context message reaches joins the same intent's context
            this.enter(message, context, false);
          }
        }
      }
      if (tsMs !== undefined && (threat === undefined || threat.score < THREAT_ALERT_THRESHOLD)) this.learnRoutine(message.from, tsMs, assessment);
      const leak = scoreLeak(message.body, signals);
      if (leak) findings.push(leak);
    }
    this.learnHandle(message.from);
    for (const to of message.to) this.learnHandle(to);
    return findings;
  }

  private contextOf(message: TriageMessage): IntentContext | undefined {
    if (message.tsMs === undefined) return undefined;
    let best = this.liveContext(message.from, message.tsMs);
    for (const to of message.to) {
      const c = this.liveContext(to, message.tsMs);
      if (c && (!best || c.tsMs > best.tsMs)) best = c;
    }
    return best;
  }

  private liveContext(account: string, tsMs: number): IntentContext | undefined {
    const c = this.contexts.get(account);
    if (!c) return undefined;
    const age = tsMs - c.tsMs;
    return age >= -CLOCK_SLACK_MS && age <= this.windowMs ? c : undefined;
  }

  private enter(message: TriageMessage, context: IntentContext, isNewer: boolean): void {
    for (const account of [message.from, ...message.to]) {
      const current = this.contexts.get(account);
      if (current && !isNewer && current.tsMs >= context.tsMs) continue;
      // delete first so the Map's order stays the order contexts were entered (oldest first)
      this.contexts.delete(account);
      this.contexts.set(account, context);
    }
    while (this.contexts.size > this.maxAccounts) {
      const oldest = this.contexts.keys().next();
      if (oldest.done === true) break;
      this.contexts.delete(oldest.value);
    }
  }

  private sweep(): void {
    const horizon = this.latestMs - this.windowMs;
    for (const [account, c] of this.contexts) if (c.tsMs < horizon) this.contexts.delete(account);
  }

  /** Preparation kinds the account talks about outside any alert, often enough lately to be its routine. */
  private routineOf(account: string, tsMs: number | undefined): ReadonlySet<string> | undefined {
    const habits = this.routines.get(account);
    if (habits === undefined || tsMs === undefined) return undefined;
    let routine: Set<string> | undefined;
    for (const [category, habit] of habits) {
      if (habit.count >= ROUTINE_MIN_COUNT && tsMs - habit.lastMs <= ROUTINE_MS) (routine ??= new Set()).add(category);
    }
    return routine;
  }

  private learnRoutine(account: string, tsMs: number, assessment: ThreatAssessment): void {
    let habits: Map<string, { count: number; lastMs: number }> | undefined;
    for (const { signal } of assessment.preps) {
      if (signal.weight < ROUTINE_SIGNAL_WEIGHT || !ROUTINE_KINDS.has(signal.category)) continue;
      habits ??= this.routines.get(account);
      if (habits === undefined) {
        if (this.routines.size >= this.maxHandles) return;
        habits = new Map();
        this.routines.set(account, habits);
      }
      const habit = habits.get(signal.category);
      if (habit === undefined) habits.set(signal.category, { count: 1, lastMs: tsMs });
      else {
        // a habit not seen for a while starts again
        habit.count = tsMs - habit.lastMs > ROUTINE_MS ? 1 : habit.count + 1;
        habit.lastMs = Math.max(habit.lastMs, tsMs);
      }
    }
  }

  private learnHandle(handle: string): void {
    // the same few thousand handles send every message: remember them as written, fold once
    if (this.handlesSeen.has(handle) || this.handlesSeen.size >= this.maxHandles) return;
    this.handlesSeen.add(handle);
    if (handle.length < 3) return;
    const folded = foldText(handle);
    // a handle is one word as the tokeniser sees it; "mo bakkal" cannot be found as one token
    if (/^[\p{L}\p{N}]+$/u.test(folded)) this.handles.add(folded);
  }
}
