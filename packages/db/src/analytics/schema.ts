import { integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

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
