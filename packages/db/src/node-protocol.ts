import type { ConfigSnapshot, RoutePatch } from "./config-snapshot.ts";
import type { KeyTotals, RawKey } from "./key-rows.ts";

/**
 * What the console and a data-plane node say to each other. The node opens
 * `GET /api/v1/node/config?revision=R` (R: the revision it already has, if any) with its node
 * token as `Authorization: Bearer`, and reads Server-Sent Events:
 *
 * - `snapshot` (a NodeSnapshotStart), then `keys` pages (RawKey[]), then `snapshot-end`
 *   ({ revision }): a whole config, sent on connect unless the node's revision can be brought
 *   up to date with changes, and again when a change cannot be told key by key;
 * - `change` (a NodeConfigChange): what one or more revisions changed, never the keys that
 *   did not change.
 *
 * The node acknowledges each revision it serves with `POST /api/v1/node/ack`, and sends its
 * traffic once a second with `POST /api/v1/node/traffic` and its new request-log entries with
 * `POST /api/v1/node/requests` (`{ entries }`, RequestLogEntry[] of @gatehouse/shared).
 */
export const NODE_PATHS = {
  config: "/api/v1/node/config",
  ack: "/api/v1/node/ack",
  traffic: "/api/v1/node/traffic",
  requests: "/api/v1/node/requests",
} as const;

/** Headers a node names itself with on every call. */
export const NODE_HEADERS = {
  id: "gatehouse-node-id",
  name: "gatehouse-node-name",
  version: "gatehouse-node-version",
  address: "gatehouse-node-address",
} as const;

export const NODE_EVENTS = {
  snapshot: "snapshot",
  keys: "keys",
  snapshotEnd: "snapshot-end",
  change: "change",
} as const;

/** Keys per `keys` event: a million keys stream as pages a node parses one at a time. */
export const NODE_KEYS_PAGE = 10_000;

/** Every config table but routes and keys: small, sent whole when any of them changed. */
export type ConfigTables = Omit<ConfigSnapshot, "revision" | "routes">;

export interface NodeSnapshotStart {
  revision: number;
  tables: ConfigTables;
  routes: ConfigSnapshot["routes"];
  /** How many keys the `keys` pages bring, and the bytes their fields need. */
  keys: KeyTotals;
}

export interface NodeSnapshotEnd {
  revision: number;
}

export interface NodeConfigChange {
  revision: number;
  /** The tables besides routes and keys, whole, when any of them changed. */
  tables?: ConfigTables;
  routes?: RoutePatch;
  /** The keys that changed (issued, revoked, rotated), as they are now. */
  keys?: RawKey[];
}

export interface NodeAck {
  revision: number;
}

/** Analytics tables a node's rows are added to, each by the upsert the gateway itself uses. */
export const SHIPPED_TABLES = [
  "traffic_1s",
  "traffic_1m",
  "traffic_1h",
  "traffic_codes_1m",
  "traffic_codes_1h",
  "pool_traffic_1s",
  "pool_traffic_1m",
  "key_usage",
] as const;
export type ShippedTable = (typeof SHIPPED_TABLES)[number];

export interface ShippedRows {
  table: ShippedTable;
  rows: Array<Array<string | number | null>>;
}

/**
 * One second's analytics from a node. `run` is fixed for the life of the node's process and
 * `seq` counts its batches from 1: the console adds a batch once, by (node, run, seq), so a
 * batch sent again after a lost answer is not counted twice.
 */
export interface NodeTrafficBatch {
  run: string;
  seq: number;
  rows: ShippedRows[];
  /** Requests this batch accounts for. */
  requests: number;
  /** Requests whose batches the node dropped since it started, its buffer full while the console was away. */
  dropped: number;
}
