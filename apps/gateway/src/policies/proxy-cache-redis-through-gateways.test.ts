import type { ChildProcess } from "node:child_process";
import { createServer } from "node:http";
import { type AdminApiHarness, startAdminApi } from "@gatehouse/admin-api/test-support";
import { currentRevision } from "@gatehouse/db";
import { freePort, startRedis, stopRedis } from "@gatehouse/policies/test-support/redis-server";
import { afterAll, beforeAll, expect, test } from "vitest";
import { rawRequest } from "../test-support/http.ts";
import { closeServer, type GatewayProcess, listenLocal, startGateway } from "../test-support/servers.ts";

let admin: AdminApiHarness;
let redisPort = 0;
let redis: ChildProcess | undefined;
let hits = 0;
const upstream = createServer((req, res) => {
  hits++;
  res.writeHead(200, { "cache-control": "max-age=600" }).end(`${req.url} #${hits}`);
});
let upstreamUrl = "";
const gateways: GatewayProcess[] = [];

beforeAll(async () => {
  admin = startAdminApi();
  redisPort = await freePort();
  redis = await startRedis(redisPort);
  upstreamUrl = await listenLocal(upstream);
  gateways.push(await startGateway(admin.dataDir), await startGateway(admin.dataDir));
}, 30_000);
afterAll(async () => {
  for (const gateway of gateways) await gateway.stop();
  await closeServer(upstream);
  await stopRedis(redis);
  admin?.close();
});

/** The host is part of the key: gateways behind one name share copies, so both are called by it. */
async function get(gateway: GatewayProcess | undefined, path: string) {
  const res = await rawRequest(`${gateway?.proxyUrl}${path}`, { headers: { host: "reports.example.com" } });
  return `${res.headers["x-cache-status"]} ${res.text}`;
}

test("[CACHE] with the Redis store a copy kept through one gateway answers through another, until a purge", async () => {
  const api = await admin.call("POST", "/apis", {
    name: "shared",
    upstream: { targets: [{ url: upstreamUrl }] },
    routes: [{ paths: ["/shared"] }],
  });
  const config = { store: "redis", redisUrl: `redis://127.0.0.1:${redisPort}` };
  const policy = await admin.call("POST", "/policies", { type: "proxy-cache", config, apiId: api.json.id });
  expect(policy.status, JSON.stringify(policy.json)).toBe(201);
  for (const gateway of gateways) await gateway.waitForRevision(currentRevision(admin.db));

  expect(await get(gateways[0], "/shared/report")).toBe("MISS /report #1");
  expect(await get(gateways[1], "/shared/report")).toBe("HIT /report #1");
  expect(await get(gateways[0], "/shared/report")).toBe("HIT /report #1");
  expect(hits).toBe(1);

  expect((await admin.call("DELETE", `/apis/${api.json.id}/cache`)).status).toBe(202);
  for (const gateway of gateways) await gateway.waitForRevision(currentRevision(admin.db));
  expect(await get(gateways[1], "/shared/report")).toBe("MISS /report #2");
  expect(await get(gateways[0], "/shared/report")).toBe("HIT /report #2");
});
