import { apis, type ConfigDb } from "@gatehouse/db";
import type { ApiDetail, Page } from "@gatehouse/shared";
import { asc, count } from "drizzle-orm";
import { listFilter } from "../list-query.ts";
import { apiDetails } from "../read-models.ts";

export function listApis(db: ConfigDb, query: unknown): Page<ApiDetail> {
  const { limit, offset, where } = listFilter(query, apis);
  const total = db.select({ n: count() }).from(apis).where(where).get()?.n ?? 0;
  const rows = db.select().from(apis).where(where).orderBy(asc(apis.name)).limit(limit).offset(offset).all();
  return { data: apiDetails(db, rows), total, limit, offset };
}
