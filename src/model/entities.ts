// Entities found in the evidence: a phone number, an IBAN, a wallet... normalised so that every
// writing of the same thing is one entity, and each mention kept with its item and span.

/** One entity of a dataset and how often it is mentioned. */
export type EntityCount = { dataset: string; type: string; value: string; mentions: number };

export type EntityQuery = { dataset?: string; type?: string; limit: number; offset: number };

/** Where a looked-up value (one line of `lode search --list`) appears. */
export type ListMatch = {
  input: string;
  /** What the line was read as: an entity type, or `handle` for an account name. */
  as: string;
  value: string;
  found: boolean;
  /** Messages that mention it (for an entity) or that the account sent (for a handle). */
  messages: number;
  datasets: string[];
  firstSeen?: string;
  lastSeen?: string;
  /** A few of the items, newest first, to open with `lode show`. */
  examples: string[];
};

/** A directed, aggregated tie of the communication network: how often `from` wrote to `to`. */
export type CommunicationEdge = { from: string; to: string; messages: number; firstMs?: number; lastMs?: number };
