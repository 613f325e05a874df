// How a recipient moves through a campaign. Statuses are milestones in order (a letter before a
// talk); a step may be skipped (an e-mail without a letter), but a recipient does not move back
// unless an officer corrects a mistake on purpose. "no-response" ends a recipient's path from any
// point after the first contact, and a talk can still be scheduled after it (a late reply).
import { RECIPIENT_STATUSES, type Recipient, type RecipientStatus } from '../model/campaigns.ts';
import type { Store } from '../store/store.ts';

const RANK = new Map(RECIPIENT_STATUSES.map((status, i) => [status, i]));

/** Statuses an officer sets by hand; the others follow from what Lode did (letters generated, e-mails sent). */
export const MANUAL_STATUSES = ['letter-sent', 'email-sent', 'talk-scheduled', 'talk-held', 'no-response'] as const satisfies readonly RecipientStatus[];

/** `keepStatus`: the step is recorded in the history, the status stays where it is further on. */
export type TransitionCheck = { ok: true; keepStatus?: boolean } | { ok: false; reason: string };

/** Letters and e-mails are two channels: a letter posted after the e-mail went is recorded, not a step back. */
const CONTACT_STEPS: readonly RecipientStatus[] = ['letter-sent', 'email-sent'];

export function checkTransition(from: RecipientStatus, to: RecipientStatus, isCorrection = false): TransitionCheck {
  if (from === to) return { ok: false, reason: `the recipient is already ${to}` };
  if (isCorrection) return { ok: true };
  if (CONTACT_STEPS.includes(to) && rank(to) < rank(from) && from !== 'letter-generated') return { ok: true, keepStatus: true };
  if (to === 'talk-held' && from !== 'talk-scheduled') return { ok: false, reason: 'a talk is held after it was scheduled: schedule it first (or correct on purpose)' };
  if (to === 'no-response' && from === 'selected') return { ok: false, reason: 'nobody can fail to respond before being contacted: send the letter or e-mail first' };
  if (to === 'no-response' && from === 'talk-held') return { ok: false, reason: 'the talk was held: the recipient did respond' };
  if (from === 'no-response' && to === 'talk-scheduled') return { ok: true };
  if (rank(to) < rank(from)) return { ok: false, reason: `the recipient is ${from}, which comes after ${to}; a correction must say so on purpose` };
  return { ok: true };
}

/** Whether an automatic step (a letter generated, an e-mail sent) moves the recipient on: never back. */
export function advances(from: RecipientStatus, to: RecipientStatus): boolean {
  return from !== 'no-response' && rank(to) > rank(from);
}

/** When a recipient was first contacted (letter sent or e-mail sent), for re-offending. */
export function contactedAt(history: readonly { status: string; at: string }[]): string | undefined {
  return history.filter((h) => h.status === 'letter-sent' || h.status === 'email-sent').map((h) => h.at).sort()[0];
}

function rank(status: RecipientStatus): number {
  return RANK.get(status)!;
}

export class TrackingError extends Error {}

export type Mark = {
  status?: RecipientStatus;
  /** When it happened (default now). */
  at?: string;
  note?: string;
  /** For talk-scheduled: when and where the talk is. */
  talk?: { at: string; place?: string };
  /** A deliberate step back (a mistake corrected); recorded as such. */
  isCorrection?: boolean;
};

/** An officer's step for one recipient: checked, then written with its history entry. */
export async function markRecipient(store: Store, campaign: string, reference: string, mark: Mark, actor: string): Promise<Recipient> {
  const [recipient] = await store.recipients(campaign, { reference });
  if (!recipient) throw new TrackingError(`campaign ${campaign} has no recipient ${reference}`);
  if (mark.status === undefined && mark.note === undefined) throw new TrackingError('say what happened: a status or a note');
  if (mark.status === 'talk-scheduled' && !mark.talk) throw new TrackingError('a scheduled talk needs its time (and place)');
  if (mark.talk && mark.status !== 'talk-scheduled') throw new TrackingError('a talk time goes with the status talk-scheduled');
  let keepStatus = false;
  if (mark.status !== undefined) {
    const check = checkTransition(recipient.status, mark.status, mark.isCorrection);
    if (!check.ok) throw new TrackingError(`${reference}: ${check.reason}`);
    keepStatus = check.keepStatus === true;
  }
  const updated = await store.updateRecipient(campaign, reference, {
    ...(mark.status ? (keepStatus ? { label: mark.status } : { status: mark.status }) : {}),
    ...(mark.at ? { at: mark.at } : {}),
    ...(mark.note !== undefined ? { note: mark.note } : {}),
    ...(mark.talk ? { talk: mark.talk } : {}),
    ...(mark.isCorrection || mark.talk ? { details: { ...(mark.isCorrection ? { correction: true, from: recipient.status } : {}), ...(mark.talk ? { talk: mark.talk } : {}) } } : {}),
  }, actor);
  return updated!;
}
