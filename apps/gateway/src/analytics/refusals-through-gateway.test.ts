import { setTimeout as sleep } from "node:timers/promises";
import { type AdminApiHarness, startAdminApi } from "@gatehouse/admin-api/test-support";
import { currentRevision } from "@gatehouse/db";
import type { CodeCount, RequestLogRow } from "@gatehouse/shared";
import { afterAll, beforeAll, expect, test } from "vitest";
import { closeServer, type GatewayProcess, startEcho, startGateway } from "../test-support/servers.ts";

let admin: AdminApiHarness;
let relay: AdminApiHarness;
let gateway: GatewayProcess;
let echo: Awaited<ReturnType<typeof startEcho>>;
let apiId: string;
let key: string;

beforeAll(async () => {
  admin = startAdminApi();
  echo = await startEcho();
  // The log samples answered requests past 5 a second, so a test can load it past that.
  gateway = await startGateway(admin.dataDir, { GATEHOUSE_REQUEST_LOG_PER_SECOND: "5" });
  relay = startAdminApi({ dataDir: admin.dataDir, gatewayStatusUrl: gateway.statusUrl });
  const api = await admin.call("POST", "/apis", {
    name: "orders",
    upstream: { targets: [{ url: echo.url }] },
    routes: [{ name: "list orders", paths: ["/orders"] }],
  });
  apiId = api.json.id;
  await admin.call("POST", "/policies", { type: "key-auth", apiId, config: {} });
  const consumer = (await admin.call("POST", "/consumers", { name: "acme" })).json.id;
  key = (await admin.call("POST", `/consumers/${consumer}/keys`, {})).json.key;
  await gateway.waitForRevision(currentRevision(admin.db));
}, 30_000);
afterAll(async () => {
  await gateway?.stop();
  if (echo) await closeServer(echo.server);
  relay?.close();
  admin?.close();
});

async function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; id: string }> {
  const res = await fetch(`${gateway.proxyUrl}${path}`, { headers });
  await res.arrayBuffer();
  return { status: res.status, id: res.headers.get("x-request-id") as string };
}

test("[ANALYTICS] every refused request is in the log while answered ones are sampled, and the log says at what rate", async () => {
  const refused = new Map<string, string>();
  let answered = 0;
  // The log starts sampling in the second after a busy one, so the load spans 2.5 s; it is paced so that
  // answered and refused together stay under the 1,000 rows one read returns (an unpaced loop on a fast
  // host sent more, and the oldest refusals fell outside the read): at most 100 rounds of 3 + 2.
  const until = Date.now() + 2_500;
  for (let i = 0; i < 100 && Date.now() < until; i++) {
    const round = await Promise.all([
      ...Array.from({ length: 3 }, () => get("/orders/1", { "x-api-key": key })),
      get("/orders/2"),
      get("/nowhere"),
    ]);
    await sleep(20);
    answered += round.filter((r) => r.status === 200).length;
    for (const r of round.slice(3)) refused.set(r.id, r.status === 401 ? "key_missing" : "no_route");
  }
  const res = await relay.call("GET", "/analytics/requests?limit=1000");
  expect(res.status).toBe(200);
  const entries: RequestLogRow[] = res.json.entries;
  const refusals = entries.filter((e) => e.refusal !== null);
  expect(new Map(refusals.map((e) => [e.requestId, e.refusal]))).toEqual(refused);
  expect(refusals.every((e) => e.sampleRate === 1)).toBe(true);
  const kept = entries.filter((e) => e.refusal === null);
  expect(kept.length).toBeLessThan(answered);
  expect(Math.min(...kept.map((e) => e.sampleRate))).toBeLessThan(1);
  expect(res.json.sampleRate).toBe(Math.min(...kept.map((e) => e.sampleRate)));

  // What a row's detail shows: API, route, consumer by name, target, both latencies.
  expect(kept[0]).toMatchObject({
    apiId,
    apiName: "orders",
    routeLabel: "list orders",
    consumerName: "acme",
    status: 200,
    target: echo.url,
    upstreamMs: expect.any(Number),
  });
  expect(kept[0]?.latencyMs).toBeGreaterThanOrEqual(kept[0]?.upstreamMs as number);
  expect(refusals.find((e) => e.refusal === "no_route")).toMatchObject({
    apiId: null,
    apiName: null,
    routeLabel: null,
    status: 404,
    target: null,
    upstreamMs: null,
  });
  expect(refusals.find((e) => e.refusal === "key_missing")).toMatchObject({
    apiName: "orders",
    status: 401,
    target: null,
  });
}, 30_000);

test("[ANALYTICS] the request log's consumer filter takes a name, and names an unknown one", async () => {
  await get("/orders/3", { "x-api-key": key });
  const byName = await relay.call("GET", "/analytics/requests?consumer=acme&limit=50");
  expect(byName.status).toBe(200);
  expect(byName.json.entries.length).toBeGreaterThan(0);
  expect(byName.json.entries.every((e: RequestLogRow) => e.consumerName === "acme")).toBe(true);
  const unknown = await relay.call("GET", "/analytics/requests?consumer=nobody");
  expect(unknown.status).toBe(400);
  expect(unknown.json.error.fields).toEqual([{ path: "consumer", message: 'No consumer is named "nobody"' }]);
});

test("[ANALYTICS] requests split by status code and refusal code, for all traffic and for one API", async () => {
  const codes = async (query: string) => (await relay.call("GET", `/analytics/codes?${query}`)).json;
  const pick = (list: CodeCount[]) => new Set(list.map((c) => `${c.status} ${c.refusal}`));
  await expect
    .poll(async () => pick((await codes("")).codes), { timeout: 5_000 })
    .toEqual(new Set(["200 null", "401 key_missing", "404 no_route"]));
  const api = await codes(`apiId=${apiId}`);
  expect(pick(api.codes)).toEqual(new Set(["200 null", "401 key_missing"]));
  expect(api.step).toBe("1m");
  const total = api.codes.reduce((sum: number, c: CodeCount) => sum + c.requests, 0);
  const perBucket = api.points.reduce(
    (sum: number, p: { requests: number[] }) => sum + p.requests.reduce((a, b) => a + b, 0),
    0,
  );
  expect(perBucket).toBe(total);
});
