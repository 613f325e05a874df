// report.html: one self-contained file a prosecutor, a judge or a defence lawyer can open in any
// browser or print. No script, no external resource (a Content-Security-Policy says so to the
// browser too), and every string that comes from the evidence or from a user goes through
// `text()`, which escapes it and shows invisible or reordering characters as [U+XXXX]: a body
// that says `<script>` is shown as those characters, never run.
import type { Annotation } from '../../model/cases.ts';
import type { ExportBundle } from './bundle-files.ts';
import type { StoredMessage } from '../../model/items.ts';
import {
  annotationLabel, bodySegments, displayTime, reportModel, ROOT_COMMAND, SECTIONS, targetLabel, VERIFY_COMMAND,
  visiblePieces, type ReportMeta, type ReportModel,
} from './report-model.ts';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes the five characters HTML gives a meaning to, in text and in quoted attributes. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/** Escaped text with invisible and reordering characters shown as marked [U+XXXX]. */
export function text(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  return visiblePieces(String(value))
    .map((p) => (p.isMarker ? `<span class="ctl">${escapeHtml(p.text)}</span>` : escapeHtml(p.text)))
    .join('');
}

/** An id attribute value or fragment for a Lode id (escaped; ids are ours but may hold anything). */
function anchor(prefix: string, id: string | number): string {
  return escapeHtml(`${prefix}-${id}`);
}

