// The public check index on node:sqlite: a file of its own, never the analyst store, so the
// public server can be given this file and nothing else. Reads are one clustered index range
// each (WITHOUT ROWID tables keyed the way they are read); publication writes through a second
// connection, so a server publishing in-process keeps answering from the last committed state.
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { RANGE_MODES, type CheckFinding, type PublicBreach, type RangeMode } from '../../model/breachcheck.ts';
import { allDataClasses, hibpDataClass, hibpDataClasses, publicBreach, validateBreachMeta, type BreachMeta } from '../../breachcheck/breaches.ts';
import type { PublicCheckIndex, PublishCounts, PublishEntry } from '../../breachcheck/check-index.ts';
import { rangeKey, type RangeRow } from '../../breachcheck/range.ts';

export type SqliteCheckIndexOptions = { cacheMiB?: number };

const SCHEMA_VERSION = 1;

/**
 * identifiers.data_classes is a bit set over the breach's own class list (breaches.data_classes,
 * a JSON array of HIBP names in bit order): an integer per row instead of repeating the names
 * across millions of rows. 31 bits, so JavaScript's bitwise operators stay exact.
 */
const MAX_CLASSES_PER_BREACH = 31;
const DIGEST_BYTES = 32;
/**
 * Entries gathered before they are written, sorted by key so inserts land near each other in
 * the B-tree. Measured: 1M entries (an address, a SHA-1 and an NTLM each) publish in about
 * 20 s, of which a third is the test generator's own hashing; a range or findings read takes
 * about 10 us.
 */
const BATCH_ENTRIES = 10_000;

// Deleting by breach scans identifiers and ranges (1M rows: 0.4 s): unpublishing is rare, and
// an index on breach_id would store every digest a second time.
const SCHEMA_V1 = `
  CREATE TABLE breaches (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    title TEXT NOT NULL,
    domain TEXT,
    breach_date TEXT NOT NULL,
    description TEXT,
    sensitive INTEGER NOT NULL,
    dataset TEXT NOT NULL,
    added_at TEXT NOT NULL,
    modified_at TEXT NOT NULL,
    pwn_count INTEGER NOT NULL,
    data_classes TEXT NOT NULL
  );
  CREATE TABLE identifiers (
    digest BLOB NOT NULL,
    breach_id INTEGER NOT NULL,
    data_classes INTEGER NOT NULL,
    PRIMARY KEY (digest, breach_id)
  ) WITHOUT ROWID;
  CREATE TABLE ranges (
    mode INTEGER NOT NULL,
    prefix INTEGER NOT NULL,
    suffix TEXT NOT NULL,
    breach_id INTEGER NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (mode, prefix, suffix, breach_id)
  ) WITHOUT ROWID;
`;

export function openSqliteCheckIndex(path: string, options: SqliteCheckIndexOptions = {}): SqliteCheckIndex {
  const isMemory = path === ':memory:';
  if (!isMemory) mkdirSync(dirname(path), { recursive: true });
  const reader = connect(path, options.cacheMiB ?? 64);
  try {
    migrate(reader);
  } catch (error) {
    reader.close();
    throw error;
  }
  // an in-memory database exists per connection: there the reader writes too
  return new SqliteCheckIndex(reader, isMemory ? reader : connect(path, options.cacheMiB ?? 64));
}

/**
 * SQLite's default 4 KiB pages, not the analyst store's 16 KiB: publication inserts at random
 * keys, where a bigger page costs more per insert (1M entries: 21 s against 28 s). secure_delete
 * zeroes what unpublishing frees, so a later copy of the file does not still hold the digests
 * of a withdrawn breach (it cost nothing measurable on deleting 1M entries).
 */
function connect(path: string, cacheMiB: number): DatabaseSync {
  const db = new DatabaseSync(path);
  db.exec(`
    PRAGMA journal_mode = WAL;
    PRAGMA synchronous = NORMAL;
    PRAGMA busy_timeout = 10000;
    PRAGMA secure_delete = ON;
    PRAGMA cache_size = -${cacheMiB * 1024};
  `);
  return db;
}

