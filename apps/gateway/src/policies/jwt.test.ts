import { type AdminApiHarness, startAdminApi } from "@gatehouse/admin-api/test-support";
import { currentRevision } from "@gatehouse/db";
import { SignJWT } from "jose";
import { afterAll, beforeAll, expect, test } from "vitest";
import { closeServer, type GatewayProcess, startEcho, startGateway } from "../test-support/servers.ts";

let admin: AdminApiHarness;
let gateway: GatewayProcess;
let echo: Awaited<ReturnType<typeof startEcho>>;
const secret = "a-shared-secret-that-is-long-enough-0123456789";

beforeAll(async () => {
  admin = startAdminApi();
  echo = await startEcho();
  gateway = await startGateway(admin.dataDir);
  const api = await admin.call("POST", "/apis", {
    name: "reports",
    upstream: { targets: [{ url: echo.url }] },
    routes: [{ paths: ["/reports"] }],
  });
  await admin.call("POST", "/consumers", { name: "alice" });
  const policy = await admin.call("POST", "/policies", {
    type: "jwt",
    apiId: api.json.id,
    config: { algorithms: ["HS256"], secret, issuer: ["https://id.example"], forwardClaims: { email: "x-user-email" } },
  });
  expect(policy.status).toBe(201);
  expect(JSON.stringify(policy.json)).not.toContain(secret);
  await gateway.waitForRevision(currentRevision(admin.db));
}, 30_000);
afterAll(async () => {
  await gateway?.stop();
  if (echo) await closeServer(echo.server);
  admin?.close();
});

const sign = (claims: Record<string, unknown>, key = secret, issuer = "https://id.example") =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: "HS256" })
    .setIssuer(issuer)
    .setSubject("alice")
    .setExpirationTime("5m")
    .sign(new TextEncoder().encode(key));

async function call(token?: string) {
  const res = await fetch(`${gateway.proxyUrl}/reports/q1`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  return { status: res.status, headers: res.headers, json: await res.json() };
}

test("[JWT] through the gateway: a good token names the consumer and forwards claims; bad ones get 401s", async () => {
  const ok = await call(await sign({ email: "alice@example.com" }));
  expect(ok.status).toBe(200);
  expect(ok.json.headers["x-consumer-name"]).toBe("alice");
  expect(ok.json.headers["x-user-email"]).toBe("alice@example.com");

  const missing = await call();
  expect(missing.status).toBe(401);
  expect(missing.json.error.code).toBe("token_missing");
  expect((await call(await sign({}, "another-secret-that-is-long-enough-9876543210"))).json.error.code).toBe(
    "token_invalid",
  );
  expect((await call(await sign({}, secret, "https://evil.example"))).json.error.code).toBe("token_invalid");
});
