/** Summary statistics for benchmark samples. Pure. */

/**
 * The p-th percentile (0–100) by linear interpolation between the closest ranks (the common
 * "type 7" definition: p50 of [1, 2, 3, 4] is 2.5). NaN for no samples.
 */
export function percentile(values: readonly number[], p: number): number {
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be within 0..100, got ${p}`);
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (rank - low);
}

export function mean(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : values.reduce((sum, v) => sum + v, 0) / values.length;
}

export function sum(values: readonly number[]): number {
  return values.reduce((total, v) => total + v, 0);
}

/** Units of work per second; NaN when no time was measured. */
export function perSecond(units: number, ms: number): number {
  return ms > 0 ? (units * 1000) / ms : Number.NaN;
}
