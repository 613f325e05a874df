// BM25 as SQLite's FTS5 computes it (its bm25() with k1 = 1.2, b = 0.75 and one column), for the
// PostgreSQL store, whose ts_rank weighs no word by its rarity: with this, `--sort relevance`
// orders hits alike in both stores, to the last bit of the score. Pure: the caller brings the
// index's figures (rows, words, rows holding each phrase) and each hit's words.
//
// What FTS5 does, and test/search/bm25.test.ts checks against SQLite itself: every quoted phrase
// of the MATCH expression counts, in the order written, even under OR and NOT (absent from a
// row, it adds nothing); a phrase's IDF is ln((N - n + 0.5) / (n + 0.5)) over all N rows, n of
// which hold it (the C library's logarithm), and 1e-6 when that is not positive; its frequency in a row is the number of
// places it starts there, and inside NEAR(...) only the places that take part in a match.

const K1 = 1.2;
const B = 0.75;

/** A phrase of an FTS5 expression: its words, the last one a prefix or not, and its NEAR group. */
export type RankPhrase = { words: string[]; prefix: boolean; near?: NearGroup };
type NearGroup = { id: number; distance: number };

/** The phrases of a MATCH expression as compile-sqlite writes it (quoted phrases, `*`, NEAR(..., n)). */
export function phrasesOf(match: string): RankPhrase[] {
  const phrases: RankPhrase[] = [];
  let near: NearGroup | undefined;
  let groups = 0;
  let i = 0;
  while (i < match.length) {
    if (match.startsWith('NEAR(', i)) {
      // FTS5's default distance is 10; compile-sqlite always writes one
      near = { id: ++groups, distance: 10 };
      i += 'NEAR('.length;
    } else if (match[i] === '"') {
      let text = '';
      i += 1;
      for (; i < match.length; i++) {
        if (match[i] !== '"') text += match[i];
        else if (match[i + 1] === '"') text += match[++i];
        else break;
      }
      i += 1;
      const prefix = match[i] === '*';
      if (prefix) i += 1;
      phrases.push({ words: text.split(' ').filter((w) => w !== ''), prefix, ...(near ? { near } : {}) });
    } else if (near && match[i] === ',') {
      const digits = /^,\s*(\d+)/.exec(match.slice(i));
      if (digits) near.distance = Number(digits[1]);
      i += digits ? digits[0].length : 1;
    } else {
      if (match[i] === ')') near = undefined;
      i += 1;
    }
  }
  return phrases;
}

/** Where a phrase starts in a row's words (overlapping places count, as in FTS5). */
export function phraseStarts(words: readonly string[], phrase: RankPhrase): number[] {
  const n = phrase.words.length;
  const starts: number[] = [];
  if (n === 0) return starts;
  const last = n - 1;
  for (let i = 0; i + n <= words.length; i++) {
    let j = 0;
    while (j < n && (phrase.prefix && j === last ? words[i + j]!.startsWith(phrase.words[j]!) : words[i + j] === phrase.words[j])) j++;
    if (j === n) starts.push(i);
  }
  return starts;
}

/** Each phrase's frequency in a row, as FTS5's bm25 counts it. */
export function phraseFrequencies(words: readonly string[], phrases: readonly RankPhrase[]): number[] {
  const starts = phrases.map((p) => phraseStarts(words, p));
  return phrases.map((phrase, i) => {
    if (!phrase.near) return starts[i]!.length;
    const group = phrases.flatMap((p, j) => (p.near === phrase.near ? [j] : []));
    return starts[i]!.filter((start) => takesPartInNear(start, i, group, phrases, starts)).length;
  });
}

/**
 * FTS5's NEAR: one place of each phrase of the group such that, from the end of each to the
 * start of the last one, at most `distance` words lie between. A place takes part when some
 * such choice holds it: there is a start M (the last one of the choice) at or after it, close
 * enough, with every other phrase of the group starting within its reach of M, at or before M.
 */
function takesPartInNear(start: number, self: number, group: readonly number[], phrases: readonly RankPhrase[], starts: readonly number[][]): boolean {
  const distance = phrases[self]!.near!.distance;
  const reaches = (j: number, s: number, last: number) => s <= last && last - (s + phrases[j]!.words.length) <= distance;
  for (const k of group) {
    for (const last of starts[k]!) {
      if (!reaches(self, start, last)) continue;
      if (group.every((j) => j === self || starts[j]!.some((s) => reaches(j, s, last)))) return true;
    }
  }
  return false;
}

/** What a phrase's IDF is the logarithm of: `rows` in the index, `hits` of them holding it. */
export function oddsOf(rows: number, hits: number): number {
  return (rows - hits + 0.5) / (hits + 0.5);
}

/**
 * A phrase's IDF from the natural logarithm of its odds, which must be the C library's, as FTS5's
 * is: V8's Math.log differs from it in the last bit for some values (the odds of `kilo` in the
 * bench's 5M corpus), and so would every score of a query with that word.
 */
export function idfOf(logOfOdds: number): number {
  return logOfOdds <= 0 ? 1e-6 : logOfOdds;
}

/** A row's score (higher is better; FTS5's rank is its negative), summed phrase by phrase in order. */
export function bm25(frequencies: readonly number[], idf: readonly number[], rowWords: number, averageWords: number): number {
  let score = 0;
  for (let i = 0; i < frequencies.length; i++) {
    const f = frequencies[i]!;
    score += idf[i]! * ((f * (K1 + 1.0)) / (f + K1 * (1 - B + (B * rowWords) / averageWords)));
  }
  return score;
}
