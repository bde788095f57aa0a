import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { createdAt } from "./columns.ts";
import { upstreams } from "./upstreams.ts";

export const targets = sqliteTable(
  "targets",
  {
    id: text("id").primaryKey(),
    upstreamId: text("upstream_id")
      .notNull()
      .references(() => upstreams.id, { onDelete: "cascade" }),
    url: text("url").notNull(),
    weight: integer("weight").notNull().default(100),
    enabled: integer("enabled", { mode: "boolean" }).notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [index("targets_upstream_idx").on(t.upstreamId)],
);

export type TargetRow = typeof targets.$inferSelect;
