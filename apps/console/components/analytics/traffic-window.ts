import { ANALYTICS_RANGES, type AnalyticsRange, type AnalyticsStep } from "@gatehouse/shared";

/** What a traffic page shows: a range up to now, or the last five minutes followed live. */
export interface TrafficWindow {
  range: AnalyticsRange;
  live: boolean;
}

export const LIVE_SPAN_MS = 5 * 60_000;
/**
 * How often a range's numbers refresh. The last 15 minutes or hour take in each second's traffic
 * a second or two after it (the empty state promises it shows within a few seconds); the history
 * of longer ranges changes too little in a few seconds to query it that often.
 */
export const RANGE_REFRESH_MS: Record<AnalyticsRange, number> = {
  "15m": 5_000,
  "1h": 5_000,
  "24h": 30_000,
  "7d": 60_000,
  "30d": 60_000,
};
export const LIVE_REFRESH_MS = 2_000;

/** Buckets of roughly 60–700 points per range: fine enough to see a spike, few enough to draw fast. */
export const RANGE_STEPS: Record<AnalyticsRange, AnalyticsStep> = {
  "15m": "10s",
  "1h": "1m",
  "24h": "5m",
  "7d": "1h",
  "30d": "1h",
};

/** "Requests per …" */
export const STEP_LABELS: Record<AnalyticsStep, string> = {
  "1s": "second",
  "10s": "10 seconds",
  "1m": "minute",
  "5m": "5 minutes",
  "15m": "15 minutes",
  "1h": "hour",
  "1d": "day",
};

export const RANGE_LABELS: Record<AnalyticsRange, string> = {
  "15m": "15 minutes",
  "1h": "hour",
  "24h": "24 hours",
  "7d": "7 days",
  "30d": "30 days",
};

/** The range as epoch milliseconds ending now; each fetch takes its own now. */
export function rangeBounds(range: AnalyticsRange): { from: number; to: number } {
  const to = Date.now();
  return { from: to - ANALYTICS_RANGES[range] * 1000, to };
}

/** The name a query key carries for a window. */
export const windowKey = (shown: TrafficWindow) => (shown.live ? "live" : shown.range);

export const DEFAULT_WINDOW: TrafficWindow = { range: "1h", live: false };
