import { apis, type ConfigDb } from "@gatehouse/db";
import { type ApiDetail, apiListQuerySchema, type Page } from "@gatehouse/shared";
import { and, asc, count, eq } from "drizzle-orm";
import { parseInput } from "../context.ts";
import { listFilter } from "../list-query.ts";
import { apiDetails } from "../read-models.ts";

export function listApis(db: ConfigDb, query: unknown): Page<ApiDetail> {
  const { upstreamId, ...rest } = parseInput(apiListQuerySchema, query);
  const { limit, offset, where: named } = listFilter(rest, apis);
  const where = upstreamId === undefined ? named : and(named, eq(apis.upstreamId, upstreamId));
  const total = db.select({ n: count() }).from(apis).where(where).get()?.n ?? 0;
  const rows = db.select().from(apis).where(where).orderBy(asc(apis.name)).limit(limit).offset(offset).all();
  return { data: apiDetails(db, rows), total, limit, offset };
}
