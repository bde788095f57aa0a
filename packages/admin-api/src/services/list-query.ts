import { type ListQuery, listQuerySchema } from "@gatehouse/shared";
import { and, type Column, type SQL, sql } from "drizzle-orm";
import { parseInput } from "./context.ts";

const likeSubstring = (value: string) => `%${value.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Parses a list query and turns its name and tag filters into a WHERE clause over the given columns (a table without tags ignores the tag filter). */
export function listFilter(query: unknown, columns: { name: Column; tags?: Column }) {
  const parsed: ListQuery = parseInput(listQuerySchema, query);
  const filters: SQL[] = [];
  if (parsed.name) filters.push(sql`${columns.name} LIKE ${likeSubstring(parsed.name)} ESCAPE '\\'`);
  if (parsed.tag && columns.tags)
    filters.push(sql`EXISTS (SELECT 1 FROM json_each(${columns.tags}) WHERE value = ${parsed.tag})`);
  return { ...parsed, where: filters.length > 0 ? and(...filters) : undefined };
}
