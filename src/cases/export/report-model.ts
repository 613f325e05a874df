// What the HTML and the PDF report both show, computed once: messages grouped by conversation,
// annotations and tags by target, counts, and the rules that make evidence text exact on screen
// and on paper (invisible and direction-changing characters are shown as [U+XXXX], never obeyed).
import type { Annotation, CaseBundle, CaseItemKind, ExportedFile } from '../../model/cases.ts';
import type { StoredMessage } from '../../model/items.ts';
import {
  annotationsByTarget, caseCounts, compareText, datasetsOf, mentionIndex, periodOf, sortedAnnotations, sortedMessages, type ExportBundle,
  sortedSpans, sortedTimeline, tagsByTarget, targetKey, type CaseCounts,
} from './bundle-files.ts';

/** What the reports say about the files they describe (they cannot list their own digests). */
export type ReportMeta = {
  /** Every file of the export except the two reports, with digests. */
  dataFiles: ExportedFile[];
  /** SHA-256 of the manifest lines of `dataFiles`: what the cover prints. */
  dataRootSha256: string;
};

export type Conversation = {
  /** Anchor-safe, stable key. */
  key: string;
  title: string;
  kind: 'group' | 'direct' | 'notes';
  dataset: string;
  platform: string;
  messages: StoredMessage[];
};

export type ReportModel = {
  bundle: ExportBundle;
  meta: ReportMeta;
  counts: CaseCounts;
  datasets: string[];
  period: { first: string | null; last: string | null };
  conversations: Conversation[];
  timeline: CaseBundle['timeline'];
  annotations: Annotation[];
  notesOn: (kind: CaseItemKind, ref: string) => Annotation[];
  tagsOn: (kind: CaseItemKind, ref: string) => string[];
  /** Ids of the messages that mention an entity (`type`, `value`), oldest first. */
  mentionsOf: (type: string, value: string) => string[];
  /** Ids of the messages in the report, so the timeline and alerts link only to what exists. */
  messageIds: Set<string>;
};

export function reportModel(bundle: ExportBundle, meta: ReportMeta): ReportModel {
  const notes = annotationsByTarget(bundle);
  const tags = tagsByTarget(bundle);
  const mentions = mentionIndex(bundle);
  return {
    bundle,
    meta,
    counts: caseCounts(bundle),
    datasets: datasetsOf(bundle),
    period: periodOf(bundle),
    conversations: conversationsOf(bundle.messages),
    timeline: sortedTimeline(bundle),
    annotations: sortedAnnotations(bundle.annotations),
    notesOn: (kind, ref) => notes.get(targetKey(kind, ref)) ?? [],
    tagsOn: (kind, ref) => tags.get(targetKey(kind, ref)) ?? [],
    mentionsOf: (type, value) => mentions.get(`${type}:${value}`) ?? [],
    messageIds: new Set(bundle.messages.map((m) => m.id)),
  };
}

/**
 * A group chat is its group; outside groups a conversation is its fixed set of parties (as the
 * store defines it); device notes are grouped per owner. Ordered by their first message.
 */
export function conversationsOf(messages: readonly StoredMessage[]): Conversation[] {
  const byKey = new Map<string, Conversation>();
  for (const m of sortedMessages(messages)) {
    let kind: Conversation['kind'];
    let parties: string;
    if (m.kind === 'note') {
      kind = 'notes';
      parties = m.from;
    } else if (m.group !== undefined) {
      kind = 'group';
      parties = m.group;
    } else {
      kind = 'direct';
      parties = [...new Set([m.from, ...m.to])].sort(compareText).join('\u0000');
    }
    const key = [kind, m.dataset, m.platform, parties].join('\u0000');
    let conversation = byKey.get(key);
    if (!conversation) {
      const title = kind === 'group' ? `Group ${m.group ?? ''}`
        : kind === 'notes' ? `Notes on the device of ${m.from}`
        : `Conversation between ${parties.split('\u0000').join(', ')}`;
      conversation = { key: `c${byKey.size + 1}`, title, kind, dataset: m.dataset, platform: m.platform, messages: [] };
      byKey.set(key, conversation);
    }
    conversation.messages.push(m);
  }
  return [...byKey.values()];
}

