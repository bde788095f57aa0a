import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { analyticsDbPath, openAnalyticsDbForReading } from "@gatehouse/db";
import { afterEach, beforeEach, expect, test } from "vitest";
import { KeyUsageRecorder } from "../policies/key-usage.ts";
import { QuotaCounters } from "../policies/quota-counters.ts";
import { AnalyticsWriter } from "./analytics-writer.ts";

let dir: string;
let lines: string[];
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "gatehouse-analytics-"));
  lines = [];
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function rows(sql: string): unknown[][] {
  const db = openAnalyticsDbForReading(dir);
  if (!db) return [];
  const out = db.$client.prepare(sql).raw().all() as unknown[][];
  db.$client.close();
  return out;
}

function writerWith(dataDir = dir) {
  const writer = new AnalyticsWriter(dataDir, (line) => lines.push(line));
  const keyUsage = new KeyUsageRecorder();
  const quotas = new QuotaCounters();
  writer.add(keyUsage);
  writer.add(quotas);
  return { writer, keyUsage, quotas };
}

test("last-used times are written in one batch, and a stop writes what is left", async () => {
  const { writer, keyUsage } = writerWith();
  keyUsage.used("key_a", 1000);
  keyUsage.used("key_b", 2000);
  keyUsage.used("key_a", 3000);
  expect(await writer.flush()).toBe(2);
  expect(rows("SELECT key_id, last_used_at FROM key_usage ORDER BY key_id")).toEqual([
    ["key_a", 3000],
    ["key_b", 2000],
  ]);
  keyUsage.used("key_b", 4000);
  await writer.stop();
  expect(rows("SELECT last_used_at FROM key_usage WHERE key_id = 'key_b'")).toEqual([[4000]]);
});

test("an older time never overwrites a newer one (two gateways share analytics.db)", async () => {
  const first = writerWith();
  const second = writerWith();
  first.keyUsage.used("key_a", 5000);
  await first.writer.flush();
  second.keyUsage.used("key_a", 4000);
  await second.writer.flush();
  expect(rows("SELECT last_used_at FROM key_usage")).toEqual([[5000]]);
  await first.writer.stop();
  await second.writer.stop();
});

test("quota counts survive a restart and start again with a new period", async () => {
  const day1 = Math.floor(Date.now() / 86_400_000) * 86_400_000;
  const day2 = day1 + 86_400_000;
  const before = writerWith();
  before.quotas.merge([
    ["pol_1:con_a:day", day1, 3],
    ["pol_1:con_a:day", day1, 2],
  ]);
  await before.writer.stop();

  const after = writerWith();
  after.writer.read((sqlite) => after.quotas.load(sqlite, day1));
  expect(after.quotas.admit([{ counter: "pol_1:con_a:day", periodStart: day1, limit: 10 }], day1)).toEqual({
    used: [5],
    admitted: true,
  });
  await after.writer.flush();
  expect(rows(`SELECT count FROM quota_usage WHERE period_start = ${day1}`)).toEqual([[6]]);
  expect(after.quotas.admit([{ counter: "pol_1:con_a:day", periodStart: day2, limit: 10 }], day2).used).toEqual([0]);
  expect(after.quotas.admit([{ counter: "pol_1:con_a:day", periodStart: day2, limit: 10 }], day2).used).toEqual([1]);
  await after.writer.stop();
});

test("analytics.db deleted under the gateway is created again on the next flush", async () => {
  const { writer, keyUsage } = writerWith();
  keyUsage.used("key_a", 1000);
  await writer.flush();
  for (const suffix of ["", "-wal", "-shm"]) rmSync(`${analyticsDbPath(dir)}${suffix}`, { force: true });
  keyUsage.used("key_b", 2000);
  expect(await writer.flush()).toBe(1);
  expect(rows("SELECT key_id FROM key_usage")).toEqual([["key_b"]]);
  await writer.stop();
});

test("when analytics.db cannot be written the counts stay in memory, with one log line, until it can", async () => {
  const dataDir = path.join(dir, "data");
  const { writer, keyUsage, quotas } = writerWith(dataDir);
  // A data dir that is a file: analytics.db cannot be created inside it.
  writeFileSync(dataDir, "");
  keyUsage.used("key_a", 1000);
  const today = Math.floor(Date.now() / 86_400_000) * 86_400_000;
  quotas.merge([["pol_1:ip:day", today, 2]]);
  expect(await writer.flush()).toBe(0);
  quotas.merge([["pol_1:ip:day", today, 1]]);
  expect(await writer.flush()).toBe(0);
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^analytics: cannot write analytics.db/);
  rmSync(dataDir);
  expect(await writer.flush()).toBe(2);
  expect(lines.at(-1)).toBe("analytics: analytics.db written again");
  const db = openAnalyticsDbForReading(dataDir);
  expect(db?.$client.prepare("SELECT count FROM quota_usage").raw().all()).toEqual([[3]]);
  db?.$client.close();
  await writer.stop();
});
