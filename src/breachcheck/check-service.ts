// The public check behind the page: a request is accepted in constant work (the challenge is
// checked, the address normalised and queued) and answered at once; whether the address is known
// is looked up afterwards, by the notifier, so neither the answer nor its timing depends on it.
// A known address gets one mail, in the page's language, naming the datasets and what was
// exposed with the page's code; an unknown address gets nothing. One mail per address a day:
// pressing the button twice, or a flood aimed at someone's mailbox, sends one.
import type { RangeMode } from '../model/breachcheck.ts';
import { mailDomain, type Mailer } from '../mail/mailer.ts';
import type { PublicCheckIndex } from './check-index.ts';
import type { KeyObject } from 'node:crypto';
import { hmacKey, keyedDigest, normaliseCheckEmail } from './keyed-identifier.ts';
import { composeCheckNotice, type NoticeLanguage } from './notice.ts';
import { issueChallenge, ReplayGuard, verifySolution, type IssuedChallenge, type VerifyFailure } from './proof-of-work.ts';
import { formatRange } from './range.ts';

export type CheckServiceOptions = {
  index: PublicCheckIndex;
  /** The HMAC key of the published identifiers (32 bytes or more). */
  key: Uint8Array | KeyObject;
  /** Signs challenges; a new one each start is fine (challenges live minutes). */
  challengeSecret: Uint8Array | KeyObject;
  /** Absent: the service cannot mail, and says so to everyone alike. */
  mailer?: Mailer;
  from: string;
  organisation: string;
  replyNote?: string;
  now: () => Date;
  challengeBits?: number;
  /** Addresses waiting to be looked up at most (a flood beyond it is refused for everyone alike). */
  maxQueue?: number;
  /** How long an address gets no second mail (default a day). */
  repeatAfterMs?: number;
  /** Attempts per mail when the server fails for a while. */
  attempts?: number;
  retryDelayMs?: number;
  /** Told of every mail sent (for the audit log): the keyed identifier, never the address. */
  onNotified?(event: { digest: string; breaches: string[]; language: NoticeLanguage }): Promise<void> | void;
  onError?(message: string): void;
};

export type CheckSubmission = { email: string; language: NoticeLanguage; challenge: string; solution: string };

export type SubmitOutcome =
  | { kind: 'accepted' }
  | { kind: 'invalid-challenge'; reason: VerifyFailure }
  | { kind: 'invalid-email' }
  | { kind: 'busy' }
  | { kind: 'unavailable' };

type Pending = { address: string; language: NoticeLanguage; code: string };

const DAY_MS = 86_400_000;
const NOTIFIERS = 4;
/** Digests remembered for the one-mail-a-day rule at most; the oldest are forgotten first. */
const MAX_REMEMBERED = 200_000;

export class CheckService {
  private readonly options: CheckServiceOptions;
  private readonly used = new ReplayGuard();
  private readonly queue: Pending[] = [];
  private readonly lastMailed = new Map<string, number>();
  private draining: Promise<void> | undefined;
  readonly stats = { accepted: 0, mailed: 0, unknown: 0, repeated: 0, failed: 0 };

  constructor(options: CheckServiceOptions) {
    // both are HMAC keys used on every request: prepared once
    this.options = { ...options, key: hmacKey(options.key), challengeSecret: hmacKey(options.challengeSecret, 'the challenge secret') };
  }

  get canMail(): boolean {
    return this.options.mailer !== undefined;
  }

  challenge(): IssuedChallenge {
    return issueChallenge(this.options.challengeSecret, { nowMs: this.options.now().getTime(), bits: this.options.challengeBits });
  }

  /** Accepts or refuses a check without looking the address up (see the file's comment). */
  submit(request: CheckSubmission): SubmitOutcome {
    if (!this.options.mailer) return { kind: 'unavailable' };
    const verified = verifySolution(this.options.challengeSecret, request.challenge, request.solution, { nowMs: this.options.now().getTime(), used: this.used });
    if (!verified.ok) return { kind: 'invalid-challenge', reason: verified.reason };
    const address = normaliseCheckEmail(request.email);
    if (address === undefined) return { kind: 'invalid-email' };
    if (this.queue.length >= (this.options.maxQueue ?? 10_000)) return { kind: 'busy' };
    this.queue.push({ address, language: request.language, code: verified.code });
    this.stats.accepted += 1;
    this.draining ??= this.drain().finally(() => {
      this.draining = undefined;
    });
    return { kind: 'accepted' };
  }

  /** Resolves when every accepted check has been looked up and mailed (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.draining) await this.draining;
  }

  async range(mode: RangeMode, prefix: number, padding: boolean): Promise<string> {
    return formatRange(await this.options.index.range(mode, prefix), { mode, padding });
  }

  private async drain(): Promise<void> {
    // after the answer has left: nothing below may run before the request handler returns
    await new Promise<void>((resolve) => setImmediate(resolve));
    // several look-ups and mails in flight: one at a time managed 5-8 mails a second while the
    // server was busy answering checks (docs/BENCH.md)
    const worker = async () => {
      for (let next = this.queue.shift(); next; next = this.queue.shift()) {
        try {
          await this.notify(next);
        } catch (error) {
          this.stats.failed += 1;
          this.options.onError?.(`check notification failed: ${(error as Error).message}`);
        }
      }
    };
    await Promise.all(Array.from({ length: NOTIFIERS }, worker));
  }

  private async notify(pending: Pending): Promise<void> {
    const digest = keyedDigest(this.options.key, pending.address);
    const findings = await this.options.index.findings(digest);
    if (findings.length === 0) {
      this.stats.unknown += 1;
      return;
    }
    const digestHex = digest.toString('hex');
    const nowMs = this.options.now().getTime();
    // checked and remembered without an await between: two notifiers with one address send one mail
    const last = this.lastMailed.get(digestHex);
    if (last !== undefined && nowMs - last < (this.options.repeatAfterMs ?? DAY_MS)) {
      this.stats.repeated += 1;
      return;
    }
    this.remember(digestHex, nowMs);
    const notice = composeCheckNotice({ language: pending.language, code: pending.code, findings, service: { organisation: this.options.organisation, replyNote: this.options.replyNote } });
    const attempts = this.options.attempts ?? 3;
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.options.mailer!.send({
        from: this.options.from, to: pending.address, subject: notice.subject, text: notice.text,
        messageId: `check.${digestHex.slice(0, 16)}.${nowMs.toString(36)}@${mailDomain(this.options.from)}`,
        headers: { 'Auto-Submitted': 'auto-replied' },
      });
      if (outcome.kind === 'accepted') break;
      if (outcome.permanent || attempt >= attempts) throw new Error(`the mail server refused the notification (${outcome.response})`);
      await new Promise((resolve) => setTimeout(resolve, (this.options.retryDelayMs ?? 5000) * attempt));
    }
    this.stats.mailed += 1;
    await this.options.onNotified?.({ digest: digestHex, breaches: findings.map((f) => f.breach), language: pending.language });
  }

  private remember(digestHex: string, nowMs: number): void {
    this.lastMailed.delete(digestHex);
    this.lastMailed.set(digestHex, nowMs);
    while (this.lastMailed.size > MAX_REMEMBERED) this.lastMailed.delete(this.lastMailed.keys().next().value!);
  }
}
