import { targets } from "@gatehouse/db";
import {
  conflict,
  newId,
  notFound,
  type Target,
  targetInputSchema,
  targetPatchSchema,
  targetUrlKey,
} from "@gatehouse/shared";
import { and, count, eq } from "drizzle-orm";
import { recordChange } from "../audit.ts";
import { parseInput, type ServiceContext, type Tx } from "../context.ts";
import { getUpstream } from "../read-models.ts";

function findTarget(tx: Pick<Tx, "select">, upstreamId: string, targetId: string): Target {
  const row = tx
    .select()
    .from(targets)
    .where(and(eq(targets.id, targetId), eq(targets.upstreamId, upstreamId)))
    .get();
  if (!row) throw notFound("Target", targetId);
  return row;
}

/**
 * A pool calls each target once per pick: two spellings of one URL would double its share
 * and its health would be tracked twice. `fieldOf(i)` names the i-th of `urls` in the body.
 */
export function assertDistinctTargets(
  saved: readonly Pick<Target, "id" | "url">[],
  urls: readonly { url: string; exceptId?: string }[],
  fieldOf: (index: number) => string,
): void {
  const seen = new Map(saved.map((target) => [targetUrlKey(target.url), { ...target, saved: true }]));
  urls.forEach(({ url, exceptId }, index) => {
    const same = seen.get(targetUrlKey(url));
    if (same && same.id !== exceptId) {
      const message = same.saved
        ? `The pool already has a target at ${same.url}`
        : `Two targets have the same URL: ${same.url}`;
      throw conflict(url === same.url ? message : `${message} (as ${url})`, [
        { path: fieldOf(index), message: `Same URL as ${same.url}` },
      ]);
    }
    seen.set(targetUrlKey(url), { id: `new-${index}`, url, saved: false });
  });
}

export function listTargets(ctx: Pick<ServiceContext, "db">, upstreamId: string): Target[] {
  return getUpstream(ctx.db, upstreamId).targets;
}

export function addTarget(ctx: ServiceContext, upstreamId: string, input: unknown): Target {
  const data = parseInput(targetInputSchema, input);
  return ctx.db.transaction((tx) => {
    const pool = getUpstream(tx, upstreamId);
    if (pool.targets.length >= 64) throw conflict("An upstream has at most 64 targets");
    assertDistinctTargets(pool.targets, [data], () => "url");
    const created = tx
      .insert(targets)
      .values({ ...data, id: newId("target"), upstreamId })
      .returning()
      .get();
    recordChange(tx, ctx, {
      action: "create",
      entityType: "target",
      entityId: created.id,
      before: null,
      after: created,
    });
    return created;
  });
}

export function updateTarget(ctx: ServiceContext, upstreamId: string, targetId: string, input: unknown): Target {
  const patch = parseInput(targetPatchSchema, input);
  return ctx.db.transaction((tx) => {
    const before = findTarget(tx, upstreamId, targetId);
    if (patch.url !== undefined) {
      assertDistinctTargets(getUpstream(tx, upstreamId).targets, [{ url: patch.url, exceptId: targetId }], () => "url");
    }
    const after = tx.update(targets).set(patch).where(eq(targets.id, targetId)).returning().get();
    recordChange(tx, ctx, { action: "update", entityType: "target", entityId: targetId, before, after });
    return after;
  });
}

/** The last target cannot go: a pool without targets is a guaranteed outage; disable it instead. */
export function removeTarget(ctx: ServiceContext, upstreamId: string, targetId: string): void {
  ctx.db.transaction((tx) => {
    const before = findTarget(tx, upstreamId, targetId);
    const remaining = tx.select({ n: count() }).from(targets).where(eq(targets.upstreamId, upstreamId)).get()?.n ?? 0;
    if (remaining <= 1) throw conflict("An upstream keeps at least one target; disable it or add another first");
    tx.delete(targets).where(eq(targets.id, targetId)).run();
    recordChange(tx, ctx, { action: "delete", entityType: "target", entityId: targetId, before, after: null });
  });
}
