import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { currentRevision } from "@gatehouse/db";
import { afterAll, beforeAll, expect, test } from "vitest";
import { type AdminApiHarness, startAdminApi } from "../test-support/admin-api-harness.ts";
import { type RunningGateway, startGatewayProcess } from "../test-support/gateway-process.ts";

let h: AdminApiHarness;
let gateway: RunningGateway;
const servers: Server[] = [];

/** An upstream that answers its own name, so the client can tell which one the gateway used. */
async function upstream(name: string): Promise<string> {
  const server = createServer((_req, res) => res.end(name));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  h = startAdminApi();
  gateway = await startGatewayProcess(h.dataDir);
});
afterAll(async () => {
  await gateway.stop();
  h.close();
  for (const server of servers) server.close();
});

/** Every row of the tables a config file covers, without the times a rewrite renews and the ids of recreated targets. */
function tables() {
  const read = (sql: string) =>
    (h.db.$client.prepare(sql).all() as Array<Record<string, unknown>>).map(
      ({ created_at: _c, updated_at: _u, ...row }) => row,
    );
  return {
    apis: read("SELECT * FROM apis ORDER BY id"),
    routes: read("SELECT * FROM routes ORDER BY id"),
    upstreams: read("SELECT * FROM upstreams ORDER BY id"),
    targets: read("SELECT upstream_id, url, weight, enabled FROM targets ORDER BY upstream_id, url"),
    consumers: read("SELECT * FROM consumers ORDER BY id"),
    plans: read("SELECT * FROM plans ORDER BY id"),
    policies: read("SELECT * FROM policies ORDER BY id"),
  };
}

async function ok(method: string, url: string, body?: unknown) {
  const answer = await h.call(method, url, body);
  expect(answer.status, `${method} ${url} ${answer.text}`).toBeLessThan(300);
  return answer.json;
}

const get = async (path: string) => {
  const response = await fetch(`${gateway.proxyUrl}${path}`);
  return `${response.status} ${await response.text()}`;
};

test("[HISTORY] a rollback restores every table the file covers as it was, in one revision, and the gateway serves it", async () => {
  const [blue, green] = [await upstream("blue"), await upstream("green")];
  const pool = await ok("POST", "/upstreams", { name: "shop-pool", targets: [{ url: blue }] });
  const api = await ok("POST", "/apis", {
    name: "Shop",
    upstreamId: pool.id,
    routes: [{ name: "items", paths: ["/shop"] }],
  });
  await ok("POST", "/policies", {
    type: "request-transformer",
    apiId: api.id,
    config: { headers: { add: { "x-shop": "1" } } },
  });
  const plan = await ok("POST", "/plans", { name: "basic", limits: { minute: 10 } });
  await ok("POST", "/consumers", { name: "acme", planId: plan.id, groups: ["a"] });
  await ok("POST", "/policies", { type: "cors", config: { origins: ["https://shop.example.com"] } });
  const saved = currentRevision(h.db);
  const before = tables();
  await gateway.waitForRevision(saved);
  expect(await get("/shop/1")).toBe("200 blue");

  // Changes of every kind, from several requests: a pool moved, a route renamed, a policy and a
  // consumer removed, a plan changed, an API and a global policy added.
  await ok("POST", `/upstreams/${pool.id}/targets`, { url: green });
  const blueTarget = (await ok("GET", `/upstreams/${pool.id}`)).targets.find((t: { url: string }) => t.url === blue);
  await ok("DELETE", `/upstreams/${pool.id}/targets/${blueTarget.id}`);
  await ok("PATCH", `/apis/${api.id}/routes/${api.routes[0].id}`, { paths: ["/store"] });
  const [transformer] = (await ok("GET", `/policies?apiId=${api.id}`)).data;
  await ok("DELETE", `/policies/${transformer.id}`);
  await ok("DELETE", `/consumers/${(await ok("GET", "/consumers")).data[0].id}`);
  await ok("PATCH", `/plans/${plan.id}`, { limits: { minute: 99 } });
  await ok("POST", "/apis", { name: "Extra", upstreamId: pool.id, routes: [{ paths: ["/extra"] }] });
  await ok("POST", "/policies", { type: "request-size-limit", config: {} });
  await gateway.waitForRevision(currentRevision(h.db));
  expect([await get("/store/1"), await get("/shop/1"), await get("/extra")]).toEqual([
    "200 green",
    expect.stringMatching(/^404/),
    "200 green",
  ]);
  expect(tables()).not.toEqual(before);

  const dry = await ok("POST", `/revisions/${saved}/rollback`, { dryRun: true });
  expect(dry.summary).toEqual({ create: 1, update: 3, delete: 2 });
  expect(currentRevision(h.db)).toBe(dry.revision);
  const rolled = await ok("POST", `/revisions/${saved}/rollback`, {});
  expect(rolled.revision).toBe(dry.revision + 1);
  expect(tables()).toEqual(before);

  await gateway.waitForRevision(rolled.revision);
  expect([await get("/shop/1"), await get("/store/1"), await get("/extra")]).toEqual([
    "200 blue",
    expect.stringMatching(/^404/),
    expect.stringMatching(/^404/),
  ]);

  const history = await ok("GET", "/revisions?limit=3");
  expect(history.data[0]).toMatchObject({ revision: rolled.revision, source: "rollback", actor: "token:admin" });
  const ofShop = await ok("GET", `/revisions?objectId=${api.id}`);
  expect(ofShop.data.map((r: { revision: number }) => r.revision)).toContain(rolled.revision);
  const detail = await ok("GET", `/revisions/${rolled.revision}`);
  const shop = detail.changes.find((c: { name: string }) => c.name === "Shop");
  expect(shop.fields).toEqual(["routes[items].paths", "policies[request-transformer]"]);
  expect(shop.before.routes[0].paths).toEqual(["/store"]);
  expect(shop.after.routes[0].paths).toEqual(["/shop"]);

  // Rolling back the rollback is one more revision, and brings the later state back.
  await ok("POST", `/revisions/${rolled.revision - 1}/rollback`, {});
  await gateway.waitForRevision(currentRevision(h.db));
  expect(await get("/store/1")).toBe("200 green");
}, 60_000);
