import { admins, auditLog } from "@gatehouse/db";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { readSetting } from "../auth/secrets.ts";
import { type AdminApiHarness, startAdminApi, TEST_ADMIN, TEST_TOKEN } from "../test-support/admin-api-harness.ts";

let h: AdminApiHarness;
let logged: string[];
beforeEach(() => {
  h = startAdminApi();
  logged = [];
  for (const level of ["log", "info", "warn", "error", "debug"] as const) {
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
      logged.push(args.map((arg) => (arg instanceof Error ? `${arg.message}\n${arg.stack}` : String(arg))).join(" "));
    });
  }
});
afterEach(() => {
  vi.restoreAllMocks();
  h.close();
});

/** Everything an outsider or an operator could read: bodies, headers but Set-Cookie, the audit log, the logs. */
function readable(responses: Array<{ text: string; headers: Headers }>): string {
  const headers = responses.flatMap((r) => [...r.headers].filter(([name]) => name !== "set-cookie"));
  const audit = h.db.select().from(auditLog).all();
  return [...responses.map((r) => r.text), JSON.stringify(headers), JSON.stringify(audit), ...logged].join("\n");
}

describe("[SECRETS] passwords and tokens never leak", () => {
  test("setup, sign-in, failed sign-ins and config writes never echo a secret", async () => {
    const guess = "guessed-setup-token-7f3a";
    const wrongPassword = "Wrong-Password-Zebra-42";
    const hugePassword = `Huge-${"p".repeat(300)}`;
    const responses: Array<{ text: string; headers: Headers }> = [
      await h.browser("POST", "/auth/setup", { ...TEST_ADMIN, token: guess }),
    ];
    const setup = await h.setUp();
    responses.push(
      setup.response,
      await h.browser("POST", "/auth/login", TEST_ADMIN),
      await h.browser("POST", "/auth/login", { ...TEST_ADMIN, password: wrongPassword }),
      await h.browser("POST", "/auth/login", { ...TEST_ADMIN, password: hugePassword }),
      await h.browser("POST", "/auth/setup", { ...TEST_ADMIN, token: setup.setupToken }),
      await h.browser("GET", "/auth/status", undefined, setup.cookie),
      await h.browser("GET", "/auth/sessions", undefined, setup.cookie),
    );
    const pool = { name: "pool", targets: [{ url: "http://127.0.0.1:9000" }] };
    for (const [method, url, body] of [
      ["POST", "/upstreams", pool],
      ["POST", "/upstreams", pool],
      ["GET", "/audit", undefined],
      ["GET", "/openapi.json", undefined],
    ] as const) {
      const r = await h.call(method, url, body);
      responses.push({ text: JSON.stringify(r.json), headers: r.headers });
    }
    expect(responses.map((r) => r.text).join()).toContain("Wrong email or password");

    const sessionToken = setup.cookie.split("=")[1] as string;
    const passwordHash = h.db.select().from(admins).get()?.passwordHash as string;
    const text = readable(responses);
    for (const secret of [
      TEST_ADMIN.password,
      wrongPassword,
      hugePassword.slice(0, 40),
      guess,
      setup.setupToken,
      sessionToken,
      TEST_TOKEN,
      passwordHash.split("$").at(-1) as string,
      readSetting(h.db, "session_secret") as string,
    ]) {
      expect(text, "a secret leaked").not.toContain(secret);
    }
    expect(h.db.select().from(auditLog).all().length).toBe(1);
  });

  test("API keys, JWT secrets and Redis passwords appear only where they must, once", async () => {
    const api = await h.call("POST", "/apis", {
      name: "guarded",
      upstream: { targets: [{ url: "http://127.0.0.1:9000" }] },
      routes: [{ paths: ["/guarded"] }],
    });
    const jwtSecret = "jwt-shared-secret-that-is-long-enough-4711";
    const redisPassword = "redis-pass-Quokka-88";
    const consumer = await h.call("POST", "/consumers", { name: "acme" });
    const issued = await h.call("POST", `/consumers/${consumer.json.id}/keys`, {});
    const rotated = await h.call("POST", `/consumers/${consumer.json.id}/keys/${issued.json.id}/rotate`, {});
    const jwt = await h.call("POST", "/policies", {
      type: "jwt",
      apiId: api.json.id,
      config: { algorithms: ["HS256"], secret: jwtSecret },
    });
    const limit = await h.call("POST", "/policies", {
      type: "rate-limit",
      apiId: api.json.id,
      config: { limits: { minute: 5 }, store: "redis", redisUrl: `redis://app:${redisPassword}@127.0.0.1:6379/0` },
    });
    expect([jwt.status, limit.status]).toEqual([201, 201]);
    expect(limit.json.config.redisUrl).toBe("redis://app:****@127.0.0.1:6379/0");
    // The console sends back what it was shown: the masked URL must not replace the saved one.
    const resent = await h.call("PATCH", `/policies/${limit.json.id}`, { config: { ...limit.json.config } });
    expect(resent.status).toBe(200);
    expect(JSON.stringify(h.db.$client.prepare("SELECT config FROM policies").all())).toContain(redisPassword);
    const patched = await h.call("PATCH", `/policies/${jwt.json.id}`, { config: { clockSkewSeconds: 5 } });
    expect(patched.json.config.secret).toBeUndefined();
    const later = [
      patched,
      await h.call("GET", "/policies"),
      await h.call("GET", `/consumers/${consumer.json.id}/keys`),
      await h.call("GET", `/consumers/${consumer.json.id}/keys/${issued.json.id}`),
      await h.call("GET", "/audit"),
    ].map((r) => ({ text: JSON.stringify(r.json), headers: r.headers }));
    const text = readable(later);
    for (const secret of [issued.json.key, rotated.json.issued.key, jwtSecret, redisPassword]) {
      expect(text, "a secret leaked").not.toContain(secret);
    }
    // The saved config still holds the secret the gateway needs.
    expect(JSON.stringify(h.db.$client.prepare("SELECT config FROM policies").all())).toContain(jwtSecret);
  });

  test("an unexpected failure logs the error, not the request body", async () => {
    const secret = "body-secret-never-logged-91";
    h.db.$client.close();
    const failed = await h.call("POST", "/upstreams", { name: secret, targets: [{ url: "http://127.0.0.1:9000" }] });
    expect(failed.status).toBe(500);
    expect(failed.json.error.code).toBe("internal_error");
    expect(logged.join("\n")).toContain(failed.json.error.requestId);
    expect([JSON.stringify(failed.json), ...logged].join("\n")).not.toContain(secret);
  });
});
