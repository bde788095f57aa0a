import type { AnalyticsReader } from "../analytics/analytics-reader.ts";

/** Last-used times, which the gateway writes to analytics.db; never used until it has. */
export class KeyUsageReader {
  readonly #reader: AnalyticsReader;

  constructor(reader: AnalyticsReader) {
    this.#reader = reader;
  }

  lastUsed(keyIds: string[]): Map<string, string> {
    const out = new Map<string, string>();
    if (keyIds.length === 0) return out;
    const rows = this.#reader.read(
      (sqlite) =>
        sqlite
          .prepare("SELECT key_id, last_used_at FROM key_usage WHERE key_id IN (SELECT value FROM json_each(?))")
          .all(JSON.stringify(keyIds)) as Array<{ key_id: string; last_used_at: number }>,
      [],
    );
    for (const row of rows) out.set(row.key_id, new Date(row.last_used_at).toISOString());
    return out;
  }
}
