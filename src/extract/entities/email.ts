// E-mail addresses, normalised to lower case (mail systems treat the domain, and in practice
// the mailbox, case-insensitively; "Nordin@..." and "nordin@..." are the same person).

import type { EntityMention } from './types.ts';

const EMAIL = /(?<![\p{L}\p{N}._%+-])[A-Za-z0-9](?:[A-Za-z0-9._%+-]{0,62}[A-Za-z0-9_%+-])?@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![\p{L}\p{N}_-]|\.[A-Za-z0-9])/gu;

export function extractEmails(text: string): EntityMention[] {
  const found: EntityMention[] = [];
  EMAIL.lastIndex = 0;
  for (let match = EMAIL.exec(text); match !== null; match = EMAIL.exec(text)) {
    // "jan..de@x.nl" is not an address: dots may not repeat in the mailbox
    if (match[0].includes('..')) continue;
    found.push({ type: 'email', value: match[0].toLowerCase(), start: match.index, end: match.index + match[0].length });
  }
  return found;
}

export function normaliseEmail(input: string): string | undefined {
  const trimmed = input.trim();
  const found = extractEmails(trimmed);
  return found.length === 1 && found[0]?.start === 0 && found[0].end === trimmed.length ? found[0].value : undefined;
}
