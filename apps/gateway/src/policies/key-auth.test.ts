import { type AdminApiHarness, startAdminApi } from "@gatehouse/admin-api/test-support";
import { currentRevision } from "@gatehouse/db";
import { afterAll, beforeAll, expect, test } from "vitest";
import { closeServer, type GatewayProcess, startEcho, startGateway } from "../test-support/servers.ts";

let admin: AdminApiHarness;
let gateway: GatewayProcess;
let echo: Awaited<ReturnType<typeof startEcho>>;
let apiId: string;
let consumerId: string;

beforeAll(async () => {
  admin = startAdminApi();
  echo = await startEcho();
  gateway = await startGateway(admin.dataDir);
  const api = await admin.call("POST", "/apis", {
    name: "orders",
    upstream: { targets: [{ url: echo.url }] },
    routes: [{ paths: ["/orders"] }],
  });
  apiId = api.json.id;
  await admin.call("POST", "/apis", {
    name: "other",
    upstream: { targets: [{ url: echo.url }] },
    routes: [{ paths: ["/other"] }],
  });
  expect(
    (await admin.call("POST", "/policies", { type: "key-auth", apiId, config: { queryParam: "apikey" } })).status,
  ).toBe(201);
  consumerId = (await admin.call("POST", "/consumers", { name: "acme" })).json.id;
  await synced();
}, 30_000);
afterAll(async () => {
  await gateway?.stop();
  if (echo) await closeServer(echo.server);
  admin?.close();
});

const synced = () => gateway.waitForRevision(currentRevision(admin.db));

async function call(path: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${gateway.proxyUrl}${path}`, { headers });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: JSON.parse(text) };
}

async function issue(body: Record<string, unknown> = {}): Promise<{ id: string; key: string }> {
  const issued = await admin.call("POST", `/consumers/${consumerId}/keys`, body);
  expect(issued.status).toBe(201);
  await synced();
  return issued.json;
}

test("[KEY-AUTH] no key, a bad key and a good key; the consumer is named upstream and the key is not", async () => {
  const { key } = await issue();
  const missing = await call("/orders/1");
  expect(missing.status).toBe(401);
  expect(missing.json.error.code).toBe("key_missing");
  expect(missing.headers.get("www-authenticate")).toBe('Bearer realm="gatehouse"');
  // The last character changed: one key in about sixty already ends in "x".
  const tampered = `${key.slice(0, -1)}${key.endsWith("x") ? "y" : "x"}`;
  expect((await call("/orders/1", { "x-api-key": tampered })).json.error.code).toBe("key_invalid");

  const ok = await call("/orders/1?apikey=no&x=1", { "x-api-key": key, "x-consumer-id": "spoofed" });
  expect(ok.status).toBe(200);
  expect(ok.json.headers["x-consumer-id"]).toBe(consumerId);
  expect(ok.json.headers["x-consumer-name"]).toBe("acme");
  expect(ok.json.headers["x-api-key"]).toBeUndefined();
  expect(ok.json.query).toEqual({ x: "1" });
  const bearer = await call("/orders/2", { authorization: `Bearer ${key}` });
  expect(bearer.status).toBe(200);
  expect(bearer.json.headers.authorization).toBeUndefined();
  // An API without key-auth is not affected.
  expect((await call("/other/1")).status).toBe(200);
});

test("[KEY-AUTH] the key's last use reaches the Admin API through analytics.db, not config.db", async () => {
  const { id, key } = await issue();
  const revision = currentRevision(admin.db);
  const before = Date.now();
  expect((await call("/orders/1", { "x-api-key": key })).status).toBe(200);
  let lastUsedAt: string | null = null;
  for (let i = 0; i < 50 && lastUsedAt === null; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    lastUsedAt = (await admin.call("GET", `/consumers/${consumerId}/keys/${id}`)).json.lastUsedAt;
  }
  expect(lastUsedAt).not.toBeNull();
  expect(Date.parse(lastUsedAt as string)).toBeGreaterThanOrEqual(before - 5);
  expect(currentRevision(admin.db)).toBe(revision);
});

test("[KEY-AUTH] a key scoped to another API gets 403; an expired key gets key_expired", async () => {
  const other = (await admin.call("GET", "/apis?name=other")).json.data[0].id;
  const scoped = await issue({ apiIds: [other] });
  const refused = await call("/orders/1", { "x-api-key": scoped.key });
  expect(refused.status).toBe(403);
  expect(refused.json.error.code).toBe("key_not_allowed");

  const soon = await issue({ expiresAt: new Date(Date.now() + 1500).toISOString() });
  expect((await call("/orders/1", { "x-api-key": soon.key })).status).toBe(200);
  await new Promise((resolve) => setTimeout(resolve, 1600));
  expect((await call("/orders/1", { "x-api-key": soon.key })).json.error.code).toBe("key_expired");
});

test("[KEY-AUTH] a revoked key stops at the next revision; a rotated key works through its grace period only", async () => {
  const { id, key } = await issue();
  expect((await call("/orders/1", { "x-api-key": key })).status).toBe(200);
  const revoked = await admin.call("POST", `/consumers/${consumerId}/keys/${id}/revoke`);
  await gateway.waitForRevision(Number(revoked.headers.get("gatehouse-revision")));
  const after = await call("/orders/1", { "x-api-key": key });
  expect(after.status).toBe(401);
  expect(after.json.error.code).toBe("key_revoked");
  // Only the revoked key was read again; routes and policies were not recompiled.
  expect(gateway.output()).toContain(
    `config: revision ${revoked.headers.get("gatehouse-revision")} live (1 key(s) changed`,
  );

  const old = await issue();
  const rotated = await admin.call("POST", `/consumers/${consumerId}/keys/${old.id}/rotate`, {
    gracePeriodSeconds: 1,
  });
  await synced();
  expect((await call("/orders/1", { "x-api-key": rotated.json.issued.key })).status).toBe(200);
  const graceEnds = Date.parse(rotated.json.previous.expiresAt);
  if (Date.now() < graceEnds - 100) expect((await call("/orders/1", { "x-api-key": old.key })).status).toBe(200);
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, graceEnds - Date.now() + 50)));
  expect((await call("/orders/1", { "x-api-key": old.key })).json.error.code).toBe("key_expired");
  expect((await call("/orders/1", { "x-api-key": rotated.json.issued.key })).status).toBe(200);
});

test("[KEY-AUTH] deleting a consumer takes its keys with it", async () => {
  const other = (await admin.call("POST", "/consumers", { name: "leaving" })).json;
  const issued = await admin.call("POST", `/consumers/${other.id}/keys`, {});
  await synced();
  expect((await call("/orders/1", { "x-api-key": issued.json.key })).status).toBe(200);
  await admin.call("DELETE", `/consumers/${other.id}`);
  await synced();
  expect((await call("/orders/1", { "x-api-key": issued.json.key })).json.error.code).toBe("key_invalid");
});

test("[KEY-AUTH] switching the policy off opens the API again, at once", async () => {
  const policy = (await admin.call("GET", `/policies?apiId=${apiId}`)).json.data[0];
  await admin.call("PATCH", `/policies/${policy.id}`, { enabled: false });
  await synced();
  expect((await call("/orders/1")).status).toBe(200);
  await admin.call("PATCH", `/policies/${policy.id}`, { enabled: true });
  await synced();
  expect((await call("/orders/1")).status).toBe(401);
});
