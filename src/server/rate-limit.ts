// Counts failed logins per key (a client address, a user name) in a sliding window. A key with
// too many failures is refused until its oldest failure leaves the window, so guessing a password
// costs hours, while a person who mistyped waits minutes. Memory is bounded: the table holds at
// most `maxKeys` keys, dropping the longest-quiet ones first.

export type FailureLimitOptions = { maxFailures: number; windowMs: number; maxKeys?: number };

export class FailureLimiter {
  private readonly failures = new Map<string, number[]>();
  private readonly maxFailures: number;
  private readonly windowMs: number;
  private readonly maxKeys: number;

  constructor(options: FailureLimitOptions) {
    this.maxFailures = options.maxFailures;
    this.windowMs = options.windowMs;
    this.maxKeys = options.maxKeys ?? 100_000;
  }

  /** Milliseconds until the key may try again, or 0 when it may try now. */
  retryAfterMs(key: string, nowMs: number): number {
    const recent = this.recent(key, nowMs);
    if (recent.length < this.maxFailures) return 0;
    return recent[recent.length - this.maxFailures]! + this.windowMs - nowMs;
  }

  recordFailure(key: string, nowMs: number): void {
    const recent = this.recent(key, nowMs);
    recent.push(nowMs);
    // only the newest maxFailures matter for the decision
    if (recent.length > this.maxFailures) recent.splice(0, recent.length - this.maxFailures);
    // re-inserting moves the key to the end: Map order is then least recently failed first
    this.failures.delete(key);
    this.failures.set(key, recent);
    while (this.failures.size > this.maxKeys) this.failures.delete(this.failures.keys().next().value!);
  }

  clear(key: string): void {
    this.failures.delete(key);
  }

  private recent(key: string, nowMs: number): number[] {
    const times = this.failures.get(key);
    if (!times) return [];
    const kept = times.filter((t) => t > nowMs - this.windowMs);
    if (kept.length === 0) this.failures.delete(key);
    else this.failures.set(key, kept);
    return kept;
  }
}
