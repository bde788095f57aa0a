import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { type BetterSQLite3Database, drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import * as schema from "./analytics/schema.ts";
import { migrationsFolder } from "./migrate.ts";

export type AnalyticsDb = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

export function analyticsDbPath(dataDir: string): string {
  return path.join(dataDir, "analytics.db");
}

/** The gateway's handle: it alone writes analytics.db, so it creates and migrates it. */
export function openAnalyticsDbForWriting(dataDir: string): AnalyticsDb {
  mkdirSync(dataDir, { recursive: true });
  const sqlite = new Database(analyticsDbPath(dataDir));
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("busy_timeout = 1000");
  const db = drizzle({ client: sqlite, schema });
  migrate(db, { migrationsFolder: migrationsFolder("analytics") });
  return db;
}

/** The console's handle: read-only, and null until a gateway has created the file. */
export function openAnalyticsDbForReading(dataDir: string): AnalyticsDb | null {
  const file = analyticsDbPath(dataDir);
  if (!existsSync(file)) return null;
  const sqlite = new Database(file, { readonly: true, fileMustExist: true });
  sqlite.pragma("busy_timeout = 1000");
  return drizzle({ client: sqlite, schema });
}
