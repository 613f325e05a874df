// Text folding and tokenising: the words both stores' full-text indexes hold (the SQLite store's
// FTS5 and PostgreSQL's tsvectors are fed these words), every query's words and the fuzzy vocabulary.

const NON_ASCII = /[^\x00-\x7f]/;
const MARKS = /\p{M}+/gu;
const TOKEN = /[\p{L}\p{N}]+/gu;
const ASCII_TOKEN = /[a-z0-9]+/g;

/** Lower-case without diacritics: "Café ÉTÉ" -> "cafe ete". */
export function foldText(text: string): string {
  if (!NON_ASCII.test(text)) return text.toLowerCase();
  return text.normalize('NFKD').replace(MARKS, '').toLowerCase();
}

/** The words of a text as the index sees them: runs of letters and digits, folded. */
export function tokenize(text: string): string[] {
  // most chat text is ASCII, where a plain character class is several times faster
  if (!NON_ASCII.test(text)) return text.toLowerCase().match(ASCII_TOKEN) ?? [];
  return foldText(text).match(TOKEN) ?? [];
}

/** Words worth offering to fuzzy expansion: no digits (numbers are matched exactly), 2..40 chars. */
export function isVocabularyWord(token: string): boolean {
  return token.length >= 2 && token.length <= 40 && !/\d/.test(token);
}
