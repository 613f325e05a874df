// The data files of a court bundle, computed from a CaseBundle and nothing else: the same bundle
// gives the same bytes, so two exports of an unchanged case have the same manifest. Every line of
// every JSONL file stands on its own (a reader can take one message out and still know where it
// came from and what produced it), and absent values are written as null rather than left out,
// so that "not known" is visible and every line of a kind has the same keys.
import type { Annotation, CaseBundle, CaseItemKind } from '../../model/cases.ts';
import type { StoredMessage } from '../../model/items.ts';

/**
 * A bundle as the case module reads it: linked messages the exporting user may not see (legal
 * privilege, outside the warrant's scope) are left out and only counted, and the report says so.
 */
export type ExportBundle = CaseBundle & { withheld?: number };

/** One file of an export before it is written: its path inside the export and its content. */
export type BundleFile = { path: string; content: string | Uint8Array };

/** Bumped when a file's layout changes incompatibly, so readers can tell versions apart. */
export const BUNDLE_FORMAT = 'lode-court-bundle';
export const BUNDLE_FORMAT_VERSION = 1;

export type CaseCounts = {
  messages: number;
  /** Linked messages left out because the exporting user may not see them. */
  withheld: number;
  notes: number;
  accounts: number;
  entities: number;
  persons: number;
  annotations: number;
  translations: number;
  queries: number;
  alerts: number;
  timeline: number;
};

/** items.jsonl, queries.json, annotations.jsonl, timeline.jsonl, alerts.jsonl, case.json, README.txt. */
export function bundleFiles(bundle: CaseBundle): BundleFile[] {
  return [
    { path: 'items.jsonl', content: itemsJsonl(bundle) },
    { path: 'queries.json', content: queriesJson(bundle) },
    { path: 'annotations.jsonl', content: jsonLines(sortedAnnotations(bundle.annotations).map(annotationRecord)) },
    { path: 'timeline.jsonl', content: jsonLines(sortedTimeline(bundle).map((t) => ({ ts: t.ts, kind: t.kind, ref: t.ref, summary: t.summary }))) },
    { path: 'alerts.jsonl', content: jsonLines(bundle.alerts.map(alertRecord)) },
    { path: 'case.json', content: caseJson(bundle) },
    { path: 'README.txt', content: readme(bundle) },
  ];
}

/**
 * One line per message or device note (kind `message` / `note`), oldest first, then one per
 * account, entity and person of the case, each with the annotations and tags attached to it.
 */
export function itemsJsonl(bundle: CaseBundle): string {
  const notes = annotationsByTarget(bundle);
  const tags = tagsByTarget(bundle);
  const mentions = mentionIndex(bundle);
  const producedBy = { lode: bundle.producedBy.lode, toolruns: bundle.producedBy.toolruns.map((t) => ({ component: t.component, version: t.version })) };
  const lines: unknown[] = [];
  for (const m of sortedMessages(bundle.messages)) {
    lines.push({
      kind: m.kind,
      id: m.id,
      ref: m.ref ?? null,
      dataset: m.dataset,
      platform: m.platform,
      ts: m.ts ?? null,
      from: m.from,
      to: m.to,
      group: m.group ?? null,
      body: m.body,
      lang: m.lang ?? null,
      attachments: m.attachments.map((a) => ({ name: a.name ?? null, mime: a.mime ?? null, sha256: a.sha256 ?? null, size_bytes: a.sizeBytes ?? null })),
      extra: m.extra ?? null,
      provenance: {
        source_sha256: m.provenance.sourceSha256,
        source_path: m.provenance.sourcePath,
        line: m.provenance.line,
        offset: m.provenance.offset,
      },
      produced_by: producedBy,
      // All of them, overlaps included: the report highlights a settled subset, the data keeps what was found.
      entities: [...(m.entities ?? [])]
        .sort((a, b) => a.start - b.start || a.end - b.end || compareText(a.type, b.type))
        .map((e) => ({ type: e.type, value: e.value, start: e.start, end: e.end, text: m.body.slice(e.start, e.end) })),
      annotations: (notes.get(targetKey('message', m.id)) ?? []).map(annotationRecord),
      tags: tags.get(targetKey('message', m.id)) ?? [],
    });
  }
  for (const a of bundle.accounts) {
    lines.push({
      kind: 'account', id: a.id, dataset: a.dataset, platform: a.platform, handle: a.handle, name: a.name ?? null,
      messages: a.messages, aliases: a.aliases,
      annotations: (notes.get(targetKey('account', String(a.id))) ?? []).map(annotationRecord),
      tags: tags.get(targetKey('account', String(a.id))) ?? [],
    });
  }
  for (const e of bundle.entities) {
    const ref = `${e.type}:${e.value}`;
    lines.push({
      kind: 'entity', type: e.type, value: e.value, mentions: e.mentions,
      messages: mentions.get(ref) ?? [],
      annotations: (notes.get(targetKey('entity', ref)) ?? []).map(annotationRecord),
      tags: tags.get(targetKey('entity', ref)) ?? [],
    });
  }
  for (const p of bundle.persons) {
    lines.push({
      kind: 'person', id: p.id, name: p.name ?? null,
      accounts: p.accounts.map((a) => ({ dataset: a.dataset, platform: a.platform, handle: a.handle })),
      annotations: (notes.get(targetKey('person', String(p.id))) ?? []).map(annotationRecord),
      tags: tags.get(targetKey('person', String(p.id))) ?? [],
    });
  }
  return jsonLines(lines);
}

