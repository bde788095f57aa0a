import { integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, updatedAt } from "./columns.ts";

export const upstreams = sqliteTable(
  "upstreams",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    algorithm: text("algorithm", { enum: ["round-robin"] })
      .notNull()
      .default("round-robin"),
    connectTimeoutMs: integer("connect_timeout_ms").notNull().default(5000),
    readTimeoutMs: integer("read_timeout_ms").notNull().default(60000),
    tags: text("tags", { mode: "json" }).$type<string[]>().notNull().default([]),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("upstreams_name_unique").on(t.name)],
);

export type UpstreamRow = typeof upstreams.$inferSelect;
