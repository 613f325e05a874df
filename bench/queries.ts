// The query mix: what analysts type into Lode, each with the grep scan that comes closest to it.
// Words were picked from the generated corpus (seed 42): they occur at every size from 200k
// messages up, the rare ones a few times per 100k messages.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

/**
 * The scan of the corpus file closest to a query. Every scan is case-insensitive and matches
 * substrings of whole lines, so it counts at least the lines Lode finds, and usually more.
 * `simpler` scans answer an easier question than the query (one literal of an AND, no NOT, no
 * distance, no fuzziness, no language): generous to grep, which does less work than Lode.
 */
export type ScanSpec =
  | { kind: 'fixed'; literals: string[]; simpler: boolean; note: string }
  | { kind: 'regex'; pattern: string; simpler: boolean; note: string };

export type BenchQuery = { category: string; query: string; scan: ScanSpec | null };

const APRIL_1_TO_15 = '"ts":"2020-04-(0[1-9]|1[0-5])';
const MAY = '"ts":"2020-05-';

type Fidelity = 'same' | 'simpler';

function fixed(literals: string[], fidelity: Fidelity, note: string): ScanSpec {
  return { kind: 'fixed', literals, simpler: fidelity === 'simpler', note };
}

function regex(pattern: string, fidelity: Fidelity, note: string): ScanSpec {
  return { kind: 'regex', pattern, simpler: fidelity === 'simpler', note };
}

/** Two real senders of the corpus (see pickHandles): one for a plain filter, one for combinations. */
export type Handles = { busiest: string; kiloTalker: string };

export function queryMix(handles: Handles): BenchQuery[] {
  const busiest = fromFilter(handles.busiest);
  const talker = fromFilter(handles.kiloTalker);
  const busiestLiteral = `"from":"${handles.busiest}"`;
  const talkerRegex = escapeRegex(`"from":"${handles.kiloTalker}"`);
  return [
    { category: 'common word', query: 'kilo', scan: fixed(['kilo'], 'same', 'word as substring') },
    { category: 'common word', query: 'morgen', scan: fixed(['morgen'], 'same', 'word as substring') },
    { category: 'common word', query: 'geld', scan: fixed(['geld'], 'same', 'word as substring') },
    { category: 'common word', query: 'stenen', scan: fixed(['stenen'], 'same', 'word as substring') },
    { category: 'rare word', query: 'uitschakelen', scan: fixed(['uitschakelen'], 'same', 'word as substring') },
    { category: 'rare word', query: 'glycidaat', scan: fixed(['glycidaat'], 'same', 'word as substring') },
    { category: 'rare word', query: 'kalash', scan: fixed(['kalash'], 'same', 'word as substring') },
    { category: 'AND', query: 'kilo aangekomen', scan: fixed(['aangekomen'], 'simpler', 'rarer word only') },
    { category: 'AND', query: 'politie geld', scan: fixed(['politie'], 'simpler', 'rarer word only') },
    { category: 'OR', query: 'kalash OR glock', scan: fixed(['kalash', 'glock'], 'same', 'either word as substring') },
    { category: 'OR', query: 'bitcoin OR cash OR argent', scan: fixed(['bitcoin', 'cash', 'argent'], 'same', 'any word as substring') },
    { category: 'NOT', query: 'geld -politie', scan: fixed(['geld'], 'simpler', 'no exclusion') },
    { category: 'NOT', query: 'stenen NOT boot', scan: fixed(['stenen'], 'simpler', 'no exclusion') },
    { category: 'phrase', query: '"geld cash"', scan: fixed(['geld cash'], 'same', 'literal phrase') },
    { category: 'phrase', query: '"prijs zakt"', scan: fixed(['prijs zakt'], 'same', 'literal phrase') },
    { category: 'proximity', query: '"kilo prijs"~5', scan: fixed(['prijs'], 'simpler', 'rarer word, no distance') },
    { category: 'proximity', query: '"prijs steen"~5', scan: fixed(['steen'], 'simpler', 'rarer word, no distance') },
    { category: 'proximity', query: '"boot binnenkomt"~3', scan: fixed(['binnenkomt'], 'simpler', 'rarer word, no distance') },
    { category: 'prefix', query: 'coke*', scan: fixed(['coke'], 'same', 'prefix as substring') },
    { category: 'prefix', query: 'contain*', scan: fixed(['contain'], 'same', 'prefix as substring') },
    { category: 'fuzzy', query: 'kilo~1', scan: fixed(['kilo'], 'simpler', 'exact word only') },
    { category: 'fuzzy', query: 'uitschakelen~2', scan: fixed(['uitschakelen'], 'simpler', 'exact word only') },
    { category: 'field', query: busiest, scan: fixed([busiestLiteral], 'same', 'JSON "from" literal') },
    { category: 'field', query: 'lang:fr', scan: null },
    { category: 'date range', query: 'date:[2020-04-01 TO 2020-04-15]', scan: regex(APRIL_1_TO_15, 'same', 'regex on "ts"') },
    { category: 'combination', query: `${talker} kilo`, scan: regex(`${talkerRegex}.*kilo`, 'same', 'regex: sender, then word') },
    { category: 'combination', query: 'geld date:[2020-04-01 TO 2020-04-15]', scan: regex(`${APRIL_1_TO_15}.*geld`, 'same', 'regex: date, then word') },
    { category: 'combination', query: 'caisse lang:fr', scan: fixed(['caisse'], 'simpler', 'word only, no language') },
    { category: 'combination', query: `${talker} (kilo OR stenen OR geld) date:[2020-04-01 TO 2020-04-30]`, scan: regex(`"ts":"2020-04-.*${talkerRegex}.*(kilo|stenen|geld)`, 'same', 'regex: month, sender, words') },
    { category: 'combination', query: '(stenen OR kilo) lang:nl date:[2020-05-01 TO 2020-05-31] -politie', scan: regex(`${MAY}.*(stenen|kilo)`, 'simpler', 'regex: month, words; no language, no exclusion') },
  ];
}

function fromFilter(handle: string): string {
  return /^[\p{L}\p{N}_.-]+$/u.test(handle) ? `from:${handle}` : `from:"${handle}"`;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Picks the senders from the corpus itself, since the population differs with the size: the one
 * with the most messages (the main suspect, a large filter), and the one who writes "kilo" most
 * often (so the combinations with a sender find something).
 */
export async function pickHandles(corpusPath: string): Promise<Handles> {
  const sent = new Map<string, number>();
  const kilo = new Map<string, number>();
  const lines = createInterface({ input: createReadStream(corpusPath), crlfDelay: Infinity });
  const FROM = /^\{"kind":"message".*?"from":("(?:[^"\\]|\\.)*")/;
  const KILO = /\bkilo\b/i;
  for await (const line of lines) {
    const match = FROM.exec(line);
    if (!match) continue;
    const handle = JSON.parse(match[1]!) as string;
    sent.set(handle, (sent.get(handle) ?? 0) + 1);
    if (KILO.test(line.slice(line.indexOf('"body":"')))) kilo.set(handle, (kilo.get(handle) ?? 0) + 1);
  }
  const busiest = mostFrequent(sent);
  if (busiest === undefined) throw new Error(`no message with a sender in ${corpusPath}`);
  return { busiest, kiloTalker: mostFrequent(kilo) ?? busiest };
}

/** The key with the highest count; the first one seen wins a tie, so the choice is stable. */
function mostFrequent(counts: Map<string, number>): string | undefined {
  let best: [string, number] | undefined;
  for (const entry of counts) if (!best || entry[1] > best[1]) best = entry;
  return best?.[0];
}
