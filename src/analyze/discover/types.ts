// The vocabulary of case discovery: what it reads (one message with what the store knows about
// it) and what it proposes (a candidate case with the evidence for it and why it ranks where it does).

export type { DiscoveryMessage } from '../../model/discovery.ts';

export type CandidateTopic = { topic: string; count: number; terms: string[] };
export type CandidateAccount = { handle: string; messages: number };
export type CandidateEntity = { type: string; value: string; count: number };
export type CandidateEvidence = { id: string; ts: string; from: string; to: string[]; body: string };

/** A group of accounts that talk about the same things in the same period: a case to open, maybe. */
export type CandidateCase = {
  /** Stable: a hash of dataset, sorted accounts, period and main topic. */
  id: string;
  dataset: string;
  /** "cocaine-import: ijsbeer, jaguar +1, 2020-04-02..2020-04-19" */
  title: string;
  /** Most messages first. */
  topics: CandidateTopic[];
  /** Most messages first. */
  accounts: CandidateAccount[];
  /** ISO time of the first and last message. */
  from: string;
  to: string;
  messages: number;
  /** Every message of the candidate, in time order. */
  messageIds: string[];
  /** Most mentions first. */
  entities: CandidateEntity[];
  /** How grave the matter is: threats, weapons, volumes of drugs and money, topic weights. */
  severity: number;
  /** The rank: severity weighed with size. */
  score: number;
  /** Why it ranks here: "3 threat alerts", "40 kg (40 stenen)", "weapons: ak, glock". */
  reasons: string[];
  /** The few most telling messages, in time order. */
  evidence: CandidateEvidence[];
};

export type DiscoveryOptions = {
  /**
   * An account's messages on one topic link when closer than burstFactor x (period / their
   * number): a burst against its own rhythm (default 0.5), within the gaps below.
   */
  burstFactor?: number;
  /** Accounts that share a topic link messages at most this far apart (default 4 days). */
  accountGapMs?: number;
  /** The same two accounts on the same topic link messages at most this far apart (default 14 days). */
  pairGapMs?: number;
  /** Threat alerts sharing an account link (and threat threads merge) at most this far apart (default 7 days). */
  threatGapMs?: number;
  /** The same identifier (container, IBAN, wallet, plate...) links at most this far apart (default 45 days). */
  entityGapMs?: number;
  /** A reply this soon after a telling message between the same two accounts belongs with it (default 15 minutes). */
  replyGapMs?: number;
  /** Threads of a shared account and topic merge when at most this far apart (default 14 days). */
  mergeGapMs?: number;
  /** A candidate lasts at most this long; longer talk is cut at its widest silences (default 45 days). */
  maxSpanMs?: number;
  /** Triage score from which a message counts as a threat alert (default 0.5). */
  threatThreshold?: number;
  /** Candidates with fewer messages are dropped (default 5). */
  minMessages?: number;
  /** Threads with more accounts are split by communication community, and merging stops here (default 8). */
  maxAccounts?: number;
  /** How many evidence messages a candidate carries (default 5). */
  evidence?: number;
  /** At most this many candidates are returned, best first (default: all). */
  limit?: number;
  /** Called after each phase (for progress and measurements). */
  onPhase?: (phase: 'scanned' | 'linked' | 'merged', counts: { messages: number; kept: number; groups: number }) => void;
  /** Seed of the community split, so the same data gives the same candidates (default 1). */
  seed?: number;
};
