import { createServer } from "node:net";
import { type AdminApiHarness, startAdminApi } from "@gatehouse/admin-api/test-support";
import { currentRevision } from "@gatehouse/db";
import type { TargetHealth, UpstreamHealth } from "@gatehouse/shared";
import { afterAll, beforeAll, expect, test } from "vitest";
import { closeServer, type GatewayProcess, startEcho, startGateway } from "../test-support/servers.ts";

let admin: AdminApiHarness;
let gateway: GatewayProcess;
let echo: Awaited<ReturnType<typeof startEcho>>;
let refusing: string;
let upstreamId: string;

/** A local port nothing listens on: connections to it are refused at once. */
async function closedPort(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

beforeAll(async () => {
  admin = startAdminApi();
  echo = await startEcho();
  refusing = await closedPort();
  gateway = await startGateway(admin.dataDir);
  const api = await admin.call("POST", "/apis", {
    name: "orders",
    upstream: {
      targets: [{ url: echo.url }, { url: refusing }],
      // Passive checks off and active checks off: nothing will ever take the refusing target out.
      healthChecks: { active: { enabled: false }, passive: { enabled: false } },
    },
    routes: [{ paths: ["/orders"] }],
  });
  upstreamId = api.json.upstreamId;
  await gateway.waitForRevision(currentRevision(admin.db));
}, 30_000);
afterAll(async () => {
  await gateway?.stop();
  if (echo) await closeServer(echo.server);
  admin?.close();
});

async function send(count: number): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < count; i++) {
    const res = await fetch(`${gateway.proxyUrl}/orders/${i}`);
    await res.arrayBuffer();
    statuses.push(res.status);
  }
  return statuses;
}

async function health(relay: AdminApiHarness): Promise<UpstreamHealth> {
  const res = await relay.call("GET", `/upstreams/${upstreamId}/health`);
  expect(res.status).toBe(200);
  return res.json;
}

const byUrl = (view: UpstreamHealth, url: string) => view.targets.find((t) => t.url === url) as TargetHealth;

test("[UPSTREAMS] a target that refuses connections, with active and passive checks off, counts its failed requests", async () => {
  // Retries send each refused attempt on to the echo target: every client gets its 200.
  expect(new Set(await send(20))).toEqual(new Set([200]));
  const relay = startAdminApi({ dataDir: admin.dataDir, gatewayStatusUrl: gateway.statusUrl });
  try {
    const view = await health(relay);
    const bad = byUrl(view, refusing);
    expect(bad.state).toBe("healthy");
    expect(bad.recentRequests).toBeGreaterThanOrEqual(5);
    expect(bad.recentRequestFailures).toBe(bad.recentRequests);
    expect(bad.lastError).toMatch(/ECONNREFUSED/);
    const good = byUrl(view, echo.url);
    expect(good).toMatchObject({ state: "healthy", recentRequestFailures: 0 });
    expect(good.recentRequests).toBe(20);
  } finally {
    relay.close();
  }
});

test("[UPSTREAMS] health changes are kept in analytics.db and outlive a gateway restart", async () => {
  const patch = await admin.call("PATCH", `/upstreams/${upstreamId}`, {
    healthChecks: { passive: { enabled: true, failures: 2, cooldownMs: 600_000 } },
  });
  expect(patch.status).toBe(200);
  await gateway.waitForRevision(currentRevision(admin.db));
  await send(10);
  let relay = startAdminApi({ dataDir: admin.dataDir, gatewayStatusUrl: gateway.statusUrl });
  const tripped = (view: UpstreamHealth) =>
    view.events.find((e) => e.url === refusing && e.from === "healthy" && e.to === "unhealthy");
  try {
    await expect.poll(async () => tripped(await health(relay)), { timeout: 5_000 }).toBeDefined();
  } finally {
    relay.close();
  }
  // The writer flushes once a second; a clean stop writes what is left.
  expect(await gateway.stop()).toBe(0);
  gateway = await startGateway(admin.dataDir);
  await gateway.waitForRevision(currentRevision(admin.db));
  // The new gateway remembers nothing of it in memory...
  const fresh = await (await fetch(`${gateway.statusUrl}/health/upstreams/${upstreamId}`)).json();
  expect(fresh.events).toEqual([]);
  // ...and the Admin API still shows it, read from analytics.db.
  relay = startAdminApi({ dataDir: admin.dataDir, gatewayStatusUrl: gateway.statusUrl });
  try {
    const view = await health(relay);
    expect(view.reachable).toBe(true);
    expect(tripped(view)).toMatchObject({ reason: expect.stringMatching(/2 consecutive failed requests/) });
    expect(byUrl(view, refusing).state).toBe("healthy");
  } finally {
    relay.close();
  }
}, 30_000);
