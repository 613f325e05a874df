// Rows of the PostgreSQL store as the model's types: the same shapes the SQLite store returns.
import type { Source, StoredMessage } from '../../model/items.ts';
import type { Row } from './db.ts';
import { optional, toStoredMessage as toMessageModel } from '../row-models.ts';

export { optional };

export function toSource(row: Row): Source {
  return {
    id: Number(row.id), datasetId: Number(row.dataset_id), path: String(row.path), sha256: String(row.sha256),
    sizeBytes: Number(row.size_bytes), format: String(row.format), status: row.status === 'complete' ? 'complete' : 'ingesting',
    records: Number(row.records), quarantined: Number(row.quarantined),
    checkpoint: { line: Number(row.checkpoint_line), offset: Number(row.checkpoint_offset) },
    startedAt: String(row.started_at), finishedAt: optional(row.finished_at),
  };
}

/** The columns a StoredMessage is made of; `m` is the messages row. */
export const MESSAGE_SELECT = `
  SELECT m.dataset_id, m.key, m.uid, m.kind, m.ref, m.platform, m.sender_id, m.recipients, m.ts_ms, m.body, m.lang, m.attachments, m.extra,
         m.source_id, m.line, m.byte_offset, d.name AS dataset, s.sha256, s.path, c.key AS conversation_key
  FROM messages m
  JOIN datasets d ON d.id = m.dataset_id
  JOIN sources s ON s.dataset_id = m.dataset_id AND s.id = m.source_id
  JOIN conversations c ON c.dataset_id = m.dataset_id AND c.id = m.conversation_id`;

/** A messages row (MESSAGE_SELECT) with its accounts' handles looked up. */
export function toStoredMessage(row: Row, handles: ReadonlyMap<number, string>): StoredMessage {
  return toMessageModel(row, ((row.recipients as number[] | null) ?? []).map(Number), handles);
}

/** The account ids a set of message rows names (senders and recipients). */
export function accountIdsOf(rows: readonly Row[]): number[] {
  const ids = new Set<number>();
  for (const row of rows) {
    ids.add(Number(row.sender_id));
    for (const r of (row.recipients as number[] | null) ?? []) ids.add(Number(r));
  }
  return [...ids];
}
