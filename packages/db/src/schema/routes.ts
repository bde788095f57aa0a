import type { HttpMethod } from "@gatehouse/shared";
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { apis } from "./apis.ts";
import { createdAt, updatedAt } from "./columns.ts";

export const routes = sqliteTable(
  "routes",
  {
    id: text("id").primaryKey(),
    apiId: text("api_id")
      .notNull()
      .references(() => apis.id, { onDelete: "cascade" }),
    name: text("name"),
    paths: text("paths", { mode: "json" }).$type<string[]>().notNull(),
    pathType: text("path_type", { enum: ["prefix", "exact"] })
      .notNull()
      .default("prefix"),
    methods: text("methods", { mode: "json" }).$type<HttpMethod[]>().notNull().default([]),
    hosts: text("hosts", { mode: "json" }).$type<string[]>().notNull().default([]),
    headers: text("headers", { mode: "json" }).$type<Record<string, string>>().notNull().default({}),
    stripPath: integer("strip_path", { mode: "boolean" }).notNull().default(true),
    rewritePath: text("rewrite_path"),
    priority: integer("priority").notNull().default(0),
    /** Plain HTTP gets a redirect to the TLS port (GET, HEAD) or 403 https_required. */
    httpsOnly: integer("https_only", { mode: "boolean" }).notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("routes_api_idx").on(t.apiId)],
);

export type RouteRow = typeof routes.$inferSelect;
