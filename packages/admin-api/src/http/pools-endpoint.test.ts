import { openAnalyticsDbForWriting, POOL_TABLES, UPSERTS } from "@gatehouse/db";
import { LatencyHistogram } from "@gatehouse/shared";
import { afterAll, beforeAll, expect, test } from "vitest";
import { type AdminApiHarness, startAdminApi } from "../test-support/admin-api-harness.ts";

let admin: AdminApiHarness;
/** A minute start ten minutes ago: the seconds and the minutes tables both hold it. */
const base = Math.floor((Date.now() - 600_000) / 60_000) * 60;

/** Rows as the gateway's flush writes them, into the second and the minute tables. */
function record(
  t: number,
  upstreamId: string,
  cacheStatus: string,
  statusClass: number,
  latencies: number[],
  apiId = "api_shop",
) {
  const histogram = new LatencyHistogram();
  for (const ms of latencies) histogram.add(ms);
  const db = openAnalyticsDbForWriting(admin.dataDir);
  for (const table of POOL_TABLES) {
    const sum = latencies.reduce((a, b) => a + b, 0);
    db.$client
      .prepare(UPSERTS[table.name].sql)
      .run(
        t - (t % table.width),
        apiId,
        upstreamId,
        cacheStatus,
        statusClass,
        latencies.length,
        sum,
        histogram.encode(),
      );
  }
  db.$client.close();
}

beforeAll(() => {
  admin = startAdminApi();
  record(base + 5, "ups_main", "", 2, Array(18).fill(10));
  record(base + 5, "ups_main", "", 5, [10, 10]);
  record(base + 7, "ups_canary", "", 2, [100, 100, 100]);
  record(base + 7, "ups_canary", "", 5, [100]);
  record(base + 65, "ups_main", "MISS", 2, [10]);
  record(base + 65, "", "HIT", 2, [1, 1, 1]);
  record(base + 66, "ups_main", "EXPIRED", 2, [10, 10]);
  record(base + 5, "ups_other_api", "", 5, [1], "api_other");
});
afterAll(() => admin?.close());

test("[CANARY] per pool and bucket: requests, 5xx rate and latency, the main pool first; the cache's hit ratio over the range", async () => {
  const from = base * 1000;
  const res = await admin.call("GET", `/analytics/pools?apiId=api_shop&from=${from}&to=${from + 120_000}`);
  expect(res.status, JSON.stringify(res.json)).toBe(200);
  expect(res.json.step).toBe("10s");
  expect(res.json.pools.map((pool: { upstreamId: string }) => pool.upstreamId)).toEqual(["ups_main", "ups_canary"]);
  const [main, canary] = res.json.pools;
  expect(main).toMatchObject({ requests: 23, errorRate: 2 / 23 });
  expect(canary).toMatchObject({ requests: 4, errorRate: 0.25 });
  expect(canary.p95).toBeGreaterThan(main.p95 * 5);
  expect(main.points).toHaveLength(12);
  expect(main.points[0]).toMatchObject({ t: from, requests: 20, errorRate: 0.1 });
  expect(main.points[1]).toEqual({ t: from + 10_000, requests: 0, errorRate: null, p50: null, p95: null });
  expect(res.json.cache).toEqual({ hits: 3, misses: 3, hitRatio: 0.5 });
});

test("[CANARY] a range too old for the seconds reads minutes; an API without cached traffic has no hit ratio", async () => {
  const from = (base - 3 * 3600) * 1000;
  const res = await admin.call("GET", `/analytics/pools?apiId=api_other&from=${from}&to=${Date.now()}`);
  expect(res.json.step).toBe("1m");
  expect(res.json.pools).toMatchObject([{ upstreamId: "ups_other_api", requests: 1, errorRate: 1 }]);
  expect(res.json.cache).toEqual({ hits: 0, misses: 0, hitRatio: null });
});

test("[CANARY] the API is required and the range checked, each with its field", async () => {
  const missing = await admin.call("GET", "/analytics/pools");
  expect(missing.status).toBe(400);
  expect(missing.json.error.fields[0].path).toBe("apiId");
  const backwards = await admin.call("GET", "/analytics/pools?apiId=api_shop&from=2000&to=1000");
  expect(backwards.status).toBe(400);
  expect(backwards.json.error.fields[0].path).toBe("from");
});
