import type { Server } from "node:http";
import { createServer as createTcpServer } from "node:net";
import { afterAll, beforeAll, expect, test } from "vitest";
import { TestConfigDb } from "../test-support/config-db.ts";
import { loadOver, workerRequests } from "../test-support/load.ts";
import { closeServer, type GatewayProcess, startEcho, startGateway } from "../test-support/servers.ts";

const TOKEN = "status-token-for-tests-0123456789";
let config: TestConfigDb;
let gateway: GatewayProcess;
let echo: { server: Server; url: string };

beforeAll(async () => {
  config = new TestConfigDb();
  echo = await startEcho();
  const { upstreamId } = config.addUpstream([{ url: echo.url }]);
  const { revision } = config.addApi(upstreamId, [{ paths: ["/echo"] }]);
  gateway = await startGateway(config.dir, { GATEHOUSE_WORKERS: "2", GATEHOUSE_STATUS_TOKEN: TOKEN });
  await gateway.waitForRevision(revision);
}, 30_000);

afterAll(async () => {
  await gateway?.stop();
  if (echo) await closeServer(echo.server);
  config?.remove();
});

const status = (path: string, init: RequestInit = {}) => fetch(`${gateway.statusUrl}${path}`, init);
const withToken = { authorization: `Bearer ${TOKEN}` };

const load = (path: string, count: number, connections: number, onEach?: (done: number) => void) =>
  loadOver(gateway.proxyUrl, path, count, connections, { onEach });

test("[WORKERS] two workers share the proxy port, and /readyz and /metrics say how the load was shared", async () => {
  const before = await workerRequests(gateway.statusUrl);
  const statuses = await load("/echo/a", 400, 16);
  expect(statuses.filter((s) => s === 200)).toHaveLength(400);
  const after = await workerRequests(gateway.statusUrl);
  const taken = after.map((n, i) => n - (before[i] ?? 0));
  console.log(`[WORKERS] 400 requests on 16 connections: worker 0 took ${taken[0]}, worker 1 took ${taken[1]}`);
  expect(taken).toHaveLength(2);
  expect(taken[0]).toBeGreaterThan(0);
  expect(taken[1]).toBeGreaterThan(0);
  expect((taken[0] as number) + (taken[1] as number)).toBe(400);
  const ready = await (await status("/readyz")).json();
  expect(ready).toMatchObject({ workers: 2 });
  const metrics = await (await status("/metrics")).text();
  expect(metrics).toMatch(/^gatehouse_workers 2$/m);
}, 30_000);

test("[WORKERS] a target that fails is taken out by the host's breaker for every worker", async () => {
  const dead = createTcpServer();
  await new Promise<void>((resolve) => dead.listen(0, "127.0.0.1", resolve));
  const deadUrl = `http://127.0.0.1:${(dead.address() as { port: number }).port}`;
  // Closed: connections to it are refused.
  await new Promise((resolve) => dead.close(resolve));
  const { upstreamId } = config.addUpstream([{ url: echo.url }, { url: deadUrl }], { retries: 0 });
  const { revision } = config.addApi(upstreamId, [{ paths: ["/flaky"] }]);
  await gateway.waitForRevision(revision);

  const deadState = async () => {
    const view = await (await status(`/health/upstreams/${upstreamId}`)).json();
    return (view.targets as Array<{ url: string; state: string }>).find((t) => t.url === deadUrl)?.state;
  };
  for (let round = 0; round < 20 && (await deadState()) === "healthy"; round++) await load("/flaky/x", 8, 8);
  expect(await deadState()).toBe("unhealthy");

  // Every connection of both workers: none may still send to the dead target.
  const statuses = await load("/flaky/y", 200, 16);
  expect(statuses.filter((s) => s !== 200)).toEqual([]);
}, 30_000);

test("[WORKERS] a killed worker is replaced; only the requests it held fail", async () => {
  let killed = false;
  const statuses = await load("/echo/load", 3000, 16, (done) => {
    if (done !== 500 || killed) return;
    killed = true;
    void status("/workers/0/kill", { method: "POST", headers: withToken }).then((res) => expect(res.status).toBe(202));
  });
  const failed = statuses.filter((s) => s !== 200).length;
  console.log(`[WORKERS] killed worker 0 under load: ${failed} of 3000 requests failed (16 connections)`);
  expect(killed).toBe(true);
  // At most what the killed worker held: one request per connection it had.
  expect(failed).toBeLessThanOrEqual(16);
  const deadline = Date.now() + 10_000;
  while (!/proxy worker 0 replaced in \d+ ms/.test(gateway.output()) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  expect(gateway.output()).toMatch(/proxy worker 0 exited .*starting another/);
  console.log(`[WORKERS] ${/proxy worker 0 replaced in \d+ ms/.exec(gateway.output())?.[0]}`);
  expect((await (await status("/readyz")).json()).workers).toBe(2);
  expect(await (await status("/metrics")).text()).toMatch(/^gatehouse_worker_restarts_total 1$/m);
  // The new worker serves the live revision too.
  expect((await load("/echo/after", 100, 16)).filter((s) => s !== 200)).toEqual([]);
}, 60_000);

test("[WORKERS] stopping a worker takes the status token, and names a worker that exists", async () => {
  expect((await status("/workers/0/kill", { method: "POST" })).status).toBe(401);
  const missing = await status("/workers/7/kill", { method: "POST", headers: withToken });
  expect(missing.status).toBe(404);
  expect((await missing.json()).error.code).toBe("not_found");
});
