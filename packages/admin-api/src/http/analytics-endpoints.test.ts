import { openAnalyticsDbForWriting, TRAFFIC_TABLES, type TrafficTable } from "@gatehouse/db";
import { LatencyHistogram } from "@gatehouse/shared";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type AdminApiHarness, startAdminApi, TEST_TOKEN } from "../test-support/admin-api-harness.ts";

let admin: AdminApiHarness;
let apiId: string;
let otherApiId: string;
let acme: string;
let globex: string;
/** Minute-aligned, two hours ago: inside every table's retention. */
const base = Math.floor((Date.now() - 7_200_000) / 60_000) * 60;

function histogramOf(...ms: number[]): string {
  const histogram = new LatencyHistogram();
  for (const value of ms) histogram.add(value);
  return histogram.encode();
}

/** Writes rollup rows as the gateway has once their minute and hour are over: the same counts into each table. */
function record(
  t: number,
  api: string,
  consumer: string,
  statusClass: number,
  latencies: number[],
  tables: readonly TrafficTable[] = TRAFFIC_TABLES,
) {
  const db = openAnalyticsDbForWriting(admin.dataDir);
  for (const { name: table, width } of tables) {
    db.$client
      .prepare(
        `INSERT INTO ${table} VALUES (?, ?, 'rte_1', ?, ?, ?, ?, ?, 0, 0, 0, ?)
         ON CONFLICT DO UPDATE SET requests = requests + excluded.requests,
           bytes_in = bytes_in + excluded.bytes_in, bytes_out = bytes_out + excluded.bytes_out,
           histogram = hist_merge(histogram, excluded.histogram)`,
      )
      .run(
        t - (t % width),
        api,
        consumer,
        statusClass,
        latencies.length,
        latencies.length * 10,
        latencies.length * 100,
        histogramOf(...latencies),
      );
  }
  db.$client.close();
}

beforeAll(async () => {
  admin = startAdminApi();
  const create = async (name: string) =>
    (
      await admin.call("POST", "/apis", {
        name,
        upstream: { targets: [{ url: "http://127.0.0.1:9" }] },
        routes: [{ paths: [`/${name}`] }],
      })
    ).json.id as string;
  apiId = await create("orders");
  otherApiId = await create("billing");
  acme = (await admin.call("POST", "/consumers", { name: "acme" })).json.id;
  globex = (await admin.call("POST", "/consumers", { name: "globex" })).json.id;
  record(base, apiId, acme, 2, [10, 10, 20, 30]);
  record(base, apiId, acme, 5, [500]);
  record(base + 1, apiId, globex, 2, [5, 5]);
  record(base + 1, apiId, globex, 4, [1]);
  record(base + 61, otherApiId, acme, 2, [40, 40, 40]);
  record(base + 62, otherApiId, "", 4, [2]);
  record(base - 86_400, apiId, acme, 2, [10]);
});
afterAll(() => admin?.close());

const ms = (seconds: number) => seconds * 1000;

describe("timeseries", () => {
  test("per second, dense, with errors by class and percentiles from the merged histograms", async () => {
    const res = await admin.call(
      "GET",
      `/analytics/timeseries?apiId=${apiId}&from=${ms(base)}&to=${ms(base + 3)}&step=1s`,
    );
    expect(res.status).toBe(200);
    expect(res.json.step).toBe("1s");
    expect(res.json.points).toEqual([
      // Five samples 10, 10, 20, 30, 500: the p-th percentile is the sample at rank ⌊p·4⌋, within 1%.
      {
        t: ms(base),
        requests: 5,
        errors4xx: 0,
        errors5xx: 1,
        p50: expect.closeTo(20, 0),
        p95: expect.closeTo(30, 0),
        p99: expect.closeTo(30, 0),
      },
      {
        t: ms(base + 1),
        requests: 3,
        errors4xx: 1,
        errors5xx: 0,
        p50: expect.closeTo(5, 0),
        p95: expect.closeTo(5, 0),
        p99: expect.closeTo(5, 0),
      },
      { t: ms(base + 2), requests: 0, errors4xx: 0, errors5xx: 0, p50: null, p95: null, p99: null },
    ]);
    expect(res.json.total).toMatchObject({ requests: 8, errors4xx: 1, errors5xx: 1, bytesIn: 80, bytesOut: 800 });
  });

  test("per minute from the minute table, filtered by consumer, over ISO times", async () => {
    const from = new Date(ms(base)).toISOString();
    const to = new Date(ms(base + 180)).toISOString();
    const res = await admin.call("GET", `/analytics/timeseries?consumerId=${acme}&from=${from}&to=${to}&step=1m`);
    expect(res.status).toBe(200);
    expect(res.json.points.map((p: { requests: number }) => p.requests)).toEqual([5, 3, 0]);
  });

  test("without a step, the smallest that gives at most 1500 points and whose table holds the range", async () => {
    const day = await admin.call("GET", `/analytics/timeseries?from=${ms(base - 43_200)}&to=${ms(base + 43_200)}`);
    expect(day.json.step).toBe("1m");
    expect(day.json.points).toHaveLength(1440);
    const month = await admin.call("GET", `/analytics/timeseries?from=${ms(base - 29 * 86_400)}&to=${ms(base + 3600)}`);
    expect(month.json.step).toBe("1h");
    expect(month.json.total.requests).toBe(13);
  });

  test.each([
    ["from after to", `from=${ms(base + 10)}&to=${ms(base)}`, "from", /before/],
    ["an unknown step", "step=2s", "step", /one of 1s, 10s/],
    [
      "a step giving too many points",
      `from=${ms(base)}&to=${ms(base + 86_400)}&step=1s`,
      "step",
      /86400 points .* use 1m or more/,
    ],
    ["a range over 400 days", `from=0&to=${ms(base)}`, "from", /400 days/],
    ["a time that is neither", "from=yesterday", "from", /epoch milliseconds or an ISO 8601/],
  ])("%s is a 400 naming the field", async (_, query, field, message) => {
    const res = await admin.call("GET", `/analytics/timeseries?${query}`);
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe("validation_failed");
    expect(res.json.error.fields).toContainEqual({ path: field, message: expect.stringMatching(message) });
  });
});

