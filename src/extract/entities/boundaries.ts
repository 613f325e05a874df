// Where a token may start or end. Most look-alikes are fragments of longer tokens (a phone
// number inside an order code, an IBAN inside a URL), so every extractor insists on clean edges.

/** Letters and digits in any script, plus underscore: what continues a token. */
const TOKEN_CHARACTER = /[\p{L}\p{N}_]/u;

export function isTokenCharacter(char: string | undefined): boolean {
  if (char === undefined) return false;
  const code = char.charCodeAt(0);
  if (code < 128) return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
  return TOKEN_CHARACTER.test(char);
}

/** True when nothing of the same token precedes `start` and nothing follows `end`. */
export function standsAlone(text: string, start: number, end: number): boolean {
  return !isTokenCharacter(text[start - 1]) && !isTokenCharacter(text[end]);
}

export function isDigitCode(code: number): boolean {
  return code >= 48 && code <= 57;
}
