/**
 * analytics.db's tables by name, their columns by SQL name and how long rows are kept. The
 * drizzle schema is built from these, and the gateway's writer and the Admin API spell their
 * SQL with them. Nothing here imports drizzle: the gateway's writer thread loads this file,
 * and drizzle-orm alone costs a thread about 100 MB of RSS.
 */

const DAY = 86_400;

/** When each API key was last used (epoch ms), one row per key. */
export const KEY_USAGE = {
  name: "key_usage",
  columns: { keyId: "key_id", lastUsedAt: "last_used_at" },
} as const;

/** Quota counts per calendar period; each gateway adds what it counted. */
export const QUOTA_USAGE = {
  name: "quota_usage",
  columns: { counter: "counter", periodStart: "period_start", count: "count" },
  /** Rows older than this cannot belong to a current day or month. */
  keepMs: 40 * DAY * 1000,
} as const;

/**
 * Per data-plane node and process (`run`), the last batch of traffic the console added, so a
 * batch sent again after a lost answer is skipped, and the requests the node said it dropped.
 */
export const NODE_BATCHES = {
  name: "node_batches",
  columns: { nodeId: "node_id", run: "run", seq: "seq", dropped: "dropped" },
} as const;

/**
 * A traffic table's columns, by drizzle property: the key of a row (bucket, api, route,
 * consumer, status class), what adds up when rows of one key meet, and the latency histogram,
 * which merges.
 */
export const TRAFFIC_COLUMNS = {
  t: "t",
  apiId: "api_id",
  routeId: "route_id",
  consumerId: "consumer_id",
  statusClass: "status_class",
  requests: "requests",
  bytesIn: "bytes_in",
  bytesOut: "bytes_out",
  latencyMsSum: "latency_ms_sum",
  upstreamMsSum: "upstream_ms_sum",
  upstreamCount: "upstream_count",
  histogram: "histogram",
} as const;
export type TrafficColumn = keyof typeof TRAFFIC_COLUMNS;

/** The columns that make a traffic row's primary key. */
export const TRAFFIC_KEY = ["t", "apiId", "routeId", "consumerId", "statusClass"] as const satisfies TrafficColumn[];
/** The columns that add when two rows of one key meet (another gateway, a part written early). */
export const TRAFFIC_SUMS = [
  "requests",
  "bytesIn",
  "bytesOut",
  "latencyMsSum",
  "upstreamMsSum",
  "upstreamCount",
] as const satisfies TrafficColumn[];

/** The traffic rollup tables, finest first; `width` is a bucket's length in seconds. */
export const TRAFFIC_TABLES = [
  { resolution: "seconds", name: "traffic_1s", width: 1 },
  { resolution: "minutes", name: "traffic_1m", width: 60 },
  { resolution: "hours", name: "traffic_1h", width: 3600 },
] as const;
export type TrafficTable = (typeof TRAFFIC_TABLES)[number];
export type TrafficResolution = TrafficTable["resolution"];

/** How long each traffic table keeps its rows, in seconds. */
export type TrafficRetention = Record<TrafficResolution, number>;

/** What the gateway keeps unless told otherwise (GATEHOUSE_ANALYTICS_RETENTION), and the Admin API expects. */
export const DEFAULT_TRAFFIC_RETENTION: Readonly<TrafficRetention> = {
  seconds: 3600,
  minutes: 30 * DAY,
  hours: 365 * DAY,
};

/**
 * The least each table must keep: a query reads the minutes and hours not yet written from the
 * finer table (up to two minutes of seconds, two hours of minutes), and the console's 15-minute
 * and 30-day ranges read seconds and minutes.
 */
export const MIN_TRAFFIC_RETENTION: Readonly<TrafficRetention> = { seconds: 900, minutes: 2 * DAY, hours: 2 * DAY };

/**
 * Requests per (bucket, api, status code, refusal code), per minute and per hour: the traffic
 * tables keep only the status class. Each is kept as long as the traffic table of its resolution.
 */
export const CODE_COLUMNS = {
  t: "t",
  apiId: "api_id",
  status: "status",
  refusal: "refusal",
  requests: "requests",
} as const;

export const CODE_TABLES = [
  { resolution: "minutes", name: "traffic_codes_1m", width: 60 },
  { resolution: "hours", name: "traffic_codes_1h", width: 3600 },
] as const satisfies readonly { resolution: TrafficResolution; name: string; width: number }[];
export type CodeTable = (typeof CODE_TABLES)[number];

/** Every target health change a gateway saw, so a pool's history outlives a gateway restart. */
export const HEALTH_EVENTS = {
  name: "health_events",
  columns: {
    id: "id",
    at: "at",
    upstreamId: "upstream_id",
    targetId: "target_id",
    url: "url",
    from: "from_state",
    to: "to_state",
    reason: "reason",
  },
  /** The newest events kept per pool. */
  perUpstream: 200,
  /** Older events go whatever the pool. */
  keepMs: 30 * DAY * 1000,
} as const;

/**
 * Requests per (bucket, api, upstream pool, cache status, status class), so a canary's pool
 * can be held against the main one (error rate, p95) and a cache's hit ratio read. Kept as
 * long as the traffic table of its resolution.
 */
export const POOL_COLUMNS = {
  t: "t",
  apiId: "api_id",
  /** "" when the request went to no pool (refused, answered from the cache). */
  upstreamId: "upstream_id",
  /** X-Cache-Status as the proxy-cache policy set it (HIT, MISS, EXPIRED, BYPASS), "" without one. */
  cacheStatus: "cache_status",
  statusClass: "status_class",
  requests: "requests",
  latencyMsSum: "latency_ms_sum",
  histogram: "histogram",
} as const;

export const POOL_TABLES = [
  { resolution: "seconds", name: "pool_traffic_1s", width: 1 },
  { resolution: "minutes", name: "pool_traffic_1m", width: 60 },
] as const satisfies readonly { resolution: TrafficResolution; name: string; width: number }[];
export type PoolTable = (typeof POOL_TABLES)[number];
