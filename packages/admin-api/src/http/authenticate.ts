import { GatehouseError } from "@gatehouse/shared";
import type { Context } from "hono";
import { getCookie } from "hono/cookie";
import { safeEqual } from "../auth/secrets.ts";
import { resolveSession, SESSION_COOKIE } from "../auth/sessions.ts";
import type { AdminApiDeps, AdminEnv } from "./env.ts";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** The request's own origin as the browser sees it (the console may sit behind a proxy). */
function expectedOrigin(c: Context): string {
  const url = new URL(c.req.url);
  const host = c.req.header("x-forwarded-host") ?? c.req.header("host") ?? url.host;
  const proto = c.req.header("x-forwarded-proto") ?? url.protocol.replace(":", "");
  return `${proto}://${host}`;
}

/**
 * Cookie-authenticated writes must come from our own pages: the Origin header (sent by every
 * browser on a cross-site write) must be ours, or Sec-Fetch-Site must say same-origin.
 */
export function assertSameOrigin(c: Context): void {
  if (SAFE_METHODS.has(c.req.method)) return;
  const origin = c.req.header("origin");
  if (origin !== undefined) {
    if (origin === expectedOrigin(c)) return;
    throw new GatehouseError("csrf_rejected", "Cross-site request refused");
  }
  const site = c.req.header("sec-fetch-site");
  if (site === "same-origin" || site === "none") return;
  throw new GatehouseError("csrf_rejected", "Cross-site request refused: no Origin header");
}

export function bearerToken(c: Context): string | undefined {
  const header = c.req.header("authorization");
  const match = header ? /^Bearer\s+(.+)$/i.exec(header) : null;
  return match?.[1]?.trim();
}

/** Sets `actor` and `admin`, or throws 401; a bearer token wins over a cookie and is not CSRF-checked. */
export async function authenticate(c: Context<AdminEnv>, deps: AdminApiDeps, secret: Uint8Array): Promise<void> {
  const token = bearerToken(c);
  if (token !== undefined) {
    if (deps.adminToken && safeEqual(token, deps.adminToken)) {
      c.set("actor", "token:admin");
      c.set("admin", null);
      return;
    }
    throw new GatehouseError("unauthorized", "The bearer token is not valid");
  }
  const cookie = getCookie(c, SESSION_COOKIE);
  const admin = cookie ? await resolveSession(deps.db, secret, cookie) : null;
  if (!admin) {
    throw new GatehouseError(
      "unauthorized",
      cookie ? "Your session has ended; sign in again" : "Sign in or send Authorization: Bearer <token>",
    );
  }
  assertSameOrigin(c);
  c.set("actor", `admin:${admin.email}`);
  c.set("admin", admin);
}
