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

test("last-used times are written in one batch, and a stop writes what is left", () => {
  const { writer, keyUsage } = writerWith();
  keyUsage.used("key_a", 1000);
  keyUsage.used("key_b", 2000);
  keyUsage.used("key_a", 3000);
  expect(writer.flush()).toBe(2);
  expect(rows("SELECT key_id, last_used_at FROM key_usage ORDER BY key_id")).toEqual([
    ["key_a", 3000],
    ["key_b", 2000],
  ]);
  keyUsage.used("key_b", 4000);
  writer.stop();
  expect(rows("SELECT last_used_at FROM key_usage WHERE key_id = 'key_b'")).toEqual([[4000]]);
});

test("an older time never overwrites a newer one (two gateways share analytics.db)", () => {
  const first = writerWith();
  const second = writerWith();
  first.keyUsage.used("key_a", 5000);
  first.writer.flush();
  second.keyUsage.used("key_a", 4000);
  second.writer.flush();
  expect(rows("SELECT last_used_at FROM key_usage")).toEqual([[5000]]);
  first.writer.stop();
  second.writer.stop();
});

test("quota counts survive a restart and start again with a new period", () => {
  const day1 = Math.floor(Date.now() / 86_400_000) * 86_400_000;
  const day2 = day1 + 86_400_000;
  const before = writerWith();
  before.quotas.add("pol_1:con_a:day", day1, 3);
  before.quotas.add("pol_1:con_a:day", day1, 2);
  before.writer.stop();

  const after = writerWith();
  after.quotas.load(after.writer.open(), day1);
  expect(after.quotas.get("pol_1:con_a:day", day1)).toBe(5);
  expect(after.quotas.get("pol_1:con_a:day", day2)).toBe(0);
  after.quotas.add("pol_1:con_a:day", day1, 1);
  after.writer.flush();
  expect(rows(`SELECT count FROM quota_usage WHERE period_start = ${day1}`)).toEqual([[6]]);
  after.quotas.add("pol_1:con_a:day", day2, 1);
  expect(after.quotas.get("pol_1:con_a:day", day2)).toBe(1);
  expect(after.quotas.get("pol_1:con_a:day", day1)).toBe(0);
  after.writer.stop();
});

test("analytics.db deleted under the gateway is created again on the next flush", () => {
  const { writer, keyUsage } = writerWith();
  keyUsage.used("key_a", 1000);
  writer.flush();
  for (const suffix of ["", "-wal", "-shm"]) rmSync(`${analyticsDbPath(dir)}${suffix}`, { force: true });
  keyUsage.used("key_b", 2000);
  expect(writer.flush()).toBe(1);
  expect(rows("SELECT key_id FROM key_usage")).toEqual([["key_b"]]);
  writer.stop();
});

test("when analytics.db cannot be written the counts stay in memory, with one log line, until it can", () => {
  const dataDir = path.join(dir, "data");
  const { writer, keyUsage, quotas } = writerWith(dataDir);
  // A data dir that is a file: analytics.db cannot be created inside it.
  writeFileSync(dataDir, "");
  keyUsage.used("key_a", 1000);
  const today = Math.floor(Date.now() / 86_400_000) * 86_400_000;
  quotas.add("pol_1:ip:day", today, 2);
  expect(writer.flush()).toBe(0);
  quotas.add("pol_1:ip:day", today, 1);
  expect(writer.flush()).toBe(0);
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^analytics: cannot write analytics.db/);
  rmSync(dataDir);
  expect(writer.flush()).toBe(2);
  expect(lines.at(-1)).toBe("analytics: analytics.db written again");
  const db = openAnalyticsDbForReading(dataDir);
  expect(db?.$client.prepare("SELECT count FROM quota_usage").raw().all()).toEqual([[3]]);
  db?.$client.close();
  writer.stop();
});
