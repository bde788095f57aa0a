import { admins, type ConfigDb } from "@gatehouse/db";
import {
  adminSchema,
  authStatusSchema,
  GatehouseError,
  loginInputSchema,
  newId,
  setupInputSchema,
} from "@gatehouse/shared";
import { eq } from "drizzle-orm";
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { z } from "zod";
import type { LoginLimiter } from "../../auth/login-limiter.ts";
import { dummyHashPromise, hashPassword, verifyPassword } from "../../auth/password.ts";
import { resolveSession, revokeSession, SESSION_COOKIE, startSession } from "../../auth/sessions.ts";
import { adminCount, consumeSetupToken, setupTokenMatches } from "../../auth/setup-token.ts";
import { parseInput } from "../../services/context.ts";
import { assertSameOrigin } from "../authenticate.ts";
import type { AdminEnv } from "../env.ts";
import { errorResponse } from "../errors.ts";
import type { Operation } from "../operations.ts";

const adminResponse = z.object({ admin: adminSchema });

async function signIn(c: Context<AdminEnv>, db: ConfigDb, secret: Uint8Array, adminId: string) {
  const { token, expiresAt } = await startSession(db, secret, adminId, c.req.header("user-agent") ?? null);
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: "Strict",
    path: "/",
    secure: new URL(c.req.url).protocol === "https:" || c.req.header("x-forwarded-proto") === "https",
    expires: expiresAt,
  });
}

function assertSetupAllowed(db: Pick<ConfigDb, "select">, token: string): void {
  if (adminCount(db) > 0) throw new GatehouseError("forbidden", "Setup is already done; sign in instead");
  if (!setupTokenMatches(db, token)) {
    throw new GatehouseError("forbidden", "This setup link is not valid; use the newest link the console printed");
  }
}

const publicAdmin = (row: { id: string; email: string; createdAt: string }) => ({
  id: row.id,
  email: row.email,
  createdAt: row.createdAt,
});

export function authOperations(db: ConfigDb, secret: Uint8Array, limiter: LoginLimiter): Operation[] {
  return [
    {
      method: "get",
      path: "/auth/status",
      tag: "Auth",
      summary: "Whether setup is required, and who is signed in",
      public: true,
      response: authStatusSchema,
      handler: async ({ c }) => {
        const cookie = getCookie(c, SESSION_COOKIE);
        const admin = cookie ? await resolveSession(db, secret, cookie) : null;
        return { setupRequired: adminCount(db) === 0, admin: admin ? publicAdmin(admin) : null };
      },
    },
    {
      method: "post",
      path: "/auth/setup",
      tag: "Auth",
      summary: "Create the first admin with the one-time token from the setup link",
      public: true,
      body: setupInputSchema,
      response: adminResponse,
      status: 201,
      handler: async ({ c, body }) => {
        assertSameOrigin(c);
        const input = parseInput(setupInputSchema, body);
        // Checked before hashing too, so a wrong token costs no scrypt work; again inside the transaction.
        assertSetupAllowed(db, input.token);
        const passwordHash = await hashPassword(input.password);
        const admin = db.transaction((tx) => {
          assertSetupAllowed(tx, input.token);
          consumeSetupToken(tx);
          return tx
            .insert(admins)
            .values({ id: newId("admin"), email: input.email, passwordHash })
            .returning()
            .get();
        });
        await signIn(c, db, secret, admin.id);
        return { admin: publicAdmin(admin) };
      },
    },
    {
      method: "post",
      path: "/auth/login",
      errors: { 401: "Wrong email or password", 429: "Too many failed sign-ins; see Retry-After" },
      tag: "Auth",
      summary: "Sign in with email and password (rate limited)",
      public: true,
      body: loginInputSchema,
      response: adminResponse,
      handler: async ({ c, body }) => {
        assertSameOrigin(c);
        const input = parseInput(loginInputSchema, body);
        const client = c.req.header("x-forwarded-for")?.split(",")[0]?.trim() ?? "local";
        const keys = [`email:${input.email}`, `ip:${client}`];
        const wait = limiter.retryAfter(keys);
        if (wait > 0) {
          c.header("Retry-After", String(wait));
          return errorResponse(c, "rate_limited", `Too many failed sign-ins; try again in ${wait} s`, 429);
        }
        // Counted before the slow hash, so guesses sent in parallel cannot all pass the check above.
        limiter.fail(keys);
        const admin = db.select().from(admins).where(eq(admins.email, input.email)).get();
        const valid = await verifyPassword(input.password, admin?.passwordHash ?? (await dummyHashPromise));
        if (!admin || !valid) throw new GatehouseError("unauthorized", "Wrong email or password");
        limiter.succeed(keys);
        await signIn(c, db, secret, admin.id);
        return { admin: publicAdmin(admin) };
      },
    },
    {
      method: "post",
      path: "/auth/logout",
      tag: "Auth",
      summary: "Sign out and revoke the session",
      public: true,
      status: 204,
      handler: async ({ c }) => {
        assertSameOrigin(c);
        const cookie = getCookie(c, SESSION_COOKIE);
        const admin = cookie ? await resolveSession(db, secret, cookie) : null;
        if (admin) revokeSession(db, admin.sessionId);
        deleteCookie(c, SESSION_COOKIE, { path: "/" });
        return undefined;
      },
    },
  ];
}
