import { existsSync } from "node:fs";
import { type AnalyticsDb, analyticsDbPath, openAnalyticsDbForWriting } from "@gatehouse/db";
import type Database from "better-sqlite3";

/**
 * Remembers when each API key was last used and writes it to analytics.db once a second in
 * one transaction: the request path only sets a Map entry. When analytics.db cannot be
 * written (deleted, disk full, locked) the times stay in memory, one line is logged, and the
 * next flush tries again; the Map holds at most one entry per key.
 */
export class KeyUsageRecorder {
  readonly #dataDir: string;
  readonly #log: (line: string) => void;
  readonly #flushMs: number;
  #pending = new Map<string, number>();
  #db: AnalyticsDb | null = null;
  #upsert: Database.Statement<[string, number]> | null = null;
  #timer: NodeJS.Timeout | null = null;
  #failing: string | null = null;

  constructor(dataDir: string, log: (line: string) => void, flushMs = 1000) {
    this.#dataDir = dataDir;
    this.#log = log;
    this.#flushMs = flushMs;
  }

  used(keyId: string, at: number): void {
    this.#pending.set(keyId, at);
  }

  start(): void {
    this.#timer = setInterval(() => this.flush(), this.#flushMs);
    this.#timer.unref();
  }

  /** Writes what is pending; returns how many keys were written. */
  flush(): number {
    if (this.#pending.size === 0) return 0;
    const batch = this.#pending;
    this.#pending = new Map();
    try {
      const upsert = this.#statement();
      const db = this.#db as AnalyticsDb;
      db.$client.transaction(() => {
        for (const [keyId, at] of batch) upsert.run(keyId, at);
      })();
      if (this.#failing !== null) this.#log("analytics: key usage written again");
      this.#failing = null;
      return batch.size;
    } catch (error) {
      for (const [keyId, at] of batch) if (!this.#pending.has(keyId)) this.#pending.set(keyId, at);
      this.#closeDb();
      const why = (error as Error).message;
      if (this.#failing !== why)
        this.#log(`analytics: cannot write key usage to analytics.db (${why}); keeping it in memory`);
      this.#failing = why;
      return 0;
    }
  }

  /** Stops the timer and writes what is left, so a clean stop loses no last-used time. */
  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    this.flush();
    this.#closeDb();
  }

  #statement(): Database.Statement<[string, number]> {
    // A file deleted under an open handle swallows writes: reopen, which recreates it.
    if (this.#db !== null && !existsSync(analyticsDbPath(this.#dataDir))) this.#closeDb();
    if (this.#upsert === null) {
      this.#db = openAnalyticsDbForWriting(this.#dataDir);
      this.#upsert = this.#db.$client.prepare(
        `INSERT INTO key_usage (key_id, last_used_at) VALUES (?, ?)
         ON CONFLICT (key_id) DO UPDATE SET last_used_at = max(last_used_at, excluded.last_used_at)`,
      );
    }
    return this.#upsert;
  }

  #closeDb(): void {
    try {
      this.#db?.$client.close();
    } catch {
      // Closing a handle whose file is gone can fail; there is nothing left to release.
    }
    this.#db = null;
    this.#upsert = null;
  }
}
