// What the figures were measured on, printed above them.
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, release, totalmem } from 'node:os';
import { spawnSync } from 'node:child_process';
import { DatabaseSync } from 'node:sqlite';

export type Machine = {
  cpuModel: string;
  cores: number;
  ramGiB: number;
  kernel: string;
  node: string;
  sqlite: string;
  grep: string;
  ripgrep: string | null;
  scanLocale: string;
};

/** Scans run in this locale so `-i` folds non-ASCII letters too, as Lode's search does. */
export const SCAN_LOCALE = 'C.UTF-8';

export function describeMachine(): Machine {
  return {
    cpuModel: cpuModel(),
    cores: availableParallelism(),
    ramGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    kernel: `Linux ${release()}`,
    node: process.version,
    sqlite: sqliteVersion(),
    grep: toolVersion('grep') ?? 'not found',
    ripgrep: toolVersion('rg'),
    scanLocale: SCAN_LOCALE,
  };
}

function cpuModel(): string {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8').split('\n').find((l) => l.startsWith('model name'));
    if (line) return line.slice(line.indexOf(':') + 1).trim();
  } catch {
    // not Linux: fall back to what Node reports
  }
  return cpus()[0]?.model ?? 'unknown';
}

/** The SQLite linked into this Node: the one both Lode and the floor use. */
function sqliteVersion(): string {
  const db = new DatabaseSync(':memory:');
  try {
    return String(db.prepare('select sqlite_version() AS v').get()?.v);
  } finally {
    db.close();
  }
}

/** First line of `TOOL --version`, or null when the tool is not on PATH. */
export function toolVersion(tool: string): string | null {
  const result = spawnSync(tool, ['--version'], { encoding: 'utf8' });
  if (result.error || result.status !== 0) return null;
  return result.stdout.split('\n')[0]?.trim() ?? tool;
}
