import { apis, routes } from "@gatehouse/db";
import {
  conflict,
  newId,
  notFound,
  type Route,
  type RouteConfig,
  routeInputSchema,
  routePatchSchema,
} from "@gatehouse/shared";
import { and, asc, count, eq } from "drizzle-orm";
import { recordChange } from "../audit.ts";
import { now, parseInput, type ServiceContext, type Tx } from "../context.ts";
import { assertNoCollisions } from "./collisions.ts";

function requireApi(tx: Pick<Tx, "select">, apiId: string) {
  if (!tx.select({ id: apis.id }).from(apis).where(eq(apis.id, apiId)).get()) throw notFound("API", apiId);
}

function findRoute(tx: Pick<Tx, "select">, apiId: string, routeId: string): Route {
  const row = tx
    .select()
    .from(routes)
    .where(and(eq(routes.id, routeId), eq(routes.apiId, apiId)))
    .get();
  if (!row) throw notFound("Route", routeId);
  return row;
}

const MATCH_FIELDS = ["pathType", "methods", "hosts", "headers"] as const;

/** A patch that moved a route onto another one is blamed on what it changed: its paths, else its match. */
function blamedField(patch: Partial<Record<keyof RouteConfig, unknown>>, pathIndex: number): string {
  if (patch.paths !== undefined) return `paths.${pathIndex}`;
  return MATCH_FIELDS.find((key) => patch[key] !== undefined) ?? `paths.${pathIndex}`;
}

export function listRoutes(ctx: Pick<ServiceContext, "db">, apiId: string): Route[] {
  requireApi(ctx.db, apiId);
  return ctx.db.select().from(routes).where(eq(routes.apiId, apiId)).orderBy(asc(routes.createdAt)).all();
}

export function getRoute(ctx: Pick<ServiceContext, "db">, apiId: string, routeId: string): Route {
  return findRoute(ctx.db, apiId, routeId);
}

export function createRoute(ctx: ServiceContext, apiId: string, input: unknown): Route {
  const data = parseInput(routeInputSchema, input);
  return ctx.db.transaction((tx) => {
    requireApi(tx, apiId);
    assertNoCollisions(tx, [{ route: data, field: (i) => `paths.${i}` }]);
    const created = tx
      .insert(routes)
      .values({ ...data, id: newId("route"), apiId })
      .returning()
      .get();
    recordChange(tx, ctx, {
      action: "create",
      entityType: "route",
      entityId: created.id,
      before: null,
      after: created,
    });
    return created;
  });
}

export function updateRoute(ctx: ServiceContext, apiId: string, routeId: string, input: unknown): Route {
  const patch = parseInput(routePatchSchema, input);
  return ctx.db.transaction((tx) => {
    const before = findRoute(tx, apiId, routeId);
    // The patch is valid alone; the route it produces must be valid as a whole too.
    const { id: _id, apiId: _apiId, createdAt: _createdAt, updatedAt: _updatedAt, name, ...saved } = before;
    const merged = parseInput(routeInputSchema, { ...saved, name: name ?? undefined, ...patch });
    assertNoCollisions(tx, [{ route: merged, field: (i) => blamedField(patch, i) }], routeId);
    const after = tx
      .update(routes)
      .set({ ...patch, updatedAt: now() })
      .where(eq(routes.id, routeId))
      .returning()
      .get();
    recordChange(tx, ctx, { action: "update", entityType: "route", entityId: routeId, before, after });
    return after;
  });
}

/** The last route cannot go: an api without routes is unreachable; delete or disable the api instead. */
export function deleteRoute(ctx: ServiceContext, apiId: string, routeId: string): void {
  ctx.db.transaction((tx) => {
    const before = findRoute(tx, apiId, routeId);
    const remaining = tx.select({ n: count() }).from(routes).where(eq(routes.apiId, apiId)).get()?.n ?? 0;
    if (remaining <= 1) throw conflict("An API keeps at least one route; add another first, or disable the API");
    tx.delete(routes).where(eq(routes.id, routeId)).run();
    recordChange(tx, ctx, { action: "delete", entityType: "route", entityId: routeId, before, after: null });
  });
}
