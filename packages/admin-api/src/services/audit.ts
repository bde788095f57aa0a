import { auditLog } from "@gatehouse/db";
import { type AuditAction, type AuditEntityType, GatehouseError } from "@gatehouse/shared";
import { ownerOf, writeVersion } from "./config/config-versions.ts";
import type { ServiceContext, Tx } from "./context.ts";
import { now } from "./context.ts";

interface Change {
  action: AuditAction;
  entityType: AuditEntityType;
  entityId: string;
  before: unknown;
  after: unknown;
}

/** The revision each open transaction took, so several records of one write share it (a key rotation). */
const revisionOfTx = new WeakMap<Tx, number>();

function takeRevision(tx: Tx, ctx: ServiceContext): number {
  const taken = ctx.batch?.revision ?? revisionOfTx.get(tx);
  if (taken !== undefined) return taken;
  const current = ctx.db.$client.prepare("SELECT coalesce(max(revision), 0) FROM audit_log").pluck().get() as number;
  if (ctx.expectedRevision !== undefined && ctx.expectedRevision !== current) {
    throw new GatehouseError(
      "revision_mismatch",
      `The config is at revision ${current}, not ${ctx.expectedRevision} (If-Match): read it again and retry`,
    );
  }
  const revision = current + 1;
  revisionOfTx.set(tx, revision);
  if (ctx.batch) ctx.batch.revision = revision;
  return revision;
}

/**
 * Appends the audit record of a change in the caller's transaction and keeps the version of the
 * file object it changed; returns the revision, which the records of one write share.
 */
export function recordChange(tx: Tx, ctx: ServiceContext, change: Change): number {
  const revision = takeRevision(tx, ctx);
  tx.insert(auditLog)
    .values({
      revision,
      at: now(),
      actor: ctx.actor,
      source: ctx.source ?? "api",
      ...change,
      before: change.before ?? null,
      after: change.after ?? null,
    })
    .run();
  const owner = ownerOf(ctx.db.$client, change);
  if (owner && ctx.batch) ctx.batch.objects.set(`${owner.kind}:${owner.id}`, owner);
  else if (owner) writeVersion(tx, ctx.db.$client, revision, owner);
  ctx.revision = revision;
  return revision;
}
