import { type ConfigDb, upstreams } from "@gatehouse/db";
import { type ListQuery, listQuerySchema, type Upstream } from "@gatehouse/shared";
import { and, asc, count, type SQL, sql } from "drizzle-orm";
import { likeSubstring, type Page } from "../apis/list-apis.ts";
import { parseInput } from "../context.ts";
import { upstreamsWithTargets } from "../read-models.ts";

export function listUpstreams(db: ConfigDb, query: unknown): Page<Upstream> {
  const { limit, offset, name, tag }: ListQuery = parseInput(listQuerySchema, query);
  const filters: SQL[] = [];
  if (name) filters.push(sql`${upstreams.name} LIKE ${likeSubstring(name)} ESCAPE '\\'`);
  if (tag) filters.push(sql`EXISTS (SELECT 1 FROM json_each(${upstreams.tags}) WHERE value = ${tag})`);
  const where = filters.length > 0 ? and(...filters) : undefined;
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
