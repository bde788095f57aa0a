import { type AdminApiHarness, startAdminApi } from "@gatehouse/admin-api/test-support";
import { currentRevision } from "@gatehouse/db";
import { afterAll, beforeAll, expect, test } from "vitest";
import { loadOver, workerRequests } from "../test-support/load.ts";
import { closeServer, type GatewayProcess, startEcho, startGateway } from "../test-support/servers.ts";

let admin: AdminApiHarness;
let gateway: GatewayProcess;
let echo: Awaited<ReturnType<typeof startEcho>>;

beforeAll(async () => {
  admin = startAdminApi();
  echo = await startEcho();
  gateway = await startGateway(admin.dataDir, { GATEHOUSE_WORKERS: "2" });
}, 30_000);
afterAll(async () => {
  await gateway?.stop();
  if (echo) await closeServer(echo.server);
  admin?.close();
});

async function makeApi(name: string, policies: Array<{ type: string; config?: Record<string, unknown> }>) {
  const api = await admin.call("POST", "/apis", {
    name,
    upstream: { targets: [{ url: echo.url }] },
    routes: [{ paths: [`/${name}`] }],
  });
  expect(api.status).toBe(201);
  for (const policy of policies) {
    const created = await admin.call("POST", "/policies", { config: {}, ...policy, apiId: api.json.id });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
  }
  await gateway.waitForRevision(currentRevision(admin.db));
  return api.json.id as string;
}

const flood = (path: string, count: number, connections: number, headers: Record<string, string> = {}) =>
  loadOver(gateway.proxyUrl, path, count, connections, { headers });

/** Counts in one fixed minute: a flood that crossed a minute's end would see two allowances. */
async function awayFromMinuteEnd(): Promise<void> {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < 10_000) await new Promise((resolve) => setTimeout(resolve, left + 100));
}

const count = (statuses: number[], status: number) => statuses.filter((s) => s === status).length;

test("[WORKERS] a limit of 100 a minute admits 100 across both workers, from 50 connections", async () => {
  await makeApi("metered", [{ type: "rate-limit", config: { limits: { minute: 100 }, by: "api" } }]);
  await awayFromMinuteEnd();
  const before = await workerRequests(gateway.statusUrl);
  const statuses = await flood("/metered/x", 2000, 50);
  const taken = (await workerRequests(gateway.statusUrl)).map((n, i) => n - (before[i] ?? 0));
  console.log(`[WORKERS] rate limit 100/minute: ${count(statuses, 200)} admitted of 2000; workers took ${taken}`);
  expect(taken.every((n) => n > 0)).toBe(true);
  expect(count(statuses, 200)).toBe(100);
  expect(count(statuses, 429)).toBe(1900);
}, 60_000);

test("[WORKERS] a daily quota of 150 admits 150 across both workers", async () => {
  await makeApi("rationed", [{ type: "quota", config: { quota: { day: 150 }, by: "ip" } }]);
  const statuses = await flood("/rationed/x", 600, 50);
  expect(count(statuses, 200)).toBe(150);
  expect(count(statuses, 429)).toBe(450);
}, 60_000);

test("[WORKERS] a revoked key is refused by every worker once the revision is live", async () => {
  await makeApi("guarded", [{ type: "key-auth" }]);
  const consumer = (await admin.call("POST", "/consumers", { name: "acme" })).json;
  const issued = (await admin.call("POST", `/consumers/${consumer.id}/keys`, {})).json;
  await gateway.waitForRevision(currentRevision(admin.db));
  const headers = { "x-api-key": issued.key };
  const before = await workerRequests(gateway.statusUrl);
  expect(count(await flood("/guarded/x", 200, 16, headers), 200)).toBe(200);
  const taken = (await workerRequests(gateway.statusUrl)).map((n, i) => n - (before[i] ?? 0));
  expect(taken.every((n) => n > 0)).toBe(true);

  const revoked = await admin.call("POST", `/consumers/${consumer.id}/keys/${issued.id}/revoke`);
  await gateway.waitForRevision(Number(revoked.headers.get("gatehouse-revision")));
  const after = await flood("/guarded/x", 200, 16, headers);
  expect(count(after, 401)).toBe(200);
}, 60_000);
