import { apis, upstreams } from "@gatehouse/db";
import { type ApiDetail, apiPatchSchema, notFound } from "@gatehouse/shared";
import { eq } from "drizzle-orm";
import { recordChange } from "../audit.ts";
import { now, parseInput, type ServiceContext } from "../context.ts";
import { getApi } from "../read-models.ts";
import { assertApiNameFree } from "./slug.ts";

export function updateApi(ctx: ServiceContext, id: string, input: unknown): ApiDetail {
  const patch = parseInput(apiPatchSchema, input);
  return ctx.db.transaction((tx) => {
    const before = getApi(tx, id);
    const values: Partial<typeof apis.$inferInsert> = { ...patch, updatedAt: now() };
    if (patch.name !== undefined && patch.name !== before.name) {
      values.slug = assertApiNameFree(tx, patch.name, id);
    }
    if (
      patch.upstreamId !== undefined &&
      !tx.select({ id: upstreams.id }).from(upstreams).where(eq(upstreams.id, patch.upstreamId)).get()
    ) {
      throw notFound("Upstream", patch.upstreamId);
    }
    tx.update(apis).set(values).where(eq(apis.id, id)).run();
    const after = getApi(tx, id);
    recordChange(tx, ctx, { action: "update", entityType: "api", entityId: id, before, after });
    return after;
  });
}

export function deleteApi(ctx: ServiceContext, id: string): void {
  ctx.db.transaction((tx) => {
    const before = getApi(tx, id);
    const result = tx.delete(apis).where(eq(apis.id, id)).run();
    if (result.changes === 0) throw notFound("API", id);
    recordChange(tx, ctx, { action: "delete", entityType: "api", entityId: id, before, after: null });
  });
}
