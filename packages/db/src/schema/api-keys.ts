import type { KeyLimits } from "@gatehouse/shared";
import { index, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt } from "./columns.ts";
import { consumers } from "./consumers.ts";

export const apiKeys = sqliteTable(
  "api_keys",
  {
    id: text("id").primaryKey(),
    consumerId: text("consumer_id")
      .notNull()
      .references(() => consumers.id, { onDelete: "cascade" }),
    name: text("name").notNull().default(""),
    prefix: text("prefix").notNull(),
    // SHA-256 of the key, hex; the key itself is never stored.
    hash: text("hash").notNull(),
    apiIds: text("api_ids", { mode: "json" }).$type<string[]>().notNull().default([]),
    metadata: text("metadata", { mode: "json" })
      .$type<Record<string, string | number | boolean>>()
      .notNull()
      .default({}),
    limits: text("limits", { mode: "json" }).$type<KeyLimits>().notNull().default({}),
    expiresAt: text("expires_at"),
    revokedAt: text("revoked_at"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("api_keys_hash_unique").on(t.hash), index("api_keys_consumer_idx").on(t.consumerId)],
);

export type ApiKeyRow = typeof apiKeys.$inferSelect;
