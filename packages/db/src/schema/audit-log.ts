import { AUDIT_ACTIONS, AUDIT_ENTITY_TYPES, REVISION_SOURCES } from "@gatehouse/shared";
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * One row per config change. Its revision is the config revision the gateway follows; the
 * rows of one write share it, so a file apply touching a thousand objects is one revision.
 */
export const auditLog = sqliteTable(
  "audit_log",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    revision: integer("revision").notNull(),
    at: text("at").notNull(),
    actor: text("actor").notNull(),
    source: text("source", { enum: REVISION_SOURCES }).notNull().default("api"),
    action: text("action", { enum: AUDIT_ACTIONS }).notNull(),
    entityType: text("entity_type", { enum: AUDIT_ENTITY_TYPES }).notNull(),
    entityId: text("entity_id").notNull(),
    before: text("before", { mode: "json" }),
    after: text("after", { mode: "json" }),
  },
  (t) => [index("audit_log_revision_idx").on(t.revision), index("audit_log_entity_idx").on(t.entityType, t.entityId)],
);

export type AuditRow = typeof auditLog.$inferSelect;
