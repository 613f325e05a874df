// Highlighted snippets for stores without FTS5's snippet(): the window of a body's tokens that
// holds the most query words, HTML-escaped, the words wrapped in <mark>, "…" where text is cut.
// The tokens and their folding are the index's (extract/tokens.ts), so what is marked is what
// matched. Pure.
import type { QueryNode } from './ast.ts';
import { foldText, tokenize } from '../extract/tokens.ts';

export type Highlighter = (foldedToken: string) => boolean;

const TOKEN = /[\p{L}\p{N}]+/gu;
const WINDOW_TOKENS = 16;

/** What a query would mark: its positive words, prefixes and fuzzy expansions (not what it excludes). */
export function highlighterOf(ast: QueryNode, expansions: Record<string, string[]>): Highlighter {
  const words = new Set<string>();
  const prefixes: string[] = [];
  const visit = (node: QueryNode): void => {
    switch (node.kind) {
      case 'term':
        for (const t of tokenize(node.value)) words.add(t);
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
        for (const t of node.terms.flatMap((term) => tokenize(term))) words.add(t);
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
  return (token) => words.has(token) || prefixes.some((p) => token.startsWith(p));
}

export function snippetOf(body: string, isHit: Highlighter, windowTokens = WINDOW_TOKENS): string {
  const spans: { start: number; end: number; hit: boolean }[] = [];
  for (const match of body.matchAll(TOKEN)) {
    spans.push({ start: match.index, end: match.index + match[0].length, hit: isHit(foldText(match[0])) });
  }
  if (spans.length === 0) return escapeHtml(body.length > 160 ? `${body.slice(0, 160)}…` : body);
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
    out += `${escapeHtml(body.slice(at, span.start))}<mark>${escapeHtml(body.slice(span.start, span.end))}</mark>`;
    at = span.end;
  }
  out += escapeHtml(body.slice(at, to));
  return last === spans.length - 1 ? out : `${out}…`;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
