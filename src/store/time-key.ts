// Message rowids are time keys: whole seconds shifted left by 20 bits plus 20 bits taken from
// the stable id. Both the table and the FTS index are ordered by rowid, so newest-first needs
// no sort, and a date range is a rowid range the FTS index can skip to.
// 2^20 slots a second keep the key below 2^53 (exact in a JS number) until the year 2245.
// Items without a time sort before everything dated (and fall outside any date filter).

import { secondsOfMessageId, UNDATED_SECONDS } from '../ingest/ids.ts';

export const SLOTS_PER_SECOND = 2 ** 20;

export function messageTimeKey(tsMs: number | undefined, uid: string): number {
  const seconds = tsMs === undefined || !Number.isFinite(tsMs) ? UNDATED_SECONDS : Math.floor(tsMs / 1000);
  return seconds * SLOTS_PER_SECOND + (parseInt(uid.slice(-5), 16) & (SLOTS_PER_SECOND - 1));
}

/** The smallest key at or after an instant. */
export function timeKeyFloor(ms: number): number {
  return Math.ceil(ms / 1000) * SLOTS_PER_SECOND;
}

/** Where an item with this id started probing for a free key; undefined for a foreign id. */
export function naturalKeyOfId(id: string): number | undefined {
  const seconds = secondsOfMessageId(id);
  if (seconds === undefined) return undefined;
  return seconds * SLOTS_PER_SECOND + (parseInt(id.slice(-5), 16) & (SLOTS_PER_SECOND - 1));
}
