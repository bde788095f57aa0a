import { apis, type ConfigDb, routes } from "@gatehouse/db";
import { conflict, type RouteConfig } from "@gatehouse/shared";
import { eq, ne } from "drizzle-orm";

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

/** The paths (a's and b's spelling) two routes would both claim for the same host and method, or null. */
export function collidingPaths(a: Matchable, b: Matchable): { mine: string; theirs: string } | null {
  if (a.pathType !== b.pathType || !sameHeaders(a.headers, b.headers)) return null;
  // Hosts: an empty list is a catch-all that more specific hosts legitimately override.
  if (!overlaps(a.hosts, b.hosts, false)) return null;
  if (!overlaps(a.methods, b.methods, true)) return null;
  for (const mine of a.paths) {
    const theirs = b.paths.find((path) => normalizePath(path) === normalizePath(mine));
    if (theirs !== undefined) return { mine, theirs };
  }
  return null;
}

/** A route as its API's page shows it: `"List orders" GET, POST /orders on eu.example.com`. */
export function describeRoute(route: Matchable & { name?: string | null }, path: string): string {
  const name = route.name ? `"${route.name}" ` : "";
  const methods = route.methods.length > 0 ? `${route.methods.join(", ")} ` : "";
  const hosts = route.hosts.length > 0 ? ` on ${route.hosts.join(", ")}` : "";
  return `${name}${methods}${path}${hosts}${methods === "" ? " (every method)" : ""}`;
}

export interface Candidate {
  route: Matchable;
  /** How the user calls this route in the request ("route 2"), when the request holds several. */
  label?: string;
  /** The field to blame for a collision on the route's path at `pathIndex`. */
  field: (pathIndex: number) => string;
}

/**
 * Throws 409 naming the other API and route, and the field to change, if `candidates` collide
 * with each other or with stored routes. Stored routes are indexed by their normalised paths, so
 * a save compares a candidate with the few routes sharing one of its paths, not with every route
 * (10,000 routes: one pass).
 */
export function assertNoCollisions(
  db: Pick<ConfigDb, "select">,
  candidates: Candidate[],
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
    const blame = (path: string) => field(route.paths.indexOf(path));
    for (const other of candidates.slice(0, index)) {
      const clash = collidingPaths(route, other.route);
      if (clash) {
        const label = other.label ?? "another route";
        throw conflict(
          `${clash.mine} is given twice: ${label} already serves ${describeRoute(other.route, clash.theirs)}`,
          [{ path: blame(clash.mine), message: `Same as ${label}` }],
        );
      }
    }
    const nearby = new Set(route.paths.flatMap((path) => byPath.get(normalizePath(path)) ?? []));
    for (const other of nearby) {
      const clash = collidingPaths(route, other);
      if (clash) {
        const api = db.select({ name: apis.name }).from(apis).where(eq(apis.id, other.apiId)).get();
        const apiName = `API "${api?.name ?? other.apiId}"`;
        throw conflict(`${clash.mine} is already served by ${apiName}, route ${describeRoute(other, clash.theirs)}`, [
          { path: blame(clash.mine), message: `Already served by ${apiName}` },
        ]);
      }
    }
  });
}
