import { apis, type ConfigDb } from "@gatehouse/db";
import { type ApiDetail, type ListQuery, listQuerySchema } from "@gatehouse/shared";
import { and, asc, count, type SQL, sql } from "drizzle-orm";
import { parseInput } from "../context.ts";
import { apiDetails } from "../read-models.ts";

export interface Page<T> {
  data: T[];
  total: number;
  limit: number;
  offset: number;
}

export function likeSubstring(value: string): string {
  return `%${value.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export function listApis(db: ConfigDb, query: unknown): Page<ApiDetail> {
  const { limit, offset, name, tag }: ListQuery = parseInput(listQuerySchema, query);
  const filters: SQL[] = [];
  if (name) filters.push(sql`${apis.name} LIKE ${likeSubstring(name)} ESCAPE '\\'`);
  if (tag) filters.push(sql`EXISTS (SELECT 1 FROM json_each(${apis.tags}) WHERE value = ${tag})`);
  const where = filters.length > 0 ? and(...filters) : undefined;
  const total = db.select({ n: count() }).from(apis).where(where).get()?.n ?? 0;
  const rows = db.select().from(apis).where(where).orderBy(asc(apis.name)).limit(limit).offset(offset).all();
  return { data: apiDetails(db, rows), total, limit, offset };
}
