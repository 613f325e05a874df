// Step 5: the same questions answered by scanning the corpus file with grep (and ripgrep when it
// is installed): one process per scan, timed from spawn to exit, median of three.
import { spawnSync } from 'node:child_process';
import type { ScanSpec } from './queries.ts';
import { SCAN_LOCALE } from './machine.ts';
import { median } from './stats.ts';

export const SCAN_REPEATS = 3;

export type ScanTool = 'grep' | 'rg';

export type ScanResult = { tool: ScanTool; command: string; matchingLines: number; runsMs: number[]; medianMs: number };

export function scanArguments(tool: ScanTool, spec: ScanSpec, file: string): string[] {
  const patterns = spec.kind === 'fixed' ? spec.literals.flatMap((l) => ['-e', l]) : ['-e', spec.pattern];
  if (tool === 'grep') return ['-c', '-i', spec.kind === 'fixed' ? '-F' : '-E', ...patterns, file];
  return ['--no-config', '-c', '-i', ...(spec.kind === 'fixed' ? ['-F'] : []), ...patterns, file];
}

export function runScan(tool: ScanTool, spec: ScanSpec, file: string): ScanResult {
  const args = scanArguments(tool, spec, file);
  const runsMs: number[] = [];
  let matchingLines = 0;
  for (let i = 0; i < SCAN_REPEATS; i++) {
    const started = performance.now();
    const result = spawnSync(tool, args, { encoding: 'utf8', env: { ...process.env, LC_ALL: SCAN_LOCALE } });
    runsMs.push(performance.now() - started);
    // exit status 1 means "no line matched"; 2 is an error
    if (result.error || (result.status !== 0 && result.status !== 1)) throw new Error(`${tool} ${args.join(' ')} failed: ${result.error?.message ?? result.stderr}`);
    matchingLines = Number(result.stdout.trim() || 0);
  }
  return { tool, command: `${tool} ${args.map(shellQuote).join(' ')}`, matchingLines, runsMs, medianMs: median(runsMs) };
}

/** Reads the file once, untimed, so no scan pays for the first read from disk. */
export function warmPageCache(file: string): void {
  spawnSync('grep', ['-c', '-F', '-e', 'no line holds this text 0x5eed', file], { env: { ...process.env, LC_ALL: SCAN_LOCALE } });
}

function shellQuote(word: string): string {
  return /^[\w./:=,+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
