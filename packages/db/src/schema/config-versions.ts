import { CONFIG_OBJECT_KINDS } from "@gatehouse/shared";
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Each config-file object (an API with its routes and policies, a pool with its targets, a
 * consumer, a plan, a global policy) as it stood after each revision that changed it, with
 * null once deleted. The config at any revision since the history began is, per object, its
 * latest version at or before that revision: what a revision's diff and a rollback read.
 */
export const configVersions = sqliteTable(
  "config_versions",
  {
    kind: text("kind", { enum: CONFIG_OBJECT_KINDS }).notNull(),
    objectId: text("object_id").notNull(),
    revision: integer("revision").notNull(),
    name: text("name").notNull(),
    /** The object's rows (see ObjectRows in the Admin API), or null: deleted at this revision. */
    rows: text("rows", { mode: "json" }),
  },
  (t) => [
    primaryKey({ columns: [t.kind, t.objectId, t.revision] }),
    index("config_versions_revision_idx").on(t.revision),
  ],
);

export type ConfigVersionRow = typeof configVersions.$inferSelect;
