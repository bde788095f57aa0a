import { existsSync } from "node:fs";
import { parentPort, workerData } from "node:worker_threads";
import { analyticsDbPath, openAnalyticsFile } from "@gatehouse/db/analytics-file";
import type Database from "better-sqlite3";
import type { Statement } from "./analytics-writer.ts";

/** The statements of one flush, as JSON; or the last message, after which the thread ends. */
export type WriteRequest = { id: number; statements: string } | { close: true };

/** `error` is null when the flush was committed. */
export interface WriteResult {
  id: number;
  error: string | null;
}

/**
 * The analytics writer's thread: runs each flush's statements in one transaction on its own
 * handle. The handle is reopened when the file was deleted underneath, and after any failure.
 */
if (parentPort !== null) {
  const port = parentPort;
  const { dataDir } = workerData as { dataDir: string };
  let sqlite: Database.Database | null = null;
  const close = () => {
    try {
      sqlite?.close();
    } catch {
      // Closing a handle whose file is gone can fail; there is nothing left to release.
    }
    sqlite = null;
  };
  /** The main thread created and migrated the file at start; only a file deleted since needs drizzle's migrator. */
  const open = async (): Promise<Database.Database> => {
    if (sqlite !== null && existsSync(analyticsDbPath(dataDir))) return sqlite;
    close();
    if (!existsSync(analyticsDbPath(dataDir))) {
      const { openAnalyticsDbForWriting } = await import("@gatehouse/db");
      openAnalyticsDbForWriting(dataDir).$client.close();
    }
    sqlite = openAnalyticsFile(dataDir);
    return sqlite;
  };
  const write = async ({ id, statements }: { id: number; statements: string }): Promise<WriteResult> => {
    try {
      const handle = await open();
      handle.transaction(() => {
        for (const { sql, rows } of JSON.parse(statements) as Statement[]) {
          const statement = handle.prepare(sql);
          for (const row of rows) statement.run(...row);
        }
      })();
      return { id, error: null };
    } catch (failure) {
      close();
      return { id, error: (failure as Error).message };
    }
  };
  // One write at a time, in the order the flushes were made.
  let queue = Promise.resolve();
  port.on("message", (request: WriteRequest) => {
    queue = queue.then(async () => {
      if ("close" in request) {
        close();
        port.close();
        return;
      }
      port.postMessage(await write(request));
    });
  });
}
