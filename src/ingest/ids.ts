// Stable identifiers: the same record in the same dataset always gets the same id, so
// ingesting a file twice (or two exports that overlap) adds nothing.
import { hash } from 'node:crypto';

export function stableId(prefix: 'm' | 'n' | 'v', ...parts: string[]): string {
  return prefix + hash('sha256', parts.join('\u0000'), 'hex').slice(0, 20);
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
