import { index, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, updatedAt } from "./columns.ts";
import { plans } from "./plans.ts";

export const consumers = sqliteTable(
  "consumers",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    metadata: text("metadata", { mode: "json" })
      .$type<Record<string, string | number | boolean>>()
      .notNull()
      .default({}),
    groups: text("groups", { mode: "json" }).$type<string[]>().notNull().default([]),
    // Restrict: a plan in use cannot be deleted out from under its consumers.
    planId: text("plan_id").references(() => plans.id, { onDelete: "restrict" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("consumers_name_unique").on(t.name), index("consumers_plan_idx").on(t.planId)],
);

export type ConsumerRow = typeof consumers.$inferSelect;
