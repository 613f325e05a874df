// What the extractors found, as [type, value, written] triples that read well in assertions.

import { extractEntities } from '../../../src/extract/entities/extract.ts';
import type { EntityMention, ExtractionContext } from '../../../src/extract/entities/types.ts';

export type Found = [type: string, value: string, written: string];

export function written(text: string, mentions: readonly EntityMention[]): Found[] {
  return mentions.map((m) => [m.type, m.value, text.slice(m.start, m.end)]);
}

export function found(text: string, context: ExtractionContext = { defaultRegion: 'NL' }): Found[] {
  return written(text, extractEntities(text, context));
}

export function valuesOf(text: string, type: string, context: ExtractionContext = { defaultRegion: 'NL' }): string[] {
  return extractEntities(text, context).filter((m) => m.type === type).map((m) => m.value);
}
