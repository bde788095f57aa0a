import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { apis } from "./apis.ts";
import { createdAt, updatedAt } from "./columns.ts";
import { consumers } from "./consumers.ts";
import { routes } from "./routes.ts";

/** Attached globally (all scopes null), or to one api, route or consumer. */
export const policies = sqliteTable(
  "policies",
  {
    id: text("id").primaryKey(),
    type: text("type").notNull(),
    apiId: text("api_id").references(() => apis.id, { onDelete: "cascade" }),
    routeId: text("route_id").references(() => routes.id, { onDelete: "cascade" }),
    consumerId: text("consumer_id").references(() => consumers.id, { onDelete: "cascade" }),
    enabled: integer("enabled", { mode: "boolean" }).notNull().default(true),
    config: text("config", { mode: "json" }).$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("policies_api_idx").on(t.apiId),
    index("policies_route_idx").on(t.routeId),
    index("policies_consumer_idx").on(t.consumerId),
  ],
);

export type PolicyRow = typeof policies.$inferSelect;
