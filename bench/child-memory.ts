// Peak memory and CPU time of the current process, read by a child just before it exits. Both figures cover
// every thread of the process (worker threads included): Linux keeps them per process.
import { readFileSync } from 'node:fs';

export type PeakMemory = {
  /** getrusage ru_maxrss through process.resourceUsage(), KiB. */
  maxRssKiB: number;
  /** VmHWM from /proc/self/status, KiB (null where /proc is missing). */
  vmHwmKiB: number | null;
};

export function peakMemory(): PeakMemory {
  return { maxRssKiB: process.resourceUsage().maxRSS, vmHwmKiB: readVmHwm() };
}

function readVmHwm(): number | null {
  try {
    const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

/** User plus system CPU seconds of this process so far, every thread included (the ingest's worker too). */
export function cpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}
