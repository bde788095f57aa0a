import { type ErrorCode, errorBody, type FieldError, GatehouseError } from "@gatehouse/shared";
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { AdminEnv } from "./env.ts";

export function errorResponse(
  c: Context<AdminEnv>,
  code: ErrorCode,
  message: string,
  status: number,
  fields?: FieldError[],
) {
  return c.json(errorBody(code, message, c.get("requestId"), fields), status as ContentfulStatusCode);
}

/** The single place errors become responses: typed errors keep their status, anything else is a 500. */
export function onError(error: Error, c: Context<AdminEnv>) {
  if (error instanceof GatehouseError) return errorResponse(c, error.code, error.message, error.status, error.fields);
  const sqliteCode = (error as { code?: unknown }).code;
  if (typeof sqliteCode === "string" && sqliteCode.startsWith("SQLITE_CONSTRAINT")) {
    const { message, fields } = constraintConflict(error.message);
    return errorResponse(c, "conflict", message, 409, fields);
  }
  if (sqliteCode === "SQLITE_BUSY") {
    return errorResponse(c, "config_store_busy", "The config store is busy; try again", 503);
  }
  console.error(`[admin-api] ${c.req.method} ${c.req.path} failed (${c.get("requestId")}):`, error);
  return errorResponse(c, "internal_error", "Something went wrong; the change was not saved", 500);
}

const TABLE_WORDS: Record<string, string> = {
  apis: "API",
  routes: "route",
  upstreams: "upstream",
  targets: "target",
  consumers: "consumer",
  plans: "plan",
  api_keys: "key",
  policies: "policy",
  admins: "admin",
};

/**
 * A constraint the services check first only fails here when two writes race: say so, and name
 * the field when SQLite names the column ("UNIQUE constraint failed: apis.name").
 */
export function constraintConflict(sqliteMessage: string): { message: string; fields?: FieldError[] } {
  const unique = /^UNIQUE constraint failed: (\w+)\.(\w+)/.exec(sqliteMessage);
  if (unique) {
    const [, table = "", column = ""] = unique;
    // A slug is derived from the name; a key's hash is no field anyone typed.
    if (column === "hash") return { message: "The change conflicts with existing configuration; try again" };
    const field = column === "slug" ? "name" : column.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
    return {
      message: `The change conflicts with existing configuration: another ${TABLE_WORDS[table] ?? "item"} already has this ${field}`,
      fields: [{ path: field, message: "Already taken" }],
    };
  }
  return { message: "The change conflicts with existing configuration; reload and try again" };
}
