// What the SQLite store's full-text index holds of a body: Lode's own words (src/extract/tokens.ts),
// one blank between them, indexed by FTS5's ascii tokenizer, which splits at the blanks and keeps
// each word as it is. FTS5's unicode61 tokenizer knows Unicode 6.1 only: it kept newer emoji and
// symbols inside a word ("stenen🥶" was one token, so `stenen` missed it: 0.7% of the bench
// corpus's messages), and it folds neither compatibility forms nor newer letters as Lode does.
// With Lode's words in both stores, SQLite and PostgreSQL find the same messages, and the fuzzy
// vocabulary (also Lode's words) holds only words the index has.
import { tokenize } from '../../extract/tokens.ts';

export function ftsWordsOf(body: string): string {
  return tokenize(body).join(' ');
}

/** The SQL function through which a migration fills the index from the stored bodies. */
export const FTS_WORDS_FUNCTION = 'lode_fts_words';
