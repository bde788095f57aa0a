import { targets, upstreams } from "@gatehouse/db";
import { conflict, newId, type Upstream, upstreamCreateSchema } from "@gatehouse/shared";
import { eq } from "drizzle-orm";
import type { z } from "zod";
import { recordChange } from "../audit.ts";
import { parseInput, type ServiceContext, type Tx } from "../context.ts";
import { getUpstream } from "../read-models.ts";
import { assertDistinctTargets } from "../targets/target-verbs.ts";
import { assertPoolTls } from "./pool-tls.ts";

export function assertUpstreamNameFree(tx: Pick<Tx, "select">, name: string, field = "name", exceptId?: string) {
  const clash = tx.select({ id: upstreams.id }).from(upstreams).where(eq(upstreams.name, name)).get();
  if (clash && clash.id !== exceptId) {
    throw conflict(`An upstream named "${name}" already exists`, [{ path: field, message: "Already taken" }]);
  }
}

/** `name`, or `name-2`, `name-3`… : the first pool name not taken (for pools named after their API). */
export function freeUpstreamName(tx: Pick<Tx, "select">, name: string): string {
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? name : `${name}-${n}`;
    if (!tx.select({ id: upstreams.id }).from(upstreams).where(eq(upstreams.name, candidate)).get()) return candidate;
  }
}

type PoolInput = Omit<z.output<typeof upstreamCreateSchema>, "name">;

/** Writes a pool and its targets inside the caller's transaction; shared by createUpstream and createApi. */
export function insertUpstream(tx: Tx, name: string, field: string, { targets: targetInputs, ...settings }: PoolInput) {
  assertUpstreamNameFree(tx, name, field);
  const prefix = field.slice(0, -"name".length);
  assertPoolTls(settings.tls, prefix);
  assertDistinctTargets([], targetInputs, (index) => `${prefix}targets.${index}.url`);
  const id = newId("upstream");
  tx.insert(upstreams)
    .values({ ...settings, id, name })
    .run();
  tx.insert(targets)
    .values(targetInputs.map((target) => ({ ...target, id: newId("target"), upstreamId: id })))
    .run();
  return id;
}

export function createUpstream(ctx: ServiceContext, input: unknown): Upstream {
  const { name, ...pool } = parseInput(upstreamCreateSchema, input);
  return ctx.db.transaction((tx) => {
    const id = insertUpstream(tx, name, "name", pool);
    const created = getUpstream(tx, id);
    recordChange(tx, ctx, { action: "create", entityType: "upstream", entityId: id, before: null, after: created });
    return created;
  });
}
