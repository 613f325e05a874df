// Progress for long work: a redrawn bar on a terminal, a plain line every few seconds in a log.

export type Progress = { update(done: number, total: number, records: number): void; finish(summary?: string): void };

const LOG_INTERVAL_MS = 5000;
const DRAW_INTERVAL_MS = 100;
const BAR_WIDTH = 24;

export function createProgress(stream: NodeJS.WritableStream, isTTY: boolean, label: string, unit = 'records'): Progress {
  const started = performance.now();
  let lastDraw = 0;
  let drawn = false;
  return {
    update(done, total, records) {
      const now = performance.now();
      if (now - lastDraw < (isTTY ? DRAW_INTERVAL_MS : LOG_INTERVAL_MS)) return;
      lastDraw = now;
      const seconds = (now - started) / 1000;
      const rate = seconds > 0 ? records / seconds : 0;
      const fraction = total > 0 ? Math.min(done / total, 1) : 0;
      const eta = fraction > 0 ? (seconds / fraction) * (1 - fraction) : undefined;
      const figures = `${(fraction * 100).toFixed(1)}% ${formatCount(records)} ${unit} ${formatCount(rate)}/s ETA ${eta === undefined ? '?' : formatDuration(eta)}`;
      if (isTTY) {
        const filled = Math.round(fraction * BAR_WIDTH);
        stream.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ${figures}\x1b[K`);
        drawn = true;
      } else {
        stream.write(`${label}: ${figures}\n`);
      }
    },
    finish(summary) {
      if (drawn) stream.write('\r\x1b[K');
      if (summary) stream.write(`${summary}\n`);
    },
  };
}

export function formatCount(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e4) return `${(n / 1e3).toFixed(1)}k`;
  return String(Math.round(n));
}

export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${Math.round(seconds)}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m${String(Math.round(seconds % 60)).padStart(2, '0')}s`;
  return `${Math.floor(seconds / 3600)}h${String(Math.floor((seconds % 3600) / 60)).padStart(2, '0')}m`;
}
