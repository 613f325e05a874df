// Fixtures made by code: temporary homes, lode-jsonl files written from records, stores.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore, type SqliteStore } from '../src/store/sqlite/sqlite-store.ts';

// Cleaned up at exit rather than in after() hooks: fixtures are also made inside before() hooks.
// One listener for all of them: a listener each trips Node's leak warning in larger files.
const atExit: (() => void)[] = [];
process.once('exit', () => {
  for (const cleanUp of atExit.reverse()) cleanUp();
});

export function temporaryDirectory(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lode-test-'));
  atExit.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function writeJsonl(path: string, records: readonly (object | string)[]): string {
  writeFileSync(path, records.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n') + '\n');
  return path;
}

export function openTestStore(dir: string): SqliteStore {
  const store = openSqliteStore({ path: join(dir, 'lode.sqlite'), cacheMiB: 16 });
  atExit.push(() => {
    if (store.db.isOpen) store.db.close();
  });
  return store;
}

export function message(id: string, ts: string, from: string, to: string[], body: string, more: object = {}): object {
  return { kind: 'message', platform: 'encrochat', id, ts, from, to, body, ...more };
}

export async function count(store: SqliteStore, sql: string): Promise<number> {
  return Number(store.db.prepare(sql).get()?.n ?? 0);
}
