// Stable identifiers: the same record in the same dataset always gets the same id, so
// ingesting a file twice (or two exports that overlap) adds nothing.
import { hash } from 'node:crypto';

export function stableId(prefix: 'm' | 'n' | 'v' | 'x', ...parts: string[]): string {
  return prefix + hash('sha256', parts.join('\u0000'), 'hex').slice(0, 20);
}

/** Items without a time are kept apart from every date (see the store's time keys). */
export const UNDATED_SECONDS = -(2 ** 32);

/**
 * A message or note id carries its time: the prefix, 9 hex digits of whole seconds (offset so
 * that undated items are 0), and 20 hex digits of the identity hash. A store can then find an
 * item from its id through its time order, without an index on the id.
 */
export function messageId(prefix: 'm' | 'n', tsMs: number | undefined, ...parts: string[]): string {
  const seconds = tsMs === undefined || !Number.isFinite(tsMs) ? UNDATED_SECONDS : Math.floor(tsMs / 1000);
  return prefix + (seconds - UNDATED_SECONDS).toString(16).padStart(9, '0') + hash('sha256', parts.join('\u0000'), 'hex').slice(0, 20);
}

/** The seconds a message id carries, or undefined for text that is not a message id. */
export function secondsOfMessageId(id: string): number | undefined {
  if (!/^[mn][0-9a-f]{29}$/.test(id)) return undefined;
  return parseInt(id.slice(1, 10), 16) + UNDATED_SECONDS;
}

/** The conversation a message belongs to: its group, or the set of its two or more parties. */
export function conversationKey(from: string, to: readonly string[], group: string | undefined): string {
  if (group) return `group:${group}`;
  if (to.length === 1) {
    const other = to[0]!;
    return other === from ? `direct:${from}` : from < other ? `direct:${from}\u0001${other}` : `direct:${other}\u0001${from}`;
  }
  const parties = [...new Set([from, ...to])].sort();
  return `direct:${parties.join('\u0001')}`;
}
