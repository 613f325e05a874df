// Message rowids are time keys: whole seconds shifted left by 20 bits plus 20 bits taken from
// the stable id. Both the table and the FTS index are ordered by rowid, so newest-first needs
// no sort, and a date range is a rowid range the FTS index can skip to.
// 2^20 slots a second keep the key below 2^53 (exact in a JS number) until the year 2245.

export const SLOTS_PER_SECOND = 2 ** 20;
/** Items without a time sort before everything dated (and fall outside any date filter). */
const UNDATED_SECONDS = -(2 ** 32);

export function messageTimeKey(tsMs: number | undefined, uid: string): number {
  const seconds = tsMs === undefined || !Number.isFinite(tsMs) ? UNDATED_SECONDS : Math.floor(tsMs / 1000);
  return seconds * SLOTS_PER_SECOND + (parseInt(uid.slice(-5), 16) & (SLOTS_PER_SECOND - 1));
}

/** The smallest key at or after an instant. */
export function timeKeyFloor(ms: number): number {
  return Math.ceil(ms / 1000) * SLOTS_PER_SECOND;
}

/** The first 52 bits of a stable id (after its one-letter prefix) as an exact JS integer. */
export function uidKey(uid: string): number {
  return parseInt(uid.slice(1, 14), 16) || 0;
}