export function renderReportHtml(bundle: ExportBundle, meta: ReportMeta): string {
  const model = reportModel(bundle, meta);
  const c = bundle.case;
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta name="generator" content="Lode ${escapeHtml(bundle.producedBy.lode)}">`,
    `<title>Case ${text(c.name)} · court bundle</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    cover(model),
    toc(),
    '<main>',
    summary(model),
    timeline(model),
    messages(model),
    accounts(model),
    entities(model),
    persons(model),
    alerts(model),
    annotations(model),
    queries(model),
    method(model),
    '</main>',
    `<footer class="page-foot">Lode ${text(bundle.producedBy.lode)} · case ${text(c.name)} · exported ${text(displayTime(bundle.exportedAt))} by ${text(bundle.exportedBy)} · data root SHA-256 ${text(meta.dataRootSha256)}</footer>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function cover(model: ReportModel): string {
  const { bundle, counts, meta } = model;
  const c = bundle.case;
  const facts: [string, string][] = [
    ['Case', `${text(c.name)} <span class="muted">(id ${text(c.id)}, ${text(c.status)})</span>`],
    ['Opened', `${text(displayTime(c.createdAt))} by ${text(c.createdBy)}`],
    ['Exported', `${text(displayTime(bundle.exportedAt))} by <strong>${text(bundle.exportedBy)}</strong>`],
    ['Software', `Lode ${text(bundle.producedBy.lode)}`],
    ['Datasets', model.datasets.map(text).join(', ') || '<span class="muted">none</span>'],
    ['Period', `${text(displayTime(model.period.first))} – ${text(displayTime(model.period.last))}`],
  ];
  if (c.candidate) facts.push(['Opened from', `discovery candidate ${text(c.candidate)}`]);
  if (counts.withheld > 0) facts.push(['Withheld', `<strong>${counts.withheld}</strong> linked ${counts.withheld === 1 ? 'message is' : 'messages are'} not in this export: the exporting user may not see ${counts.withheld === 1 ? 'it' : 'them'} (legal privilege or outside the legal scope)`]);
  const tiles: [string, number][] = [
    ['Messages', counts.messages], ['Device notes', counts.notes], ['Accounts', counts.accounts],
    ['Entities', counts.entities], ['Persons', counts.persons], ['Alerts', counts.alerts],
    ['Annotations', counts.annotations], ['Queries', counts.queries],
  ];
  return `<header class="cover">
<p class="kicker">Lode · court bundle · evidence report</p>
<h1>${text(c.title ?? c.name)}</h1>
${c.title ? `<p class="subtitle">Case ${text(c.name)}</p>` : ''}
${c.description ? `<p class="description">${text(c.description)}</p>` : ''}
<dl class="facts">${facts.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join('')}</dl>
<div class="tiles">${tiles.map(([k, v]) => `<div class="tile"><span class="n">${v}</span><span class="l">${k}</span></div>`).join('')}</div>
<div class="root">
<p class="root-label">Data root SHA-256</p>
<p class="hash">${text(meta.dataRootSha256)}</p>
<p class="small">The SHA-256 of the <code>MANIFEST.sha256</code> lines of every file of this export except the two reports
(a report cannot contain its own digest). Recompute it with <code>${escapeHtml(ROOT_COMMAND)}</code>; check every
file with <code>${escapeHtml(VERIFY_COMMAND)}</code>.</p>
</div>
<p class="small notice">Evidence text is reproduced exactly as stored. Characters that would be invisible or would
reorder the text on screen are shown as <span class="ctl">[U+XXXX]</span>. Analyst annotations, translations by hand and
tags are marked as such: they are not evidence and never alter it.</p>
</header>`;
}

function toc(): string {
  return `<nav class="toc"><h2>Contents</h2><ol>${SECTIONS.map((s) => `<li><a href="#${s.id}">${s.title}</a></li>`).join('')}</ol></nav>`;
}

function section(id: string, body: string): string {
  const title = SECTIONS.find((s) => s.id === id)?.title ?? id;
  return `<section id="${id}"><h2>${title}</h2>\n${body}\n</section>`;
}

function summary(model: ReportModel): string {
  const { counts, bundle } = model;
  const rows: [string, number][] = [
    ['Messages', counts.messages], ['Linked messages withheld (privilege or legal scope)', counts.withheld],
    ['Notes written on devices', counts.notes], ['Accounts', counts.accounts],
    ['Entities (phones, IBANs, wallets, plates...)', counts.entities], ['Persons', counts.persons],
    ['Triage alerts', counts.alerts], ['Analyst annotations', counts.annotations],
    ['of which translations by hand', counts.translations], ['Queries and word lists', counts.queries],
    ['Timeline entries', counts.timeline],
  ];
  return section('summary', `<table class="counts"><tbody>${rows.map(([k, v]) => `<tr><th>${k}</th><td class="num">${v}</td></tr>`).join('')}</tbody></table>
<p>Conversations: ${model.conversations.length}. Datasets: ${model.datasets.map(text).join(', ') || 'none'}.
First message ${text(displayTime(model.period.first))}, last ${text(displayTime(model.period.last))}.</p>
${bundle.case.description ? `<p>${text(bundle.case.description)}</p>` : ''}`);
}

function itemLink(model: ReportModel, ref: string): string {
  return model.messageIds.has(ref) ? `<a href="#${anchor('m', ref)}"><code>${text(ref)}</code></a>` : `<code>${text(ref)}</code>`;
}

function timeline(model: ReportModel): string {
  if (model.timeline.length === 0) return section('timeline', '<p class="muted">No timeline entries.</p>');
  const rows = model.timeline.map((t) => `<tr class="tl-${escapeHtml(t.kind)}"><td class="nowrap">${text(displayTime(t.ts))}</td><td><span class="badge badge-${escapeHtml(t.kind)}">${text(t.kind)}</span></td><td>${t.kind === 'message' ? itemLink(model, t.ref) : `<code>${text(t.ref)}</code>`}</td><td>${text(t.summary)}</td></tr>`);
  return section('timeline', `<table class="grid"><thead><tr><th>Time</th><th>Kind</th><th>Item</th><th>Summary</th></tr></thead><tbody>${rows.join('')}</tbody></table>
<p class="small muted">Annotation entries on the timeline are analyst work, not evidence.</p>`);
}

function messages(model: ReportModel): string {
  if (model.conversations.length === 0) return section('messages', '<p class="muted">No messages.</p>');
  const parts = model.conversations.map((conv) => `<div class="conversation" id="${escapeHtml(conv.key)}">
<h3>${text(conv.title)}</h3>
<p class="conv-meta">${text(conv.platform)} · dataset ${text(conv.dataset)} · ${conv.messages.length} ${conv.messages.length === 1 ? 'item' : 'items'}</p>
${conv.messages.map((m) => message(model, m)).join('\n')}
</div>`);
  return section('messages', `<p class="small">Each item shows its Lode id, the id the source gave it (ref), and its provenance: the SHA-256 and
path of the seized source file, the 1-based line and the byte offset of the record in it. Entities found in a body are
underlined; what was found is listed below the body.</p>\n${parts.join('\n')}`);
}

function message(model: ReportModel, m: StoredMessage): string {
  const body = bodySegments(m)
    .map((s) => (s.entity ? `<mark class="ent" title="${escapeHtml(`${s.entity.type} ${s.entity.value}`)}">${text(s.text)}</mark>` : text(s.text)))
    .join('');
  const parties = m.kind === 'note'
    ? `Note by <strong>${text(m.from)}</strong>`
    : `From <strong>${text(m.from)}</strong> to ${m.to.length ? m.to.map((h) => `<strong>${text(h)}</strong>`).join(', ') : '<span class="muted">(no recipient recorded)</span>'}`;
  const metaBits = [
    `Lode id <code>${text(m.id)}</code>`,
    m.ref !== undefined ? `source ref <code>${text(m.ref)}</code>` : 'no source ref',
    m.group !== undefined ? `group ${text(m.group)}` : '',
    m.lang ? `language ${text(m.lang)}` : '',
  ].filter(Boolean);
  const spans = bodySegments(m).filter((s) => s.entity);
  const tags = model.tagsOn('message', m.id);
  return `<article class="msg" id="${anchor('m', m.id)}">
<div class="msg-head"><span class="time">${text(displayTime(m.ts))}</span><span class="parties">${parties}</span></div>
<div class="msg-meta">${metaBits.join(' · ')}</div>
<div class="body">${body}</div>
${m.attachments.length ? `<ul class="attachments">${m.attachments.map((a) => `<li>Attachment ${text(a.name ?? '(no name)')}${a.mime ? ` · ${text(a.mime)}` : ''}${a.sizeBytes !== undefined ? ` · ${text(a.sizeBytes)} bytes` : ''}${a.sha256 ? ` · SHA-256 <code>${text(a.sha256)}</code>` : ''}</li>`).join('')}</ul>` : ''}
${spans.length ? `<p class="entities">Entities: ${spans.map((s) => `<span class="ent-item">${text(s.entity?.type)} <code>${text(s.entity?.value)}</code></span>`).join(' ')}</p>` : ''}
<p class="prov"><span class="prov-label">Provenance</span> source SHA-256 <code>${text(m.provenance.sourceSha256)}</code> · file <code>${text(m.provenance.sourcePath)}</code> · line ${text(m.provenance.line)} · byte offset ${text(m.provenance.offset)}</p>
${tags.length ? `<p class="tags">Tags (analyst): ${tags.map((t) => `<span class="tag">${text(t)}</span>`).join(' ')}</p>` : ''}
${model.notesOn('message', m.id).map(note).join('\n')}
</article>`;
}

function note(a: Annotation): string {
  return `<aside class="note note-${escapeHtml(a.kind)}"><p class="note-label">${annotationLabel(a)} · ${text(a.author)} · ${text(displayTime(a.at))}</p><div class="note-text">${text(a.text)}</div></aside>`;
}

function notesAndTags(model: ReportModel, kind: 'account' | 'entity' | 'person', ref: string): string {
  const tags = model.tagsOn(kind, ref);
  const notes = model.notesOn(kind, ref);
  if (!tags.length && !notes.length) return '';
  return `<tr class="sub"><td colspan="6">${tags.length ? `<p class="tags">Tags (analyst): ${tags.map((t) => `<span class="tag">${text(t)}</span>`).join(' ')}</p>` : ''}${notes.map(note).join('')}</td></tr>`;
}

function accounts(model: ReportModel): string {
  const list = model.bundle.accounts;
  if (list.length === 0) return section('accounts', '<p class="muted">No accounts linked to the case.</p>');
  const rows = list.map((a) => `<tr id="${anchor('a', a.id)}"><td><strong>${text(a.handle)}</strong></td><td>${text(a.platform)}</td><td>${text(a.dataset)}</td><td>${text(a.name ?? '')}</td><td class="num">${a.messages}</td><td>${a.aliases.map(text).join(', ')}</td></tr>${notesAndTags(model, 'account', String(a.id))}`);
  return section('accounts', `<table class="grid"><thead><tr><th>Handle</th><th>Platform</th><th>Dataset</th><th>Name (attributed)</th><th>Messages</th><th>Aliases others saved</th></tr></thead><tbody>${rows.join('')}</tbody></table>
<p class="small muted">Names and aliases are what contact lists in the evidence call an account, reconciled by Lode; they are a hypothesis, not an identification.</p>`);
}

function entities(model: ReportModel): string {
  const list = model.bundle.entities;
  if (list.length === 0) return section('entities', '<p class="muted">No entities linked to the case.</p>');
  const rows = list.map((e) => {
    const ref = `${e.type}:${e.value}`;
    const ids = model.mentionsOf(e.type, e.value);
    return `<tr><td>${text(e.type)}</td><td><code>${text(e.value)}</code></td><td class="num">${e.mentions}</td><td colspan="3">${ids.map((id) => itemLink(model, id)).join(' ') || '<span class="muted">none in this report</span>'}</td></tr>${notesAndTags(model, 'entity', ref)}`;
  });
  return section('entities', `<table class="grid"><thead><tr><th>Type</th><th>Normalised value</th><th>Mentions</th><th colspan="3">Messages in this report</th></tr></thead><tbody>${rows.join('')}</tbody></table>`);
}

function persons(model: ReportModel): string {
  const list = model.bundle.persons;
  if (list.length === 0) return section('persons', '<p class="muted">No persons linked to the case.</p>');
  const rows = list.map((p) => `<tr id="${anchor('p', p.id)}"><td class="num">${p.id}</td><td><strong>${text(p.name ?? '(no name)')}</strong></td><td colspan="4">${p.accounts.map((a) => `${text(a.platform)}:<strong>${text(a.handle)}</strong> <span class="muted">(${text(a.dataset)})</span>`).join(', ')}</td></tr>${notesAndTags(model, 'person', String(p.id))}`);
  return section('persons', `<table class="grid"><thead><tr><th>Id</th><th>Name</th><th colspan="4">Accounts (links confirmed by an analyst)</th></tr></thead><tbody>${rows.join('')}</tbody></table>`);
}

function alerts(model: ReportModel): string {
  const list = model.bundle.alerts;
  if (list.length === 0) return section('alerts', '<p class="muted">No alerts.</p>');
  const rows = list.map((a) => `<tr><td class="num">${a.id}</td><td>${text(a.kind)}</td><td class="num">${text(a.score.toFixed(2))}</td><td>${itemLink(model, a.item)}</td><td>${text(a.status)}</td><td>${a.reasons.map(text).join('; ')}</td></tr>`);
  return section('alerts', `<table class="grid"><thead><tr><th>Id</th><th>Kind</th><th>Score</th><th>Item</th><th>Status</th><th>Reasons</th></tr></thead><tbody>${rows.join('')}</tbody></table>
<p class="small muted">Alerts are computed by Lode's triage rules (see the tool runs under Method); they point at evidence and are not evidence themselves.</p>`);
}

