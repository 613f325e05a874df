// Duplicates the ids did not catch: the same message delivered by two converters (each with
// its own ids, or none), or sent twice. They are reported, never merged: which copy is the
// evidence is the analyst's call, and both keep their provenance.

/** A stored message that shares its sender and folded words with another one. */
export type DuplicateCandidate = {
  id: string;
  dataset: string;
  sender: string;
  fingerprint: number;
  tsMs?: number;
  body: string;
  source: string;
  line: number;
};

export type DuplicateGroup = {
  /** exact: the same body at the same time; near: the same words within the window. */
  kind: 'exact' | 'near';
  dataset: string;
  sender: string;
  excerpt: string;
  items: { id: string; ts?: string; source: string; line: number }[];
};

/** Copies of one message from two converters rarely differ by more; a resend is within it too. */
export const NEAR_WINDOW_MS = 120_000;
const EXCERPT_CHARS = 120;

/**
 * Groups candidates (sorted by dataset, sender, fingerprint, time) into duplicate groups: a
 * run of items with the same sender and words whose times are each within the window of the
 * previous one. Undated items group only with undated items.
 */
export function groupDuplicates(candidates: readonly DuplicateCandidate[], windowMs = NEAR_WINDOW_MS): DuplicateGroup[] {
  const groups: DuplicateGroup[] = [];
  let run: DuplicateCandidate[] = [];
  const close = () => {
    if (run.length > 1) groups.push(toGroup(run));
    run = [];
  };
  for (const c of candidates) {
    const last = run.at(-1);
    const sameKey = last && last.dataset === c.dataset && last.sender === c.sender && last.fingerprint === c.fingerprint;
    const near = sameKey && (last.tsMs === undefined ? c.tsMs === undefined : c.tsMs !== undefined && Math.abs(c.tsMs - last.tsMs) <= windowMs);
    if (!near) close();
    run.push(c);
  }
  close();
  return groups;
}

function toGroup(run: readonly DuplicateCandidate[]): DuplicateGroup {
  const first = run[0]!;
  const exact = run.every((c) => c.body === first.body && c.tsMs === first.tsMs);
  return {
    kind: exact ? 'exact' : 'near',
    dataset: first.dataset,
    sender: first.sender,
    excerpt: first.body.slice(0, EXCERPT_CHARS),
    items: run.map((c) => ({ id: c.id, ts: c.tsMs === undefined ? undefined : new Date(c.tsMs).toISOString(), source: c.source, line: c.line })),
  };
}
