import { index, integer, primaryKey, real, sqliteTable, text } from "drizzle-orm/sqlite-core";
import {
  CODE_COLUMNS,
  CODE_TABLES,
  TRAFFIC_COLUMNS as c,
  HEALTH_EVENTS,
  KEY_USAGE,
  NODE_BATCHES,
  POOL_COLUMNS,
  POOL_TABLES,
  QUOTA_USAGE,
  TRAFFIC_TABLES,
  type TrafficTable,
} from "./tables.ts";

/**
 * When each API key was last used, written by the gateway in batches. It lives in
 * analytics.db so the request path never writes to config.db.
 */
export const keyUsage = sqliteTable(KEY_USAGE.name, {
  keyId: text(KEY_USAGE.columns.keyId).primaryKey(),
  /** Epoch milliseconds. */
  lastUsedAt: integer(KEY_USAGE.columns.lastUsedAt).notNull(),
});

/**
 * Quota counts per calendar period, so a quota holds across gateway restarts. Each gateway
 * adds what it counted, so several gateways on one data dir sum up.
 */
export const quotaUsage = sqliteTable(
  QUOTA_USAGE.name,
  {
    /** `<policy id>:<identity>:<period>` */
    counter: text(QUOTA_USAGE.columns.counter).notNull(),
    /** Epoch milliseconds of the period's start (UTC). */
    periodStart: integer(QUOTA_USAGE.columns.periodStart).notNull(),
    count: integer(QUOTA_USAGE.columns.count).notNull(),
  },
  (t) => [primaryKey({ columns: [t.counter, t.periodStart] })],
);

const n = NODE_BATCHES.columns;
/** Written by the console only, in the transaction that adds a node's batch. */
export const nodeBatches = sqliteTable(
  NODE_BATCHES.name,
  {
    nodeId: text(n.nodeId).notNull(),
    /** Random per node process: its `seq` starts again from 1. */
    run: text(n.run).notNull(),
    /** The last batch added. */
    seq: integer(n.seq).notNull(),
    /** Requests the process dropped, as its last batch said. */
    dropped: integer(n.dropped).notNull(),
  },
  (t) => [primaryKey({ columns: [t.nodeId, t.run] })],
);

/**
 * Traffic rollups per (bucket, api, route, consumer, status class), one table per resolution.
 * The gateway adds each second's rollups to all three in one transaction (counts add, latency
 * histograms merge), so a minute or an hour row is complete as soon as its last second is
 * written, and several gateways on one file sum up. Retention trims each table on its own.
 */
function trafficTable<N extends TrafficTable["name"]>(name: N) {
  return sqliteTable(
    name,
    {
      /** Start of the bucket, epoch seconds. */
      t: integer(c.t).notNull(),
      apiId: text(c.apiId).notNull(),
      routeId: text(c.routeId).notNull(),
      /** "" without a consumer; "~other" for consumers past the gateway's per-second cap. */
      consumerId: text(c.consumerId).notNull(),
      /** 1..5 for 1xx..5xx. */
      statusClass: integer(c.statusClass).notNull(),
      requests: integer(c.requests).notNull(),
      bytesIn: integer(c.bytesIn).notNull(),
      bytesOut: integer(c.bytesOut).notNull(),
      latencyMsSum: real(c.latencyMsSum).notNull(),
      upstreamMsSum: real(c.upstreamMsSum).notNull(),
      upstreamCount: integer(c.upstreamCount).notNull(),
      /** LatencyHistogram encoding of the gateway latency (request in to response out). */
      histogram: text(c.histogram).notNull(),
    },
    (t) => [
      primaryKey({ columns: [t.t, t.apiId, t.routeId, t.consumerId, t.statusClass] }),
      index(`${name}_api_t`).on(t.apiId, t.t),
      index(`${name}_consumer_t`).on(t.consumerId, t.t),
    ],
  );
}

const [seconds, minutes, hours] = TRAFFIC_TABLES;
export const traffic1s = trafficTable(seconds.name);
export const traffic1m = trafficTable(minutes.name);
export const traffic1h = trafficTable(hours.name);

/**
 * The code tables carry a count and nothing else, and each flush adds to the open minute and
 * hour directly: no histogram, no accumulator.
 */
function codesTable<N extends string>(name: N) {
  const k = CODE_COLUMNS;
  return sqliteTable(
    name,
    {
      /** Start of the bucket, epoch seconds. */
      t: integer(k.t).notNull(),
      /** "" for a request that matched no route. */
      apiId: text(k.apiId).notNull(),
      status: integer(k.status).notNull(),
      /** The gateway's error code when the gateway answered itself (`rate_limited`), else "". */
      refusal: text(k.refusal).notNull(),
      requests: integer(k.requests).notNull(),
    },
    (t) => [primaryKey({ columns: [t.t, t.apiId, t.status, t.refusal] }), index(`${name}_api_t`).on(t.apiId, t.t)],
  );
}

const [codeMinutes, codeHours] = CODE_TABLES;
export const trafficCodes1m = codesTable(codeMinutes.name);
export const trafficCodes1h = codesTable(codeHours.name);

/** Written by each flush straight into the open second and minute, as the code tables are; histograms merge on upsert. */
function poolTable<N extends string>(name: N) {
  const p = POOL_COLUMNS;
  return sqliteTable(
    name,
    {
      /** Start of the bucket, epoch seconds. */
      t: integer(p.t).notNull(),
      apiId: text(p.apiId).notNull(),
      upstreamId: text(p.upstreamId).notNull(),
      cacheStatus: text(p.cacheStatus).notNull(),
      /** 1..5 for 1xx..5xx. */
      statusClass: integer(p.statusClass).notNull(),
      requests: integer(p.requests).notNull(),
      latencyMsSum: real(p.latencyMsSum).notNull(),
      /** LatencyHistogram encoding, as the traffic tables'. */
      histogram: text(p.histogram).notNull(),
    },
    (t) => [
      primaryKey({ columns: [t.t, t.apiId, t.upstreamId, t.cacheStatus, t.statusClass] }),
      index(`${name}_api_t`).on(t.apiId, t.t),
    ],
  );
}

const [poolSeconds, poolMinutes] = POOL_TABLES;
export const poolTraffic1s = poolTable(poolSeconds.name);
export const poolTraffic1m = poolTable(poolMinutes.name);

const h = HEALTH_EVENTS.columns;
/** Bounded per pool (HEALTH_EVENTS.perUpstream) and in age (HEALTH_EVENTS.keepMs). */
export const healthEvents = sqliteTable(
  HEALTH_EVENTS.name,
  {
    id: integer(h.id).primaryKey({ autoIncrement: true }),
    /** Epoch milliseconds. */
    at: integer(h.at).notNull(),
    upstreamId: text(h.upstreamId).notNull(),
    targetId: text(h.targetId).notNull(),
    url: text(h.url).notNull(),
    from: text(h.from).notNull(),
    to: text(h.to).notNull(),
    reason: text(h.reason).notNull(),
  },
  (t) => [index("health_events_upstream_id").on(t.upstreamId, t.id)],
);
