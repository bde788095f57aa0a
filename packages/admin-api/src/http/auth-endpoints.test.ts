import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { issueSetupToken } from "../auth/setup-token.ts";
import { type AdminApiHarness, startAdminApi } from "../test-support/admin-api-harness.ts";

const ORIGIN = "http://console.test";
let h: AdminApiHarness;
beforeEach(() => {
  h = startAdminApi();
});
afterEach(() => h.close());

/** A browser-like call: no bearer token, the session cookie, the page's Origin. */
async function browser(method: string, url: string, body?: unknown, cookie = "", headers: Record<string, string> = {}) {
  const response = await h.app.request(`${ORIGIN}/api/v1${url}`, {
    method,
    headers: {
      ...(cookie ? { cookie } : {}),
      ...(body === undefined ? {} : { "content-type": "application/json" }),
      origin: ORIGIN,
      ...headers,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : null, headers: response.headers };
}

const cookieOf = (headers: Headers) => (headers.get("set-cookie") ?? "").split(";")[0] as string;
const admin = { email: "Ops@Example.com", password: "correct horse battery" };

describe("[AUTH] first admin, sessions, tokens", () => {
  test("every operation but sign-in refuses a caller without credentials", async () => {
    const doc = (await h.call("GET", "/openapi.json")).json;
    let checked = 0;
    for (const [path, ops] of Object.entries<Record<string, { security?: unknown[] }>>(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        if (op.security?.length === 0) continue;
        const url = path.replace("/api/v1", "").replace(/\{(\w+)\}/g, "x_$1");
        const res = await h.app.request(`${ORIGIN}/api/v1${url}`, {
          method: method.toUpperCase(),
          headers: { "content-type": "application/json" },
          ...(method === "get" || method === "delete" ? {} : { body: "{}" }),
        });
        expect(res.status, `${method} ${path}`).toBe(401);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(20);
    expect((await h.call("GET", "/apis", undefined, { authorization: "Bearer wrong" })).status).toBe(401);
  });

  test("only the setup link's token creates the first admin, once", async () => {
    expect((await browser("GET", "/auth/status")).json).toEqual({ setupRequired: true, admin: null });
    const token = issueSetupToken(h.db) as string;
    expect((await browser("POST", "/auth/setup", { ...admin, token: "guess" })).status).toBe(403);
    const short = await browser("POST", "/auth/setup", { ...admin, token, password: "short" });
    expect(short.status).toBe(400);
    expect(short.json.error.fields[0]).toMatchObject({ path: "password" });

    const created = await browser("POST", "/auth/setup", { ...admin, token });
    expect(created.status).toBe(201);
    expect(created.json.admin.email).toBe("ops@example.com");
    const setCookie = created.headers.get("set-cookie") ?? "";
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Strict/i);

    expect((await browser("POST", "/auth/setup", { ...admin, token })).status).toBe(403);
    expect(issueSetupToken(h.db)).toBeNull();
    const status = await browser("GET", "/auth/status", undefined, cookieOf(created.headers));
    expect(status.json).toMatchObject({ setupRequired: false, admin: { email: "ops@example.com" } });
  });

  test("a session works for reads and same-origin writes, refuses cross-site writes, and ends at logout", async () => {
    const token = issueSetupToken(h.db) as string;
    await browser("POST", "/auth/setup", { ...admin, token });
    const login = await browser("POST", "/auth/login", admin);
    expect(login.status).toBe(200);
    const cookie = cookieOf(login.headers);

    expect((await browser("GET", "/apis", undefined, cookie)).status).toBe(200);
    const body = { name: "pool", targets: [{ url: "http://127.0.0.1:9000" }] };
    expect((await browser("POST", "/upstreams", body, cookie, { origin: "https://evil.example" })).status).toBe(403);
    const noOrigin = await h.app.request(`${ORIGIN}/api/v1/upstreams`, {
      method: "POST",
      headers: { cookie, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    expect(noOrigin.status).toBe(403);
    const ok = await browser("POST", "/upstreams", body, cookie);
    expect(ok.status).toBe(201);

    expect((await browser("POST", "/auth/logout", undefined, cookie)).status).toBe(204);
    expect((await browser("GET", "/apis", undefined, cookie)).status).toBe(401);
  });

  test("sign-in is rate limited after repeated failures", async () => {
    const token = issueSetupToken(h.db) as string;
    await browser("POST", "/auth/setup", { ...admin, token });
    for (let i = 0; i < 5; i++) {
      expect((await browser("POST", "/auth/login", { ...admin, password: "wrong password!" })).status).toBe(401);
    }
    const limited = await browser("POST", "/auth/login", admin);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
  });
});
