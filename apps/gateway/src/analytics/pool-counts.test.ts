import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { openAnalyticsDbForWriting } from "@gatehouse/db";
import { LatencyHistogram } from "@gatehouse/shared/histogram";
import { afterEach, beforeEach, expect, test } from "vitest";
import type { Batch } from "./analytics-writer.ts";
import { PoolCounts } from "./pool-counts.ts";
import type { RollupSample } from "./traffic-rollups.ts";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "gatehouse-pools-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const minute = Date.UTC(2026, 11, 6, 10, 0, 0);

function sample(
  upstreamId: string | null,
  status: number,
  latencyMs: number,
  at: number,
  cacheStatus: string | null = null,
): RollupSample {
  return {
    ...{ apiId: "api_a", routeId: "rte_a", consumerId: null, status, endedAt: at, latencyMs, upstreamMs: 1 },
    ...{ bytesIn: 0, bytesOut: 0, refusal: null, upstreamId, cacheStatus },
  };
}

function write(batch: Batch | null) {
  const sqlite = openAnalyticsDbForWriting(dir).$client;
  try {
    sqlite.transaction(() => {
      for (const { sql, rows } of batch?.statements ?? []) for (const row of rows) sqlite.prepare(sql).run(...row);
    })();
    return sqlite
      .prepare(
        "SELECT t, upstream_id, cache_status, status_class, requests, latency_ms_sum, histogram FROM pool_traffic_1m ORDER BY upstream_id, cache_status, status_class",
      )
      .all() as {
      t: number;
      upstream_id: string;
      cache_status: string;
      status_class: number;
      requests: number;
      latency_ms_sum: number;
      histogram: string;
    }[];
  } finally {
    sqlite.close();
  }
}

test("seconds written by separate flushes add up in their minute, per pool, cache status and status class, with merged histograms", () => {
  const pools = new PoolCounts();
  pools.record(sample("ups_main", 200, 10, minute + 1_000));
  pools.record(sample("ups_canary", 503, 40, minute + 1_500));
  pools.record(sample(null, 200, 1, minute + 2_000, "HIT"));
  pools.record({ ...sample(null, 404, 1, minute + 2_000), apiId: "" });
  write(pools.take(minute + 3_000));
  pools.record(sample("ups_main", 200, 30, minute + 20_000));
  pools.record(sample("ups_canary", 200, 20, minute + 21_000, "MISS"));
  const rows = write(pools.take(minute + 22_000));
  expect(rows.map(({ histogram, ...row }) => row)).toEqual([
    { t: minute / 1000, upstream_id: "", cache_status: "HIT", status_class: 2, requests: 1, latency_ms_sum: 1 },
    { t: minute / 1000, upstream_id: "ups_canary", cache_status: "", status_class: 5, requests: 1, latency_ms_sum: 40 },
    {
      t: minute / 1000,
      upstream_id: "ups_canary",
      cache_status: "MISS",
      status_class: 2,
      requests: 1,
      latency_ms_sum: 20,
    },
    { t: minute / 1000, upstream_id: "ups_main", cache_status: "", status_class: 2, requests: 2, latency_ms_sum: 40 },
  ]);
  const main = LatencyHistogram.decode(rows[3]?.histogram);
  expect(main.quantile(1)).toBeGreaterThan(main.quantile(0) as number);
});

test("a failed write puts the counts back, to be written with the next flush", () => {
  const pools = new PoolCounts();
  pools.record(sample("ups_main", 200, 10, minute + 1_000));
  pools.take(minute + 2_000)?.restore();
  pools.record(sample("ups_main", 200, 10, minute + 1_200));
  expect(write(pools.take(minute + 3_000)).map((row) => row.requests)).toEqual([2]);
  expect(pools.take(minute + 4_000)).toBeNull();
});
