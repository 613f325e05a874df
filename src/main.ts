// The composition root: turns command-line and environment settings into the real parts
// (the store, later the mailer and the clock) and hands them to whoever needs them.
import { resolve, join, dirname } from 'node:path';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import type { Store } from './store/store.ts';
import { openSqliteStore } from './store/sqlite/sqlite-store.ts';
import type { Mailer } from './mail/mailer.ts';
import type { SmtpSettings } from './mail/smtp-mailer.ts';
import type { PublicCheckIndex } from './breachcheck/check-index.ts';
import type { CheckService } from './breachcheck/check-service.ts';

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

/** The store the settings name; the PostgreSQL client is loaded only for a postgres:// store. */
export async function openStore(settings: StoreSettings): Promise<Store> {
  const location = storeLocation(settings);
  if (location.startsWith('sqlite:')) {
    return openSqliteStore({ path: resolve(location.slice('sqlite:'.length)), mmapMiB: settings.purpose === 'ingest' ? 0 : READ_MMAP_MIB });
  }
  if (/^postgres(ql)?:\/\//.test(location)) {
    const { openPostgresStore } = await import('./store/postgres/pg-store.ts');
    return openPostgresStore({ url: location });
  }
  throw new StoreSettingsError(`unknown store "${location}": use sqlite:PATH or postgres://USER:PASSWORD@HOST:PORT/DATABASE`);
}

/** Where mail goes: an SMTP server, or a folder of .eml files (a pickup folder; the demo). */
export type MailSettings = SmtpSettings | { outbox: string };

/** The mailer campaigns and the public check send through (nodemailer loaded only then). */
export async function openMailer(settings: MailSettings): Promise<Mailer> {
  if ('outbox' in settings) {
    const { openOutboxMailer } = await import('./mail/outbox-mailer.ts');
    return openOutboxMailer(settings.outbox);
  }
  const { openSmtpMailer } = await import('./mail/smtp-mailer.ts');
  return openSmtpMailer(settings);
}

/**
 * The public check's own database: LODE_CHECK_INDEX, else `public/check.sqlite` in the home. It
 * holds keyed identifiers only, so it can be copied to the machine that serves the public.
 */
export function checkIndexPath(settings: StoreSettings): string {
  return resolve(settings.env.LODE_CHECK_INDEX || join(homeDirectory(settings), 'public', 'check.sqlite'));
}

export async function openCheckIndex(settings: StoreSettings): Promise<PublicCheckIndex> {
  const { openSqliteCheckIndex } = await import('./store/sqlite/check-index.ts');
  const path = checkIndexPath(settings);
  mkdirSync(dirname(path), { recursive: true });
  return openSqliteCheckIndex(path);
}

/**
 * The key of the public check's identifiers: LODE_CHECK_KEY (64+ hex characters), else
 * `secrets/check.key` in the home, made on first use (readable by its owner only). It is kept
 * apart from the public database, which without it reveals no address.
 */
export function checkKey(settings: StoreSettings, options: { create: boolean }): Uint8Array | undefined {
  const fromEnv = settings.env.LODE_CHECK_KEY;
  if (fromEnv) {
    if (!/^([0-9a-f]{2}){32,}$/i.test(fromEnv.trim())) throw new StoreSettingsError('LODE_CHECK_KEY must be at least 64 hex characters (32 bytes)');
    return Buffer.from(fromEnv.trim(), 'hex');
  }
  const path = join(homeDirectory(settings), 'secrets', 'check.key');
  if (existsSync(path)) return Buffer.from(readFileSync(path, 'utf8').trim(), 'hex');
  if (!options.create) return undefined;
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writeFileSync(path, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(path, 0o600);
  return Buffer.from(readFileSync(path, 'utf8').trim(), 'hex');
}

export type PublicCheckSettings = {
  /** Where the check's mails go out; absent: the check page answers that it cannot mail. */
  mail?: MailSettings;
  /** The From: address of the check's mails. */
  from?: string;
  organisation?: string;
  /** Told of every mail sent: the audit log records the keyed identifier and the datasets. */
  onNotified?(event: { digest: string; breaches: string[]; language: string }): Promise<void>;
  log(line: string): void;
  now?: () => Date;
  challengeBits?: number;
};

/**
 * The public check as `lode serve` runs it: its own database, the key (made on first use), a
 * challenge secret new at every start, and the mailer when there is one.
 */
export async function openPublicCheck(settings: StoreSettings, check: PublicCheckSettings): Promise<{ service: CheckService; index: PublicCheckIndex; mailer?: Mailer; close(): Promise<void> }> {
  const { CheckService } = await import('./breachcheck/check-service.ts');
  const index = await openCheckIndex(settings);
  const key = checkKey(settings, { create: true })!;
  const mailer = check.mail ? await openMailer(check.mail) : undefined;
  const service = new CheckService({
    index, key, challengeSecret: randomBytes(32), ...(mailer ? { mailer } : {}),
    from: check.from ?? 'no-reply@lode.invalid', organisation: check.organisation ?? 'Lode', now: check.now ?? (() => new Date()),
    ...(check.challengeBits === undefined ? {} : { challengeBits: check.challengeBits }),
    onNotified: check.onNotified, onError: check.log,
  });
  return {
    service, index, ...(mailer ? { mailer } : {}),
    async close() {
      await service.idle();
      mailer?.close();
      await index.close();
    },
  };
}
