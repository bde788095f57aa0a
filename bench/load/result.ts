/** One measured run of one target at full load (closed loop, fixed connections). */
export interface LoadResult {
  requests: number;
  seconds: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  /** Non-2xx answers plus connect/read/write/timeout errors. */
  errors: number;
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}

/** Request paths the same shape as bench/load/spread.lua's, for the Node load generators. */
export function spreadPaths(routes: number): string[] {
  const count = Math.max(routes, 1000);
  return Array.from({ length: count }, (_, k) => `/api${(k * 7919) % routes}/users/${k + 1}`);
}
