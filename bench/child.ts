// Runs one bench child script in its own Node process and times it from the outside: the wall
// time is from spawn to exit, so both ingests pay the same process start-up.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { PeakMemory } from './child-memory.ts';
import { log } from './log.ts';

export type ChildRun = {
  wallMs: number;
  /** What the child printed as its last stdout line, parsed. */
  output: Record<string, unknown>;
  memory: PeakMemory;
};

export function benchScript(name: string): string {
  return fileURLToPath(new URL(name, import.meta.url));
}

export async function runChild(script: string, args: string[], label: string, env: NodeJS.ProcessEnv = process.env): Promise<ChildRun> {
  const started = performance.now();
  const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', '--max-semi-space-size=16', script, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  const stderrLines: string[] = [];
  createInterface({ input: child.stderr }).on('line', (line) => {
    stderrLines.push(line);
    log(`  ${label}: ${line}`);
  });
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve(code));
  });
  const wallMs = performance.now() - started;
  if (exitCode !== 0) throw new Error(`${label} child exited with ${exitCode}: ${stderrLines.slice(-5).join(' | ')}`);
  const output = parseLastLine(stdout, label);
  return { wallMs, output, memory: output.memory as PeakMemory };
}

function parseLastLine(stdout: string, label: string): Record<string, unknown> {
  const last = stdout.trim().split('\n').pop() ?? '';
  try {
    const parsed: unknown = JSON.parse(last);
    if (parsed !== null && typeof parsed === 'object' && 'memory' in parsed) return parsed as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new Error(`${label} child printed no result line: ${last.slice(0, 200)}`);
}
