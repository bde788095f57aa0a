import { admins, sessions } from "@gatehouse/db";
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { sessionSecret } from "../auth/secrets.ts";
import { SESSION_COOKIE, startSession } from "../auth/sessions.ts";
import { type AdminApiHarness, cookieOf, startAdminApi, TEST_ADMIN } from "../test-support/admin-api-harness.ts";

let h: AdminApiHarness;
beforeEach(() => {
  h = startAdminApi();
});
afterEach(() => h.close());

const login = async (userAgent: string) =>
  cookieOf((await h.browser("POST", "/auth/login", TEST_ADMIN, "", { "user-agent": userAgent })).headers);

const sessionIdOf = async (cookie: string) =>
  (await h.browser("GET", "/auth/sessions", undefined, cookie)).json.data.find((s: { current: boolean }) => s.current)
    .id as string;

describe("[SESSIONS] list and revoke", () => {
  test("lists the admin's live sessions, marks the current one, and never shows a token", async () => {
    const { cookie: setupCookie } = await h.setUp();
    const laptop = await login("Laptop Firefox");
    const list = await h.browser("GET", "/auth/sessions", undefined, laptop);
    expect(list.status).toBe(200);
    expect(list.json.data).toHaveLength(2);
    const current = list.json.data.filter((s: { current: boolean }) => s.current);
    expect(current).toHaveLength(1);
    expect(current[0]).toMatchObject({ userAgent: "Laptop Firefox" });
    expect(Object.keys(current[0]).sort()).toEqual(["createdAt", "current", "expiresAt", "id", "userAgent"]);
    for (const cookie of [setupCookie, laptop]) expect(list.text).not.toContain(cookie.split("=")[1]);
  });

  test("revoking another session ends it at once and keeps this one", async () => {
    const { cookie: other } = await h.setUp();
    const mine = await login("mine");
    const otherId = await sessionIdOf(other);
    const revoked = await h.browser("DELETE", `/auth/sessions/${otherId}`, undefined, mine);
    expect(revoked.status).toBe(204);
    expect(revoked.headers.get("set-cookie")).toBeNull();
    expect((await h.browser("GET", "/apis", undefined, other)).status).toBe(401);
    expect((await h.browser("GET", "/apis", undefined, mine)).status).toBe(200);
    expect((await h.browser("DELETE", `/auth/sessions/${otherId}`, undefined, mine)).status).toBe(404);
  });

  test("revoking the current session signs out", async () => {
    const { cookie } = await h.setUp();
    const revoked = await h.browser("DELETE", `/auth/sessions/${await sessionIdOf(cookie)}`, undefined, cookie);
    expect(revoked.status).toBe(204);
    expect(revoked.headers.get("set-cookie")).toMatch(new RegExp(`^${SESSION_COOKIE}=;.*Max-Age=0`, "i"));
    expect((await h.browser("GET", "/auth/status", undefined, cookie)).json.admin).toBeNull();
    expect((await h.browser("GET", "/apis", undefined, cookie)).status).toBe(401);
  });

  test("another admin's session is a 404, and cross-site revocation is refused", async () => {
    const { cookie } = await h.setUp();
    h.db.insert(admins).values({ id: "adm_other", email: "other@example.com", passwordHash: "x" }).run();
    const { token } = await startSession(h.db, sessionSecret(h.db), "adm_other", "other");
    const otherCookie = `${SESSION_COOKIE}=${token}`;
    const otherId = await sessionIdOf(otherCookie);
    expect((await h.browser("GET", "/auth/sessions", undefined, cookie)).json.data).toHaveLength(1);
    expect((await h.browser("DELETE", `/auth/sessions/${otherId}`, undefined, cookie)).status).toBe(404);
    expect((await h.browser("DELETE", "/auth/sessions/ses_nope", undefined, cookie)).status).toBe(404);
    const crossSite = await h.browser("DELETE", `/auth/sessions/${otherId}`, undefined, otherCookie, {
      origin: "https://evil.example",
    });
    expect(crossSite.status).toBe(403);
    expect((await h.browser("GET", "/apis", undefined, otherCookie)).status).toBe(200);
  });

  test("an expired or revoked session row gets 401 even though its signed token is still valid", async () => {
    const { cookie } = await h.setUp();
    const id = await sessionIdOf(cookie);
    h.db
      .update(sessions)
      .set({ expiresAt: new Date(Date.now() - 1000).toISOString() })
      .where(eq(sessions.id, id))
      .run();
    const ended = await h.browser("GET", "/apis", undefined, cookie);
    expect(ended.status).toBe(401);
    expect(ended.json.error.message).toBe("Your session has ended; sign in again");
    expect((await h.browser("GET", "/auth/sessions", undefined, cookie)).status).toBe(401);
    expect((await h.browser("GET", "/apis")).json.error.message).toBe("Sign in or send Authorization: Bearer <token>");

    const fresh = await login("fresh");
    expect((await h.browser("GET", "/apis", undefined, fresh)).status).toBe(200);
    const freshId = await sessionIdOf(fresh);
    h.db.update(sessions).set({ revokedAt: new Date().toISOString() }).where(eq(sessions.id, freshId)).run();
    expect((await h.browser("GET", "/apis", undefined, fresh)).status).toBe(401);
    expect((await h.browser("POST", "/upstreams", { name: "x" }, fresh)).status).toBe(401);
  });

  test("the admin token has no sessions to list", async () => {
    expect((await h.call("GET", "/auth/sessions")).status).toBe(403);
    expect((await h.call("DELETE", "/auth/sessions/ses_x")).status).toBe(403);
  });
});
