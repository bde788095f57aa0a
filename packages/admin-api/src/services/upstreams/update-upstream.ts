import { apis, upstreams } from "@gatehouse/db";
import { conflict, healthChecksSchema, type Upstream, upstreamPatchSchema } from "@gatehouse/shared";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { recordChange } from "../audit.ts";
import { now, parseInput, type ServiceContext } from "../context.ts";
import { policiesNamingUpstream } from "../policies/policy-upstreams.ts";
import { getUpstream } from "../read-models.ts";
import { assertUpstreamNameFree } from "./create-upstream.ts";
import { assertPoolTls, withSavedKey } from "./pool-tls.ts";

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** JSON merge-patch: objects merge key by key, anything else replaces. */
function mergePatch(base: unknown, patch: unknown): unknown {
  if (!isObject(base) || !isObject(patch)) return patch;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(patch)) out[key] = mergePatch(base[key], value);
  return out;
}

const healthChecksPatch = z.object({ healthChecks: healthChecksSchema });

export function updateUpstream(ctx: ServiceContext, id: string, input: unknown): Upstream {
  const patch = parseInput(upstreamPatchSchema, input);
  return ctx.db.transaction((tx) => {
    const before = getUpstream(tx, id);
    if (patch.healthChecks !== undefined && isObject(input)) {
      // Nested settings the patch does not name keep their saved values, not the defaults.
      patch.healthChecks = parseInput(healthChecksPatch, {
        healthChecks: mergePatch(before.healthChecks, input.healthChecks),
      }).healthChecks;
    }
    if (patch.tls !== undefined) {
      // The settings are replaced as sent (a field left out is unset), but the key is never shown to send back.
      const saved = tx.select({ tls: upstreams.tls }).from(upstreams).where(eq(upstreams.id, id)).get();
      patch.tls = withSavedKey(patch.tls, saved?.tls);
      assertPoolTls(patch.tls);
    }
    if (patch.name !== undefined) assertUpstreamNameFree(tx, patch.name, "name", id);
    tx.update(upstreams)
      .set({ ...patch, updatedAt: now() })
      .where(eq(upstreams.id, id))
      .run();
    const after = getUpstream(tx, id);
    recordChange(tx, ctx, { action: "update", entityType: "upstream", entityId: id, before, after });
    return after;
  });
}

/** Refused while an api uses the pool: deleting it would silently take those apis down. */
export function deleteUpstream(ctx: ServiceContext, id: string): void {
  ctx.db.transaction((tx) => {
    const before = getUpstream(tx, id);
    const users = tx.select({ id: apis.id, name: apis.name }).from(apis).where(eq(apis.upstreamId, id)).all();
    if (users.length > 0) {
      throw conflict(
        `Upstream "${before.name}" is used by ${users.map((api) => `API "${api.name}"`).join(", ")}; point those APIs elsewhere first`,
      );
    }
    const naming = policiesNamingUpstream(tx, id);
    if (naming.length > 0) {
      throw conflict(
        `Upstream "${before.name}" is named by ${naming.join(", ")}; change or delete those policies first`,
      );
    }
    tx.delete(upstreams).where(eq(upstreams.id, id)).run();
    recordChange(tx, ctx, { action: "delete", entityType: "upstream", entityId: id, before, after: null });
  });
}
