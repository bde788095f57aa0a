import { createServer } from "node:http";
import { type AdminApiHarness, startAdminApi } from "@gatehouse/admin-api/test-support";
import { currentRevision } from "@gatehouse/db";
import { afterAll, beforeAll, expect, test } from "vitest";
import { closeServer, type GatewayProcess, listenLocal, startEcho, startGateway } from "../test-support/servers.ts";

let admin: AdminApiHarness;
let gateway: GatewayProcess;
let echo: Awaited<ReturnType<typeof startEcho>>;
let hits = 0;

beforeAll(async () => {
  admin = startAdminApi();
  echo = await startEcho();
  echo.server.prependListener("request", () => {
    hits++;
  });
  gateway = await startGateway(admin.dataDir);
}, 30_000);
afterAll(async () => {
  await gateway?.stop();
  if (echo) await closeServer(echo.server);
  admin?.close();
});

const synced = () => gateway.waitForRevision(currentRevision(admin.db));

async function makeApi(name: string, policies: Array<{ type: string; config?: Record<string, unknown> }>) {
  const api = await admin.call("POST", "/apis", {
    name,
    upstream: { targets: [{ url: echo.url }] },
    routes: [{ paths: [`/${name}`] }],
  });
  expect(api.status).toBe(201);
  for (const policy of policies) {
    const created = await admin.call("POST", "/policies", { ...policy, apiId: api.json.id });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
  }
  await synced();
  return api.json.id as string;
}

test("[POLICIES] a CORS preflight is answered at the gateway; actual requests get the CORS headers", async () => {
  await makeApi("cors", [{ type: "cors", config: { origins: ["https://app.example.com"] } }]);
  const before = hits;
  const preflight = await fetch(`${gateway.proxyUrl}/cors/items`, {
    method: "OPTIONS",
    headers: { origin: "https://app.example.com", "access-control-request-method": "PUT" },
  });
  expect(preflight.status).toBe(204);
  expect(preflight.headers.get("access-control-allow-origin")).toBe("https://app.example.com");
  expect(preflight.headers.get("access-control-allow-methods")).toContain("PUT");
  expect(hits).toBe(before);
  const actual = await fetch(`${gateway.proxyUrl}/cors/items`, { headers: { origin: "https://app.example.com" } });
  expect(actual.status).toBe(200);
  expect(actual.headers.get("access-control-allow-origin")).toBe("https://app.example.com");
  expect(hits).toBe(before + 1);
});

