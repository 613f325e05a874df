// Highlighted snippets, the same in both stores: the window of a body's tokens that
// holds the most query words, HTML-escaped, the words wrapped in <mark>, "…" where text is cut.
// The tokens and their folding are the index's (extract/tokens.ts), so what is marked is what
// matched. Pure.
import type { QueryNode } from './ast.ts';
import { foldText, tokenize } from '../extract/tokens.ts';

type TokenTest = (foldedToken: string) => boolean;
/**
 * What a query marks: single tokens (words, prefixes, fuzzy expansions), and phrases of several
 * tokens, whose every occurrence is marked as one span and whose tokens are not marked on their
 * own: what is marked is what matched, as FTS5's snippet() marks it.
 */
export type Highlighter = { token: TokenTest; phrases: TokenTest[][] };

const TOKEN = /[\p{L}\p{N}]+/gu;
const WINDOW_TOKENS = 16;

/** What a query would mark: its positive words, prefixes and fuzzy expansions (not what it excludes). */
export function highlighterOf(ast: QueryNode, expansions: Record<string, string[]>): Highlighter {
  const words = new Set<string>();
  const prefixes: string[] = [];
  const phrases: TokenTest[][] = [];
  // as the stores search them, a term of several tokens is a phrase too ("e-mail")
  const sequence = (tokens: string[]): void => {
    if (tokens.length > 1) phrases.push(tokens.map((word) => (token) => token === word));
    else if (tokens.length === 1) words.add(tokens[0]!);
  };
  const visit = (node: QueryNode): void => {
    switch (node.kind) {
      case 'term':
        sequence(tokenize(node.value));
        break;
      case 'prefix': {
        const tokens = tokenize(node.value);
        tokens.slice(0, -1).forEach((t) => words.add(t));
        if (tokens.length > 0) prefixes.push(tokens[tokens.length - 1]!);
        break;
      }
      case 'fuzzy':
        for (const t of expansions[`${node.value}~${node.distance}`] ?? tokenize(node.value)) words.add(t);
        break;
      case 'phrase':
        // a proximity query (NEAR) matches its terms each on its own
        if (node.proximity === undefined) sequence(node.terms.flatMap((term) => tokenize(term)));
        else for (const term of node.terms) sequence(tokenize(term));
        break;
      case 'and':
      case 'or':
        node.children.forEach(visit);
        break;
      default:
        break;
    }
  };
  visit(ast);
  return { token: (token) => words.has(token) || prefixes.some((p) => token.startsWith(p)), phrases };
}

export function snippetOf(body: string, highlight: Highlighter, windowTokens = WINDOW_TOKENS): string {
  // joined: the token continues the highlight of the token before it (inside one phrase occurrence)
  const spans: { start: number; end: number; folded: string; hit: boolean; joined: boolean }[] = [];
  for (const match of body.matchAll(TOKEN)) {
    const folded = foldText(match[0]);
    spans.push({ start: match.index, end: match.index + match[0].length, folded, hit: highlight.token(folded), joined: false });
  }
  for (const phrase of highlight.phrases) {
    for (let i = 0; i + phrase.length <= spans.length; i++) {
      if (!phrase.every((matches, j) => matches(spans[i + j]!.folded))) continue;
      for (let j = 0; j < phrase.length; j++) {
        spans[i + j]!.hit = true;
        if (j > 0) spans[i + j]!.joined = true;
      }
    }
  }
  if (spans.length === 0) return escapeHtml(leadOf(body));
  let best = 0;
  let bestHits = -1;
  let hits = 0;
  for (let i = 0; i < spans.length; i++) {
    if (spans[i]!.hit) hits += 1;
    if (i >= windowTokens && spans[i - windowTokens]!.hit) hits -= 1;
    const start = Math.max(0, i - windowTokens + 1);
    if (hits > bestHits) {
      bestHits = hits;
      best = start;
    }
  }
  const last = Math.min(spans.length, best + windowTokens) - 1;
  const from = best === 0 ? 0 : spans[best]!.start;
  const to = last === spans.length - 1 ? body.length : spans[last]!.end;
  let out = best === 0 ? '' : '…';
  let at = from;
  for (let i = best; i <= last; i++) {
    const span = spans[i]!;
    if (!span.hit) continue;
    let end = i;
    while (end < last && spans[end + 1]!.joined) end += 1;
    out += `${escapeHtml(body.slice(at, span.start))}<mark>${escapeHtml(body.slice(span.start, spans[end]!.end))}</mark>`;
    at = spans[end]!.end;
    i = end;
  }
  out += escapeHtml(body.slice(at, to));
  return last === spans.length - 1 ? out : `${out}…`;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A hit's snippet: the window around what matched, or the body's start when the query has no words. */
export function hitSnippet(body: string, highlight: Highlighter | undefined): string {
  return highlight ? snippetOf(body, highlight) : escapeHtml(leadOf(body));
}

function leadOf(body: string): string {
  return body.length > 160 ? `${body.slice(0, 160)}…` : body;
}
