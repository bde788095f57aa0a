import { KEY_USAGE } from "@gatehouse/db";
import type { AnalyticsReader } from "../analytics/analytics-reader.ts";

const { keyId, lastUsedAt } = KEY_USAGE.columns;

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
          .prepare(
            `SELECT ${keyId} AS keyId, ${lastUsedAt} AS lastUsedAt FROM ${KEY_USAGE.name}
             WHERE ${keyId} IN (SELECT value FROM json_each(?))`,
          )
          .all(JSON.stringify(keyIds)) as Array<{ keyId: string; lastUsedAt: number }>,
      [],
    );
    for (const row of rows) out.set(row.keyId, new Date(row.lastUsedAt).toISOString());
    return out;
  }
}
