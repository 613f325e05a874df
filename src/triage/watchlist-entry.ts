// What an analyst types into a watchlist, made into what the store compares: entity values
// normalised as extraction normalises them (a phone in any writing becomes E.164) and handles
// folded, so a watchlist finds what search filters and `lode search --list` find.
import { classifyListLine } from '../analyze/list-lookup.ts';
import { foldText } from '../extract/tokens.ts';

export type WatchlistEntities = { entities: Record<string, string[]>; invalid: string[] };

/** One entry a line (`phone:+31 6 1234 5678`, `iban:...`, `handle:tapeworm`, or a bare value); `#` comments. */
export function watchlistEntities(lines: readonly string[]): WatchlistEntities {
  const entities: Record<string, string[]> = {};
  const invalid: string[] = [];
  for (const line of lines) {
    const entry = classifyListLine(line);
    if (!entry) continue;
    if (entry.as.startsWith('invalid ')) {
      invalid.push(line.trim());
      continue;
    }
    const type = entry.as === 'handle' ? 'handle' : entry.as;
    const value = entry.as === 'handle' ? foldText(entry.value) : entry.value;
    const values = (entities[type] ??= []);
    if (!values.includes(value)) values.push(value);
  }
  return { entities, invalid };
}
