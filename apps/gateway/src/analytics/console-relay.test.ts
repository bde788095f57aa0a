import { type AdminApiHarness, startAdminApi, TEST_TOKEN } from "@gatehouse/admin-api/test-support";
import { currentRevision } from "@gatehouse/db";
import { sseEvents, type TimeseriesPoint } from "@gatehouse/shared";
import { afterAll, beforeAll, expect, test } from "vitest";
import { closeServer, type GatewayProcess, startEcho, startGateway } from "../test-support/servers.ts";

// The gateway makes the status token in the data dir; the Admin API finds it there.
let admin: AdminApiHarness;
let relay: AdminApiHarness;
let gateway: GatewayProcess;
let echo: Awaited<ReturnType<typeof startEcho>>;
let apiId: string;

beforeAll(async () => {
  admin = startAdminApi();
  echo = await startEcho();
  gateway = await startGateway(admin.dataDir);
  relay = startAdminApi({ dataDir: admin.dataDir, gatewayStatusUrl: gateway.statusUrl });
  apiId = (
    await admin.call("POST", "/apis", {
      name: "orders",
      upstream: { targets: [{ url: echo.url }] },
      routes: [{ paths: ["/orders"] }],
    })
  ).json.id;
  await admin.call("POST", "/apis", {
    name: "other",
    upstream: { targets: [{ url: echo.url }] },
    routes: [{ paths: ["/other"] }],
  });
  await gateway.waitForRevision(currentRevision(admin.db));
}, 30_000);
afterAll(async () => {
  await gateway?.stop();
  if (echo) await closeServer(echo.server);
  relay?.close();
  admin?.close();
});

async function send(path: string, count: number): Promise<void> {
  for (let i = 0; i < count; i++) await (await fetch(`${gateway.proxyUrl}${path}`)).arrayBuffer();
}

test("[ANALYTICS] the Admin API relays the live stream as one point per second for the filter, idle seconds as zeros", async () => {
  const abort = new AbortController();
  const response = await relay.app.request(`http://console.test/api/v1/analytics/stream?apiId=${apiId}`, {
    headers: { authorization: `Bearer ${TEST_TOKEN}` },
    signal: abort.signal,
  });
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
  const points: TimeseriesPoint[] = [];
  let sent = false;
  const deadline = setTimeout(() => abort.abort(), 10_000);
  try {
    for await (const { data } of sseEvents(response.body as ReadableStream<Uint8Array>)) {
      points.push(JSON.parse(data));
      if (!sent) {
        sent = true;
        await Promise.all([send("/orders/1", 5), send("/other/1", 3)]);
      }
      if (points.reduce((sum, p) => sum + p.requests, 0) >= 5) break;
    }
  } finally {
    clearTimeout(deadline);
  }
  expect(points.reduce((sum, p) => sum + p.requests, 0)).toBe(5);
  // One point per second, none skipped, none repeated.
  for (let i = 1; i < points.length; i++)
    expect((points[i] as TimeseriesPoint).t - (points[i - 1] as TimeseriesPoint).t).toBe(1000);
  expect(points[0]).toMatchObject({ requests: 0, p50: null });
  expect(points.find((p) => p.requests > 0)?.p95).toEqual(expect.any(Number));
});

test("[ANALYTICS] the Admin API relays the request log, filtered by the gateway", async () => {
  await send("/other/log", 2);
  const res = await relay.call("GET", `/analytics/requests?path=/other/log`);
  expect(res.status).toBe(200);
  expect(res.json.entries).toHaveLength(2);
  expect(res.json.entries[0]).toMatchObject({ method: "GET", path: "/other/log", status: 200, consumerId: null });
});
