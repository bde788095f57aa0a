import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt } from "./columns.ts";

/** Credentials data-plane nodes connect with; only the SHA-256 of a token is stored. */
export const nodeTokens = sqliteTable(
  "node_tokens",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    prefix: text("prefix").notNull(),
    hash: text("hash").notNull(),
    createdAt: createdAt(),
    revokedAt: text("revoked_at"),
  },
  (t) => [uniqueIndex("node_tokens_hash_unique").on(t.hash)],
);

/**
 * Every data-plane node that connected, as it last said: the revision it acknowledged and when
 * it was last heard from. Written on connect, ack and disconnect, not on every heartbeat, so a
 * fleet does not keep config.db's writers busy; the console keeps the live figures in memory.
 */
export const nodes = sqliteTable(
  "nodes",
  {
    id: text("id").primaryKey(),
    tokenId: text("token_id").notNull(),
    name: text("name").notNull(),
    address: text("address").notNull().default(""),
    version: text("version").notNull().default(""),
    revision: integer("revision"),
    connectedAt: text("connected_at"),
    lastSeenAt: text("last_seen_at").notNull(),
    droppedRequests: integer("dropped_requests").notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [index("nodes_token_idx").on(t.tokenId)],
);

export type NodeTokenRow = typeof nodeTokens.$inferSelect;
export type NodeRow = typeof nodes.$inferSelect;