function migrate(db: DatabaseSync): void {
  const tables = new Set(db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table'`).all().map((r) => String(r.name)));
  // the analyst store holds evidence in the clear: publishing into it would defeat the point
  if (tables.has('messages') || tables.has('schema_migrations')) throw new Error(`${db.location() ?? 'this file'} is a Lode analyst store, not a public check index`);
  db.exec(`CREATE TABLE IF NOT EXISTS check_schema (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)`);
  const version = Number(db.prepare('SELECT max(version) AS v FROM check_schema').get()?.v ?? 0);
  if (version > SCHEMA_VERSION) throw new Error(`the check index has schema version ${version}; this Lode knows up to ${SCHEMA_VERSION}`);
  if (version === SCHEMA_VERSION) return;
  db.exec('BEGIN IMMEDIATE');
  try {
    db.exec(SCHEMA_V1);
    db.prepare('INSERT INTO check_schema (version, applied_at) VALUES (?, ?)').run(SCHEMA_VERSION, new Date().toISOString());
    db.exec('COMMIT');
  } catch (error) {
    db.exec('ROLLBACK');
    throw error;
  }
}

type Row = Record<string, unknown>;

export class SqliteCheckIndex implements PublicCheckIndex {
  private readonly reader: DatabaseSync;
  private readonly writer: DatabaseSync;
  private readonly statements = new Map<string, StatementSync>();
  /** Writes take turns: a publication awaits its entries, and a second BEGIN on the writer would fail. */
  private writing: Promise<unknown> = Promise.resolve();

  constructor(reader: DatabaseSync, writer: DatabaseSync) {
    this.reader = reader;
    this.writer = writer;
  }

  async publish(meta: BreachMeta, entries: AsyncIterable<PublishEntry> | Iterable<PublishEntry>, at: string): Promise<PublishCounts> {
    const checked = validateBreachMeta(meta);
    if (!checked.ok) throw new Error(`breach ${meta.name}: ${checked.problems.join('; ')}`);
    if (Number.isNaN(Date.parse(at))) throw new Error(`not a timestamp: ${at}`);
    return this.exclusively(() => this.replace(checked.meta, entries, at));
  }

  async unpublish(name: string): Promise<boolean> {
    return this.exclusively(async () => this.transaction(() => {
      const row = this.sql(this.writer, 'SELECT id FROM breaches WHERE name = ?').get(name);
      if (!row) return false;
      this.deleteRows(Number(row.id));
      this.sql(this.writer, 'DELETE FROM breaches WHERE id = ?').run(Number(row.id));
      return true;
    }));
  }

  async breaches(domain?: string): Promise<PublicBreach[]> {
    const rows = domain === undefined
      ? this.sql(this.reader, 'SELECT * FROM breaches ORDER BY name').all()
      : this.sql(this.reader, 'SELECT * FROM breaches WHERE domain = lower(?) ORDER BY name').all(domain.trim());
    return rows.map(breachOf);
  }

  async breach(name: string): Promise<PublicBreach | undefined> {
    const row = this.sql(this.reader, 'SELECT * FROM breaches WHERE name = ?').get(name);
    return row ? breachOf(row) : undefined;
  }

  async dataClasses(): Promise<string[]> {
    return allDataClasses(await this.breaches());
  }

  async findings(digest: Uint8Array): Promise<CheckFinding[]> {
    const rows = this.sql(this.reader, `
      SELECT b.name, b.title, b.breach_date, b.data_classes AS names, i.data_classes AS mask
      FROM identifiers i JOIN breaches b ON b.id = i.breach_id
      WHERE i.digest = ? ORDER BY b.breach_date, b.name`).all(digest);
    return rows.map((r) => ({
      breach: String(r.name),
      title: String(r.title),
      breachDate: String(r.breach_date),
      dataClasses: hibpDataClasses(namesOf(parseNames(r.names), Number(r.mask))),
    }));
  }

  async range(mode: RangeMode, prefix: number): Promise<RangeRow[]> {
    if (!Number.isInteger(prefix) || prefix < 0 || prefix > 0xfffff) throw new Error(`not a range prefix: ${prefix}`);
    const rows = this.sql(this.reader, `
      SELECT suffix, sum(count) AS count FROM ranges
      WHERE mode = ? AND prefix = ? GROUP BY suffix ORDER BY suffix`).all(modeNumber(mode), prefix);
    return rows.map((r) => ({ suffix: String(r.suffix), count: Number(r.count) }));
  }

  async close(): Promise<void> {
    await this.writing.catch(() => undefined);
    for (const db of new Set([this.writer, this.reader])) {
      if (!db.isOpen) continue;
      db.exec('PRAGMA optimize');
      db.close();
    }
  }

  private async replace(meta: BreachMeta, entries: AsyncIterable<PublishEntry> | Iterable<PublishEntry>, at: string): Promise<PublishCounts> {
    const db = this.writer;
    db.exec('BEGIN IMMEDIATE');
    try {
      const existing = this.sql(db, 'SELECT id, added_at FROM breaches WHERE name = ?').get(meta.name);
      let breachId: number;
      if (existing) {
        breachId = Number(existing.id);
        this.deleteRows(breachId);
      } else {
        const inserted = this.sql(db, `
          INSERT INTO breaches (name, title, breach_date, sensitive, dataset, added_at, modified_at, pwn_count, data_classes)
          VALUES (?, ?, ?, 0, ?, ?, ?, 0, '[]') RETURNING id`).get(meta.name, meta.title, meta.breachDate, meta.dataset, at, at);
        breachId = Number(inserted?.id);
      }
      const publication = new Publication(breachId, (text) => this.sql(db, text));
      let batch: PublishEntry[] = [];
      for await (const entry of entries) {
        batch.push(entry);
        if (batch.length >= BATCH_ENTRIES) {
          publication.write(batch);
          batch = [];
        }
      }
      publication.write(batch);
      this.sql(db, `
        UPDATE breaches SET name = ?, title = ?, domain = ?, breach_date = ?, description = ?, sensitive = ?, dataset = ?,
          modified_at = ?, pwn_count = ?, data_classes = ? WHERE id = ?`).run(
        meta.name, meta.title, meta.domain ?? null, meta.breachDate, meta.description ?? null, meta.sensitive ? 1 : 0, meta.dataset,
        at, publication.counts.identifiers, JSON.stringify(publication.classNames), breachId);
      db.exec('COMMIT');
      return publication.counts;
    } catch (error) {
      if (db.isTransaction) db.exec('ROLLBACK');
      throw error;
    }
  }

  private deleteRows(breachId: number): void {
    this.sql(this.writer, 'DELETE FROM identifiers WHERE breach_id = ?').run(breachId);
    this.sql(this.writer, 'DELETE FROM ranges WHERE breach_id = ?').run(breachId);
  }

  private transaction<T>(work: () => T): T {
    this.writer.exec('BEGIN IMMEDIATE');
    try {
      const result = work();
      this.writer.exec('COMMIT');
      return result;
    } catch (error) {
      if (this.writer.isTransaction) this.writer.exec('ROLLBACK');
      throw error;
    }
  }

  private exclusively<T>(work: () => Promise<T>): Promise<T> {
    const turn = this.writing.catch(() => undefined).then(work);
    this.writing = turn;
    return turn;
  }

  /** Prepared statements are cached per connection: preparing costs more than running a short row. */
  private sql(db: DatabaseSync, text: string): StatementSync {
    const key = `${db === this.writer ? 'w' : 'r'}:${text}`;
    let statement = this.statements.get(key);
    if (!statement) {
      statement = db.prepare(text);
      this.statements.set(key, statement);
    }
    return statement;
  }
}

/** One breach's rows being written: its class list so far and what it counted. */
class Publication {
  readonly counts: PublishCounts = { identifiers: 0, sha1: 0, ntlm: 0 };
  readonly classNames: string[] = [];
  private readonly bits = new Map<string, number>();
  private readonly breachId: number;
  private readonly sql: (text: string) => StatementSync;

  constructor(breachId: number, sql: (text: string) => StatementSync) {
    this.breachId = breachId;
    this.sql = sql;
  }

  write(entries: readonly PublishEntry[]): void {
    // gathered per batch: an address listed twice is one identifier with the union of its
    // classes, a password seen twice one row counting two
    const identifiers = new Map<string, { digest: Uint8Array; mask: number }>();
    const hashes = new Map<string, { mode: number; prefix: number; suffix: string; count: number }>();
    for (const entry of entries) {
      const mask = this.maskOf(entry.dataClasses);
      if (entry.digest !== undefined) {
        if (entry.digest.byteLength !== DIGEST_BYTES) throw new Error(`a keyed identifier is ${DIGEST_BYTES} bytes (got ${entry.digest.byteLength}): publish digests, never addresses`);
        const key = Buffer.from(entry.digest).toString('hex');
        const seen = identifiers.get(key);
        if (seen) seen.mask |= mask;
        else identifiers.set(key, { digest: entry.digest, mask });
      }
      for (const mode of RANGE_MODES) {
        const hash = entry[mode];
        if (hash === undefined) continue;
        const place = rangeKey(mode, hash);
        if (!place) throw new Error(`not a ${mode} hash: ${hash.length} characters`);
        const key = `${mode}${place.prefix}:${place.suffix}`;
        const seen = hashes.get(key);
        if (seen) seen.count += 1;
        else hashes.set(key, { mode: modeNumber(mode), ...place, count: 1 });
        this.counts[mode] += 1;
      }
    }
    const insertIdentifier = this.sql('INSERT OR IGNORE INTO identifiers (digest, breach_id, data_classes) VALUES (?, ?, ?)');
    const widenIdentifier = this.sql('UPDATE identifiers SET data_classes = data_classes | ? WHERE digest = ? AND breach_id = ?');
    for (const [, { digest, mask }] of [...identifiers].sort(([a], [b]) => (a < b ? -1 : 1))) {
      if (Number(insertIdentifier.run(digest, this.breachId, mask).changes) === 1) this.counts.identifiers += 1;
      else widenIdentifier.run(mask, digest, this.breachId);
    }
    const upsertHash = this.sql(`
      INSERT INTO ranges (mode, prefix, suffix, breach_id, count) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (mode, prefix, suffix, breach_id) DO UPDATE SET count = count + excluded.count`);
    const sorted = [...hashes.values()].sort((a, b) => a.mode - b.mode || a.prefix - b.prefix || (a.suffix < b.suffix ? -1 : 1));
    for (const row of sorted) upsertHash.run(row.mode, row.prefix, row.suffix, this.breachId, row.count);
  }

  private maskOf(lodeClasses: readonly string[]): number {
    let mask = 0;
    for (const lodeClass of lodeClasses) {
      const name = hibpDataClass(lodeClass);
      if (!name) continue;
      let bit = this.bits.get(name);
      if (bit === undefined) {
        bit = this.classNames.length;
        if (bit >= MAX_CLASSES_PER_BREACH) throw new Error(`a breach may have at most ${MAX_CLASSES_PER_BREACH} data classes`);
        this.bits.set(name, bit);
        this.classNames.push(name);
      }
      mask |= 1 << bit;
    }
    return mask;
  }
}

function modeNumber(mode: RangeMode): number {
  return RANGE_MODES.indexOf(mode);
}

function parseNames(value: unknown): string[] {
  const names: unknown = JSON.parse(String(value));
  return Array.isArray(names) ? names.map(String) : [];
}

function namesOf(names: readonly string[], mask: number): string[] {
  return names.filter((_, bit) => (mask & (1 << bit)) !== 0);
}

function breachOf(row: Row): PublicBreach {
  const meta: BreachMeta = {
    name: String(row.name),
    title: String(row.title),
    breachDate: String(row.breach_date),
    dataset: String(row.dataset),
    sensitive: Number(row.sensitive) === 1,
    ...(row.domain !== null && { domain: String(row.domain) }),
    ...(row.description !== null && { description: String(row.description) }),
  };
  return publicBreach(meta, { pwnCount: Number(row.pwn_count), dataClasses: parseNames(row.data_classes) }, String(row.modified_at), String(row.added_at));
}
