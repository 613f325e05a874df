// Text folding and tokenising that mirror the full-text index (FTS5 unicode61 with
// remove_diacritics 2): what we fold here must equal what the index matches.

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
