import { DEFAULT_TRAFFIC_RETENTION, TRAFFIC_TABLES, type TrafficTable } from "@gatehouse/db";
import { ANALYTICS_STEPS, type AnalyticsStep, GatehouseError, MAX_SERIES_POINTS } from "@gatehouse/shared";

/** The longest range any analytics query covers: the hour table's default retention, and some. */
const MAX_RANGE_MS = 400 * 86_400_000;
const DEFAULT_RANGE_MS = 3_600_000;

const [SECONDS, MINUTES, HOURS] = TRAFFIC_TABLES;

/** How far back the gateway keeps a table's rows by default. */
const kept = (table: TrafficTable) => DEFAULT_TRAFFIC_RETENTION[table.resolution];

export interface TimeRange {
  /** Epoch seconds, inclusive. */
  from: number;
  /** Epoch seconds, exclusive. */
  to: number;
}

function invalid(field: string, message: string): GatehouseError {
  return new GatehouseError("validation_failed", message, [{ path: field, message }]);
}

/** from/to (epoch ms) as a checked range in seconds; defaults to the last hour. */
export function resolveRange(
  query: { from?: number | undefined; to?: number | undefined },
  now = Date.now(),
): TimeRange {
  const toMs = query.to ?? now;
  const fromMs = query.from ?? toMs - DEFAULT_RANGE_MS;
  if (fromMs >= toMs) throw invalid("from", "from must be before to");
  if (toMs - fromMs > MAX_RANGE_MS) throw invalid("from", "A range covers at most 400 days");
  return { from: Math.floor(fromMs / 1000), to: Math.ceil(toMs / 1000) };
}

/**
 * The step of a series: the one asked for, refused when it would give more than
 * MAX_SERIES_POINTS points; else the smallest that fits and whose table still holds the
 * range's start (by default seconds are kept for an hour, minutes for 30 days).
 */
export function resolveStep(range: TimeRange, asked: AnalyticsStep | undefined, now = Date.now()): AnalyticsStep {
  const points = (step: AnalyticsStep) => Math.ceil((range.to - range.from) / ANALYTICS_STEPS[step]);
  const steps = Object.keys(ANALYTICS_STEPS) as AnalyticsStep[];
  if (asked !== undefined) {
    if (points(asked) <= MAX_SERIES_POINTS) return asked;
    const fits = steps.find((step) => points(step) <= MAX_SERIES_POINTS);
    throw invalid(
      "step",
      `step ${asked} gives ${points(asked)} points over this range (at most ${MAX_SERIES_POINTS}); use ${fits} or more`,
    );
  }
  const age = Math.floor(now / 1000) - range.from;
  return (
    steps.find((step) => points(step) <= MAX_SERIES_POINTS && kept(tableFor(ANALYTICS_STEPS[step])) >= age) ?? "1d"
  );
}

/** The coarsest table whose rows a bucket of `seconds` is made of. */
export function tableFor(seconds: number): TrafficTable {
  for (let i = TRAFFIC_TABLES.length - 1; i >= 0; i--) {
    const table = TRAFFIC_TABLES[i] as TrafficTable;
    if (seconds % table.width === 0) return table;
  }
  return SECONDS;
}

/** The table totals over a range are read from: the finest that still holds its start and stays small. */
export function tableForRange(range: TimeRange, now = Date.now()): TrafficTable {
  const age = Math.floor(now / 1000) - range.from;
  const span = range.to - range.from;
  if (span <= 3600 && age <= kept(SECONDS)) return SECONDS;
  if (age <= kept(MINUTES)) return MINUTES;
  return HOURS;
}