test("[POLICIES] policy headers join the upstream's: its Vary gets Origin added, its own header of a name wins, and a 502 carries them too", async () => {
  const upstream = createServer((_req, res) => {
    res.writeHead(200, { vary: "Accept-Encoding", "x-ratelimit-limit-minute": "upstream's own" }).end("ok");
  });
  const url = await listenLocal(upstream);
  try {
    const api = await admin.call("POST", "/apis", {
      name: "merged",
      upstream: { targets: [{ url }] },
      routes: [{ paths: ["/merged"] }],
    });
    for (const policy of [
      { type: "cors", config: { origins: ["https://app.example.com"] } },
      { type: "rate-limit", config: { limits: { minute: 100 } } },
    ]) {
      expect((await admin.call("POST", "/policies", { ...policy, apiId: api.json.id })).status).toBe(201);
    }
    await synced();
    const res = await fetch(`${gateway.proxyUrl}/merged/x`, { headers: { origin: "https://app.example.com" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("vary")).toBe("Accept-Encoding, Origin");
    expect(res.headers.get("x-ratelimit-limit-minute")).toBe("upstream's own");
    expect(res.headers.get("ratelimit-limit")).toBe("100");
    expect(res.headers.get("access-control-allow-origin")).toBe("https://app.example.com");
  } finally {
    await closeServer(upstream);
  }
  const down = await fetch(`${gateway.proxyUrl}/merged/x`);
  expect(down.status).toBe(502);
  expect(down.headers.get("ratelimit-remaining")).toBe("98");
});

test("[POLICIES] request-size-limit refuses a declared or streamed body over the limit", async () => {
  await makeApi("small", [{ type: "request-size-limit", config: { maxBytes: 1024 } }]);
  const before = hits;
  const declared = await fetch(`${gateway.proxyUrl}/small/upload`, { method: "POST", body: "x".repeat(2048) });
  expect(declared.status).toBe(413);
  expect((await declared.json()).error.code).toBe("payload_too_large");
  expect(hits).toBe(before);
  const chunks = new ReadableStream({
    start(controller) {
      controller.enqueue(new TextEncoder().encode("y".repeat(4096)));
      controller.close();
    },
  });
  const streamed = await fetch(`${gateway.proxyUrl}/small/upload`, {
    method: "POST",
    body: chunks,
    duplex: "half",
  } as RequestInit);
  expect(streamed.status).toBe(413);
  const fits = await fetch(`${gateway.proxyUrl}/small/upload`, { method: "POST", body: "z".repeat(100) });
  expect(fits.status).toBe(200);
});

test("[POLICIES] ip-restriction refuses a denied client; X-Forwarded-For from an untrusted peer changes nothing", async () => {
  await makeApi("internal", [{ type: "ip-restriction", config: { deny: ["127.0.0.0/8"] } }]);
  const refused = await fetch(`${gateway.proxyUrl}/internal/x`, { headers: { "x-forwarded-for": "203.0.113.9" } });
  expect(refused.status).toBe(403);
  expect((await refused.json()).error.code).toBe("forbidden");
});

test("[POLICIES] acl lets a consumer of an allowed group through and refuses the others", async () => {
  await makeApi("partners", [{ type: "key-auth" }, { type: "acl", config: { allow: ["partners"] } }]);
  const partner = (await admin.call("POST", "/consumers", { name: "partner", groups: ["partners"] })).json;
  const stranger = (await admin.call("POST", "/consumers", { name: "stranger" })).json;
  const partnerKey = (await admin.call("POST", `/consumers/${partner.id}/keys`, {})).json.key;
  const strangerKey = (await admin.call("POST", `/consumers/${stranger.id}/keys`, {})).json.key;
  await synced();
  const call = (key: string) => fetch(`${gateway.proxyUrl}/partners/x`, { headers: { "x-api-key": key } });
  expect((await call(partnerKey)).status).toBe(200);
  const refused = await call(strangerKey);
  expect(refused.status).toBe(403);
  expect((await refused.json()).error.code).toBe("forbidden");
});

test("[QUOTA] a daily quota holds across a gateway restart: counts are flushed on SIGTERM and read back", async () => {
  await makeApi("metered", [{ type: "quota", config: { quota: { day: 3 }, by: "ip" } }]);
  const call = () => fetch(`${gateway.proxyUrl}/metered/x`);
  const first = await call();
  expect(first.status).toBe(200);
  expect(first.headers.get("x-quota-remaining-day")).toBe("2");
  expect((await call()).status).toBe(200);
  await gateway.stop();
  gateway = await startGateway(admin.dataDir);
  await synced();
  expect((await call()).status).toBe(200);
  const refused = await call();
  expect(refused.status).toBe(429);
  expect((await refused.json()).error.code).toBe("quota_exceeded");
  expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
});

test("[RATE-LIMIT] a consumer's limit, its plan's, and a key's own: each enforced with its headers", async () => {
  const apiId = await makeApi("limited", [
    { type: "key-auth" },
    { type: "rate-limit", config: { limits: { minute: 2 } } },
  ]);
  const pro = (await admin.call("POST", "/plans", { name: "Pro", limits: { minute: 4 } })).json;
  const basic = (await admin.call("POST", "/consumers", { name: "basic" })).json;
  const paying = (await admin.call("POST", "/consumers", { name: "paying", planId: pro.id })).json;
  const issue = async (consumerId: string, body = {}) =>
    (await admin.call("POST", `/consumers/${consumerId}/keys`, { apiIds: [apiId], ...body })).json.key as string;
  const basicKey = await issue(basic.id);
  const payingKey = await issue(paying.id);
  const custom = (await admin.call("POST", "/consumers", { name: "custom", planId: pro.id })).json;
  const ownLimitKey = await issue(custom.id, { limits: { minute: 1 } });
  await synced();
  const admitted = async (key: string, n: number) => {
    let ok = 0;
    let last: Response | undefined;
    for (let i = 0; i < n; i++) {
      last = await fetch(`${gateway.proxyUrl}/limited/x`, { headers: { "x-api-key": key } });
      if (last.status === 200) ok++;
    }
    return { ok, last: last as Response };
  };
  const first = await fetch(`${gateway.proxyUrl}/limited/x`, { headers: { "x-api-key": basicKey } });
  expect(first.headers.get("ratelimit-limit")).toBe("2");
  expect(first.headers.get("ratelimit-remaining")).toBe("1");
  expect(first.headers.get("x-ratelimit-limit-minute")).toBe("2");
  const basicRun = await admitted(basicKey, 4);
  expect(basicRun.ok).toBe(1);
  expect(basicRun.last.status).toBe(429);
  expect((await basicRun.last.json()).error.code).toBe("rate_limited");
  expect(Number(basicRun.last.headers.get("retry-after"))).toBeGreaterThan(0);
  // The plan's 4/minute replaces the policy's 2 for its consumers; counted per consumer.
  expect((await admitted(payingKey, 6)).ok).toBe(4);
  // A key's own limits beat its consumer's plan.
  expect((await admitted(ownLimitKey, 3)).ok).toBe(1);
});

test("[HASH] a pool hashing on the consumer sends each consumer's requests to one target", async () => {
  const pool = await admin.call("POST", "/upstreams", {
    name: "sticky",
    algorithm: "consistent-hash",
    hashOn: { by: "consumer" },
    targets: [{ url: `${echo.url}/one` }, { url: `${echo.url}/two` }, { url: `${echo.url}/three` }],
  });
  expect(pool.status, JSON.stringify(pool.json)).toBe(201);
  const api = await admin.call("POST", "/apis", {
    name: "sticky",
    upstreamId: pool.json.id,
    routes: [{ paths: ["/sticky"] }],
  });
  await admin.call("POST", "/policies", { type: "key-auth", apiId: api.json.id });
  const keys: string[] = [];
  for (let i = 0; i < 12; i++) {
    const consumer = (await admin.call("POST", "/consumers", { name: `sticky-${i}` })).json;
    keys.push((await admin.call("POST", `/consumers/${consumer.id}/keys`, {})).json.key);
  }
  await synced();
  const targetsSeen = new Set<string>();
  for (const key of keys) {
    const served = new Set<string>();
    for (let n = 0; n < 5; n++) {
      const res = await fetch(`${gateway.proxyUrl}/sticky/x`, { headers: { "x-api-key": key } });
      served.add(((await res.json()) as { path: string }).path.split("/")[1] as string);
    }
    expect(served.size).toBe(1);
    for (const target of served) targetsSeen.add(target);
  }
  // Hashing on the client IP would put every consumer on one target (all come from 127.0.0.1); twelve
  // random consumer ids all landing on one of three targets has a chance of 3 × (1/3)^12, about 6 in a million.
  expect(targetsSeen.size).toBeGreaterThan(1);
});
