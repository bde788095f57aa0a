import { TRAFFIC_COLUMNS } from "@gatehouse/db";
import { ANALYTICS_STEPS, type Timeseries, type TimeseriesPoint, timeseriesQuerySchema } from "@gatehouse/shared";
import { parseInput } from "../context.ts";
import type { AnalyticsReader } from "./analytics-reader.ts";
import { resolveRange, resolveStep, tableFor } from "./range.ts";
import { sumByKey, sumTraffic, TrafficSum } from "./traffic-query.ts";

/** Requests, errors and latency percentiles per bucket, dense over the range (zeros where nothing was counted). */
export function timeseries(reader: AnalyticsReader, input: unknown, now = Date.now()): Timeseries {
  const query = parseInput(timeseriesQuerySchema, input);
  const asked = resolveRange(query, now);
  const step = resolveStep(asked, query.step, now);
  const width = ANALYTICS_STEPS[step];
  const range = { from: asked.from - (asked.from % width), to: Math.ceil(asked.to / width) * width };
  const rows = reader.read(
    (sqlite) => sumTraffic(sqlite, tableFor(width), range, query, `(${TRAFFIC_COLUMNS.t} / ${width}) * ${width}`, now),
    [],
  );
  const buckets = sumByKey(rows);
  const empty = new TrafficSum();
  const points: TimeseriesPoint[] = [];
  for (let t = range.from; t < range.to; t += width) points.push((buckets.get(t) ?? empty).point(t));
  const total = new TrafficSum();
  for (const bucket of buckets.values()) total.merge(bucket);
  return { from: range.from * 1000, to: range.to * 1000, step, points, total: total.totals() };
}
