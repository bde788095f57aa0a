import { type ConfigDb, routes } from "@gatehouse/db";
import { conflict, type RouteConfig } from "@gatehouse/shared";
import { ne } from "drizzle-orm";

type Matchable = Pick<RouteConfig, "paths" | "pathType" | "methods" | "hosts" | "headers">;

/** `/users/:id/` and `/users/:name` are the same route shape. */
export function normalizePath(path: string): string {
  const trimmed = path.length > 1 ? path.replace(/\/+$/, "") : path;
  return trimmed.replace(/\/:[^/]+/g, "/:");
}

const overlaps = (a: readonly string[], b: readonly string[], emptyMeansAll: boolean) =>
  emptyMeansAll
    ? a.length === 0 || b.length === 0 || a.some((x) => b.includes(x))
    : a.length === 0 && b.length === 0
      ? true
      : a.some((x) => b.includes(x));

const sameHeaders = (a: Record<string, string>, b: Record<string, string>) => {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => b[k] === a[k]);
};

/** The path two routes would both claim for the same host and method, or null. */
export function collidingPath(a: Matchable, b: Matchable): string | null {
  if (a.pathType !== b.pathType || !sameHeaders(a.headers, b.headers)) return null;
  // Hosts: an empty list is a catch-all that more specific hosts legitimately override.
  if (!overlaps(a.hosts, b.hosts, false)) return null;
  if (!overlaps(a.methods, b.methods, true)) return null;
  const theirs = new Set(b.paths.map(normalizePath));
  return a.paths.find((path) => theirs.has(normalizePath(path))) ?? null;
}

/**
 * Throws 409 naming the field if `candidates` collide with each other or with stored routes.
 * Stored routes are indexed by their normalised paths, so a save compares a candidate with
 * the few routes sharing one of its paths, not with every route (10,000 routes: one pass).
 */
export function assertNoCollisions(
  db: Pick<ConfigDb, "select">,
  candidates: Array<{ route: Matchable; field: string }>,
  excludeRouteId?: string,
): void {
  const stored = db
    .select()
    .from(routes)
    .where(excludeRouteId ? ne(routes.id, excludeRouteId) : undefined)
    .all();
  const byPath = new Map<string, (typeof stored)[number][]>();
  for (const route of stored) {
    for (const path of new Set(route.paths.map(normalizePath))) {
      const sharing = byPath.get(path);
      if (sharing === undefined) byPath.set(path, [route]);
      else sharing.push(route);
    }
  }
  candidates.forEach(({ route, field }, index) => {
    for (const other of candidates.slice(0, index)) {
      const path = collidingPath(route, other.route);
      if (path)
        throw conflict(`Path ${path} is given twice for the same hosts and methods`, [
          { path: field, message: `Same as ${other.field}` },
        ]);
    }
    const nearby = new Set(route.paths.flatMap((path) => byPath.get(normalizePath(path)) ?? []));
    for (const other of nearby) {
      const path = collidingPath(route, other);
      if (path) {
        throw conflict(
          `Path ${path} collides with route ${other.id} of API ${other.apiId} (same host, method and path)`,
          [{ path: field, message: `Already routed by ${other.id}` }],
        );
      }
    }
  });
}
