import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { IncomingMessage } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { openAnalyticsDbForReading, TRAFFIC_TABLES } from "@gatehouse/db";
import type { LiveMessage } from "@gatehouse/shared";
import { LatencyHistogram, OTHER_CONSUMERS } from "@gatehouse/shared";
import { afterEach, beforeEach, expect, test } from "vitest";
import { AnalyticsWriter } from "./analytics-writer.ts";
import { LiveFeed } from "./live-feed.ts";
import { SampleColumns } from "./sample-columns.ts";
import type { TrafficRollupsOptions } from "./traffic-rollups.ts";
import { TrafficSample } from "./traffic-sample.ts";

let dir: string;
let clock: number;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "gatehouse-traffic-"));
  clock = Date.UTC(2026, 10, 23, 10, 0, 0);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const fakeRequest = { method: "GET", headers: { "content-length": "10" } } as unknown as IncomingMessage;

function sample(opts: {
  api?: string;
  route?: string;
  consumer?: string | null;
  status?: number;
  ms?: number;
  at?: number;
}) {
  const s = new TrafficSample(fakeRequest, opts.api ?? "api_a", opts.route ?? "rte_a", "/x", "req_1");
  s.consumerId = opts.consumer === undefined ? "csm_1" : opts.consumer;
  s.status = opts.status ?? 200;
  s.latencyMs = opts.ms ?? 5;
  s.upstreamMs = (opts.ms ?? 5) / 2;
  s.bytesOut = 100;
  s.endedAt = opts.at ?? clock;
  return s;
}

/** Samples recorded here are rolled up on the writer's thread, whose flushes read `clock`. */
function setup(rollupOptions: Omit<TrafficRollupsOptions, "onSeconds"> = {}, dataDir = dir) {
  const samples = new SampleColumns();
  const feed = new LiveFeed();
  const writer = new AnalyticsWriter(dataDir, () => {}, { now: () => clock });
  writer.addTraffic({ samples, feed, rollupOptions });
  return { samples, writer, feed };
}

function query(sql: string, ...params: unknown[]): Record<string, unknown>[] {
  const db = openAnalyticsDbForReading(dir);
  if (db === null) return [];
  const out = db.$client.prepare(sql).all(...params) as Record<string, unknown>[];
  db.$client.close();
  return out;
}

test("a second is written once it is over; its minute once the minute is over; its hour once the hour is", async () => {
  const { samples, writer } = setup();
  for (let i = 0; i < 5; i++) samples.record(sample({ ms: 10 + i }));
  samples.record(sample({ status: 404 }));
  samples.record(sample({ status: 503, consumer: null }));
  expect(await writer.flush()).toBe(0); // the second is still going on
  clock += 1000;
  expect(await writer.flush()).toBe(7);
  const byClass = (table: string) =>
    query(`SELECT consumer_id, status_class, requests, bytes_in, bytes_out FROM ${table} ORDER BY status_class`);
  const expected = [
    { consumer_id: "csm_1", status_class: 2, requests: 5, bytes_in: 50, bytes_out: 500 },
    { consumer_id: "csm_1", status_class: 4, requests: 1, bytes_in: 10, bytes_out: 100 },
    { consumer_id: "", status_class: 5, requests: 1, bytes_in: 10, bytes_out: 100 },
  ];
  expect(byClass("traffic_1s")).toEqual(expected);
  expect(byClass("traffic_1m")).toEqual([]);
  clock += 59_000;
  await writer.flush();
  expect(byClass("traffic_1m")).toEqual(expected);
  expect(byClass("traffic_1h")).toEqual([]);
  clock += 3540_000;
  await writer.flush();
  expect(byClass("traffic_1h")).toEqual(expected);
  const [row] = query("SELECT t, histogram FROM traffic_1s WHERE status_class = 2");
  expect(row?.t).toBe(Date.UTC(2026, 10, 23, 10, 0, 0) / 1000);
  expect(LatencyHistogram.decode(row?.histogram as string).quantile(0.5)).toBeCloseTo(12, 0);
});