/** The queries, word lists and discovery candidates exactly as they were used to build the case. */
export function queriesJson(bundle: CaseBundle): string {
  const queries = bundle.queries.map((q) => ({
    kind: q.kind, text: q.text, dataset: q.dataset ?? null, hits: q.hits ?? null, added_by: q.addedBy, at: q.at,
  }));
  return JSON.stringify({ case: bundle.case.name, queries }, null, 2) + '\n';
}

export function caseJson(bundle: CaseBundle): string {
  const c = bundle.case;
  return JSON.stringify({
    format: BUNDLE_FORMAT,
    format_version: BUNDLE_FORMAT_VERSION,
    case: {
      id: c.id, name: c.name, title: c.title ?? null, description: c.description ?? null, status: c.status,
      candidate: c.candidate ?? null, created_by: c.createdBy, created_at: c.createdAt,
    },
    exported_by: bundle.exportedBy,
    exported_at: bundle.exportedAt,
    produced_by: { lode: bundle.producedBy.lode, toolruns: bundle.producedBy.toolruns },
    counts: caseCounts(bundle),
    datasets: datasetsOf(bundle),
    period: periodOf(bundle),
    items: bundle.items.map((i) => ({ kind: i.kind, ref: i.ref, added_by: i.addedBy, added_at: i.addedAt, tags: i.tags })),
  }, null, 2) + '\n';
}

export function caseCounts(bundle: ExportBundle): CaseCounts {
  return {
    messages: bundle.messages.filter((m) => m.kind === 'message').length,
    withheld: bundle.withheld ?? 0,
    notes: bundle.messages.filter((m) => m.kind === 'note').length,
    accounts: bundle.accounts.length,
    entities: bundle.entities.length,
    persons: bundle.persons.length,
    annotations: bundle.annotations.length,
    translations: bundle.annotations.filter((a) => a.kind === 'translation').length,
    queries: bundle.queries.length,
    alerts: bundle.alerts.length,
    timeline: bundle.timeline.length,
  };
}

/** Oldest first; undated items last; ties by id, so the order never depends on the store's. */
export function sortedMessages(messages: readonly StoredMessage[]): StoredMessage[] {
  return [...messages].sort((a, b) => timeOrder(a.ts, b.ts) || compareText(a.id, b.id));
}

export function sortedTimeline(bundle: CaseBundle): CaseBundle['timeline'] {
  return [...bundle.timeline].sort((a, b) => timeOrder(a.ts, b.ts) || compareText(a.kind, b.kind) || compareText(a.ref, b.ref));
}

export function sortedAnnotations(annotations: readonly Annotation[]): Annotation[] {
  return [...annotations].sort((a, b) => timeOrder(a.at, b.at) || a.id - b.id);
}

/** `kind:ref` of an annotation or tag target. */
export function targetKey(kind: CaseItemKind, ref: string): string {
  return `${kind}:${ref}`;
}

export function annotationsByTarget(bundle: CaseBundle): Map<string, Annotation[]> {
  const byTarget = new Map<string, Annotation[]>();
  for (const a of sortedAnnotations(bundle.annotations)) {
    if (!a.target) continue;
    const key = targetKey(a.target.kind, a.target.ref);
    const list = byTarget.get(key);
    if (list) list.push(a);
    else byTarget.set(key, [a]);
  }
  return byTarget;
}

export function tagsByTarget(bundle: CaseBundle): Map<string, string[]> {
  const byTarget = new Map<string, string[]>();
  for (const item of bundle.items) {
    const key = targetKey(item.kind, item.ref);
    byTarget.set(key, [...new Set([...(byTarget.get(key) ?? []), ...item.tags])].sort(compareText));
  }
  return byTarget;
}

