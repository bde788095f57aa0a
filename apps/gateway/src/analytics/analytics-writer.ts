import { existsSync } from "node:fs";
import { type AnalyticsDb, analyticsDbPath, openAnalyticsDbForWriting } from "@gatehouse/db";
import type Database from "better-sqlite3";

/** What one source has to write: taken out of memory before the write, put back if it fails. */
export interface Batch {
  size: number;
  write(sqlite: Database.Database): void;
  restore(): void;
}

export interface BatchSource {
  /** Hands over everything pending, or null when nothing is; `all` when the gateway stops. */
  take(all?: boolean): Batch | null;
}

/**
 * The gateway's one writer to analytics.db: once a second every source's batch goes in one
 * transaction; the request path only touches memory. When the file cannot be written
 * (deleted, disk full, locked) the batches go back to their sources, one line is logged per
 * episode, and the next flush tries again; a file deleted under the open handle is created
 * afresh instead of swallowing writes.
 */
export class AnalyticsWriter {
  readonly #dataDir: string;
  readonly #log: (line: string) => void;
  readonly #flushMs: number;
  readonly #sources: BatchSource[] = [];
  #db: AnalyticsDb | null = null;
  #timer: NodeJS.Timeout | null = null;
  #failing: string | null = null;

  constructor(dataDir: string, log: (line: string) => void, flushMs = 1000) {
    this.#dataDir = dataDir;
    this.#log = log;
    this.#flushMs = flushMs;
  }

  add(source: BatchSource): void {
    this.#sources.push(source);
  }

  /** The handle, opened (and the schema migrated) on first use; for sources that read at start. */
  open(): Database.Database {
    if (this.#db !== null && !existsSync(analyticsDbPath(this.#dataDir))) this.#close();
    this.#db ??= openAnalyticsDbForWriting(this.#dataDir);
    return this.#db.$client;
  }

  /** Flushes just after each second ends, so a second reaches the live stream and the file within ~1 s. */
  start(): void {
    const delay = this.#flushMs === 1000 ? 1005 - (Date.now() % 1000) : this.#flushMs;
    this.#timer = setTimeout(() => {
      this.flush();
      this.#timer = setInterval(() => this.flush(), this.#flushMs);
      this.#timer.unref();
    }, delay);
    this.#timer.unref();
  }

  /** Writes every pending batch (with `all`, also what is still being counted); returns how many items were written. */
  flush(all = false): number {
    const batches = this.#sources.map((source) => source.take(all)).filter((batch) => batch !== null);
    if (batches.length === 0) return 0;
    try {
      const sqlite = this.open();
      sqlite.transaction(() => {
        for (const batch of batches) batch.write(sqlite);
      })();
      if (this.#failing !== null) this.#log("analytics: analytics.db written again");
      this.#failing = null;
      return batches.reduce((sum, batch) => sum + batch.size, 0);
    } catch (error) {
      for (const batch of batches) batch.restore();
      this.#close();
      const why = (error as Error).message;
      if (this.#failing !== why) this.#log(`analytics: cannot write analytics.db (${why}); keeping counts in memory`);
      this.#failing = why;
      return 0;
    }
  }

  /** Stops the timer and writes what is left, so a clean stop loses nothing counted. */
  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    this.flush(true);
    this.#close();
  }

  #close(): void {
    try {
      this.#db?.$client.close();
    } catch {
      // Closing a handle whose file is gone can fail; there is nothing left to release.
    }
    this.#db = null;
  }
}
