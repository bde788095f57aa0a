import { existsSync } from "node:fs";
import { parentPort, workerData } from "node:worker_threads";
import { analyticsDbPath, openAnalyticsFile } from "@gatehouse/db/analytics-file";
import type Database from "better-sqlite3";
import type { Batch, Statement } from "./analytics-writer.ts";
import { CodeCounts } from "./code-counts.ts";
import { PoolCounts } from "./pool-counts.ts";
import { type SampleBatch, SampleReader } from "./sample-columns.ts";
import { liveMessage, TrafficRollups, type TrafficRollupsOptions } from "./traffic-rollups.ts";
import type { ShipOptions, TrafficShipper } from "./traffic-shipper.ts";

/** One flush; or the last message, after which the thread ends. */
export type WriteRequest =
  | {
      id: number;
      /** The gateway's clock at the flush, epoch ms: the seconds before it are over. */
      now: number;
      /** The gateway is stopping: what is still being counted goes too. */
      all: boolean;
      /** Whether anyone listens to the live stream. */
      live: boolean;
      /** The other sources' statements, as JSON. */
      statements: string;
      /** The requests finished since the last flush. */
      samples: SampleBatch | null;
    }
  | { close: true };

/** `error` is null when the flush was committed; `requests` is how many requests' traffic it wrote. */
export interface WriteResult {
  id: number;
  error: string | null;
  requests: number;
}

/** A flush's answer, the live stream's completed seconds (sent before they are written), or a line to log. */
export type WorkerMessage = WriteResult | { live: string } | { log: string };

/** What the thread starts with. */
export interface WriterThreadData {
  dataDir: string;
  traffic: TrafficRollupsOptions | null;
  /** A data-plane node's console, which gets every committed write's shipped rows. */
  ship: ShipOptions | null;
}

/**
 * The analytics writer's thread: adds each flush's samples to the traffic rollups and runs the
 * flush's statements, with the rollups' rows, in one transaction on its own handle. The handle
 * is reopened when the file was deleted underneath, and after any failure. On a data-plane
 * node, what a committed write added to the shipped tables then goes to the console too.
 */
if (parentPort !== null) {
  const port = parentPort;
  const { dataDir, traffic, ship } = workerData as WriterThreadData;
  let shipper: TrafficShipper | null = null;
  if (ship !== null) {
    // Loaded on a data-plane node only: node:http and node:https cost the thread about 5 MB.
    const { TrafficShipper } = await import("./traffic-shipper.ts");
    shipper = new TrafficShipper(ship, (line) => port.postMessage({ log: line } satisfies WorkerMessage));
  }
  let live = false;
  const rollups =
    traffic === null
      ? null
      : new TrafficRollups({
          ...traffic,
          onSeconds: (seconds, upTo) => {
            if (live) port.postMessage({ live: JSON.stringify(liveMessage(seconds, upTo)) } satisfies WorkerMessage);
          },
        });
  const codes = traffic === null ? null : new CodeCounts(traffic.retention);
  const pools = traffic === null ? null : new PoolCounts(traffic.retention);
  const samples = new SampleReader();
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
  const run = (handle: Database.Database, statements: Statement[]) => {
    for (const { sql, rows } of statements) {
      const statement = handle.prepare(sql);
      for (const row of rows) statement.run(...row);
    }
  };
  const write = async (request: Exclude<WriteRequest, { close: true }>): Promise<WriteResult> => {
    let rolled: Batch | null = null;
    let counted: Batch | null = null;
    let pooled: Batch | null = null;
    if (rollups !== null && codes !== null && pools !== null) {
      if (request.samples !== null) {
        samples.read(request.samples, (sample) => {
          rollups.record(sample);
          codes.record(sample);
          pools.record(sample);
        });
      }
      live = request.live;
      rolled = rollups.take(request.now, request.all);
      counted = codes.take(request.now);
      pooled = pools.take(request.now);
    }
    try {
      const statements = [
        ...(JSON.parse(request.statements) as Statement[]),
        ...(rolled?.statements ?? []),
        ...(counted?.statements ?? []),
        ...(pooled?.statements ?? []),
      ];
      const handle = await open();
      handle.transaction(() => run(handle, statements))();
      shipper?.add(statements, rolled?.size ?? 0);
      return { id: request.id, error: null, requests: rolled?.size ?? 0 };
    } catch (failure) {
      close();
      rolled?.restore();
      counted?.restore();
      pooled?.restore();
      return { id: request.id, error: (failure as Error).message, requests: 0 };
    }
  };
  // One write at a time, in the order the flushes were made.
  let queue = Promise.resolve();
  port.on("message", (request: WriteRequest) => {
    queue = queue.then(async () => {
      if ("close" in request) {
        close();
        await shipper?.stop();
        port.close();
        return;
      }
      port.postMessage((await write(request)) satisfies WorkerMessage);
    });
  });
}