function annotations(model: ReportModel): string {
  if (model.annotations.length === 0) return section('annotations', '<p class="muted">No annotations.</p>');
  const items = model.annotations.map((a) => {
    const target = a.target?.kind === 'message' ? itemLink(model, a.target.ref) : text(targetLabel(a));
    return `<div class="ann"><p class="ann-target">#${a.id} on ${target}</p>${note(a)}</div>`;
  });
  return section('annotations', `<p class="small">Everything in this section was written by analysts. It explains or translates the evidence and is not part of it.</p>\n${items.join('\n')}`);
}

function queries(model: ReportModel): string {
  const list = model.bundle.queries;
  if (list.length === 0) return section('queries', '<p class="muted">No queries recorded.</p>');
  const items = list.map((q, i) => `<div class="query"><p class="query-head">${i + 1}. ${text(q.kind)}${q.dataset ? ` on dataset ${text(q.dataset)}` : ''}${q.hits !== undefined ? ` · ${q.hits} hits` : ''} · ${text(q.addedBy)} · ${text(displayTime(q.at))}</p><pre>${text(q.text)}</pre></div>`);
  return section('queries', `<p class="small">The queries, word lists and discovery candidates used to build the case, exactly as they were run (also in <code>queries.json</code>).</p>\n${items.join('\n')}`);
}

