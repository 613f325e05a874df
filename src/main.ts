// The composition root: turns command-line and environment settings into the real parts
// (the store, later the mailer and the clock) and hands them to whoever needs them.
import { resolve, join } from 'node:path';
import type { Store } from './store/store.ts';
import { openSqliteStore } from './store/sqlite/sqlite-store.ts';

export type StoreSettings = {
  home?: string;
  store?: string;
  env: NodeJS.ProcessEnv;
  /** What the store is opened for: bulk writing keeps memory bounded, reading maps the file. */
  purpose?: 'ingest' | 'read';
};

const READ_MMAP_MIB = 16 * 1024;

export class StoreSettingsError extends Error {}

export function homeDirectory(settings: StoreSettings): string {
  return resolve(settings.home || settings.env.LODE_HOME || 'lode-data');
}

export function storeLocation(settings: StoreSettings): string {
  return settings.store || settings.env.LODE_STORE || `sqlite:${join(homeDirectory(settings), 'lode.sqlite')}`;
}

export function openStore(settings: StoreSettings): Store {
  const location = storeLocation(settings);
  if (location.startsWith('sqlite:')) {
    return openSqliteStore({ path: resolve(location.slice('sqlite:'.length)), mmapMiB: settings.purpose === 'ingest' ? 0 : READ_MMAP_MIB });
  }
  if (/^postgres(ql)?:\/\//.test(location)) {
    throw new StoreSettingsError('the PostgreSQL store is not part of this version yet; use the embedded store (sqlite:PATH)');
  }
  throw new StoreSettingsError(`unknown store "${location}": use sqlite:PATH`);
}
