import { targets, upstreams } from "@gatehouse/db";
import { conflict, newId, type Upstream, upstreamCreateSchema } from "@gatehouse/shared";
import { eq } from "drizzle-orm";
import { recordChange } from "../audit.ts";
import { parseInput, type ServiceContext, type Tx } from "../context.ts";
import { getUpstream } from "../read-models.ts";

export function assertUpstreamNameFree(tx: Pick<Tx, "select">, name: string, field = "name", exceptId?: string) {
  const clash = tx.select({ id: upstreams.id }).from(upstreams).where(eq(upstreams.name, name)).get();
  if (clash && clash.id !== exceptId) {
    throw conflict(`An upstream named ${name} already exists`, [{ path: field, message: "Already taken" }]);
  }
}

export function createUpstream(ctx: ServiceContext, input: unknown): Upstream {
  const { targets: targetInputs, ...settings } = parseInput(upstreamCreateSchema, input);
  return ctx.db.transaction((tx) => {
    assertUpstreamNameFree(tx, settings.name);
    const id = newId("upstream");
    tx.insert(upstreams)
      .values({ ...settings, id })
      .run();
    tx.insert(targets)
      .values(targetInputs.map((target) => ({ ...target, id: newId("target"), upstreamId: id })))
      .run();
    const created = getUpstream(tx, id);
    recordChange(tx, ctx, { action: "create", entityType: "upstream", entityId: id, before: null, after: created });
    return created;
  });
}
