// What the format tests share: reading a whole file through one reader, picking records out, and
// checking the location contract every reader keeps.
import assert from 'node:assert/strict';
import type { FormatReader, ReaderOptions } from '../../../src/ingest/formats/format.ts';
import type { LodeRecord, ReadItem } from '../../../src/model/records.ts';

/** Every item a reader yields for a file, read from its start. */
export async function readAllWith(reader: FormatReader, path: string, options: ReaderOptions = {}): Promise<ReadItem[]> {
  const items: ReadItem[] = [];
  for await (const item of reader.read({ path, from: { line: 1, offset: 0 }, options })) items.push(item);
  return items;
}

export function recordsOf<K extends LodeRecord['kind']>(items: readonly ReadItem[], kind: K): Extract<LodeRecord, { kind: K }>[] {
  return items.flatMap((i) => (i.kind === 'record' && i.record.kind === kind ? [i.record as Extract<LodeRecord, { kind: K }>] : []));
}

/** The location of the first occurrence of `marker` in `content`, as a reader must report it. */
export function locationOf(content: string, marker: string): { line: number; offset: number } {
  const at = content.indexOf(marker);
  assert.notEqual(at, -1, `marker ${marker} not in fixture`);
  const before = content.slice(0, at);
  return { line: before.split('\n').length, offset: Buffer.byteLength(before, 'utf8') };
}

/** The contract resume depends on: locations strictly increase in (line, offset) order. */
export function assertLocationsIncrease(items: readonly ReadItem[]): void {
  for (let i = 1; i < items.length; i += 1) {
    const a = items[i - 1]!.location;
    const b = items[i]!.location;
    assert.ok(b.line > a.line || (b.line === a.line && b.offset > a.offset), `location ${JSON.stringify(b)} is not after ${JSON.stringify(a)}`);
  }
}

export function allRecords(items: readonly ReadItem[]): LodeRecord[] {
  return items.flatMap((i) => (i.kind === 'record' ? [i.record] : []));
}
