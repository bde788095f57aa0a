import { createServer, type Server } from "node:http";
import { type AdminApiHarness, startAdminApi } from "@gatehouse/admin-api/test-support";
import { currentRevision, openAnalyticsDbForReading } from "@gatehouse/db";
import { afterAll, beforeAll, expect, test } from "vitest";
import { closeServer, type GatewayProcess, listenLocal, startGateway } from "../test-support/servers.ts";

let admin: AdminApiHarness;
let gateway: GatewayProcess;
const servers: Server[] = [];
/** The two pools' servers answer with their own name, so a client sees where it landed. */
const pools = { main: "", canary: "" };
let canaryUpstreamId: string;
/** What every request of this file got, by API and pool: what the pool tables must count. */
const answered = new Map<string, number>();

async function namedServer(name: string): Promise<string> {
  const server = createServer((_req, res) => res.end(name));
  servers.push(server);
  return listenLocal(server);
}

beforeAll(async () => {
  admin = startAdminApi();
  pools.main = await namedServer("main");
  pools.canary = await namedServer("canary");
  const canary = await admin.call("POST", "/upstreams", { name: "canary", targets: [{ url: pools.canary }] });
  expect(canary.status, JSON.stringify(canary.json)).toBe(201);
  canaryUpstreamId = canary.json.id;
  gateway = await startGateway(admin.dataDir);
}, 30_000);
afterAll(async () => {
  await gateway?.stop();
  for (const server of servers) await closeServer(server);
  admin?.close();
});

const synced = () => gateway.waitForRevision(currentRevision(admin.db));

async function makeApi(name: string, policies: Array<{ type: string; config?: Record<string, unknown> }>) {
  const api = await admin.call("POST", "/apis", {
    name,
    upstream: { targets: [{ url: pools.main }] },
    routes: [{ paths: [`/${name}`] }],
  });
  expect(api.status).toBe(201);
  const ids: string[] = [];
  for (const policy of policies) {
    const created = await admin.call("POST", "/policies", { ...policy, apiId: api.json.id });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    ids.push(created.json.id);
  }
  await synced();
  return { apiId: api.json.id as string, policyIds: ids };
}

/** `count` requests, 25 at a time; the pool each landed on, in order. */
async function send(apiId: string, path: string, count: number, headers: Record<string, string> = {}) {
  const landed: string[] = [];
  for (let sent = 0; sent < count; sent += 25) {
    const batch = Array.from({ length: Math.min(25, count - sent) }, async () => {
      const res = await fetch(`${gateway.proxyUrl}${path}`, { headers });
      expect(res.status).toBe(200);
      return res.text();
    });
    landed.push(...(await Promise.all(batch)));
  }
  for (const pool of landed) {
    const key = `${apiId}|${pool}`;
    answered.set(key, (answered.get(key) ?? 0) + 1);
  }
  return landed;
}

/** Two-sided, wrong once in a million runs: 1,000 draws at 10% land within 100 ± 4.89·sqrt(1000·0.1·0.9), about ±46. */
const BOUND = 4.89 * Math.sqrt(1000 * 0.1 * 0.9);

test("[CANARY] at 10%, 1,000 requests through the gateway send about 100 to the canary's server, and a live PATCH to 100% sends them all", async () => {
  const { apiId, policyIds } = await makeApi("shop", [
    { type: "traffic-split", config: { upstreamId: canaryUpstreamId, percent: 10 } },
  ]);
  const landed = await send(apiId, "/shop/items", 1000);
  const canary = landed.filter((pool) => pool === "canary").length;
  expect(Math.abs(canary - 100)).toBeLessThan(BOUND);
  expect(landed.filter((pool) => pool === "main")).toHaveLength(1000 - canary);

  const patched = await admin.call("PATCH", `/policies/${policyIds[0]}`, { config: { percent: 100 } });
  expect(patched.status, JSON.stringify(patched.json)).toBe(200);
  expect(patched.json.config).toMatchObject({ upstreamId: canaryUpstreamId, percent: 100 });
  await synced();
  expect(new Set(await send(apiId, "/shop/items", 200))).toEqual(new Set(["canary"]));
});

test("[CANARY] sticky per consumer behind key-auth: each consumer always lands on one pool, and the consumers split", async () => {
  const { apiId } = await makeApi("sticky", [
    { type: "key-auth" },
    { type: "traffic-split", config: { upstreamId: canaryUpstreamId, percent: 50, stickyBy: "consumer" } },
  ]);
  const keys: string[] = [];
  for (let i = 0; i < 16; i++) {
    const consumer = (await admin.call("POST", "/consumers", { name: `client-${i}` })).json;
    keys.push((await admin.call("POST", `/consumers/${consumer.id}/keys`, {})).json.key);
  }
  await synced();
  const sides = new Set<string>();
  for (const key of keys) {
    const landed = new Set(await send(apiId, "/sticky/x", 20, { "x-api-key": key }));
    expect(landed.size).toBe(1);
    sides.add([...landed][0] as string);
  }
  // 16 consumers at 50% all on one side: 2 × 0.5^16, about 1 in 33,000.
  expect(sides).toEqual(new Set(["main", "canary"]));
});

test("[CANARY] a sticky header needs its name and the share two decimals at most: 400 with the field, nothing stored", async () => {
  const { apiId } = await makeApi("checked", []);
  const noHeader = await admin.call("POST", "/policies", {
    type: "traffic-split",
    apiId,
    config: { upstreamId: canaryUpstreamId, percent: 5, stickyBy: "header" },
  });
  expect(noHeader.status).toBe(400);
  expect(noHeader.json.error.fields).toContainEqual({ path: "config.stickyHeader", message: expect.any(String) });
  const tooPrecise = await admin.call("POST", "/policies", {
    type: "traffic-split",
    apiId,
    config: { upstreamId: canaryUpstreamId, percent: 12.345 },
  });
  expect(tooPrecise.status).toBe(400);
  expect(tooPrecise.json.error.fields[0].path).toBe("config.percent");
  expect((await admin.call("GET", `/policies?apiId=${apiId}`)).json.data).toEqual([]);
});

test("[CANARY] the pool tables count every answered request under the pool it went to (read after a SIGTERM flush)", async () => {
  expect(await gateway.stop()).toBe(0);
  const db = openAnalyticsDbForReading(admin.dataDir);
  const upstreamOf = (apiId: string, pool: string) => {
    if (pool === "canary") return canaryUpstreamId;
    return admin.db.$client.prepare("SELECT upstream_id FROM apis WHERE id = ?").pluck().get(apiId) as string;
  };
  const expected = Object.fromEntries(
    [...answered].map(([key, n]) => {
      const [apiId, pool] = key.split("|") as [string, string];
      return [`${apiId}|${upstreamOf(apiId, pool)}`, n];
    }),
  );
  for (const table of ["pool_traffic_1s", "pool_traffic_1m"]) {
    const rows = db?.$client
      .prepare(
        `SELECT api_id AS a, upstream_id AS u, sum(requests) AS n FROM ${table} WHERE status_class = 2 GROUP BY 1, 2`,
      )
      .all() as { a: string; u: string; n: number }[];
    expect(Object.fromEntries(rows.map((row) => [`${row.a}|${row.u}`, row.n]))).toEqual(expected);
  }
  db?.$client.close();
});