function method(model: ReportModel): string {
  const { bundle, meta } = model;
  const runs = bundle.producedBy.toolruns.map((t) => `<tr><td><code>${text(t.component)}</code></td><td><code>${text(t.version)}</code></td></tr>`).join('');
  const items = bundle.items.map((i) => `<tr><td>${text(i.kind)}</td><td><code>${text(i.ref)}</code></td><td>${text(i.addedBy)}</td><td class="nowrap">${text(displayTime(i.addedAt))}</td></tr>`).join('');
  const files = meta.dataFiles.map((f) => `<tr><td><code>${text(f.path)}</code></td><td class="num">${f.bytes}</td><td><code class="hash-sm">${text(f.sha256)}</code></td></tr>`).join('');
  return section('method', `<h3>Software</h3>
<p>Exported with Lode ${text(bundle.producedBy.lode)}. Derived data (entities, alerts, attributions) records the component and version that produced it:</p>
<table class="grid narrow"><thead><tr><th>Component</th><th>Version</th></tr></thead><tbody>${runs || '<tr><td colspan="2" class="muted">none recorded</td></tr>'}</tbody></table>
<h3>Provenance</h3>
<p>Every message carries the SHA-256 and path of the seized file it was read from, the 1-based line and the byte offset of
its record. To check an item against the seizure, hash the original file (<code>sha256sum FILE</code>), compare with the
source SHA-256, and read the record at the given byte offset.</p>
<h3>Case items</h3>
<table class="grid"><thead><tr><th>Kind</th><th>Ref</th><th>Added by</th><th>Added at</th></tr></thead><tbody>${items || '<tr><td colspan="4" class="muted">none</td></tr>'}</tbody></table>
<h3>Files and verification</h3>
<p>In the export directory, <code>${escapeHtml(VERIFY_COMMAND)}</code> must print OK for every file (the manifest also
covers this report). The data root SHA-256 on the cover, <code>${text(meta.dataRootSha256)}</code>, is the SHA-256 of the
manifest lines of the files below; <code>${escapeHtml(ROOT_COMMAND)}</code> prints it.</p>
<table class="grid"><thead><tr><th>File</th><th>Bytes</th><th>SHA-256</th></tr></thead><tbody>${files}</tbody></table>`);
}

