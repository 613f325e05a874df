// The public service's own database: what it may know to answer the check page and the range
// API, and nothing more. It holds no address, only keyed identifiers (see keyed-identifier.ts),
// and passwords only as the SHA-1 and NTLM hashes the range API serves; the evidence stays in
// the analyst store. Implemented in src/store/sqlite/check-index.ts.
import type { KeyObject } from 'node:crypto';
import type { CheckFinding, PublicBreach, RangeMode } from '../model/breachcheck.ts';
import type { ExposureRecord } from '../model/records.ts';
import type { BreachMeta } from './breaches.ts';
import { keyedDigest, normaliseCheckEmail } from './keyed-identifier.ts';
import type { RangeRow } from './range.ts';

/**
 * One exposure to publish: the keyed identifier of an address (absent for a password seen
 * without an address the check page could ask about), the Lode data classes exposed with it,
 * and the password hashes as upper- or lower-case hex.
 */
export type PublishEntry = { digest?: Uint8Array; dataClasses: string[]; sha1?: string; ntlm?: string };

/** What a publication wrote: distinct identifiers, and entries that carried each kind of password hash. */
export type PublishCounts = { identifiers: number; sha1: number; ntlm: number };

export interface PublicCheckIndex {
  /**
   * Replaces a breach's rows in one transaction: metadata, keyed identifiers with their data
   * classes, password hashes. Readers see the old publication until it commits. PwnCount is the
   * number of distinct identifiers, DataClasses the union of the entries' classes.
   */
  publish(meta: BreachMeta, entries: AsyncIterable<PublishEntry> | Iterable<PublishEntry>, at: string): Promise<PublishCounts>;
  /** Removes a breach and everything published with it; false when there was none. */
  unpublish(name: string): Promise<boolean>;
  /** Sorted by name; with a domain, only breaches of that domain (case-insensitive), as HIBP's `?domain=`. */
  breaches(domain?: string): Promise<PublicBreach[]>;
  /** By name, case-insensitive. */
  breach(name: string): Promise<PublicBreach | undefined>;
  dataClasses(): Promise<string[]>;
  /** Every breach a keyed identifier was published in, oldest first, with the HIBP names of its exposed data classes. */
  findings(digest: Uint8Array): Promise<CheckFinding[]>;
  /** Rows of one 5-hex prefix, summed over breaches, sorted by suffix. */
  range(mode: RangeMode, prefix: number): Promise<RangeRow[]>;
  close(): Promise<void>;
}

/**
 * An analyst store's exposure as the public index takes it. The address is normalised with the
 * same function the check page uses, so the digest published is the digest a person's typing
 * produces; an address that cannot be checked keeps only its password hashes.
 */
export function exposureEntry(exposure: ExposureRecord, key: Uint8Array | KeyObject): PublishEntry {
  const address = exposure.identifierType === 'email' ? normaliseCheckEmail(exposure.identifier) : undefined;
  return {
    ...(address !== undefined && { digest: keyedDigest(key, address) }),
    dataClasses: exposure.dataClasses,
    ...(exposure.passwordSha1 !== undefined && { sha1: exposure.passwordSha1 }),
    ...(exposure.passwordNtlm !== undefined && { ntlm: exposure.passwordNtlm }),
  };
}
