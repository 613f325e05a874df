// Web addresses: anything with a scheme, "www." hosts, and bare domains under a short list of
// top-level domains. The list leaves out TLDs that are everyday words in our languages
// (.de, .be, .me, .it, .to, .es): chat skips the space after a full stop ("morgen.de auto").

import type { EntityMention } from './types.ts';

// Emoji and other pictographs end a link: chat glues them on ("https://x.nl/a😅").
const WITH_SCHEME = /(?<![\p{L}\p{N}_])https?:\/\/[^\s<>"'`{}|\\^\p{Extended_Pictographic}\u200d\ufe0f]+/giu;
const WWW = /(?<![\p{L}\p{N}_@.\/-])www\.(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24}(?:[/?#][^\s<>"'`{}|\\^\p{Extended_Pictographic}\u200d\ufe0f]*)?/giu;
const BARE_DOMAIN = /(?<![\p{L}\p{N}_@.\/:-])(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:com|net|org|info|nl|eu|fr|uk|io|ly|nz|onion)(?:\/[^\s<>"'`{}|\\^\p{Extended_Pictographic}\u200d\ufe0f]*)?(?![\p{L}\p{N}_-])/giu;
// Messaging short links whose TLD we otherwise skip.
const SHORT_LINK = /(?<![\p{L}\p{N}_@.\/:-])(?:t\.me|wa\.me)\/[A-Za-z0-9_+]+/gu;

/** Sentence punctuation after a link belongs to the sentence: "kijk https://x.nl/a." */
const TRAILING_PUNCTUATION = /[.,;:!?'"»”’]+$/;

export function extractUrls(text: string): EntityMention[] {
  const found: EntityMention[] = [];
  for (const pattern of [WITH_SCHEME, WWW, BARE_DOMAIN, SHORT_LINK]) {
    pattern.lastIndex = 0;
    for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
      const written = trimUrl(match[0]);
      if (written.length < 4 || found.some((m) => m.start <= match.index && match.index < m.end)) continue;
      found.push({ type: 'url', value: normaliseUrlText(written), start: match.index, end: match.index + written.length });
    }
  }
  return found;
}

/** The URL as written at the start of `candidate`, without the sentence's punctuation. */
export function trimUrl(candidate: string): string {
  let url = candidate.replace(TRAILING_PUNCTUATION, '');
  // a closing bracket is the URL's own only when it opened one ("wiki/Foo_(bar)")
  while (/[)\]]$/.test(url) && count(url, url.endsWith(')') ? '(' : '[') < count(url, url.endsWith(')') ? ')' : ']')) {
    url = url.slice(0, -1).replace(TRAILING_PUNCTUATION, '');
  }
  return url;
}

function count(text: string, char: string): number {
  let n = 0;
  for (let i = text.indexOf(char); i >= 0; i = text.indexOf(char, i + 1)) n++;
  return n;
}

/** Scheme and host are case-insensitive; the path is not, so it is kept as written. */
function normaliseUrlText(url: string): string {
  const match = /^((?:https?:\/\/)?[^/?#]+)(.*)$/is.exec(url);
  if (!match) return url;
  return (match[1] ?? '').toLowerCase() + (match[2] ?? '');
}

export function normaliseUrl(input: string): string | undefined {
  const trimmed = input.trim();
  const found = extractUrls(trimmed);
  return found.length === 1 && found[0]?.start === 0 && found[0].end === trimmed.length ? found[0].value : undefined;
}