const STYLE = `
:root{--ink:#1b1f24;--muted:#5b6470;--line:#d5d9de;--accent:#1f3a5f;--note:#a15c00;--note-bg:#fff8eb;--ev-bg:#fbfbfc}
*{box-sizing:border-box}
html{font-size:15px}
body{margin:0 auto;max-width:60rem;padding:2rem 2.5rem 4rem;color:var(--ink);background:#fff;font-family:"Source Serif Pro","Georgia","Times New Roman",serif;line-height:1.5}
h1,h2,h3,.kicker,.tile,.facts dt,.msg-head,.msg-meta,.prov,.note-label,table,.toc,.badge,.page-foot{font-family:"Inter","Helvetica Neue","Arial",sans-serif}
h1{font-size:2.1rem;line-height:1.2;margin:.2rem 0 .4rem}
h2{font-size:1.35rem;color:var(--accent);border-bottom:2px solid var(--accent);padding-bottom:.2rem;margin:2.5rem 0 1rem}
h3{font-size:1.05rem;margin:1.6rem 0 .4rem}
code,pre,.hash{font-family:"JetBrains Mono","DejaVu Sans Mono","Consolas",monospace;font-size:.82em;overflow-wrap:anywhere}
pre{white-space:pre-wrap;background:var(--ev-bg);border:1px solid var(--line);padding:.6rem .8rem;margin:.3rem 0 1rem}
a{color:var(--accent)}
.muted{color:var(--muted)}
.small{font-size:.85rem}
.nowrap{white-space:nowrap}
.num{text-align:right;font-variant-numeric:tabular-nums}
.cover{min-height:92vh;border-top:6px solid var(--accent);padding-top:1.5rem}
.kicker{text-transform:uppercase;letter-spacing:.12em;font-size:.78rem;color:var(--muted);margin:0}
.subtitle{font-size:1.1rem;color:var(--muted);margin:0 0 .8rem}
.description{font-size:1.05rem;max-width:45rem}
.facts{display:grid;grid-template-columns:9rem 1fr;gap:.25rem 1rem;margin:1.5rem 0}
.facts dt{color:var(--muted);font-size:.85rem;padding-top:.1rem}
.facts dd{margin:0}
.tiles{display:grid;grid-template-columns:repeat(4,1fr);gap:.6rem;margin:1.5rem 0}
.tile{border:1px solid var(--line);padding:.6rem .8rem}
.tile .n{display:block;font-size:1.6rem;font-weight:600;color:var(--accent)}
.tile .l{font-size:.8rem;color:var(--muted)}
.root{border:1px solid var(--accent);padding:.8rem 1rem;margin:1.5rem 0;background:#f4f7fb}
.root-label{margin:0;font-family:"Inter","Helvetica Neue","Arial",sans-serif;font-size:.8rem;text-transform:uppercase;letter-spacing:.08em;color:var(--accent)}
.hash{font-size:1rem;margin:.3rem 0;word-break:break-all}
.notice{border-left:3px solid var(--muted);padding-left:.8rem}
.toc ol{columns:2;padding-left:1.4rem}
.toc li{margin:.15rem 0}
table{border-collapse:collapse;width:100%;font-size:.85rem;margin:.4rem 0 1rem}
.grid th,.grid td,.counts th,.counts td{border-bottom:1px solid var(--line);padding:.3rem .45rem;text-align:left;vertical-align:top}
.grid thead th{border-bottom:2px solid var(--ink);font-weight:600}
.narrow{width:auto}
.counts{width:auto;min-width:24rem}
.counts th{font-weight:normal}
tr.sub td{border-bottom:1px solid var(--line);padding-top:0}
.badge{display:inline-block;font-size:.72rem;padding:0 .4rem;border:1px solid var(--line);border-radius:.2rem;text-transform:uppercase;letter-spacing:.04em}
.badge-annotation{border-color:var(--note);color:var(--note)}
.badge-alert{border-color:#a11;color:#a11}
.conversation{margin:1.5rem 0 2rem}
.conv-meta{color:var(--muted);font-size:.85rem;margin:0 0 .6rem}
.msg{border:1px solid var(--line);border-left:4px solid var(--accent);padding:.6rem .9rem;margin:.7rem 0;break-inside:avoid;page-break-inside:avoid}
.msg-head{display:flex;gap:1rem;flex-wrap:wrap;font-size:.9rem}
.msg-head .time{font-weight:600;white-space:nowrap}
.msg-meta{color:var(--muted);font-size:.78rem;margin:.1rem 0 .4rem}
.body{white-space:pre-wrap;overflow-wrap:anywhere;background:var(--ev-bg);padding:.5rem .7rem;border:1px solid #eceef1;font-size:1rem}
mark.ent{background:none;color:inherit;text-decoration:underline;text-decoration-color:var(--accent);text-decoration-thickness:2px;text-underline-offset:2px}
.ctl{font-family:"JetBrains Mono","DejaVu Sans Mono",monospace;font-size:.75em;color:#a11;border:1px dotted #a11;padding:0 .1em}
.attachments{font-size:.82rem;margin:.4rem 0;padding-left:1.2rem}
.entities{font-size:.8rem;margin:.4rem 0;color:var(--muted)}
.ent-item{margin-right:.6rem}
.prov{font-size:.74rem;color:var(--muted);margin:.4rem 0 0;overflow-wrap:anywhere}
.prov-label{text-transform:uppercase;letter-spacing:.06em;font-weight:600;margin-right:.3rem}
.tags{font-size:.8rem;margin:.4rem 0}
.tag{display:inline-block;border:1px solid var(--note);color:var(--note);border-radius:1rem;padding:0 .5rem;font-size:.75rem;font-family:"Inter","Helvetica Neue","Arial",sans-serif}
.note{border:1px dashed var(--note);border-left:4px solid var(--note);background:var(--note-bg);padding:.4rem .7rem;margin:.5rem 0;break-inside:avoid}
.note-label{margin:0 0 .2rem;font-size:.72rem;text-transform:uppercase;letter-spacing:.06em;color:var(--note);font-weight:600}
.note-text{white-space:pre-wrap;font-style:italic;overflow-wrap:anywhere}
.ann-target{margin:1rem 0 0;font-size:.85rem}
.query-head{margin:.8rem 0 .2rem;font-size:.88rem}
.hash-sm{font-size:.75em}
.page-foot{margin-top:3rem;padding-top:.6rem;border-top:1px solid var(--line);font-size:.72rem;color:var(--muted);overflow-wrap:anywhere}
@page{size:A4;margin:16mm 14mm 18mm}
@media print{
  html{font-size:10.5pt}
  body{max-width:none;padding:0}
  a{color:inherit;text-decoration:none}
  .cover{min-height:auto;page-break-after:always;break-after:page}
  .toc{page-break-after:always;break-after:page}
  section{break-before:page;page-break-before:always}
  #summary{break-before:auto;page-break-before:auto}
  h2,h3{break-after:avoid;page-break-after:avoid}
  tr{break-inside:avoid;page-break-inside:avoid}
}
`;
