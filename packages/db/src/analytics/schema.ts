import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * When each API key was last used, written by the gateway in batches. It lives in
 * analytics.db so the request path never writes to config.db.
 */
export const keyUsage = sqliteTable("key_usage", {
  keyId: text("key_id").primaryKey(),
  /** Epoch milliseconds. */
  lastUsedAt: integer("last_used_at").notNull(),
});
