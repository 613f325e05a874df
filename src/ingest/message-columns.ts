// Messages of a batch as columns: a worker thread hands batches to the database writer, and
// structured cloning of a few flat arrays costs a fifth of cloning one object per message.
import type { PreparedMessage } from './prepare.ts';
import type { TriageFinding } from '../model/triage.ts';

export type MessageColumns = {
  count: number;
  /** 0 message, 1 note. */
  kind: Uint8Array;
  uid: string[];
  ref: (string | null)[];
  platform: string[];
  /** The time as the source wrote it, when that says more than tsMs (a zone offset, no zone). */
  ts: (string | null)[];
  /** NaN when the item has no time. */
  tsMs: Float64Array;
  from: string[];
  /** Recipients joined by U+0001 ('' when none). */
  to: string[];
  conversation: string[];
  body: string[];
  lang: (string | null)[];
  /** JSON text or null, ready for the store. */
  attachments: (string | null)[];
  extra: (string | null)[];
  flags: (string | null)[];
  line: Float64Array;
  offset: Float64Array;
  fingerprint: Float64Array;
  /** Entity mentions of all messages, flat: which message (index), type, value, span. */
  mentions: { item: Uint32Array; type: string[]; value: string[]; start: Uint32Array; end: Uint32Array };
  /** Triage findings of all messages, flat: which message (index), the finding, and whether it raises an alert. */
  findings: { item: Uint32Array; finding: TriageFinding[]; alert: Uint8Array };
};

export const RECIPIENT_SEPARATOR = '\u0001';
const CANONICAL_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{3})?Z$/;

export class MessageColumnsBuilder {
  private kind: number[] = [];
  private tsMs: number[] = [];
  private line: number[] = [];
  private offset: number[] = [];
  private fingerprint: number[] = [];
  private mentions = { item: [] as number[], type: [] as string[], value: [] as string[], start: [] as number[], end: [] as number[] };
  private findings = { item: [] as number[], finding: [] as TriageFinding[], alert: [] as number[] };
  private strings = {
    uid: [] as string[], platform: [] as string[], from: [] as string[], to: [] as string[], conversation: [] as string[], body: [] as string[],
  };
  private optional = {
    ref: [] as (string | null)[], ts: [] as (string | null)[], lang: [] as (string | null)[],
    attachments: [] as (string | null)[], extra: [] as (string | null)[], flags: [] as (string | null)[],
  };

  get count(): number {
    return this.kind.length;
  }

  push(m: PreparedMessage): void {
    this.kind.push(m.kind === 'note' ? 1 : 0);
    this.tsMs.push(m.tsMs ?? Number.NaN);
    this.line.push(m.location.line);
    this.offset.push(m.location.offset);
    this.fingerprint.push(m.fingerprint);
    const index = this.kind.length - 1;
    for (const e of m.entities) {
      this.mentions.item.push(index);
      this.mentions.type.push(e.type);
      this.mentions.value.push(e.value);
      this.mentions.start.push(e.start);
      this.mentions.end.push(e.end);
    }
    for (const f of m.findings) {
      this.findings.item.push(index);
      this.findings.finding.push(f.finding);
      this.findings.alert.push(f.alert ? 1 : 0);
    }
    const s = this.strings;
    s.uid.push(m.uid);
    s.platform.push(m.platform);
    s.from.push(m.from);
    s.to.push(m.to.join(RECIPIENT_SEPARATOR));
    s.conversation.push(m.conversation);
    s.body.push(m.body);
    const o = this.optional;
    o.ref.push(m.ref ?? null);
    // a UTC time in ISO form is exactly what ts_ms gives back: only other writings are kept
    o.ts.push(m.ts === undefined || CANONICAL_UTC.test(m.ts) ? null : m.ts);
    o.lang.push(m.lang ?? null);
    o.attachments.push(m.attachments.length > 0 ? JSON.stringify(m.attachments) : null);
    o.extra.push(m.extra ? JSON.stringify(m.extra) : null);
    o.flags.push(m.flags.length > 0 ? JSON.stringify(m.flags) : null);
  }

  build(): MessageColumns {
    return {
      count: this.kind.length,
      kind: Uint8Array.from(this.kind),
      tsMs: Float64Array.from(this.tsMs),
      line: Float64Array.from(this.line),
      offset: Float64Array.from(this.offset),
      fingerprint: Float64Array.from(this.fingerprint),
      mentions: {
        item: Uint32Array.from(this.mentions.item), type: this.mentions.type, value: this.mentions.value,
        start: Uint32Array.from(this.mentions.start), end: Uint32Array.from(this.mentions.end),
      },
      findings: { item: Uint32Array.from(this.findings.item), finding: this.findings.finding, alert: Uint8Array.from(this.findings.alert) },
      ...this.strings,
      ...this.optional,
    };
  }
}

export function emptyMessageColumns(): MessageColumns {
  return new MessageColumnsBuilder().build();
}
