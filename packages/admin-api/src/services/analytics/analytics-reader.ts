import { type AnalyticsDb, openAnalyticsDbForReading } from "@gatehouse/db";
import type Database from "better-sqlite3";

/**
 * Read-only access to analytics.db, which the gateway writes. Until the gateway has created
 * the file (or while it cannot be read) every read answers its fallback: no traffic yet.
 */
export class AnalyticsReader {
  readonly #dataDir: string | undefined;
  #db: AnalyticsDb | null = null;

  constructor(dataDir: string | undefined) {
    this.#dataDir = dataDir;
  }

  read<T>(query: (sqlite: Database.Database) => T, fallback: T): T {
    if (this.#dataDir === undefined) return fallback;
    try {
      this.#db ??= openAnalyticsDbForReading(this.#dataDir);
      if (this.#db === null) return fallback;
      return query(this.#db.$client);
    } catch {
      // Not created or migrated yet, or replaced under us: open it afresh next time.
      this.#db?.$client.close();
      this.#db = null;
      return fallback;
    }
  }
}
