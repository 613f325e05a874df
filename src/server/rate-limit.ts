// Counts events per key (failed logins per client address or user name, public checks per client
// address) in a sliding window. A key with too many is refused until its oldest event leaves the
// window, so guessing a password costs hours, while a person who mistyped waits minutes. Memory
// is bounded: the table holds at most `maxKeys` keys, dropping the longest-quiet ones first.

export type WindowLimitOptions = { maxEvents: number; windowMs: number; maxKeys?: number };

export class WindowLimiter {
  private readonly events = new Map<string, number[]>();
  private readonly maxEvents: number;
  private readonly windowMs: number;
  private readonly maxKeys: number;

  constructor(options: WindowLimitOptions) {
    this.maxEvents = options.maxEvents;
    this.windowMs = options.windowMs;
    this.maxKeys = options.maxKeys ?? 100_000;
  }

  /** Milliseconds until the key may try again, or 0 when it may try now. */
  retryAfterMs(key: string, nowMs: number): number {
    const recent = this.recent(key, nowMs);
    if (recent.length < this.maxEvents) return 0;
    return recent[recent.length - this.maxEvents]! + this.windowMs - nowMs;
  }

  record(key: string, nowMs: number): void {
    const recent = this.recent(key, nowMs);
    recent.push(nowMs);
    // only the newest maxEvents matter for the decision
    if (recent.length > this.maxEvents) recent.splice(0, recent.length - this.maxEvents);
    // re-inserting moves the key to the end: Map order is then least recently active first
    this.events.delete(key);
    this.events.set(key, recent);
    while (this.events.size > this.maxKeys) this.events.delete(this.events.keys().next().value!);
  }

  clear(key: string): void {
    this.events.delete(key);
  }

  private recent(key: string, nowMs: number): number[] {
    const times = this.events.get(key);
    if (!times) return [];
    const kept = times.filter((t) => t > nowMs - this.windowMs);
    if (kept.length === 0) this.events.delete(key);
    else this.events.set(key, kept);
    return kept;
  }
}
