import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type NodeTrafficBatch, openAnalyticsDbForReading, type ShippedRows } from "@gatehouse/db";
import { GatehouseError } from "@gatehouse/shared";
import { afterEach, beforeEach, expect, test } from "vitest";
import { ingestTraffic } from "./traffic-ingest.ts";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "gatehouse-ingest-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function query(sql: string): unknown[][] {
  const db = openAnalyticsDbForReading(dir);
  if (db === null) return [];
  const out = db.$client.prepare(sql).raw().all() as unknown[][];
  db.$client.close();
  return out;
}

/** One second of api_a's 2xx traffic: `requests` requests and their latency histogram. */
function second(t: number, requests: number, histogram: string): ShippedRows {
  return {
    table: "traffic_1s",
    rows: [
      [
        t,
        "api_a",
        "rte_a",
        "",
        2,
        requests,
        10 * requests,
        100 * requests,
        5 * requests,
        2 * requests,
        requests,
        histogram,
      ],
    ],
  };
}

function batch(seq: number, rows: ShippedRows[], fields: Partial<NodeTrafficBatch> = {}): NodeTrafficBatch {
  const requests = rows.reduce((sum, r) => sum + (r.table === "traffic_1s" ? Number(r.rows[0]?.[5]) : 0), 0);
  return { run: "run_1", seq, rows, requests, dropped: 0, ...fields };
}

test("a batch sent twice is added once, and an older one is skipped too", () => {
  const first = batch(1, [second(100, 3, "10:3"), { table: "key_usage", rows: [["key_a", 5000]] }]);
  expect(ingestTraffic(dir, "nod_a", first)).toEqual({ applied: true, requests: 3, dropped: 0 });
  expect(ingestTraffic(dir, "nod_a", first)).toEqual({ applied: false, requests: 0, dropped: 0 });
  expect(ingestTraffic(dir, "nod_a", batch(2, [second(101, 1, "10:1")])).applied).toBe(true);
  expect(ingestTraffic(dir, "nod_a", first).applied).toBe(false);
  expect(query("SELECT t, requests FROM traffic_1s ORDER BY t")).toEqual([
    [100, 3],
    [101, 1],
  ]);
  // Another process of the node counts from seq 1 again.
  expect(ingestTraffic(dir, "nod_a", batch(1, [second(102, 2, "10:2")], { run: "run_2" })).applied).toBe(true);
  expect(query("SELECT sum(requests) FROM traffic_1s")).toEqual([[6]]);
});

test("two nodes' rows for one second and api add up: requests sum, histograms merge", () => {
  ingestTraffic(dir, "nod_a", batch(1, [second(100, 3, "10:3")]));
  ingestTraffic(dir, "nod_b", batch(1, [second(100, 2, "10:1,20:1")]));
  expect(query("SELECT requests, bytes_in, upstream_count, histogram FROM traffic_1s")).toEqual([
    [5, 50, 5, "10:4,20:1"],
  ]);
});

test("what a node dropped is kept per process and answered summed over its processes", () => {
  expect(ingestTraffic(dir, "nod_a", batch(1, [], { dropped: 40 })).dropped).toBe(40);
  expect(ingestTraffic(dir, "nod_a", batch(2, [], { dropped: 70 })).dropped).toBe(70);
  expect(ingestTraffic(dir, "nod_a", batch(1, [], { run: "run_2", dropped: 5 })).dropped).toBe(75);
  expect(ingestTraffic(dir, "nod_b", batch(1, [])).dropped).toBe(0);
});

function validationError(body: unknown): GatehouseError {
  try {
    ingestTraffic(dir, "nod_a", body);
  } catch (error) {
    expect(error).toBeInstanceOf(GatehouseError);
    expect((error as GatehouseError).code).toBe("validation_failed");
    return error as GatehouseError;
  }
  throw new Error("the batch was accepted");
}

test("a batch naming an unknown table, or a row of the wrong arity or types, is refused and writes nothing", () => {
  const good = second(100, 3, "10:3");
  ingestTraffic(dir, "nod_a", batch(1, [good]));
  const unknownTable = validationError(batch(2, [good, { table: "nodes", rows: [["x"]] } as unknown as ShippedRows]));
  expect(unknownTable.fields?.map((f) => f.path)).toEqual(["rows.1.table"]);
  const short = validationError(batch(2, [good, { table: "key_usage", rows: [["key_a"]] }]));
  expect(short.fields?.map((f) => f.path)).toEqual(["rows.1.rows.0"]);
  const long = validationError(batch(2, [{ table: "key_usage", rows: [["key_a", 1, 2]] }]));
  expect(long.fields?.map((f) => f.path)).toEqual(["rows.0.rows.0"]);
  const types = validationError(batch(2, [good, { table: "key_usage", rows: [[3, "3"]] }]));
  expect(types.fields?.map((f) => f.path)).toEqual(["rows.1.rows.0.0", "rows.1.rows.0.1"]);
  // Quota counts are per host: the console's own gateway loads them from this file.
  const quota = validationError(
    batch(2, [{ table: "quota_usage", rows: [["pol_1:ip:day", 0, 3]] } as unknown as ShippedRows]),
  );
  expect(quota.fields?.map((f) => f.path)).toEqual(["rows.0.table"]);
  const fields = validationError({ run: "run_1", seq: 0, rows: [], requests: 0, dropped: -1 }).fields;
  expect(fields?.map((f) => f.path)).toEqual(["seq", "dropped"]);
  expect(query("SELECT sum(requests) FROM traffic_1s")).toEqual([[3]]);
  expect(query("SELECT count(*) FROM key_usage")).toEqual([[0]]);
  // The refused batches took no seq: the same seq is added once it is right.
  expect(ingestTraffic(dir, "nod_a", batch(2, [good])).applied).toBe(true);
});
