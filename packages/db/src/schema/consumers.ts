import { sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, updatedAt } from "./columns.ts";

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
    plan: text("plan"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("consumers_name_unique").on(t.name)],
);

export type ConsumerRow = typeof consumers.$inferSelect;
