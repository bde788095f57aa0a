import { existsSync } from "node:fs";
import {
  analyticsDbPath,
  NODE_BATCHES,
  type NodeTrafficBatch,
  openAnalyticsDbForWriting,
  SHIPPED_TABLES,
  UPSERTS,
  type ValueType,
} from "@gatehouse/db";
import type Database from "better-sqlite3";
import { z } from "zod";
import { parseInput } from "../services/context.ts";

const VALUE: Record<ValueType, z.ZodType<string | number>> = {
  integer: z.int(),
  real: z.number(),
  text: z.string(),
};

type Values = [z.ZodType<string | number>, ...z.ZodType<string | number>[]];

/** Each row is a tuple of its table's upsert values, so the statement binds exactly what it names. */
const tableSchemas = SHIPPED_TABLES.map((table) =>
  z.object({
    table: z.literal(table),
    rows: z.array(z.tuple(UPSERTS[table].columns.map((column) => VALUE[column.type]) as Values)),
  }),
);
const shippedRowsSchema = z.discriminatedUnion("table", tableSchemas as [(typeof tableSchemas)[number]]);

// Strict like every Admin API body: an unknown field is named in a 400, never dropped unread.
export const nodeTrafficBatchSchema = z.strictObject({
  run: z.string().min(1).max(100),
  seq: z.int().min(1),
  rows: z.array(shippedRowsSchema),
  requests: z.int().min(0),
  dropped: z.int().min(0),
}) satisfies z.ZodType<NodeTrafficBatch>;

export interface IngestResult {
  /** False when the batch had been added before (sent again after a lost answer): nothing was added. */
  applied: boolean;
  /** Requests the batch accounts for, 0 when skipped. */
  requests: number;
  /** Requests the node dropped, summed over its processes: its buffer was full while the console was away. */
  dropped: number;
}

const b = NODE_BATCHES.columns;
const LAST_SEQ = `SELECT ${b.seq} FROM ${NODE_BATCHES.name} WHERE ${b.nodeId} = ? AND ${b.run} = ?`;
const RECORD = `INSERT INTO ${NODE_BATCHES.name} (${b.nodeId}, ${b.run}, ${b.seq}, ${b.dropped}) VALUES (?, ?, ?, ?)
  ON CONFLICT (${b.nodeId}, ${b.run}) DO UPDATE SET ${b.seq} = excluded.${b.seq}, ${b.dropped} = excluded.${b.dropped}`;
const DROPPED = `SELECT coalesce(sum(${b.dropped}), 0) FROM ${NODE_BATCHES.name} WHERE ${b.nodeId} = ?`;

/**
 * Adds a data-plane node's batch of analytics to the console's analytics.db, once: the rows
 * and the batch's number go in one transaction, so a batch sent again (its answer lost) is
 * skipped. Throws GatehouseError "validation_failed" for a body that is not a batch; any other
 * error means nothing was written and the node should send the batch again.
 */
export function ingestTraffic(dataDir: string, nodeId: string, body: unknown): IngestResult {
  const batch = parseInput(nodeTrafficBatchSchema, body);
  const sqlite = analyticsFile(dataDir);
  try {
    // Immediate: the write lock is taken before the read of the last seq, so no other writer
    // (the console's own gateway, another request) slips in between.
    return sqlite
      .transaction((): IngestResult => {
        const last = sqlite.prepare(LAST_SEQ).pluck().get(nodeId, batch.run) as number | undefined;
        const applied = last === undefined || batch.seq > last;
        if (applied) {
          for (const { table, rows } of batch.rows) {
            const statement = sqlite.prepare(UPSERTS[table].sql);
            for (const row of rows) statement.run(...row);
          }
          sqlite.prepare(RECORD).run(nodeId, batch.run, batch.seq, batch.dropped);
        }
        const dropped = sqlite.prepare(DROPPED).pluck().get(nodeId) as number;
        return { applied, requests: applied ? batch.requests : 0, dropped };
      })
      .immediate();
  } catch (error) {
    forget(dataDir);
    throw error;
  }
}

/** One handle per data dir, opened (and migrated) at the first batch and kept while its file is there. */
const handles = new Map<string, Database.Database>();

function analyticsFile(dataDir: string): Database.Database {
  const open = handles.get(dataDir);
  if (open !== undefined && existsSync(analyticsDbPath(dataDir))) return open;
  forget(dataDir);
  const sqlite = openAnalyticsDbForWriting(dataDir).$client;
  handles.set(dataDir, sqlite);
  return sqlite;
}

function forget(dataDir: string): void {
  try {
    handles.get(dataDir)?.close();
  } catch {
    // A handle whose file is gone can fail to close; there is nothing left to release.
  }
  handles.delete(dataDir);
}
