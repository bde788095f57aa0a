import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { routes, targets } from "@gatehouse/db";
import { eq } from "drizzle-orm";
import { Pool } from "undici";
import { afterAll, beforeAll, expect, test } from "vitest";
import { TestConfigDb } from "./test-support/config-db.ts";
import { rawRequest } from "./test-support/http.ts";
import { closeServer, type GatewayProcess, listenLocal, startEcho, startGateway } from "./test-support/servers.ts";

let config: TestConfigDb;
let gateway: GatewayProcess;
let echoes: { server: Server; url: string }[] = [];

beforeAll(async () => {
  echoes = [await startEcho(), await startEcho()];
  config = new TestConfigDb();
  gateway = await startGateway(config.dir);
}, 30_000);

afterAll(async () => {
  await gateway?.stop();
  for (const echo of echoes) await closeServer(echo.server);
  config.remove();
});

test("[RELOAD] 50 config changes under load: no failed request, each answer from one revision", async () => {
  const { upstreamId, targetIds } = config.addUpstream([{ url: `${echoes[0]?.url}/base0` }]);
  const { routeIds, revision } = config.addApi(upstreamId, [{ paths: ["/live"], rewritePath: "/v0" }]);
  const targetId = targetIds[0] as string;
  const routeId = routeIds[0] as string;
  await gateway.waitForRevision(revision);

  const client = new Pool(gateway.proxyUrl, { connections: 4 });
  let running = true;
  let failures = 0;
  let inconsistent = 0;
  const versions = new Map<string, number>();
  const worker = async () => {
    let sent = 0;
    while (running) {
      const res = await client.request({ path: `/live/item?n=${sent++}`, method: "GET" });
      const text = await res.body.text();
      if (res.statusCode !== 200) {
        failures++;
        continue;
      }
      // The target's base path and the route's rewrite change in the same revision.
      const m = /^\/base(\d+)\/v(\d+)\/item\?n=\d+$/.exec((JSON.parse(text) as { path: string }).path);
      if (!m || m[1] !== m[2]) inconsistent++;
      else versions.set(m[1] as string, (versions.get(m[1] as string) ?? 0) + 1);
    }
    return sent;
  };
  const workers = [worker(), worker(), worker(), worker()];

  for (let k = 1; k <= 50; k++) {
    // Alternate between two upstream servers, so old pools are closed while requests may be in flight.
    const echo = echoes[k % 2] as { url: string };
    const next = config.change({ type: "route", id: routeId }, (tx) => {
      tx.update(targets)
        .set({ url: `${echo.url}/base${k}` })
        .where(eq(targets.id, targetId))
        .run();
      tx.update(routes)
        .set({ rewritePath: `/v${k}` })
        .where(eq(routes.id, routeId))
        .run();
    });
    await gateway.waitForRevision(next);
    // Pace by count, not time: let the clients get 50 answers from this revision before the next change.
    while ((versions.get(String(k)) ?? 0) < 50 && failures === 0) await new Promise((r) => setTimeout(r, 5));
  }
  running = false;
  const sent = (await Promise.all(workers)).reduce((a, b) => a + b, 0);
  await client.close();

  expect(failures).toBe(0);
  expect(inconsistent).toBe(0);
  expect(sent).toBeGreaterThan(50 * 50);
  for (let k = 1; k <= 50; k++) expect(versions.get(String(k))).toBeGreaterThanOrEqual(50);
}, 60_000);

test("[CONFIG] a gateway started before config.db exists waits, then loads it", async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "gatehouse-late-"));
  const late = await startGateway(dir);
  try {
    const before = await late.readyz();
    expect(before.status).toBe(503);
    expect(String(before.body.reason)).toMatch(/config\.db/);
    expect((await fetch(`${late.proxyUrl}/x`)).status).toBe(503);
    const db = new TestConfigDb(dir);
    const { upstreamId } = db.addUpstream([{ url: `${echoes[0]?.url}` }]);
    const { revision } = db.addApi(upstreamId, [{ paths: ["/late"] }]);
    await late.waitForRevision(revision);
    expect((await fetch(`${late.proxyUrl}/late`)).status).toBe(200);
    db.close();
  } finally {
    expect(await late.stop()).toBe(0);
    rmSync(dir, { recursive: true, force: true });
  }
}, 30_000);

test("[SHUTDOWN] SIGTERM refuses new connections, lets an in-flight request finish, then exits 0", async () => {
  let release: () => void = () => {};
  let arrived: () => void = () => {};
  const requestArrived = new Promise<void>((resolve) => {
    arrived = resolve;
  });
  const held = createServer((_req, res) => {
    release = () => res.end("finished");
    arrived();
  });
  const heldUrl = await listenLocal(held);
  const dir = mkdtempSync(path.join(tmpdir(), "gatehouse-drain-"));
  const db = new TestConfigDb(dir);
  const own = await startGateway(dir);
  try {
    const { upstreamId } = db.addUpstream([{ url: heldUrl }]);
    const { revision } = db.addApi(upstreamId, [{ paths: ["/slow"] }]);
    await own.waitForRevision(revision);

    const inFlight = rawRequest(`${own.proxyUrl}/slow`);
    await requestArrived;
    const exited = own.stop();
    while (!own.output().includes("draining")) await new Promise((r) => setTimeout(r, 10));
    await expect(rawRequest(`${own.proxyUrl}/slow`)).rejects.toMatchObject({ code: "ECONNREFUSED" });
    release();
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(res.text).toBe("finished");
    expect(await exited).toBe(0);
  } finally {
    await own.stop();
    await closeServer(held);
    db.remove();
  }
}, 30_000);

test("[SHUTDOWN] a request still running at the drain timeout is cut off and the gateway exits 0", async () => {
  let arrived = false;
  const held = createServer(() => {
    arrived = true;
  });
  const heldUrl = await listenLocal(held);
  const dir = mkdtempSync(path.join(tmpdir(), "gatehouse-drain-"));
  const db = new TestConfigDb(dir);
  const own = await startGateway(dir, { GATEHOUSE_DRAIN_TIMEOUT_MS: "300" });
  try {
    const { upstreamId } = db.addUpstream([{ url: heldUrl }]);
    const { revision } = db.addApi(upstreamId, [{ paths: ["/stuck"] }]);
    await own.waitForRevision(revision);
    const cutOff = expect(rawRequest(`${own.proxyUrl}/stuck`)).rejects.toThrow(/socket hang up/);
    while (!arrived) await new Promise((r) => setTimeout(r, 10));
    expect(await own.stop()).toBe(0);
    await cutOff;
  } finally {
    await closeServer(held);
    db.remove();
  }
}, 30_000);
