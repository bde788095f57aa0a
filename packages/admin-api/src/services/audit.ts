import { auditLog } from "@gatehouse/db";
import type { AuditAction, AuditEntityType } from "@gatehouse/shared";
import type { ServiceContext, Tx } from "./context.ts";
import { now } from "./context.ts";

interface Change {
  action: AuditAction;
  entityType: AuditEntityType;
  entityId: string;
  before: unknown;
  after: unknown;
}

/** Appends the audit record of a change in the caller's transaction; its number is the new revision. */
export function recordChange(tx: Tx, ctx: ServiceContext, change: Change): number {
  const result = tx
    .insert(auditLog)
    .values({ at: now(), actor: ctx.actor, ...change, before: change.before ?? null, after: change.after ?? null })
    .run();
  ctx.revision = Number(result.lastInsertRowid);
  return ctx.revision;
}
