// The words of a message body for PostgreSQL's full-text index, folded by Lode's own tokenizer
// (the words the SQLite store's FTS5 index holds too), as a tsvector with positions.
// PostgreSQL's parser would keep e-mail addresses, URLs and hyphenated words whole and its
// unaccent folds some letters otherwise (ß, æ): both stores must find the same messages.
import { tokenize } from '../../extract/tokens.ts';

// PostgreSQL's limits: positions up to 16383 (larger ones are stored as 16383), lexemes up to
// 2047 bytes, a whole tsvector under 1 MB
const MAX_LEXEME_BYTES = 2047;
const MAX_VECTOR_CHARS = 900_000;

/** The tsvector text of a body: `'word':1,4 'other':2`. */
export function termsOf(body: string): string {
  return termsAndWordsOf(body).terms;
}

/** The tsvector text of a body, and how many words it has (what BM25 calls the row's length). */
export function termsAndWordsOf(body: string): { terms: string; words: number } {
  const positions = new Map<string, number[]>();
  const tokens = tokenize(body);
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.length * 4 > MAX_LEXEME_BYTES && Buffer.byteLength(token) > MAX_LEXEME_BYTES) continue;
    const list = positions.get(token);
    if (list) list.push(i + 1);
    else positions.set(token, [i + 1]);
  }
  let vector = '';
  for (const [token, at] of positions) vector += `'${token}':${at.join(',')} `;
  // a body of hundreds of thousands of words: its words stay findable, phrases in it do not
  if (vector.length > MAX_VECTOR_CHARS) vector = [...positions.keys()].map((t) => `'${t}'`).join(' ');
  return { terms: vector.trimEnd(), words: tokens.length };
}
