// Shipping containers (ISO 6346): a three-letter owner code, the category letter U (freight),
// J (detachable equipment) or Z (trailer), six serial digits and a check digit.

import { isContainerNumberValid } from '../checksums.ts';
import type { EntityMention } from './types.ts';

const CONTAINER = /(?<![\p{L}\p{N}_])(?:[A-Z]{3}[UJZ]|[a-z]{3}[ujz]) ?\d{6}[ -]?\d(?![\p{L}\p{N}_])/gu;

export function extractContainers(text: string): EntityMention[] {
  const found: EntityMention[] = [];
  CONTAINER.lastIndex = 0;
  for (let match = CONTAINER.exec(text); match !== null; match = CONTAINER.exec(text)) {
    const value = normaliseContainer(match[0]);
    if (value !== undefined) found.push({ type: 'container', value, start: match.index, end: match.index + match[0].length });
  }
  return found;
}

export function normaliseContainer(input: string): string | undefined {
  const compact = input.trim().replace(/[ -]/g, '').toUpperCase();
  return isContainerNumberValid(compact) ? compact : undefined;
}
