import { apis, routes, upstreams } from "@gatehouse/db";
import { type ApiDetail, apiCreateSchema, newId, notFound } from "@gatehouse/shared";
import { eq } from "drizzle-orm";
import { recordChange } from "../audit.ts";
import { parseInput, type ServiceContext } from "../context.ts";
import { getApi, getUpstream } from "../read-models.ts";
import { assertNoCollisions } from "../routes/collisions.ts";
import { freeUpstreamName, insertUpstream } from "../upstreams/create-upstream.ts";
import { assertApiNameFree } from "./slug.ts";

/** Creates an api with its routes, and its upstream pool when one is given inline, in one transaction. */
export function createApi(ctx: ServiceContext, input: unknown): ApiDetail {
  const data = parseInput(apiCreateSchema, input);
  return ctx.db.transaction((tx) => {
    const slug = assertApiNameFree(tx, data.name);

    let upstreamId = data.upstreamId;
    if (data.upstream) {
      const { name, ...pool } = data.upstream;
      // An explicit pool name must be free; a pool named after the API takes the next free name,
      // since deleting an API keeps its pool.
      upstreamId = insertUpstream(tx, name ?? freeUpstreamName(tx, data.name), "upstream.name", pool);
    } else if (
      upstreamId !== undefined &&
      !tx.select({ id: upstreams.id }).from(upstreams).where(eq(upstreams.id, upstreamId)).get()
    ) {
      throw notFound("Upstream", upstreamId);
    }

    assertNoCollisions(
      tx,
      data.routes.map((route, index) => ({
        route,
        label: `route ${index + 1}`,
        field: (i) => `routes.${index}.paths.${i}`,
      })),
    );
    const id = newId("api");
    const { routes: routeInputs, upstream: _inline, ...fields } = data;
    tx.insert(apis)
      .values({ ...fields, id, slug, upstreamId: upstreamId as string })
      .run();
    tx.insert(routes)
      .values(routeInputs.map((route) => ({ ...route, id: newId("route"), apiId: id })))
      .run();
    const created = getApi(tx, id);
    recordChange(tx, ctx, { action: "create", entityType: "api", entityId: id, before: null, after: created });
    // A pool created with its API is an object of the config too: without its own record it has
    // no version, and a rollback to this revision or later would name a pool it cannot find.
    if (data.upstream) {
      const pool = getUpstream(tx, upstreamId as string);
      recordChange(tx, ctx, { action: "create", entityType: "upstream", entityId: pool.id, before: null, after: pool });
    }
    return created;
  });
}
