import type { ChildProcess } from "node:child_process";
import { type AdminApiHarness, startAdminApi } from "@gatehouse/admin-api/test-support";
import { currentRevision } from "@gatehouse/db";
import { freePort, startRedis, stopRedis } from "@gatehouse/policies/test-support/redis-server";
import { afterAll, beforeAll, expect, test } from "vitest";
import { closeServer, type GatewayProcess, startEcho, startGateway } from "../test-support/servers.ts";

let admin: AdminApiHarness;
let redisPort = 0;
let redis: ChildProcess | undefined;
let echo: Awaited<ReturnType<typeof startEcho>>;
const gateways: GatewayProcess[] = [];

beforeAll(async () => {
  admin = startAdminApi();
  redisPort = await freePort();
  redis = await startRedis(redisPort);
  echo = await startEcho();
  // Two gateway processes, two proxy workers each: four Redis connections counting one quota.
  gateways.push(await startGateway(admin.dataDir), await startGateway(admin.dataDir));
}, 30_000);
afterAll(async () => {
  for (const gateway of gateways) await gateway.stop();
  if (echo) await closeServer(echo.server);
  await stopRedis(redis);
  admin?.close();
});

test("[QUOTA] a plan's quota counted in Redis holds across two gateways: exactly its number between them", async () => {
  const api = await admin.call("POST", "/apis", {
    name: "metered",
    upstream: { targets: [{ url: echo.url }] },
    routes: [{ paths: ["/metered"] }],
  });
  for (const policy of [
    { type: "key-auth" },
    { type: "quota", config: { quota: { day: 1000 }, store: "redis", redisUrl: `redis://127.0.0.1:${redisPort}` } },
  ]) {
    const created = await admin.call("POST", "/policies", { ...policy, apiId: api.json.id });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
  }
  const plan = (await admin.call("POST", "/plans", { name: "Starter", quota: { day: 5 } })).json;
  const consumer = (await admin.call("POST", "/consumers", { name: "metered", planId: plan.id })).json;
  const key = (await admin.call("POST", `/consumers/${consumer.id}/keys`, {})).json.key as string;
  for (const gateway of gateways) await gateway.waitForRevision(currentRevision(admin.db));

  const statuses: number[] = [];
  for (let i = 0; i < 12; i++) {
    const res = await fetch(`${gateways[i % 2]?.proxyUrl}/metered/x`, { headers: { "x-api-key": key } });
    statuses.push(res.status);
    if (res.status === 429) expect((await res.json()).error.code).toBe("quota_exceeded");
    else await res.arrayBuffer();
  }
  expect(statuses.filter((status) => status === 200)).toHaveLength(5);
  expect(statuses.filter((status) => status === 429)).toHaveLength(7);
});
