import { WINDOW_MS, type Window } from "./window.ts";

/** Test helpers measuring what a limiter let through, from the times of admitted requests. */

/** The most admitted in any one fixed window (aligned to the epoch, as the limiter's are). */
export function maxPerFixedWindow(admitted: readonly number[], window: Window): number {
  const counts = new Map<number, number>();
  for (const at of admitted) {
    const index = Math.floor(at / WINDOW_MS[window]);
    counts.set(index, (counts.get(index) ?? 0) + 1);
  }
  return Math.max(0, ...counts.values());
}

/** The most admitted in any span of the window's length, wherever it starts. */
export function maxPerSlidingWindow(admitted: readonly number[], window: Window): number {
  const times = [...admitted].sort((a, b) => a - b);
  let most = 0;
  let from = 0;
  for (let to = 0; to < times.length; to++) {
    while ((times[to] as number) - (times[from] as number) >= WINDOW_MS[window]) from++;
    most = Math.max(most, to - from + 1);
  }
  return most;
}

/** A small seeded generator (mulberry32): the simulations replay identically on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}
