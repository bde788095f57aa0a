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
    return errorResponse(c, "conflict", "The change conflicts with existing configuration", 409);
  }
  if (sqliteCode === "SQLITE_BUSY") {
    return errorResponse(c, "config_store_busy", "The config store is busy; try again", 503);
  }
  console.error(`[admin-api] ${c.req.method} ${c.req.path} failed (${c.get("requestId")}):`, error);
  return errorResponse(c, "internal_error", "Something went wrong; the change was not saved", 500);
}
