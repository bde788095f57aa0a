import { openAnalyticsDbForWriting } from "@gatehouse/db";
import { afterAll, beforeAll, expect, test } from "vitest";
import { type AdminApiHarness, startAdminApi } from "../test-support/admin-api-harness.ts";

let admin: AdminApiHarness;
let apiId: string;
let upstreamId: string;
/** Hour-aligned, three hours ago: inside both code tables' retention. */
const base = Math.floor((Date.now() - 3 * 3_600_000) / 3_600_000) * 3600;

/** Adds counts to both code tables as the gateway's writer does. */
function count(t: number, api: string, status: number, refusal: string, requests: number) {
  const db = openAnalyticsDbForWriting(admin.dataDir);
  for (const [table, width] of [
    ["traffic_codes_1m", 60],
    ["traffic_codes_1h", 3600],
  ] as const) {
    db.$client
      .prepare(
        `INSERT INTO ${table} VALUES (?, ?, ?, ?, ?)
         ON CONFLICT DO UPDATE SET requests = requests + excluded.requests`,
      )
      .run(t - (t % width), api, status, refusal, requests);
  }
  db.$client.close();
}

beforeAll(async () => {
  admin = startAdminApi();
  const api = await admin.call("POST", "/apis", {
    name: "orders",
    upstream: { targets: [{ url: "http://127.0.0.1:9" }] },
    routes: [{ paths: ["/orders"] }],
  });
  apiId = api.json.id;
  upstreamId = api.json.upstreamId;
  count(base + 60, apiId, 200, "", 7);
  count(base + 120, apiId, 429, "rate_limited", 3);
  count(base + 120, apiId, 401, "key_invalid", 2);
  count(base + 125, "", 404, "no_route", 4);
});
afterAll(() => admin?.close());

test("[ANALYTICS] requests split by status code and refusal code, in all and per bucket, for one API or all", async () => {
  const range = `from=${base * 1000}&to=${(base + 900) * 1000}`;
  const all = await admin.call("GET", `/analytics/codes?${range}`);
  expect(all.status).toBe(200);
  expect(all.json.step).toBe("1m");
  expect(all.json.codes).toEqual([
    { status: 200, refusal: null, requests: 7 },
    { status: 404, refusal: "no_route", requests: 4 },
    { status: 429, refusal: "rate_limited", requests: 3 },
    { status: 401, refusal: "key_invalid", requests: 2 },
  ]);
  expect(all.json.points).toHaveLength(15);
  expect(all.json.points[1]).toEqual({ t: (base + 60) * 1000, requests: [7, 0, 0, 0] });
  expect(all.json.points[2]).toEqual({ t: (base + 120) * 1000, requests: [0, 4, 3, 2] });
  const api = await admin.call("GET", `/analytics/codes?apiId=${apiId}&${range}`);
  expect(api.json.codes.map((c: { status: number }) => c.status)).toEqual([200, 429, 401]);
  // A day in quarter hours from the minute table; a week in hours from the hour table.
  const day = await admin.call(
    "GET",
    `/analytics/codes?from=${(base - 20 * 3600) * 1000}&to=${(base + 4 * 3600) * 1000}`,
  );
  expect(day.json.step).toBe("15m");
  const sum = (codes: { requests: number }[]) => codes.reduce((total, c) => total + c.requests, 0);
  expect(sum(day.json.codes)).toBe(16);
  const week = await admin.call(
    "GET",
    `/analytics/codes?from=${(base - 6 * 86_400) * 1000}&to=${(base + 3600) * 1000}`,
  );
  expect(week.json.step).toBe("1h");
  expect(sum(week.json.codes)).toBe(16);
  expect((await admin.call("GET", "/analytics/codes?from=soon")).status).toBe(400);
});

test("[ANALYTICS] the request log's consumer filter is a name; an unknown one is named back before the gateway is asked", async () => {
  const res = await admin.call("GET", "/analytics/requests?consumer=nobody");
  expect(res.status).toBe(400);
  expect(res.json.error.fields).toEqual([{ path: "consumer", message: 'No consumer is named "nobody"' }]);
  await admin.call("POST", "/consumers", { name: "acme" });
  // A known name passes; without a gateway the log itself is unavailable.
  expect((await admin.call("GET", "/analytics/requests?consumer=acme")).json.error.code).toBe("gateway_unavailable");
});

test("[UPSTREAMS] a pool's health changes are read from analytics.db, newest first, even with the gateway away", async () => {
  const db = openAnalyticsDbForWriting(admin.dataDir);
  const insert = db.$client.prepare(
    `INSERT INTO health_events (at, upstream_id, target_id, url, from_state, to_state, reason) VALUES (?, ?, 'tgt_1', 'http://a', ?, ?, ?)`,
  );
  insert.run(Date.UTC(2026, 0, 1, 10), upstreamId, "healthy", "unhealthy", "5 consecutive failed requests");
  insert.run(Date.UTC(2026, 0, 1, 11), upstreamId, "unhealthy", "half-open", "cool-down of 10000 ms elapsed");
  insert.run(Date.UTC(2026, 0, 1, 12), "ups_other", "healthy", "unhealthy", "x");
  db.$client.close();
  const res = await admin.call("GET", `/upstreams/${upstreamId}/health`);
  expect(res.status).toBe(200);
  expect(res.json).toEqual({
    upstreamId,
    reachable: false,
    targets: [],
    events: [
      {
        at: "2026-01-01T11:00:00.000Z",
        upstreamId,
        targetId: "tgt_1",
        url: "http://a",
        from: "unhealthy",
        to: "half-open",
        reason: "cool-down of 10000 ms elapsed",
      },
      {
        at: "2026-01-01T10:00:00.000Z",
        upstreamId,
        targetId: "tgt_1",
        url: "http://a",
        from: "healthy",
        to: "unhealthy",
        reason: "5 consecutive failed requests",
      },
    ],
  });
});
