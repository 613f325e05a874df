// Summary statistics for the figures the bench prints: nearest-rank percentiles, no interpolation.

export function percentile(values: readonly number[], fraction: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil(fraction * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export function p95(values: readonly number[]): number {
  return percentile(values, 0.95);
}

export type Summary = { count: number; median: number; p95: number; max: number };

export function summarise(values: readonly number[]): Summary {
  return { count: values.length, median: median(values), p95: p95(values), max: values.length === 0 ? Number.NaN : Math.max(...values) };
}

/** JSON.stringify replacer: fractions to 4 decimals (0.1 µs for milliseconds), enough for any figure here. */
export function roundFractions(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isInteger(value) ? Math.round(value * 1e4) / 1e4 : value;
}