/** A run of text to show as it is, or the marker standing for one character that cannot be. */
export type TextPiece = { text: string; isMarker: boolean };

/**
 * Characters a reader would not see or that would silently reorder what they see: C0/C1
 * controls (tab, newline and carriage return aside), zero-width space, LRM/RLM, the bidi
 * embeddings, overrides and isolates (a U+202E can make "gnp.exe" read as "exe.png"), word
 * joiner, BOM, and lone surrogates. The zero-width joiner is kept: emoji sequences need it.
 */
export function isInvisible(codePoint: number): boolean {
  return (codePoint < 0x20 && codePoint !== 0x09 && codePoint !== 0x0a && codePoint !== 0x0d)
    || (codePoint >= 0x7f && codePoint <= 0x9f)
    || codePoint === 0x200b || codePoint === 0x200e || codePoint === 0x200f
    || (codePoint >= 0x202a && codePoint <= 0x202e)
    || codePoint === 0x2060 || (codePoint >= 0x2066 && codePoint <= 0x2069)
    || codePoint === 0xfeff
    || (codePoint >= 0xd800 && codePoint <= 0xdfff);
}

export function codePointMarker(codePoint: number): string {
  return `[U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}]`;
}

/** Splits text into pieces to show and markers for characters `canShow` refuses (or invisible ones). */
export function visiblePieces(text: string, canShow: (codePoint: number) => boolean = () => true): TextPiece[] {
  const pieces: TextPiece[] = [];
  let run = '';
  for (const char of text) {
    const codePoint = char.codePointAt(0) ?? 0;
    if (!isInvisible(codePoint) && canShow(codePoint)) {
      run += char;
      continue;
    }
    if (run) pieces.push({ text: run, isMarker: false });
    run = '';
    pieces.push({ text: codePointMarker(codePoint), isMarker: true });
  }
  if (run) pieces.push({ text: run, isMarker: false });
  return pieces;
}

/** A message body cut at its entity spans: plain runs and entity runs, in order. */
export function bodySegments(message: StoredMessage): { text: string; entity?: { type: string; value: string } }[] {
  const segments: { text: string; entity?: { type: string; value: string } }[] = [];
  let at = 0;
  for (const span of sortedSpans(message)) {
    if (span.start > at) segments.push({ text: message.body.slice(at, span.start) });
    segments.push({ text: message.body.slice(span.start, span.end), entity: { type: span.type, value: span.value } });
    at = span.end;
  }
  if (at < message.body.length || segments.length === 0) segments.push({ text: message.body.slice(at) });
  return segments;
}

/** `2020-04-01 12:34:56 UTC` for an ISO 8601 time; anything else as given. */
export function displayTime(ts: string | null | undefined): string {
  if (ts === undefined || ts === null) return '(no time)';
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2}(?:\.\d+)?)(Z|[+-]\d{2}:\d{2})$/.exec(ts);
  if (!match) return ts;
  return `${match[1]} ${match[2]} ${match[3] === 'Z' ? 'UTC' : match[3]}`;
}

export function provenanceLine(m: StoredMessage): string {
  const p = m.provenance;
  return `Source SHA-256 ${p.sourceSha256} · file ${p.sourcePath} · line ${p.line} · byte offset ${p.offset}`;
}

export function annotationLabel(a: Annotation): string {
  return a.kind === 'translation' ? 'Translation by hand (analyst annotation, not evidence)' : 'Analyst note (not evidence)';
}

export function targetLabel(a: Annotation): string {
  return a.target ? `${a.target.kind} ${a.target.ref}` : 'the case';
}

export const SECTIONS = [
  { id: 'summary', title: 'Summary' },
  { id: 'timeline', title: 'Timeline' },
  { id: 'messages', title: 'Messages' },
  { id: 'accounts', title: 'Accounts' },
  { id: 'entities', title: 'Entities' },
  { id: 'persons', title: 'Persons' },
  { id: 'alerts', title: 'Alerts' },
  { id: 'annotations', title: 'Analyst annotations' },
  { id: 'queries', title: 'Queries and word lists' },
  { id: 'method', title: 'Method and verification' },
] as const;

export const VERIFY_COMMAND = 'sha256sum -c MANIFEST.sha256';
export const ROOT_COMMAND = "grep -v '  report\\.' MANIFEST.sha256 | sha256sum";
