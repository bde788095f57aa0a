import { existsSync, mkdirSync } from "node:fs";
import type Database from "better-sqlite3";
import { type BetterSQLite3Database, drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import * as schema from "./analytics/schema.ts";
import { analyticsDbPath, openAnalyticsFile } from "./analytics-file.ts";
import { migrationsFolder } from "./migrate.ts";

export { analyticsDbPath, openAnalyticsFile };

export type AnalyticsDb = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

/** A writer's handle (the gateway, and the console adding what data-plane nodes send): it creates and migrates the file. */
export function openAnalyticsDbForWriting(dataDir: string): AnalyticsDb {
  mkdirSync(dataDir, { recursive: true });
  const db = drizzle({ client: openAnalyticsFile(dataDir), schema });
  migrate(db, { migrationsFolder: migrationsFolder("analytics") });
  return db;
}

/** The console's handle: read-only, and null until a gateway has created the file. */
export function openAnalyticsDbForReading(dataDir: string): AnalyticsDb | null {
  if (!existsSync(analyticsDbPath(dataDir))) return null;
  return drizzle({ client: openAnalyticsFile(dataDir, { readonly: true }), schema });
}
