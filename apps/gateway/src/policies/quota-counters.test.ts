import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { openAnalyticsDbForReading } from "@gatehouse/db";
import { QuotaTable } from "@gatehouse/policies";
import { afterEach, beforeEach, expect, test } from "vitest";
import { AnalyticsWriter } from "../analytics/analytics-writer.ts";
import { QuotaCounters } from "./quota-counters.ts";
import { SharedQuotaCounters } from "./shared-quota-counters.ts";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "gatehouse-quota-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const day = Math.floor(Date.now() / 86_400_000) * 86_400_000;
const check = (limit: number) => [{ counter: "pol_q:ip:10.0.0.1:day", periodStart: day, limit }];

test("the host loads the shared table, a worker admits into it, and the host writes the worker's increments once", async () => {
  const first = new AnalyticsWriter(dir, () => {});
  const before = new QuotaCounters();
  first.add(before);
  before.merge([["pol_q:ip:10.0.0.1:day", day, 4]]);
  await first.stop();

  const writer = new AnalyticsWriter(dir, () => {});
  const table = new QuotaTable(QuotaTable.allocate(64));
  const host = new QuotaCounters(table);
  writer.add(host);
  writer.read((sqlite) => host.load(sqlite, day));
  const worker = new SharedQuotaCounters(table.share());
  expect(worker.admit(check(6), day)).toEqual({ used: [4], admitted: true });
  expect(worker.admit(check(6), day)).toEqual({ used: [5], admitted: true });
  expect(worker.admit(check(6), day)).toEqual({ used: [6], admitted: false });
  host.merge(worker.takeIncrements());
  expect(worker.takeIncrements()).toEqual([]);
  await writer.stop();

  const db = openAnalyticsDbForReading(dir);
  expect(db?.$client.prepare("SELECT count FROM quota_usage").raw().all()).toEqual([[6]]);
  db?.$client.close();
  // Merged increments were written, not counted again: the table still says 6.
  expect(table.admit(check(0), day).used).toEqual([6]);
});
