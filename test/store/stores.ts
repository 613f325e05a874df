// The store-level suite runs against both stores: each test written once, run on SQLite and on a
// real PostgreSQL (a new database per test). A file using eachStore registers closePostgres in
// an after() hook.
import { test } from 'node:test';
import type { Store } from '../../src/store/store.ts';
import { openTestStore, temporaryDirectory } from '../fixtures.ts';
import { openTestPostgresStore } from '../postgres-fixture.ts';

export const STORE_KINDS = ['sqlite', 'postgres'] as const;
export type StoreKind = (typeof STORE_KINDS)[number];

export async function openStoreOf(kind: StoreKind): Promise<Store> {
  return kind === 'sqlite' ? openTestStore(temporaryDirectory()) : openTestPostgresStore();
}

/** One test per store kind, named "TITLE [sqlite]" and "TITLE [postgres]", each on a new empty store. */
export function eachStore(title: string, body: (store: Store, kind: StoreKind) => Promise<void>): void {
  for (const kind of STORE_KINDS) {
    test(`${title} [${kind}]`, async () => {
      const store = await openStoreOf(kind);
      try {
        await body(store, kind);
      } finally {
        if (kind === 'sqlite') await store.close();
      }
    });
  }
}
