// What case discovery reads: one message with what the store knows about it.

/** One message as discovery reads it: the store's message, its entity mentions, its triage score. */
export type DiscoveryMessage = {
  id: string;
  tsMs: number;
  dataset: string;
  from: string;
  to: readonly string[];
  body: string;
  lang?: string;
  /** From the store's mentions (normalised values, as `lode entities` lists them). */
  entities: readonly { type: string; value: string }[];
  /** Triage threat-to-life score 0..1, when known. */
  threat?: number;
};
