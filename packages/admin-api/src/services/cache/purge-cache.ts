import { apis, cachePurges, MAX_PURGES_PER_API } from "@gatehouse/db";
import { type CachePurge, cachePurgeQuerySchema, notFound } from "@gatehouse/shared";
import { eq, sql } from "drizzle-orm";
import { recordChange } from "../audit.ts";
import { parseInput, type ServiceContext } from "../context.ts";

/**
 * Records a purge of an API's cached answers as a config change: every gateway thread and node
 * serving the new revision treats what it kept before as gone. Keeps the API's latest purges only.
 */
export function purgeCache(ctx: ServiceContext, apiId: string, query: unknown): CachePurge {
  const { prefix } = parseInput(cachePurgeQuerySchema, query);
  return ctx.db.transaction((tx) => {
    if (!tx.select({ id: apis.id }).from(apis).where(eq(apis.id, apiId)).get()) throw notFound("API", apiId);
    const purge = { apiId, prefix };
    const revision = recordChange(tx, ctx, {
      action: "create",
      entityType: "cache_purge",
      entityId: apiId,
      before: null,
      after: purge,
    });
    tx.insert(cachePurges).values({ revision, apiId, prefix }).run();
    tx.run(sql`DELETE FROM ${cachePurges} WHERE ${cachePurges.apiId} = ${apiId} AND ${cachePurges.revision} <= (
      SELECT ${cachePurges.revision} FROM ${cachePurges} WHERE ${cachePurges.apiId} = ${apiId}
      ORDER BY ${cachePurges.revision} DESC LIMIT 1 OFFSET ${MAX_PURGES_PER_API})`);
    return { ...purge, revision };
  });
}
