import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, updatedAt } from "./columns.ts";
import { upstreams } from "./upstreams.ts";

export const apis = sqliteTable(
  "apis",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    slug: text("slug").notNull(),
    description: text("description").notNull().default(""),
    enabled: integer("enabled", { mode: "boolean" }).notNull().default(true),
    // Restrict, not cascade: deleting a pool an API still uses must be refused.
    upstreamId: text("upstream_id")
      .notNull()
      .references(() => upstreams.id, { onDelete: "restrict" }),
    tags: text("tags", { mode: "json" }).$type<string[]>().notNull().default([]),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("apis_name_unique").on(t.name),
    uniqueIndex("apis_slug_unique").on(t.slug),
    index("apis_upstream_idx").on(t.upstreamId),
  ],
);

export type ApiRow = typeof apis.$inferSelect;
