import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { getTableName, is } from "drizzle-orm";
import { SQLiteTable } from "drizzle-orm/sqlite-core";
import { afterEach, beforeEach, expect, test } from "vitest";
import { openConfigDb } from "./client.ts";
import { migrateConfigDb } from "./migrate.ts";
import { readAll } from "./read-all.ts";
import * as schema from "./schema/index.ts";
import { apis, routes, upstreams } from "./schema/index.ts";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "gatehouse-db-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test("readAll maps every table's rows exactly as drizzle's select does (JSON, booleans, nulls)", () => {
  const db = openConfigDb(dir);
  migrateConfigDb(db);
  db.insert(upstreams).values({ id: "ups_1", name: "pool" }).run();
  db.insert(apis)
    .values({ id: "api_1", name: "orders", slug: "orders", upstreamId: "ups_1", enabled: false, tags: ["a"] })
    .run();
  db.insert(routes)
    .values([
      {
        id: "rte_1",
        apiId: "api_1",
        paths: ["/a", "/b/:id"],
        methods: ["GET"],
        headers: { "x-v": "2" },
        stripPath: false,
      },
      { id: "rte_2", apiId: "api_1", paths: ["/c"], rewritePath: "/r", name: null },
    ])
    .run();
  const tables = (Object.values(schema) as unknown[]).filter((value): value is SQLiteTable => is(value, SQLiteTable));
  expect(tables.length).toBeGreaterThan(5);
  for (const table of tables) {
    expect([getTableName(table), readAll(db.$client, table)]).toEqual([
      getTableName(table),
      db.select().from(table).all(),
    ]);
  }
  expect(readAll(db.$client, routes)[0]).toMatchObject({
    paths: ["/a", "/b/:id"],
    stripPath: false,
    headers: { "x-v": "2" },
  });
  db.$client.close();
});
