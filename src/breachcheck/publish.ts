// Publishing a dataset to the public check: its credential exposures, read from the analyst
// store page by page, become keyed identifiers and password hashes in the public database.
import type { Store } from '../store/store.ts';
import type { PublicCheckIndex, PublishCounts, PublishEntry } from './check-index.ts';
import { exposureEntry } from './check-index.ts';
import type { BreachMeta } from './breaches.ts';
import { hmacKey } from './keyed-identifier.ts';

const PAGE = 5000;

export async function publishDataset(options: {
  store: Store; index: PublicCheckIndex; key: Uint8Array; meta: BreachMeta; at: string; onProgress?(exposures: number): void;
}): Promise<PublishCounts & { exposures: number }> {
  let exposures = 0;
  const { store, meta } = options;
  const key = hmacKey(options.key);
  async function* entries(): AsyncGenerator<PublishEntry> {
    let afterId = 0;
    for (;;) {
      const page = await store.exposurePage(meta.dataset, afterId, PAGE);
      for (const exposure of page) yield exposureEntry(exposure, key);
      exposures += page.length;
      options.onProgress?.(exposures);
      if (page.length < PAGE) return;
      afterId = page[page.length - 1]!.id;
    }
  }
  const counts = await options.index.publish(meta, entries(), options.at);
  return { ...counts, exposures };
}