test("seconds of one minute add up in its minute row, histograms merged; a new hour starts a new row", async () => {
  const { samples, writer } = setup({ retention: { seconds: 86_400, minutes: 86_400, hours: 86_400 } });
  const start = clock;
  for (let s = 0; s < 120; s++) {
    clock = start + s * 1000;
    samples.record(sample({ ms: s < 60 ? 1 : 100 }));
    samples.record(sample({ ms: s < 60 ? 1 : 100 }));
    await writer.flush();
  }
  clock = start + 3600_000;
  samples.record(sample({}));
  clock += 1000;
  await writer.flush();
  expect(query("SELECT count(*) AS n, sum(requests) AS r FROM traffic_1s")).toEqual([{ n: 121, r: 241 }]);
  const minutes = query("SELECT t, requests, histogram FROM traffic_1m ORDER BY t");
  expect(minutes.map((m) => [m.t, m.requests])).toEqual([
    [start / 1000, 120],
    [start / 1000 + 60, 120],
  ]);
  const secondMinute = LatencyHistogram.decode(minutes[1]?.histogram as string);
  expect(secondMinute.count).toBe(120);
  expect(secondMinute.quantile(0.5)).toBeCloseTo(100, -1);
  expect(query("SELECT t, requests FROM traffic_1h ORDER BY t")).toEqual([{ t: start / 1000, requests: 240 }]);
  // A stop writes the minute and the hour still open.
  await writer.stop();
  expect(query("SELECT t, requests FROM traffic_1m WHERE t >= ?", start / 1000 + 3600)).toEqual([
    { t: start / 1000 + 3600, requests: 1 },
  ]);
  expect(query("SELECT t, requests FROM traffic_1h ORDER BY t")).toEqual([
    { t: start / 1000, requests: 240 },
    { t: start / 1000 + 3600, requests: 1 },
  ]);
  const merged = query("SELECT hist_sum(histogram) AS h FROM traffic_1s WHERE t < ?", start / 1000 + 120);
  expect(LatencyHistogram.decode(merged[0]?.h as string).count).toBe(240);
});

test("a minute and an hour keep every api, route, consumer and status class apart, each the sum of its seconds", async () => {
  const { samples, writer } = setup({ retention: { seconds: 86_400, minutes: 86_400, hours: 86_400 } });
  const start = clock;
  const kinds = [
    { api: "api_a", route: "rte_a" },
    { api: "api_a", route: "rte_b" },
    { api: "api_b", route: "rte_c" },
  ].flatMap((where) =>
    ["csm_1", null].flatMap((consumer) => [200, 404, 503].map((status) => ({ ...where, consumer, status }))),
  );
  // Each kind gets its own count, spread over the seconds of one minute.
  for (let s = 0; s < 60; s++) {
    clock = start + s * 1000;
    kinds.forEach((kind, i) => {
      if (s % (i + 1) === 0) samples.record(sample(kind));
    });
    await writer.flush();
  }
  clock = start + 3600_000;
  await writer.flush();
  await writer.stop();
  const bySeconds = query(
    `SELECT api_id, route_id, consumer_id, status_class, sum(requests) AS requests FROM traffic_1s
     GROUP BY api_id, route_id, consumer_id, status_class ORDER BY api_id, route_id, consumer_id, status_class`,
  );
  expect(bySeconds).toHaveLength(kinds.length);
  for (const table of ["traffic_1m", "traffic_1h"]) {
    const rows = query(
      `SELECT api_id, route_id, consumer_id, status_class, requests FROM ${table}
       ORDER BY api_id, route_id, consumer_id, status_class`,
    );
    expect(rows, table).toEqual(bySeconds);
  }
});

