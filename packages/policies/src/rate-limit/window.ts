import type { KeyLimits } from "@gatehouse/shared";
import { LIMIT_WINDOWS } from "@gatehouse/shared";

export type Window = (typeof LIMIT_WINDOWS)[number];

export const WINDOW_MS: Record<Window, number> = {
  second: 1_000,
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
};

/** One configured window at the moment of a request. */
export interface WindowCheck {
  window: Window;
  limit: number;
  /** Start of the fixed window `now` falls in, epoch milliseconds. */
  start: number;
  /** The share of the previous fixed window still inside the sliding window, in (0, 1]. */
  weight: number;
}

/** A window's counts as the store saw them: after this request when it was admitted. */
export interface WindowCounts {
  previous: number;
  current: number;
}

/** Where a policy's counts live: one process (MemoryStore) or every thread of a host (WindowTable). */
export interface WindowStore {
  /** Counts the request in every window when all have room; returns the counts either way. */
  hit(identity: string, checks: readonly WindowCheck[], now: number): { admitted: boolean; counts: WindowCounts[] };
}

export interface WindowResult {
  window: Window;
  limit: number;
  remaining: number;
  /** Seconds until the header's promise changes: the window rolls, or (when none remain) one more fits. */
  reset: number;
  /** Milliseconds until one more request fits; 0 when one fits now. */
  retryMs: number;
}

/** The windows a request is checked against, shortest first. */
export function windowChecks(limits: KeyLimits, now: number): WindowCheck[] {
  // Counted first so the array is allocated at its size: this runs on every request.
  let count = 0;
  for (const window of LIMIT_WINDOWS) if (limits[window] !== undefined) count++;
  const checks: WindowCheck[] = new Array(count);
  let i = 0;
  for (const window of LIMIT_WINDOWS) {
    const limit = limits[window];
    if (limit === undefined) continue;
    const size = WINDOW_MS[window];
    const start = Math.floor(now / size) * size;
    checks[i++] = { window, limit, start, weight: (size - (now - start)) / size };
  }
  return checks;
}

/**
 * The sliding-window estimate. Never below `current`, so a fixed window never counts past
 * its limit whatever the previous one held.
 */
export function estimate(counts: WindowCounts, weight: number): number {
  return counts.previous * weight + counts.current;
}

/** Whether one more request fits: the single rule both stores apply. */
export function fits(counts: WindowCounts, check: WindowCheck): boolean {
  return estimate(counts, check.weight) + 1 <= check.limit;
}

/** What a window tells the client, from counts read at `now` (after the request, when admitted). */
export function windowResult(check: WindowCheck, counts: WindowCounts, now: number): WindowResult {
  const size = WINDOW_MS[check.window];
  const remaining = Math.max(0, Math.floor(check.limit - estimate(counts, check.weight)));
  const retryMs = fits(counts, check) ? 0 : msUntilRoom(check, counts, now);
  const reset = remaining > 0 ? seconds(check.start + size - now) : seconds(retryMs);
  return { window: check.window, limit: check.limit, remaining, reset, retryMs };
}

/**
 * When the estimate, decaying as the previous window slides out, first leaves room for one
 * more request; in the next fixed window if the current one alone is full.
 */
function msUntilRoom(check: WindowCheck, counts: WindowCounts, now: number): number {
  const size = WINDOW_MS[check.window];
  const room = check.limit - 1;
  let at: number;
  if (counts.current <= room) {
    at = check.start + size * (1 - (room - counts.current) / counts.previous);
  } else {
    at = check.start + size + size * Math.max(0, 1 - room / counts.current);
  }
  return Math.max(0, at - now);
}

/** Whole seconds, rounded up, and at least 1: "retry in 0 seconds" invites a busy loop. */
export function seconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}

const capitalised = (window: Window) => window[0]?.toUpperCase() + window.slice(1);

/** Kong's per-window header names, made once rather than on every request. */
export const WINDOW_HEADERS = Object.fromEntries(
  LIMIT_WINDOWS.map((window) => [
    window,
    { limit: `X-RateLimit-Limit-${capitalised(window)}`, remaining: `X-RateLimit-Remaining-${capitalised(window)}` },
  ]),
) as Record<Window, { limit: string; remaining: string }>;
