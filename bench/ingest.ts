// Step 2 and 3 of a size: the Lode ingest and the bare FTS5 floor, each in a child process on the
// same corpus, measured the same way (wall time from outside, peak RSS from inside); with
// PostgreSQL in the list, the same Lode ingest into a new PostgreSQL database.
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { benchScript, runChild, type ChildRun } from './child.ts';
import { log } from './log.ts';
import { databaseSizes, recreateDatabase, serverCpuSeconds, walPosition, type DatabaseSizes, type PostgresServer } from './postgres.ts';

export type IngestMeasurement = {
  /** Wall time of the child process, spawn to exit. */
  seconds: number;
  /** The same load timed inside the child: without Node's start-up and module loading. */
  inProcessSeconds: number;
  /** Messages and notes stored (Lode) or bodies inserted (floor). */
  rows: number;
  rowsPerSecond: number;
  peakRssMiB: number;
  /** VmHWM read by the child, MiB: a cross-check of peakRssMiB. */
  vmHwmMiB: number | null;
  /** User plus system CPU of the child, all its threads. */
  cpuSeconds: number;
  diskMiB: number;
};

export type LodeIngest = IngestMeasurement & { storeDir: string; storePath: string; report: Record<string, unknown> };

export const BENCH_DATASET = 'bench';

export async function runLodeIngest(corpusPath: string, storeDir: string): Promise<LodeIngest> {
  await rm(storeDir, { recursive: true, force: true });
  log(`lode ingest ${corpusPath} into a fresh store ${storeDir}`);
  // --home decides the store unless LODE_STORE says otherwise: make sure it does not
  const env = { ...process.env };
  delete env.LODE_STORE;
  const run = await runChild(benchScript('child-lode-ingest.ts'), [corpusPath, storeDir, BENCH_DATASET], 'lode', env);
  const report = run.output.report as Record<string, unknown>;
  const rows = Number(report.messages) + Number(report.notes);
  const measurement = measure(run, rows, await directoryBytes(storeDir));
  log(`lode ingest: ${rows} messages+notes in ${measurement.seconds.toFixed(1)} s, peak RSS ${measurement.peakRssMiB.toFixed(0)} MiB`);
  return { ...measurement, storeDir, storePath: join(storeDir, 'lode.sqlite'), report };
}

export async function runFloorIngest(corpusPath: string, databasePath: string): Promise<IngestMeasurement> {
  await removeDatabase(databasePath);
  log(`floor: bare FTS5 load of ${corpusPath}`);
  const run = await runChild(benchScript('child-fts5-floor.ts'), [corpusPath, databasePath], 'floor');
  const bytes = (await stat(databasePath)).size + (await fileBytes(`${databasePath}-wal`));
  const measurement = measure(run, Number(run.output.rows), bytes);
  log(`floor: ${measurement.rows} bodies in ${measurement.seconds.toFixed(1)} s, peak RSS ${measurement.peakRssMiB.toFixed(0)} MiB`);
  // the floor database has served its purpose; only its size is kept
  await removeDatabase(databasePath);
  return measurement;
}

export type PostgresIngest = IngestMeasurement & {
  /** The database's URL without its password. */
  database: string;
  report: Record<string, unknown>;
  /** After the schema was made, before the ingest: what the growth is counted from. */
  before: DatabaseSizes;
  after: DatabaseSizes;
  /** pg_database_size growth over the ingest, divided by the messages and notes stored. */
  growthBytesPerRow: number;
  /** WAL the server wrote during the ingest (every database of the server, but only this one was busy). */
  walMiB: number;
  /** CPU of every server process over the ingest; null when the server is not on this machine. */
  serverCpuSeconds: number | null;
};

/**
 * `lode ingest --store postgres://...` into a new database, in a child process like the SQLite
 * ingest (Node start-up included in its wall time). The schema is made before the clock starts,
 * as `lode` does on first use of a database, so the growth is the data alone.
 */
export async function runPostgresIngest(
  corpusPath: string, server: PostgresServer, databaseName: string, homeDir: string,
): Promise<PostgresIngest> {
  const url = await recreateDatabase(server, databaseName);
  // loaded here, as openStore loads it: a SQLite-only bench does not need the PostgreSQL store's modules
  const { describeUrl, openPostgresStore } = await import('../src/store/postgres/pg-store.ts');
  // opening migrates: the schema is there before the clock starts
  await (await openPostgresStore({ url, poolSize: 1 })).close();
  await rm(homeDir, { recursive: true, force: true });
  const before = await databaseSizes(url);
  const walBefore = await walPosition(url);
  const cpuBefore = serverCpuSeconds(server.postmasterPid);
  log(`postgres ingest ${corpusPath} into a new database ${databaseName}`);
  const env = { ...process.env };
  delete env.LODE_STORE;
  const run = await runChild(benchScript('child-lode-ingest.ts'), [corpusPath, homeDir, BENCH_DATASET, '--store', url], 'postgres', env);
  const cpuAfter = serverCpuSeconds(server.postmasterPid);
  const walAfter = await walPosition(url);
  const after = await databaseSizes(url);
  const report = run.output.report as Record<string, unknown>;
  const rows = Number(report.messages) + Number(report.notes);
  const measurement = measure(run, rows, after.databaseBytes);
  const serverCpu = cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore;
  log(`postgres ingest: ${rows} messages+notes in ${measurement.seconds.toFixed(1)} s, client peak RSS ${measurement.peakRssMiB.toFixed(0)} MiB, ` +
    `client CPU ${measurement.cpuSeconds.toFixed(1)} s, server CPU ${serverCpu === null ? '?' : serverCpu.toFixed(1)} s, database ${(after.databaseBytes / 2 ** 20).toFixed(0)} MiB`);
  return {
    ...measurement,
    database: describeUrl(url),
    report,
    before,
    after,
    growthBytesPerRow: (after.databaseBytes - before.databaseBytes) / rows,
    walMiB: (walAfter - walBefore) / 2 ** 20,
    serverCpuSeconds: serverCpu,
  };
}

function measure(run: ChildRun, rows: number, diskBytes: number): IngestMeasurement {
  const seconds = run.wallMs / 1000;
  const { maxRssKiB, vmHwmKiB } = run.memory;
  return {
    seconds,
    inProcessSeconds: Number(run.output.inProcessMs) / 1000,
    rows,
    rowsPerSecond: rows / seconds,
    peakRssMiB: maxRssKiB / 1024,
    vmHwmMiB: vmHwmKiB === null ? null : vmHwmKiB / 1024,
    cpuSeconds: Number(run.output.cpuSeconds),
    diskMiB: diskBytes / 2 ** 20,
  };
}

async function directoryBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += (await stat(join(entry.parentPath, entry.name))).size;
  }
  return total;
}

async function fileBytes(path: string): Promise<number> {
  return stat(path).then((s) => s.size, () => 0);
}

async function removeDatabase(path: string): Promise<void> {
  for (const suffix of ['', '-wal', '-shm', '-journal']) await rm(`${path}${suffix}`, { force: true });
}
