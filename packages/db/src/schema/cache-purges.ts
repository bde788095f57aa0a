import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { apis } from "./apis.ts";
import { createdAt } from "./columns.ts";

/**
 * Purges of an API's cached answers. A purge is config like any other: its revision reaches
 * every gateway thread and data-plane node, whose caches then drop what they kept before it.
 * Only the most recent purges per API are kept (see MAX_PURGES_PER_API).
 */
export const cachePurges = sqliteTable(
  "cache_purges",
  {
    /** The config revision the purge was made at: one purge per revision. */
    revision: integer("revision").primaryKey(),
    apiId: text("api_id")
      .notNull()
      .references(() => apis.id, { onDelete: "cascade" }),
    /** Client paths starting with this are purged; "/" is all of them. */
    prefix: text("prefix").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("cache_purges_api_idx").on(t.apiId, t.revision)],
);

/** Older purges of an API are dropped: what they purged has long been kept again, or expired. */
export const MAX_PURGES_PER_API = 100;

export type CachePurgeRow = typeof cachePurges.$inferSelect;
