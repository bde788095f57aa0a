import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { getTableName, is } from "drizzle-orm";
import { SQLiteTable } from "drizzle-orm/sqlite-core";
import { afterEach, beforeEach, expect, test } from "vitest";
import { openConfigDb } from "./client.ts";
import { CONFIG_TABLES, CONSOLE_TABLES, GATEWAY_TABLE_NAMES, HISTORY_TABLES } from "./config-tables.ts";
import { migrateConfigDb } from "./migrate.ts";
import * as schema from "./schema/index.ts";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "gatehouse-db-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test("every table of the schema and of the migrated config.db is in one list: config, audit log, history or console", () => {
  const listed = [...CONFIG_TABLES, schema.auditLog, ...HISTORY_TABLES, ...CONSOLE_TABLES].map((table) =>
    getTableName(table),
  );
  expect(new Set(listed).size).toBe(listed.length);
  const inSchema = Object.values(schema)
    .filter((value) => is(value, SQLiteTable))
    .map((table) => getTableName(table));
  expect(new Set(inSchema)).toEqual(new Set(listed));
  const db = openConfigDb(dir);
  migrateConfigDb(db);
  const migrated = db.$client
    .prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__drizzle%'",
    )
    .pluck()
    .all();
  db.$client.close();
  expect(new Set(migrated)).toEqual(new Set(listed));
  expect(GATEWAY_TABLE_NAMES).toContain("audit_log");
});