test("traffic of the open minute and hour, only in the second table so far, counts at every step and in usage", async () => {
  const now = Math.floor(Date.now() / 1000);
  const consumer = (await admin.call("POST", "/consumers", { name: "fresh" })).json.id;
  record(now - 1, apiId, consumer, 2, [7, 7, 7], [TRAFFIC_TABLES[0]]);
  for (const step of ["10s", "1m", "1h", "1d"]) {
    const res = await admin.call(
      "GET",
      `/analytics/timeseries?consumerId=${consumer}&from=${ms(now - 7200)}&step=${step}`,
    );
    expect([step, res.json.total.requests]).toEqual([step, 3]);
  }
  const usage = await admin.call("GET", `/analytics/usage?consumerId=${consumer}`);
  expect(usage.json.byApi[0]?.requests).toBe(3);
});

describe("top and usage", () => {
  test("top consumers and top APIs, with names, requests without a consumer named as such", async () => {
    const range = `from=${ms(base)}&to=${ms(base + 3600)}`;
    const consumers = await admin.call("GET", `/analytics/top?by=consumer&${range}`);
    expect(consumers.json.items.map((i: { name: string; requests: number }) => [i.name, i.requests])).toEqual([
      ["acme", 8],
      ["globex", 3],
      ["No consumer", 1],
    ]);
    const apis = await admin.call("GET", `/analytics/top?by=api&limit=1&${range}`);
    expect(apis.json.items).toEqual([
      { id: apiId, name: "orders", requests: 8, errors4xx: 1, errors5xx: 1, p95: expect.any(Number) },
    ]);
    expect((await admin.call("GET", "/analytics/top?by=route")).status).toBe(400);
  });

  test("a consumer's usage by API and by UTC day, and the same as CSV", async () => {
    const range = `from=${ms(base - 86_400)}&to=${ms(base + 3600)}`;
    const res = await admin.call("GET", `/analytics/usage?consumerId=${acme}&${range}`);
    expect(res.status).toBe(200);
    expect(res.json.byApi).toEqual([
      { apiId, apiName: "orders", requests: 6, errors4xx: 0, errors5xx: 1, bytesIn: 60, bytesOut: 600 },
      { apiId: otherApiId, apiName: "billing", requests: 3, errors4xx: 0, errors5xx: 0, bytesIn: 30, bytesOut: 300 },
    ]);
    const days = res.json.byDay.map((r: { day: string; apiName: string; requests: number }) => [
      r.day,
      r.apiName,
      r.requests,
    ]);
    const day = (seconds: number) => new Date(ms(seconds)).toISOString().slice(0, 10);
    expect(days.reduce((sum: number, row: [string, string, number]) => sum + row[2], 0)).toBe(9);
    expect(days).toContainEqual([day(base - 86_400), "orders", 1]);

    const csv = await admin.app.request(
      `http://console.test/api/v1/analytics/usage?consumerId=${acme}&${range}&format=csv`,
      {
        headers: { authorization: `Bearer ${TEST_TOKEN}` },
      },
    );
    expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(csv.headers.get("content-disposition")).toMatch(
      new RegExp(`^attachment; filename="usage-${acme}-\\d{4}-\\d\\d-\\d\\d-`),
    );
    const lines = (await csv.text()).trimEnd().split("\r\n");
    expect(lines[0]).toBe("day,api_id,api_name,requests,errors_4xx,errors_5xx,bytes_in,bytes_out");
    expect(lines).toContain(`${day(base - 86_400)},${apiId},orders,1,0,0,10,100`);
    expect(lines).toHaveLength(1 + days.length);
  });

  test("usage needs a known consumer and a valid format", async () => {
    expect((await admin.call("GET", "/analytics/usage")).json.error.fields).toContainEqual({
      path: "consumerId",
      message: expect.any(String),
    });
    expect((await admin.call("GET", "/analytics/usage?consumerId=csm_nope")).status).toBe(404);
    expect((await admin.call("GET", `/analytics/usage?consumerId=${acme}&format=xml`)).status).toBe(400);
  });
});

test("the request log is validated here before the gateway is asked; no gateway means 503", async () => {
  const bad = await admin.call("GET", "/analytics/requests?status=600");
  expect(bad.status).toBe(400);
  expect(bad.json.error.fields[0].path).toBe("status");
  const noGateway = await admin.call("GET", "/analytics/requests");
  expect(noGateway.status).toBe(503);
  expect(noGateway.json.error.code).toBe("gateway_unavailable");
});
