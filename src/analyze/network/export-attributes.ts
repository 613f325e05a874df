// The attributes both graph exports carry, declared once so GEXF and GraphML stay alike.
import type { AccountMetrics } from './analyse.ts';
import type { TieAttributes } from './graph.ts';

export type ExportedType = 'integer' | 'long' | 'double';

export type NodeColumn = { name: string; type: ExportedType; read: (metrics: AccountMetrics) => number };
export type EdgeColumn = { name: string; type: ExportedType; read: (tie: TieAttributes) => number };

export const NODE_COLUMNS: readonly NodeColumn[] = [
  { name: 'community', type: 'integer', read: (m) => m.community },
  { name: 'pagerank', type: 'double', read: (m) => m.pagerank },
  { name: 'betweenness', type: 'double', read: (m) => m.betweenness },
  { name: 'messages', type: 'long', read: (m) => m.messages },
  { name: 'sent', type: 'long', read: (m) => m.sent },
  { name: 'received', type: 'long', read: (m) => m.received },
  { name: 'degree', type: 'integer', read: (m) => m.degree },
  { name: 'bridging', type: 'integer', read: (m) => m.bridging },
  { name: 'score', type: 'double', read: (m) => m.score },
];

/** `source` and `target` are the edge's own ends as written in the export. */
export const EDGE_COLUMNS: readonly EdgeColumn[] = [
  { name: 'messages', type: 'long', read: (t) => t.messages },
  { name: 'sourceToTarget', type: 'long', read: (t) => t.sourceToTarget },
  { name: 'targetToSource', type: 'long', read: (t) => t.targetToSource },
];
