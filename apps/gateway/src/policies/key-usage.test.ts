import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { analyticsDbPath, openAnalyticsDbForReading } from "@gatehouse/db";
import { afterEach, beforeEach, expect, test } from "vitest";
import { KeyUsageRecorder } from "./key-usage.ts";

let dir: string;
let lines: string[];
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "gatehouse-usage-"));
  lines = [];
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function stored(): Record<string, number> {
  const db = openAnalyticsDbForReading(dir);
  if (!db) return {};
  const rows = db.$client.prepare("SELECT key_id, last_used_at FROM key_usage").all() as Array<{
    key_id: string;
    last_used_at: number;
  }>;
  db.$client.close();
  return Object.fromEntries(rows.map((row) => [row.key_id, row.last_used_at]));
}

test("last-used times are written in one batch, and a stop writes what is left", () => {
  const recorder = new KeyUsageRecorder(dir, (line) => lines.push(line));
  recorder.used("key_a", 1000);
  recorder.used("key_b", 2000);
  recorder.used("key_a", 3000);
  expect(recorder.flush()).toBe(2);
  expect(stored()).toEqual({ key_a: 3000, key_b: 2000 });
  recorder.used("key_b", 4000);
  recorder.stop();
  expect(stored()).toEqual({ key_a: 3000, key_b: 4000 });
});

test("an older time never overwrites a newer one (two gateways share analytics.db)", () => {
  const first = new KeyUsageRecorder(dir, () => {});
  const second = new KeyUsageRecorder(dir, () => {});
  first.used("key_a", 5000);
  first.flush();
  second.used("key_a", 4000);
  second.flush();
  expect(stored()).toEqual({ key_a: 5000 });
  first.stop();
  second.stop();
});

test("analytics.db deleted under the gateway is created again on the next flush", () => {
  const recorder = new KeyUsageRecorder(dir, (line) => lines.push(line));
  recorder.used("key_a", 1000);
  recorder.flush();
  for (const suffix of ["", "-wal", "-shm"]) rmSync(`${analyticsDbPath(dir)}${suffix}`, { force: true });
  recorder.used("key_b", 2000);
  expect(recorder.flush()).toBe(1);
  expect(stored()).toEqual({ key_b: 2000 });
  recorder.stop();
});

test("when analytics.db cannot be written the times stay in memory, with one log line, until it can", () => {
  const recorder = new KeyUsageRecorder(path.join(dir, "data"), (line) => lines.push(line));
  // A data dir that is a file: analytics.db cannot be created inside it.
  writeFileSync(path.join(dir, "data"), "");
  recorder.used("key_a", 1000);
  expect(recorder.flush()).toBe(0);
  expect(recorder.flush()).toBe(0);
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^analytics: cannot write key usage to analytics.db/);
  rmSync(path.join(dir, "data"));
  expect(recorder.flush()).toBe(1);
  expect(lines.at(-1)).toBe("analytics: key usage written again");
  recorder.stop();
});
