// Which country a national writing belongs to when the data does not say.
import { contextForLanguage } from './extract.ts';
import type { CountryCode, ExtractionContext } from './types.ts';

/** Lode's first users are Dutch: "0612345678" is read as Dutch first, then as the usual neighbours. */
export const DEFAULT_REGION: CountryCode = 'NL';

/** The context for a value an analyst typed (a search filter, a list line): no language to go by. */
export function queryContext(region: CountryCode = DEFAULT_REGION): ExtractionContext {
  return contextForLanguage(undefined, region);
}