/** Entity spans of a message that lie inside its body, in order, overlaps dropped (first wins). */
export function sortedSpans(message: StoredMessage): NonNullable<StoredMessage['entities']> {
  const spans = (message.entities ?? [])
    .filter((e) => Number.isInteger(e.start) && Number.isInteger(e.end) && e.start >= 0 && e.end > e.start && e.end <= message.body.length)
    .sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: NonNullable<StoredMessage['entities']> = [];
  for (const span of spans) {
    const last = kept.at(-1);
    if (!last || span.start >= last.end) kept.push(span);
  }
  return kept;
}

/** `type:value` -> ids of the messages that mention it, oldest first: one pass, not one per entity. */
export function mentionIndex(bundle: CaseBundle): Map<string, string[]> {
  const index = new Map<string, string[]>();
  for (const m of sortedMessages(bundle.messages)) {
    for (const key of new Set((m.entities ?? []).map((e) => `${e.type}:${e.value}`))) {
      const ids = index.get(key);
      if (ids) ids.push(m.id);
      else index.set(key, [m.id]);
    }
  }
  return index;
}

export function datasetsOf(bundle: CaseBundle): string[] {
  return [...new Set([...bundle.messages.map((m) => m.dataset), ...bundle.accounts.map((a) => a.dataset)])].sort(compareText);
}

export function periodOf(bundle: CaseBundle): { first: string | null; last: string | null } {
  const dated = sortedMessages(bundle.messages).filter((m) => m.ts !== undefined);
  return { first: dated[0]?.ts ?? null, last: dated.at(-1)?.ts ?? null };
}

export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function timeOrder(a: string | undefined, b: string | undefined): number {
  const ta = a === undefined ? Number.POSITIVE_INFINITY : Date.parse(a);
  const tb = b === undefined ? Number.POSITIVE_INFINITY : Date.parse(b);
  const ka = Number.isNaN(ta) ? Number.POSITIVE_INFINITY : ta;
  const kb = Number.isNaN(tb) ? Number.POSITIVE_INFINITY : tb;
  return ka === kb ? 0 : ka < kb ? -1 : 1;
}

function annotationRecord(a: Annotation): unknown {
  return {
    id: a.id,
    kind: a.kind,
    target: a.target ? { kind: a.target.kind, ref: a.target.ref } : null,
    text: a.text,
    author: a.author,
    at: a.at,
  };
}

function alertRecord(a: CaseBundle['alerts'][number]): unknown {
  return { id: a.id, kind: a.kind, score: a.score, item: a.item, status: a.status, reasons: a.reasons };
}

function jsonLines(records: readonly unknown[]): string {
  return records.map((r) => JSON.stringify(r) + '\n').join('');
}

function readme(bundle: CaseBundle): string {
  return [
    `Lode court bundle: case ${bundle.case.name}`,
    `Exported by ${bundle.exportedBy} at ${bundle.exportedAt} with Lode ${bundle.producedBy.lode}.`,
    ...(caseCounts(bundle).withheld > 0 ? [`${caseCounts(bundle).withheld} linked messages were withheld (privilege or legal scope) and are not in this bundle.`] : []),
    '',
    'Files',
    '  report.html        the report: cover, summary, timeline, messages with provenance, accounts,',
    '                     entities, persons, alerts, analyst annotations, queries, method',
    '  report.pdf         the same report as PDF',
    '  items.jsonl        one JSON object a line: every message and device note (kind message/note)',
    '                     with its provenance (SHA-256 and path of the seized source file, 1-based',
    '                     line, byte offset), entities with UTF-16 spans, annotations and tags; then',
    '                     the accounts, entities and persons of the case (kind account/entity/person)',
    '  queries.json       the queries, word lists and discovery candidates used to build the case',
    '  annotations.jsonl  analyst notes and translations by hand (not evidence)',
    '  timeline.jsonl     the case timeline',
    '  alerts.jsonl       triage alerts on the case items',
    '  case.json          case metadata, who exported it and when, Lode version and tool runs, counts',
    '  ftm.jsonl          FollowTheMoney entities for Aleph (when exported)',
    '  MANIFEST.sha256    SHA-256 of every other file',
    '',
    'Verify',
    '  sha256sum -c MANIFEST.sha256',
    'in this directory: every line must say OK. The data root hash on the report cover is the',
    'SHA-256 of the manifest lines of all files except the two reports:',
    "  grep -v '  report\\.' MANIFEST.sha256 | sha256sum",
    '',
  ].join('\n');
}