test("retention trims each table to its own horizon", async () => {
  const { samples, writer } = setup({ retention: { seconds: 60, minutes: 600, hours: 7200 } });
  const start = clock;
  for (const offset of [0, 300, 5000, 9000]) {
    clock = start + offset * 1000;
    samples.record(sample({}));
    clock += 1000;
    await writer.flush();
  }
  const ts = (table: string) => query(`SELECT t FROM ${table} ORDER BY t`).map((r) => (r.t as number) - start / 1000);
  // The last flush ran at start+9001 s: seconds keep ≥ 8941, minutes ≥ 8401, hours ≥ 1801; the
  // minute of 9000 and the hour of 7200 are still open.
  expect(ts("traffic_1s")).toEqual([9000]);
  expect(ts("traffic_1m")).toEqual([]);
  expect(ts("traffic_1h")).toEqual([3600]);
  await writer.stop();
  expect(ts("traffic_1m")).toEqual([9000]);
  expect(ts("traffic_1h")).toEqual([3600, 7200]);
});

test("past the consumer cap a second counts the rest as one other consumer, and counts stay exact", async () => {
  const { samples, writer } = setup({ maxConsumersPerSecond: 3 });
  for (let i = 0; i < 50; i++) samples.record(sample({ consumer: `csm_${i % 10}`, route: `rte_${i % 2}` }));
  clock += 1000;
  await writer.flush();
  const rows = query(
    "SELECT consumer_id, sum(requests) AS r FROM traffic_1s GROUP BY consumer_id ORDER BY consumer_id",
  );
  expect(rows).toEqual([
    { consumer_id: "csm_0", r: 5 },
    { consumer_id: "csm_1", r: 5 },
    { consumer_id: "csm_2", r: 5 },
    { consumer_id: OTHER_CONSUMERS, r: 35 },
  ]);
});

test("past the cap on cells in memory a minute and an hour are written early, in parts that add up", async () => {
  const { samples, writer } = setup({ maxAccumulatedCells: 5 });
  for (let s = 0; s < 3; s++) {
    for (let c = 0; c < 3; c++) samples.record(sample({ consumer: `csm_${s}_${c}` }));
    clock += 1000;
    await writer.flush();
  }
  const sum = (table: string) => query(`SELECT sum(requests) AS r FROM ${table}`)[0]?.r;
  // 3 new cells a second: at 6 the minute went out, and the hour with it once it held 6 too.
  expect(sum("traffic_1s")).toBe(9);
  expect(sum("traffic_1m")).toBe(6);
  expect(sum("traffic_1h")).toBe(6);
  await writer.stop();
  expect([sum("traffic_1m"), sum("traffic_1h")]).toEqual([9, 9]);
});

test("a failed write keeps the seconds and writes them later; the live feed sees each second once", async () => {
  const published: number[] = [];
  const dataDir = path.join(dir, "data");
  const { samples, writer, feed } = setup({}, dataDir);
  feed.subscribe((json) => {
    for (const second of (JSON.parse(json) as LiveMessage).seconds) {
      published.push(second.cells.reduce((sum, cell) => sum + cell[4], 0));
    }
  });
  writer.read(() => {});
  samples.record(sample({}));
  clock += 1000;
  // The data dir replaced by a file: analytics.db can be neither found nor created.
  rmSync(dataDir, { recursive: true });
  writeFileSync(dataDir, "");
  expect(await writer.flush()).toBe(0);
  rmSync(dataDir);
  samples.record(sample({}));
  samples.record(sample({}));
  clock += 1000;
  expect(await writer.flush()).toBe(3);
  await writer.stop();
  const db = openAnalyticsDbForReading(dataDir);
  for (const { name: table } of TRAFFIC_TABLES) {
    expect(db?.$client.prepare(`SELECT sum(requests) AS r FROM ${table}`).get()).toEqual({ r: 3 });
  }
  db?.$client.close();
  expect(published).toEqual([1, 2]);
});

test("stopping writes the second still being counted", async () => {
  const { samples, writer } = setup();
  writer.read(() => {});
  for (let i = 0; i < 9; i++) samples.record(sample({}));
  await writer.stop();
  expect(query("SELECT sum(requests) AS r FROM traffic_1s")).toEqual([{ r: 9 }]);
});
