import {
  BALANCING_ALGORITHMS,
  type HashOn,
  type HealthChecks,
  healthChecksSchema,
  type UpstreamTls,
} from "@gatehouse/shared";
import { integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, updatedAt } from "./columns.ts";

export const upstreams = sqliteTable(
  "upstreams",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    algorithm: text("algorithm", { enum: BALANCING_ALGORITHMS }).notNull().default("round-robin"),
    hashOn: text("hash_on", { mode: "json" }).$type<HashOn>().notNull().default({ by: "ip" }),
    connectTimeoutMs: integer("connect_timeout_ms").notNull().default(5000),
    sendTimeoutMs: integer("send_timeout_ms").notNull().default(60000),
    readTimeoutMs: integer("read_timeout_ms").notNull().default(60000),
    retries: integer("retries").notNull().default(1),
    healthChecks: text("health_checks", { mode: "json" })
      .$type<HealthChecks>()
      .notNull()
      .default(healthChecksSchema.parse({})),
    // The client key is kept here as the rest of the row is; the Admin API never returns it.
    tls: text("tls", { mode: "json" }).$type<UpstreamTls>().notNull().default({ skipVerify: false }),
    tags: text("tags", { mode: "json" }).$type<string[]>().notNull().default([]),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("upstreams_name_unique").on(t.name)],
);

export type UpstreamRow = typeof upstreams.$inferSelect;
