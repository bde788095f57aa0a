import type { ShippedTable } from "../node-protocol.ts";
import {
  CODE_COLUMNS,
  CODE_TABLES,
  KEY_USAGE,
  POOL_COLUMNS,
  POOL_TABLES,
  QUOTA_USAGE,
  TRAFFIC_COLUMNS,
  TRAFFIC_KEY,
  TRAFFIC_SUMS,
  TRAFFIC_TABLES,
  type TrafficColumn,
} from "./tables.ts";

/** What SQLite stores a value as: the type the console checks each value of a node's row against. */
export type ValueType = "integer" | "real" | "text";

export interface UpsertColumn {
  name: string;
  type: ValueType;
}

/**
 * How rows are added to an analytics table: the gateway runs it for its own rows, and the
 * console runs the very same statement for a data-plane node's rows, so both add up alike.
 */
export interface Upsert {
  /** The values of a row, in the order the statement binds them. */
  columns: readonly UpsertColumn[];
  sql: string;
}

function upsert(table: string, columns: UpsertColumn[], key: readonly string[], set: string[]): Upsert {
  const names = columns.map((column) => column.name);
  return {
    columns,
    sql: `INSERT INTO ${table} (${names.join(", ")}) VALUES (${names.map(() => "?").join(", ")})
      ON CONFLICT (${key.join(", ")}) DO UPDATE SET ${set.join(", ")}`,
  };
}

const added = (column: string) => `${column} = ${column} + excluded.${column}`;

const TRAFFIC_TYPES = {
  t: "integer",
  apiId: "text",
  routeId: "text",
  consumerId: "text",
  statusClass: "integer",
  requests: "integer",
  bytesIn: "integer",
  bytesOut: "integer",
  latencyMsSum: "real",
  upstreamMsSum: "real",
  upstreamCount: "integer",
  histogram: "text",
} as const satisfies Record<TrafficColumn, ValueType>;

/** A traffic row's values: its key, its sums, its histogram. */
const TRAFFIC_INSERTED = [...TRAFFIC_KEY, ...TRAFFIC_SUMS, "histogram"] as const;

/** Counts add and histograms merge with what is there (another gateway, a part written early). */
function trafficUpsert(table: string): Upsert {
  const h = TRAFFIC_COLUMNS.histogram;
  return upsert(
    table,
    TRAFFIC_INSERTED.map((column) => ({ name: TRAFFIC_COLUMNS[column], type: TRAFFIC_TYPES[column] })),
    TRAFFIC_KEY.map((column) => TRAFFIC_COLUMNS[column]),
    [...TRAFFIC_SUMS.map((column) => added(TRAFFIC_COLUMNS[column])), `${h} = hist_merge(${h}, excluded.${h})`],
  );
}

function codesUpsert(table: string): Upsert {
  const c = CODE_COLUMNS;
  return upsert(
    table,
    [
      { name: c.t, type: "integer" },
      { name: c.apiId, type: "text" },
      { name: c.status, type: "integer" },
      { name: c.refusal, type: "text" },
      { name: c.requests, type: "integer" },
    ],
    [c.t, c.apiId, c.status, c.refusal],
    [added(c.requests)],
  );
}

function poolUpsert(table: string): Upsert {
  const p = POOL_COLUMNS;
  return upsert(
    table,
    [
      { name: p.t, type: "integer" },
      { name: p.apiId, type: "text" },
      { name: p.upstreamId, type: "text" },
      { name: p.cacheStatus, type: "text" },
      { name: p.statusClass, type: "integer" },
      { name: p.requests, type: "integer" },
      { name: p.latencyMsSum, type: "real" },
      { name: p.histogram, type: "text" },
    ],
    [p.t, p.apiId, p.upstreamId, p.cacheStatus, p.statusClass],
    [added(p.requests), added(p.latencyMsSum), `${p.histogram} = hist_merge(${p.histogram}, excluded.${p.histogram})`],
  );
}

const k = KEY_USAGE.columns;
const q = QUOTA_USAGE.columns;
const [seconds, minutes, hours] = TRAFFIC_TABLES;
const [codeMinutes, codeHours] = CODE_TABLES;
const [poolSeconds, poolMinutes] = POOL_TABLES;

/**
 * The upsert of every table a gateway adds rows to. Quota counts are not shipped: an in-memory
 * quota counts per host, and the console's own gateway loads its counts from the console's
 * analytics.db at start, which must not hold the rest of the fleet's (quotas that hold across
 * nodes count in Redis).
 */
export const UPSERTS: { readonly [T in ShippedTable | "quota_usage"]: Upsert } = {
  [seconds.name]: trafficUpsert(seconds.name),
  [minutes.name]: trafficUpsert(minutes.name),
  [hours.name]: trafficUpsert(hours.name),
  [codeMinutes.name]: codesUpsert(codeMinutes.name),
  [codeHours.name]: codesUpsert(codeHours.name),
  [poolSeconds.name]: poolUpsert(poolSeconds.name),
  [poolMinutes.name]: poolUpsert(poolMinutes.name),
  // A later use wins, whichever gateway wrote first.
  [KEY_USAGE.name]: upsert(
    KEY_USAGE.name,
    [
      { name: k.keyId, type: "text" },
      { name: k.lastUsedAt, type: "integer" },
    ],
    [k.keyId],
    [`${k.lastUsedAt} = max(${k.lastUsedAt}, excluded.${k.lastUsedAt})`],
  ),
  // Each gateway adds what it counted.
  [QUOTA_USAGE.name]: upsert(
    QUOTA_USAGE.name,
    [
      { name: q.counter, type: "text" },
      { name: q.periodStart, type: "integer" },
      { name: q.count, type: "integer" },
    ],
    [q.counter, q.periodStart],
    [added(q.count)],
  ),
};
