// The audit log's hash chain. Each event's hash covers its own fields and the hash before it, so
// changing, removing, inserting or reordering an event breaks the chain from that point on. The
// first event links to a random genesis value pinned per store: a chain copied from another
// store, or one whose first events were cut off, does not verify.
import { createHash } from 'node:crypto';
import type { AuditEvent, AuditVerification } from '../model/security.ts';

/** The fields an event's hash covers (its hash and link aside). */
export type AuditFields = Pick<AuditEvent, 'seq' | 'at' | 'actor' | 'action' | 'target' | 'details'>;

/** SHA-256 (hex) of the previous hash and the event's fields, as canonical JSON. */
export function auditHash(prevHash: string, event: AuditFields): string {
  const canonical = canonicalJson({
    prev_hash: prevHash, seq: event.seq, at: event.at, actor: event.actor, action: event.action,
    target: event.target ?? null, details: event.details,
  });
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

/**
 * JSON with object keys sorted at every depth and no whitespace: one text per value, so a hash
 * does not depend on the order a caller happened to build its details in. Undefined members are
 * left out and non-finite numbers become null, as JSON.stringify does; store the details as
 * this text so what is hashed is exactly what is kept.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined || typeof v === 'function' ? 'null' : canonicalJson(v))).join(',')}]`;
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return canonicalJson(JSON.parse(JSON.stringify(value)));
  const members = Object.keys(value)
    .filter((key) => (value as Record<string, unknown>)[key] !== undefined && typeof (value as Record<string, unknown>)[key] !== 'function')
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
  return `{${members.join(',')}}`;
}

/**
 * Checks events in seq order against the genesis: seq runs 1, 2, 3... without gaps, each event
 * links to the hash before it and its own hash matches its fields. Reports the first event that
 * does not fit (for a gap, the first missing seq). An event whose hash was recomputed after a
 * change fits by itself; the break then shows at the next event, whose link no longer matches.
 * Takes any iterable, so a store can stream a long log instead of loading it.
 */
export function verifyChain(events: Iterable<AuditEvent>, genesis: string): AuditVerification {
  const chain = new ChainCheck(genesis);
  for (const event of events) {
    const bad = chain.check(event);
    if (bad) return bad;
  }
  return chain.result();
}

/** verifyChain over events read a page at a time (a server's log of millions of events). */
export async function verifyChainOf(events: AsyncIterable<AuditEvent>, genesis: string): Promise<AuditVerification> {
  const chain = new ChainCheck(genesis);
  for await (const event of events) {
    const bad = chain.check(event);
    if (bad) return bad;
  }
  return chain.result();
}

/** The chain so far: each event checked against the one before it. */
class ChainCheck {
  private expectedSeq = 1;
  private prevHash: string;
  private count = 0;

  constructor(genesis: string) {
    this.prevHash = genesis;
  }

  /** The failure this event is, or undefined when it fits. */
  check(event: AuditEvent): AuditVerification | undefined {
    const bad = (reason: string, seq = event.seq) => ({ ok: false, events: this.count, firstBadSeq: seq, reason, head: this.prevHash });
    if (event.seq !== this.expectedSeq) {
      // a gap is reported at the first missing seq: that is where the log was changed
      if (event.seq > this.expectedSeq) {
        const expected = this.expectedSeq;
        return bad(`gap in seq: ${expected === event.seq - 1 ? `seq ${expected} is` : `seq ${expected} to ${event.seq - 1} are`} missing`, expected);
      }
      return bad(`seq ${event.seq} out of order (expected ${this.expectedSeq})`);
    }
    if (event.prevHash !== this.prevHash) {
      return bad(this.expectedSeq === 1 ? 'broken link: the first event does not start from this store\'s genesis' : `broken link: prev_hash does not match the hash of seq ${event.seq - 1}`);
    }
    if (auditHash(this.prevHash, event) !== event.hash) return bad('hash mismatch: the event was changed after it was written');
    this.prevHash = event.hash;
    this.expectedSeq += 1;
    this.count += 1;
    return undefined;
  }

  result(): AuditVerification {
    return { ok: true, events: this.count, head: this.prevHash };
  }
}
