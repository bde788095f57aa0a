import { type ApiRow, apis, type ConfigDb, routes, targets, upstreams } from "@gatehouse/db";
import { type ApiDetail, notFound, shownTls, type Upstream } from "@gatehouse/shared";
import { asc, eq, inArray } from "drizzle-orm";

type Reader = Pick<ConfigDb, "select">;

export function getUpstream(db: Reader, id: string): Upstream {
  const row = db.select().from(upstreams).where(eq(upstreams.id, id)).get();
  if (!row) throw notFound("Upstream", id);
  return {
    ...row,
    tls: shownTls(row.tls),
    targets: db.select().from(targets).where(eq(targets.upstreamId, id)).orderBy(asc(targets.createdAt)).all(),
  };
}

export function upstreamsWithTargets(db: Reader, ids: string[]): Map<string, Upstream> {
  const out = new Map<string, Upstream>();
  if (ids.length === 0) return out;
  for (const row of db.select().from(upstreams).where(inArray(upstreams.id, ids)).all()) {
    out.set(row.id, { ...row, tls: shownTls(row.tls), targets: [] });
  }
  const rows = db.select().from(targets).where(inArray(targets.upstreamId, ids)).orderBy(asc(targets.createdAt)).all();
  for (const target of rows) out.get(target.upstreamId)?.targets.push(target);
  return out;
}

export function apiDetails(db: Reader, rows: ApiRow[]): ApiDetail[] {
  if (rows.length === 0) return [];
  const ids = rows.map((row) => row.id);
  const routeRows = db
    .select()
    .from(routes)
    .where(inArray(routes.apiId, ids))
    .orderBy(asc(routes.createdAt), asc(routes.id))
    .all();
  const pools = upstreamsWithTargets(db, [...new Set(rows.map((row) => row.upstreamId))]);
  return rows.map((row) => ({
    ...row,
    routes: routeRows.filter((route) => route.apiId === row.id),
    upstream: pools.get(row.upstreamId),
  }));
}

export function getApi(db: Reader, id: string): ApiDetail {
  const row = db.select().from(apis).where(eq(apis.id, id)).get();
  if (!row) throw notFound("API", id);
  return apiDetails(db, [row])[0] as ApiDetail;
}
