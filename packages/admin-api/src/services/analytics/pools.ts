import { DEFAULT_TRAFFIC_RETENTION, POOL_TABLES, POOL_COLUMNS as p } from "@gatehouse/db";
import {
  ANALYTICS_STEPS,
  type AnalyticsStep,
  LatencyHistogram,
  type PoolSeries,
  type Pools,
  poolsQuerySchema,
} from "@gatehouse/shared";
import type Database from "better-sqlite3";
import { parseInput } from "../context.ts";
import type { AnalyticsReader } from "./analytics-reader.ts";
import { resolveRange, type TimeRange } from "./range.ts";

/** A comparison chart of two or three lines stays readable up to about this many points. */
const MAX_POINTS = 200;
/** Seconds serve a short recent range (the live canary chart) in 10 s steps; minutes serve the rest. */
const STEPS: AnalyticsStep[] = ["10s", "1m", "5m", "15m", "1h", "1d"];
const [SECONDS, MINUTES] = POOL_TABLES;
const CACHED = ["HIT", "MISS", "EXPIRED"];

interface PoolRow {
  bucket: number;
  upstreamId: string;
  cacheStatus: string;
  statusClass: number;
  requests: number;
  histogram: string;
}

/** Requests, 5xx share and latency of one pool, in a bucket or over the range. */
class PoolTally {
  requests = 0;
  errors = 0;
  readonly histogram = new LatencyHistogram();

  add(row: PoolRow): void {
    this.requests += row.requests;
    if (row.statusClass === 5) this.errors += row.requests;
    this.histogram.mergeEncoded(row.histogram);
  }

  stats() {
    const none = this.requests === 0;
    return {
      requests: this.requests,
      errorRate: none ? null : this.errors / this.requests,
      p50: this.histogram.quantile(0.5),
      p95: this.histogram.quantile(0.95),
    };
  }
}

/**
 * An API's traffic per upstream pool, so a canary can be held against the main pool (error rate
 * and p50/p95 per bucket), and its cache's hit ratio over the range, from the pool tables the
 * gateway's writer keeps. The step is the smallest that gives at most 200 buckets and whose
 * table still holds the range's start.
 */
export function pools(reader: AnalyticsReader, input: unknown, now = Date.now()): Pools {
  const query = parseInput(poolsQuerySchema, input);
  const asked = resolveRange(query, now);
  const age = Math.floor(now / 1000) - asked.from;
  const step =
    STEPS.find((candidate) => {
      const width = ANALYTICS_STEPS[candidate];
      const kept = DEFAULT_TRAFFIC_RETENTION[width < MINUTES.width ? "seconds" : "minutes"];
      return Math.ceil((asked.to - asked.from) / width) <= MAX_POINTS && age <= kept;
    }) ?? "1d";
  const width = ANALYTICS_STEPS[step];
  const range = { from: asked.from - (asked.from % width), to: Math.ceil(asked.to / width) * width };
  const rows = reader.read((sqlite) => sumPools(sqlite, width, range, query.apiId), []);
  const byPool = new Map<string, { total: PoolTally; buckets: Map<number, PoolTally> }>();
  const cache = { hits: 0, misses: 0 };
  for (const row of rows) {
    if (row.cacheStatus === "HIT") cache.hits += row.requests;
    else if (CACHED.includes(row.cacheStatus)) cache.misses += row.requests;
    if (row.upstreamId === "") continue;
    let pool = byPool.get(row.upstreamId);
    if (pool === undefined) {
      pool = { total: new PoolTally(), buckets: new Map() };
      byPool.set(row.upstreamId, pool);
    }
    pool.total.add(row);
    let bucket = pool.buckets.get(row.bucket);
    if (bucket === undefined) {
      bucket = new PoolTally();
      pool.buckets.set(row.bucket, bucket);
    }
    bucket.add(row);
  }
  const series: PoolSeries[] = [...byPool].map(([upstreamId, { total, buckets }]) => {
    const points = [];
    for (let t = range.from; t < range.to; t += width) {
      points.push({ t: t * 1000, ...(buckets.get(t) ?? new PoolTally()).stats() });
    }
    return { upstreamId, ...total.stats(), points };
  });
  series.sort((a, b) => b.requests - a.requests || a.upstreamId.localeCompare(b.upstreamId));
  const cached = cache.hits + cache.misses;
  return {
    from: range.from * 1000,
    to: range.to * 1000,
    step,
    pools: series,
    cache: { ...cache, hitRatio: cached === 0 ? null : cache.hits / cached },
  };
}

function sumPools(sqlite: Database.Database, width: number, range: TimeRange, apiId: string): PoolRow[] {
  const table = width < MINUTES.width ? SECONDS.name : MINUTES.name;
  return sqlite
    .prepare(
      `SELECT (${p.t} / ${width}) * ${width} AS bucket, ${p.upstreamId} AS upstreamId, ${p.cacheStatus} AS cacheStatus,
         ${p.statusClass} AS statusClass, sum(${p.requests}) AS requests, hist_sum(${p.histogram}) AS histogram
       FROM ${table} WHERE ${p.apiId} = ? AND ${p.t} >= ? AND ${p.t} < ? GROUP BY 1, 2, 3, 4`,
    )
    .all(apiId, range.from, range.to) as PoolRow[];
}
