import { type ConfigDb, upstreams } from "@gatehouse/db";
import type { Page, Upstream } from "@gatehouse/shared";
import { asc, count } from "drizzle-orm";
import { listFilter } from "../list-query.ts";
import { upstreamsWithTargets } from "../read-models.ts";

export function listUpstreams(db: ConfigDb, query: unknown): Page<Upstream> {
  const { limit, offset, where } = listFilter(query, upstreams);
  const total = db.select({ n: count() }).from(upstreams).where(where).get()?.n ?? 0;
  const ids = db
    .select({ id: upstreams.id })
    .from(upstreams)
    .where(where)
    .orderBy(asc(upstreams.name))
    .limit(limit)
    .offset(offset)
    .all()
    .map((row) => row.id);
  const byId = upstreamsWithTargets(db, ids);
  return { data: ids.map((id) => byId.get(id) as Upstream), total, limit, offset };
}
