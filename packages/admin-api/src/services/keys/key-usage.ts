import { type AnalyticsDb, openAnalyticsDbForReading } from "@gatehouse/db";

/**
 * Last-used times, which the gateway writes to analytics.db. Read-only; until the gateway has
 * created the file (or while it cannot be read) every key reads as never used.
 */
export class KeyUsageReader {
  readonly #dataDir: string | undefined;
  #db: AnalyticsDb | null = null;

  constructor(dataDir: string | undefined) {
    this.#dataDir = dataDir;
  }

  lastUsed(keyIds: string[]): Map<string, string> {
    const out = new Map<string, string>();
    if (keyIds.length === 0 || this.#dataDir === undefined) return out;
    try {
      this.#db ??= openAnalyticsDbForReading(this.#dataDir);
      if (this.#db === null) return out;
      const rows = this.#db.$client
        .prepare("SELECT key_id, last_used_at FROM key_usage WHERE key_id IN (SELECT value FROM json_each(?))")
        .all(JSON.stringify(keyIds)) as Array<{ key_id: string; last_used_at: number }>;
      for (const row of rows) out.set(row.key_id, new Date(row.last_used_at).toISOString());
    } catch {
      // Not created or migrated yet, or replaced under us: read it afresh next time.
      this.#db?.$client.close();
      this.#db = null;
    }
    return out;
  }
}
