import { KEY_USAGE } from "@gatehouse/db/analytics-tables";
import { UPSERTS } from "@gatehouse/db/analytics-upserts";
import type { Batch, BatchSource } from "../analytics/analytics-writer.ts";

/**
 * When each API key was last used: the request path sets a Map entry, the analytics writer
 * stores the batch once a second. The Map holds at most one entry per key.
 */
export class KeyUsageRecorder implements BatchSource {
  #pending = new Map<string, number>();

  used(keyId: string, at: number): void {
    this.#pending.set(keyId, at);
  }

  take(): Batch | null {
    if (this.#pending.size === 0) return null;
    const batch = this.#pending;
    this.#pending = new Map();
    return {
      size: batch.size,
      statements: [{ table: KEY_USAGE.name, sql: UPSERTS[KEY_USAGE.name].sql, rows: [...batch] }],
      restore: () => {
        for (const [keyId, at] of batch) if (!this.#pending.has(keyId)) this.#pending.set(keyId, at);
      },
    };
  }
}
