import type { KeyLimits, PlanQuota } from "@gatehouse/shared";
import { sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, updatedAt } from "./columns.ts";

/** A named bundle of limits and quotas (Free, Pro) that consumers belong to. */
export const plans = sqliteTable(
  "plans",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    limits: text("limits", { mode: "json" }).$type<KeyLimits>().notNull().default({}),
    quota: text("quota", { mode: "json" }).$type<PlanQuota>().notNull().default({}),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("plans_name_unique").on(t.name)],
);

export type PlanRow = typeof plans.$inferSelect;
