import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, expect, test } from "vitest";
import { openAnalyticsDbForWriting } from "../analytics-client.ts";
import {
  CODE_COLUMNS,
  CODE_TABLES,
  HEALTH_EVENTS,
  KEY_USAGE,
  NODE_BATCHES,
  POOL_COLUMNS,
  POOL_TABLES,
  QUOTA_USAGE,
  TRAFFIC_COLUMNS,
  TRAFFIC_KEY,
  TRAFFIC_SUMS,
  TRAFFIC_TABLES,
} from "./tables.ts";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "gatehouse-analytics-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** What the committed migrations made, read back from SQLite: the names raw SQL relies on. */
test("the migrated analytics.db has exactly the tables and columns the names describe", () => {
  const sqlite = openAnalyticsDbForWriting(dir).$client;
  const columns = (table: string) =>
    (sqlite.pragma(`table_info(${table})`) as { name: string; pk: number }[]).map(({ name, pk }) => ({ name, pk }));
  const tables = sqlite
    .prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__drizzle%'",
    )
    .pluck()
    .all();
  expect(new Set(tables)).toEqual(
    new Set([
      KEY_USAGE.name,
      QUOTA_USAGE.name,
      HEALTH_EVENTS.name,
      NODE_BATCHES.name,
      ...TRAFFIC_TABLES.map((t) => t.name),
      ...CODE_TABLES.map((t) => t.name),
      ...POOL_TABLES.map((t) => t.name),
    ]),
  );
  expect(columns(KEY_USAGE.name).map((c) => c.name)).toEqual(Object.values(KEY_USAGE.columns));
  expect(columns(QUOTA_USAGE.name).map((c) => c.name)).toEqual(Object.values(QUOTA_USAGE.columns));
  expect(columns(HEALTH_EVENTS.name).map((c) => c.name)).toEqual(Object.values(HEALTH_EVENTS.columns));
  expect(columns(NODE_BATCHES.name).map((c) => c.name)).toEqual(Object.values(NODE_BATCHES.columns));
  for (const table of CODE_TABLES) {
    expect(columns(table.name).map((c) => c.name)).toEqual(Object.values(CODE_COLUMNS));
  }
  for (const table of POOL_TABLES) {
    expect(columns(table.name).map((c) => c.name)).toEqual(Object.values(POOL_COLUMNS));
  }
  for (const table of TRAFFIC_TABLES) {
    const found = columns(table.name);
    expect(found.map((c) => c.name)).toEqual(Object.values(TRAFFIC_COLUMNS));
    expect(found.filter((c) => c.pk > 0).map((c) => c.name)).toEqual(TRAFFIC_KEY.map((key) => TRAFFIC_COLUMNS[key]));
  }
  expect([...TRAFFIC_KEY, ...TRAFFIC_SUMS, "histogram"].sort()).toEqual(Object.keys(TRAFFIC_COLUMNS).sort());
  sqlite.close();
});
