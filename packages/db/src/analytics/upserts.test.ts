import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, expect, test } from "vitest";
import { openAnalyticsDbForWriting } from "../analytics-client.ts";
import { SHIPPED_TABLES } from "../node-protocol.ts";
import { UPSERTS } from "./upserts.ts";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "gatehouse-upserts-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test("every shipped table's upsert binds its columns with the types the migrated table declares", () => {
  const sqlite = openAnalyticsDbForWriting(dir).$client;
  for (const table of SHIPPED_TABLES) {
    const declared = new Map(
      (sqlite.pragma(`table_info(${table})`) as { name: string; type: string }[]).map((c) => [
        c.name,
        c.type.toLowerCase(),
      ]),
    );
    for (const column of UPSERTS[table].columns) {
      expect(declared.get(column.name), `${table}.${column.name}`).toBe(column.type);
    }
    expect(UPSERTS[table].columns.length, table).toBe(declared.size);
  }
  sqlite.close();
});

test("rows of one key add up: counts sum, histograms merge, a key's later use wins", () => {
  const sqlite = openAnalyticsDbForWriting(dir).$client;
  const run = (table: keyof typeof UPSERTS, row: unknown[]) => sqlite.prepare(UPSERTS[table].sql).run(...row);
  for (const [requests, histogram] of [
    [2, "10:2"],
    [3, "10:1,12:2"],
  ] as const) {
    run("traffic_1s", [60, "api_a", "rte_a", "", 2, requests, 10, 20, 7.5, 5, requests, histogram]);
  }
  run("key_usage", ["key_a", 2000]);
  run("key_usage", ["key_a", 1000]);
  run("quota_usage", ["pol_1:ip:day", 0, 4]);
  run("quota_usage", ["pol_1:ip:day", 0, 1]);
  expect(sqlite.prepare("SELECT requests, bytes_in, latency_ms_sum, histogram FROM traffic_1s").raw().all()).toEqual([
    [5, 20, 15, "10:3,12:2"],
  ]);
  expect(sqlite.prepare("SELECT last_used_at FROM key_usage").pluck().all()).toEqual([2000]);
  expect(sqlite.prepare("SELECT count FROM quota_usage").pluck().all()).toEqual([5]);
  sqlite.close();
});
