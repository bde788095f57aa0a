import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { LatencyHistogram, mergeEncodedHistograms } from "@gatehouse/shared";
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
  withHistogramFunctions(sqlite);
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
  withHistogramFunctions(sqlite);
  return drizzle({ client: sqlite, schema });
}

/**
 * Latency histograms are merged inside SQLite: `hist_merge(a, b)` for an upsert that adds a
 * second into its minute, `hist_sum(h)` to merge a column over GROUP BY buckets.
 */
function withHistogramFunctions(sqlite: Database.Database): void {
  sqlite.function("hist_merge", { deterministic: true }, (a, b) =>
    mergeEncodedHistograms(a as string | null, b as string | null),
  );
  sqlite.aggregate("hist_sum", {
    start: () => new LatencyHistogram(),
    step: (histogram: LatencyHistogram, text: unknown) => histogram.mergeEncoded(text as string | null),
    result: (histogram: LatencyHistogram) => histogram.encode(),
  });
}
