// Text with marks, rendered as React text nodes: never through innerHTML, so a message body can
// never become markup, whatever the server or the data holds.
import type { ReactNode } from 'react';
import type { EntitySpan } from './api-types.ts';

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&#x27;': "'" };

function unescapeHtml(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39|#x27);/g, (entity) => ENTITIES[entity] ?? entity);
}

/** A search snippet: escaped text whose only markup is <mark>…</mark>. */
export function Snippet({ html }: { html: string }) {
  const parts: ReactNode[] = [];
  let marked = false;
  let key = 0;
  for (const piece of html.split(/(<\/?mark>)/)) {
    if (piece === '<mark>') marked = true;
    else if (piece === '</mark>') marked = false;
    else if (piece) parts.push(marked ? <mark key={key++}>{unescapeHtml(piece)}</mark> : unescapeHtml(piece));
  }
  return <>{parts}</>;
}

/** A body with entity spans (UTF-16 offsets, as the server gives them) marked by type. */
export function EntityText({ text, spans, onEntity }: { text: string; spans: readonly EntitySpan[]; onEntity?: (span: EntitySpan) => void }) {
  const sorted = [...spans].filter((s) => s.start >= 0 && s.end <= text.length && s.start < s.end).sort((a, b) => a.start - b.start);
  const parts: ReactNode[] = [];
  let at = 0;
  for (const span of sorted) {
    if (span.start < at) continue;
    if (span.start > at) parts.push(text.slice(at, span.start));
    parts.push(
      <button type="button" key={`${span.start}-${span.end}`} className={`entity entity-${span.type}`} title={`${span.type}: ${span.value}`} onClick={() => onEntity?.(span)}>
        {text.slice(span.start, span.end)}
      </button>,
    );
    at = span.end;
  }
  if (at < text.length) parts.push(text.slice(at));
  return <>{parts}</>;
}

/** A body with ranges (alert reasons) marked. */
export function RangeText({ text, ranges }: { text: string; ranges: readonly { start: number; end: number; title: string }[] }) {
  const sorted = [...ranges].filter((r) => r.start >= 0 && r.end <= text.length && r.start < r.end).sort((a, b) => a.start - b.start);
  const parts: ReactNode[] = [];
  let at = 0;
  for (const r of sorted) {
    if (r.start < at) continue;
    if (r.start > at) parts.push(text.slice(at, r.start));
    parts.push(<mark key={`${r.start}-${r.end}`} title={r.title}>{text.slice(r.start, r.end)}</mark>);
    at = r.end;
  }
  if (at < text.length) parts.push(text.slice(at));
  return <>{parts}</>;
}
