import { AUDIT_ACTIONS, AUDIT_ENTITY_TYPES } from "@gatehouse/shared";
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** One row per config change; its number is the config revision the gateway follows. */
export const auditLog = sqliteTable(
  "audit_log",
  {
    revision: integer("revision").primaryKey({ autoIncrement: true }),
    at: text("at").notNull(),
    actor: text("actor").notNull(),
    action: text("action", { enum: AUDIT_ACTIONS }).notNull(),
    entityType: text("entity_type", { enum: AUDIT_ENTITY_TYPES }).notNull(),
    entityId: text("entity_id").notNull(),
    before: text("before", { mode: "json" }),
    after: text("after", { mode: "json" }),
  },
  (t) => [index("audit_log_entity_idx").on(t.entityType, t.entityId)],
);

export type AuditRow = typeof auditLog.$inferSelect;
