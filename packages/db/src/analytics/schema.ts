import { index, integer, primaryKey, real, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * When each API key was last used, written by the gateway in batches. It lives in
 * analytics.db so the request path never writes to config.db.
 */
export const keyUsage = sqliteTable("key_usage", {
  keyId: text("key_id").primaryKey(),
  /** Epoch milliseconds. */
  lastUsedAt: integer("last_used_at").notNull(),
});

/**
 * Quota counts per calendar period, so a quota holds across gateway restarts. Each gateway
 * adds what it counted, so several gateways on one data dir sum up.
 */
export const quotaUsage = sqliteTable(
  "quota_usage",
  {
    /** `<policy id>:<identity>:<period>` */
    counter: text("counter").notNull(),
    /** Epoch milliseconds of the period's start (UTC). */
    periodStart: integer("period_start").notNull(),
    count: integer("count").notNull(),
  },
  (t) => [primaryKey({ columns: [t.counter, t.periodStart] })],
);

/**
 * Traffic rollups per (bucket, api, route, consumer, status class), one table per resolution.
 * The gateway adds each second's rollups to all three in one transaction (counts add, latency
 * histograms merge), so a minute or an hour row is complete as soon as its last second is
 * written, and several gateways on one file sum up. Retention trims each table on its own.
 */
function trafficTable<N extends string>(name: N) {
  return sqliteTable(
    name,
    {
      /** Start of the bucket, epoch seconds. */
      t: integer("t").notNull(),
      apiId: text("api_id").notNull(),
      routeId: text("route_id").notNull(),
      /** "" without a consumer; "~other" for consumers past the gateway's per-second cap. */
      consumerId: text("consumer_id").notNull(),
      /** 1..5 for 1xx..5xx. */
      statusClass: integer("status_class").notNull(),
      requests: integer("requests").notNull(),
      bytesIn: integer("bytes_in").notNull(),
      bytesOut: integer("bytes_out").notNull(),
      latencyMsSum: real("latency_ms_sum").notNull(),
      upstreamMsSum: real("upstream_ms_sum").notNull(),
      upstreamCount: integer("upstream_count").notNull(),
      /** LatencyHistogram encoding of the gateway latency (request in to response out). */
      histogram: text("histogram").notNull(),
    },
    (t) => [
      primaryKey({ columns: [t.t, t.apiId, t.routeId, t.consumerId, t.statusClass] }),
      index(`${name}_api_t`).on(t.apiId, t.t),
      index(`${name}_consumer_t`).on(t.consumerId, t.t),
    ],
  );
}

export const traffic1s = trafficTable("traffic_1s");
export const traffic1m = trafficTable("traffic_1m");
export const traffic1h = trafficTable("traffic_1h");

/**
 * Requests per (bucket, api, status code, refusal code), one table per resolution (minutes
 * kept like traffic_1m, hours like traffic_1h). The traffic tables keep only the status class,
 * so a split by code reads these. They carry a count and nothing else, and each flush adds to
 * the open minute and hour directly: no histogram, no accumulator.
 */
function codesTable<N extends string>(name: N) {
  return sqliteTable(
    name,
    {
      /** Start of the bucket, epoch seconds. */
      t: integer("t").notNull(),
      /** "" for a request that matched no route. */
      apiId: text("api_id").notNull(),
      status: integer("status").notNull(),
      /** The gateway's error code when the gateway answered itself (`rate_limited`), else "". */
      refusal: text("refusal").notNull(),
      requests: integer("requests").notNull(),
    },
    (t) => [primaryKey({ columns: [t.t, t.apiId, t.status, t.refusal] }), index(`${name}_api_t`).on(t.apiId, t.t)],
  );
}

export const trafficCodes1m = codesTable("traffic_codes_1m");
export const trafficCodes1h = codesTable("traffic_codes_1h");

/** Health events kept per pool; older ones are deleted as new ones come. */
export const HEALTH_EVENTS_PER_UPSTREAM = 200;

/**
 * Every target health change the gateway saw, so a pool's history outlives a gateway restart.
 * Bounded per pool (HEALTH_EVENTS_PER_UPSTREAM).
 */
export const healthEvents = sqliteTable(
  "health_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    /** Epoch milliseconds. */
    at: integer("at").notNull(),
    upstreamId: text("upstream_id").notNull(),
    targetId: text("target_id").notNull(),
    url: text("url").notNull(),
    from: text("from_state").notNull(),
    to: text("to_state").notNull(),
    reason: text("reason").notNull(),
  },
  (t) => [index("health_events_upstream_id").on(t.upstreamId, t.id)],
);
