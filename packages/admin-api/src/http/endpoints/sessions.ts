import type { ConfigDb } from "@gatehouse/db";
import { GatehouseError, notFound, sessionSchema } from "@gatehouse/shared";
import type { Context } from "hono";
import { deleteCookie } from "hono/cookie";
import { z } from "zod";
import { listSessions, revokeOwnSession, SESSION_COOKIE, type SessionAdmin } from "../../auth/sessions.ts";
import type { AdminEnv } from "../env.ts";
import type { Operation } from "../operations.ts";

/** Sessions belong to a signed-in admin; the admin token is not one and has none. */
function sessionAdmin(c: Context<AdminEnv>): SessionAdmin {
  const admin = c.get("admin");
  if (!admin) throw new GatehouseError("forbidden", "Sessions belong to a signed-in admin; the admin token has none");
  return admin;
}

export function sessionOperations(db: ConfigDb): Operation[] {
  return [
    {
      method: "get",
      path: "/auth/sessions",
      errors: { 403: "The admin token has no sessions" },
      tag: "Auth",
      summary: "The signed-in admin's live sessions (never their tokens)",
      response: z.object({ data: z.array(sessionSchema) }),
      handler: ({ c }) => {
        const admin = sessionAdmin(c);
        return { data: listSessions(db, admin.id, admin.sessionId) };
      },
    },
    {
      method: "delete",
      path: "/auth/sessions/:id",
      tag: "Auth",
      summary: "Revoke one of your sessions; revoking the current one signs you out",
      status: 204,
      handler: ({ c, params }) => {
        const admin = sessionAdmin(c);
        const id = params.id as string;
        if (!revokeOwnSession(db, admin.id, id)) throw notFound("Session", id);
        if (id === admin.sessionId) deleteCookie(c, SESSION_COOKIE, { path: "/" });
        return undefined;
      },
    },
  ];
}
