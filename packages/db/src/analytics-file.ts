import path from "node:path";
import { LatencyHistogram, mergeEncodedHistograms } from "@gatehouse/shared/histogram";
import Database from "better-sqlite3";

export function analyticsDbPath(dataDir: string): string {
  return path.join(dataDir, "analytics.db");
}

/**
 * A raw handle on analytics.db with its settings and histogram functions, and without
 * drizzle: the gateway's writer thread needs no more, and importing drizzle-orm alone costs
 * about 100 MB of RSS in a thread.
 */
export function openAnalyticsFile(dataDir: string, options: { readonly?: boolean } = {}): Database.Database {
  const file = analyticsDbPath(dataDir);
  const sqlite = options.readonly ? new Database(file, { readonly: true, fileMustExist: true }) : new Database(file);
  if (!options.readonly) {
    sqlite.pragma("journal_mode = WAL");
    sqlite.pragma("synchronous = NORMAL");
  }
  sqlite.pragma("busy_timeout = 1000");
  withHistogramFunctions(sqlite);
  return sqlite;
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
