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
      statements: [
        {
          sql: `INSERT INTO key_usage (key_id, last_used_at) VALUES (?, ?)
                ON CONFLICT (key_id) DO UPDATE SET last_used_at = max(last_used_at, excluded.last_used_at)`,
          rows: [...batch],
        },
      ],
      restore: () => {
        for (const [keyId, at] of batch) if (!this.#pending.has(keyId)) this.#pending.set(keyId, at);
      },
    };
  }
}
