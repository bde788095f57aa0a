import type Database from "better-sqlite3";
import { getTableColumns, getTableName } from "drizzle-orm";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";

/**
 * Every row of a table, or the rows `where` picks, as drizzle would map them (JSON and boolean
 * columns decoded by the schema's own columns), without drizzle's per-value type checks: the
 * gateway reads whole tables on reloads, and with 10,000 routes the generic mapping was most
 * of the read.
 */
export function readAll<T extends SQLiteTable>(
  sqlite: Database.Database,
  table: T,
  where?: { sql: string; params: readonly unknown[] },
): T["$inferSelect"][] {
  const columns = Object.entries(getTableColumns(table));
  const select = `SELECT ${columns.map(([, column]) => `"${column.name}"`).join(", ")} FROM "${getTableName(table)}"`;
  const rows = sqlite
    .prepare(where ? `${select} WHERE ${where.sql}` : select)
    .raw()
    .all(...(where?.params ?? [])) as unknown[][];
  const decoders = columns.map(([key, column]) => ({ key, decode: column.mapFromDriverValue.bind(column) }));
  return rows.map((raw) => {
    const row: Record<string, unknown> = {};
    for (let i = 0; i < decoders.length; i++) {
      const value = raw[i];
      const { key, decode } = decoders[i] as (typeof decoders)[number];
      row[key] = value === null ? null : decode(value);
    }
    return row as T["$inferSelect"];
  });
}
