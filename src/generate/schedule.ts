// Time: how many messages fall in each hour (day/night and weekday rhythm), a
// fast ISO formatter, and the min-heap that merges overlapping conversations
// into one time-ordered stream without holding more than the open ones.

import type { Rng } from './rng.ts';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

// Relative activity per local hour; criminals' phones peak late evening.
const HOUR_WEIGHT = [0.6, 0.45, 0.3, 0.18, 0.12, 0.1, 0.14, 0.28, 0.5, 0.7, 0.85, 0.95, 1.0, 1.0, 0.98, 1.0, 1.05, 1.1, 1.15, 1.2, 1.25, 1.28, 1.15, 0.9];
// Sunday=0 .. Saturday=6.
const WEEKDAY_WEIGHT = [0.82, 1.0, 1.0, 1.0, 1.05, 1.15, 1.1];
// Central European Summer Time started on 2020-03-29 01:00 UTC.
const CEST_2020 = Date.UTC(2020, 2, 29, 1);
const SHUTDOWN = Date.UTC(2020, 5, 12, 12);

export function localOffsetHours(ms: number): number {
  return ms >= CEST_2020 ? 2 : 1;
}

/** Messages per hour slot, summing exactly to `total`. */
export function hourQuotas(rng: Rng, total: number, start: number, days: number): Uint32Array {
  const hours = days * 24;
  const weights = new Float64Array(hours);
  let sum = 0;
  let dayJitter = 1;
  for (let h = 0; h < hours; h++) {
    const ms = start + h * HOUR;
    if (h % 24 === 0) dayJitter = 0.85 + rng.next() * 0.3;
    const local = new Date(ms + localOffsetHours(ms) * HOUR);
    const trend = 0.9 + 0.2 * (h / hours);
    // After EncroChat's warning to users on 12-13 June 2020 traffic collapsed.
    const shutdown = ms >= SHUTDOWN ? 0.35 : 1;
    const w = (HOUR_WEIGHT[local.getUTCHours()] ?? 1) * (WEEKDAY_WEIGHT[local.getUTCDay()] ?? 1) * trend * dayJitter * shutdown * (0.9 + rng.next() * 0.2);
    weights[h] = w;
    sum += w;
  }
  const out = new Uint32Array(hours);
  let acc = 0;
  let given = 0;
  for (let h = 0; h < hours; h++) {
    acc += ((weights[h] ?? 0) / sum) * total;
    const upto = h === hours - 1 ? total : Math.round(acc);
    out[h] = Math.max(0, upto - given);
    given += out[h] ?? 0;
  }
  return out;
}

export function isShutdownPhase(ms: number): boolean {
  return ms >= SHUTDOWN;
}

function pad2(n: number): string {
  return n < 10 ? '0' + n : String(n);
}

/** ISO 8601 UTC with seconds; caches the date-hour prefix since it rarely changes. */
export class TimeFormatter {
  private hourKey = -1;
  private prefix = '';

  format(ms: number): string {
    const hourKey = Math.floor(ms / HOUR);
    if (hourKey !== this.hourKey) {
      this.hourKey = hourKey;
      this.prefix = new Date(hourKey * HOUR).toISOString().slice(0, 14);
    }
    const within = Math.floor((ms - hourKey * HOUR) / 1000);
    return this.prefix + pad2(Math.floor(within / 60)) + ':' + pad2(within % 60) + 'Z';
  }
}

export interface Timed {
  next: number;
  seq: number;
}

export class MinHeap<T extends Timed> {
  private items: T[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  private less(a: T, b: T): boolean {
    return a.next < b.next || (a.next === b.next && a.seq < b.seq);
  }

  push(item: T): void {
    const items = this.items;
    items.push(item);
    let i = items.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const parent = items[p] as T;
      if (!this.less(item, parent)) break;
      items[i] = parent;
      i = p;
    }
    items[i] = item;
  }

  pop(): T | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last !== undefined) {
      let i = 0;
      const n = items.length;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const c = r < n && this.less(items[r] as T, items[l] as T) ? r : l;
        if (!this.less(items[c] as T, last)) break;
        items[i] = items[c] as T;
        i = c;
      }
      items[i] = last;
    }
    return top;
  }
}
