import { type AdminApiHarness, startAdminApi } from "@gatehouse/admin-api/test-support";
import { afterAll, beforeAll, expect, test } from "vitest";
import { closeServer, type GatewayProcess, startEcho, startGateway } from "./test-support/servers.ts";

// The Admin API (in process, over the same data dir) changes config; the real gateway process enforces it.
let admin: AdminApiHarness;
let gateway: GatewayProcess;
let echo: Awaited<ReturnType<typeof startEcho>>;

beforeAll(async () => {
  admin = startAdminApi();
  echo = await startEcho();
  gateway = await startGateway(admin.dataDir);
});
afterAll(async () => {
  await gateway?.stop();
  if (echo) await closeServer(echo.server);
  admin?.close();
});

async function live(response: { headers: Headers }) {
  await gateway.waitForRevision(Number(response.headers.get("gatehouse-revision")));
}

async function get(path: string) {
  const response = await fetch(`${gateway.proxyUrl}${path}`);
  return {
    status: response.status,
    body: (await response.json()) as Record<string, unknown> & { error?: { code: string } },
  };
}

test("[GATEWAY] a saved change is what the gateway serves: create, disable, enable, add and delete routes", async () => {
  expect((await get("/shop/items")).status).toBe(404);

  const created = await admin.call("POST", "/apis", {
    name: "Shop",
    upstream: { targets: [{ url: echo.url }] },
    routes: [{ paths: ["/shop"], stripPath: true }],
  });
  expect(created.status).toBe(201);
  await live(created);
  const first = await get("/shop/items?page=2");
  expect(first.status).toBe(200);
  expect(first.body).toMatchObject({ method: "GET", path: "/items?page=2" });

  const off = await admin.call("PATCH", `/apis/${created.json.id}`, { enabled: false });
  await live(off);
  const refused = await get("/shop/items");
  expect(refused.status).toBe(503);
  expect(refused.body.error?.code).toBe("api_disabled");

  const on = await admin.call("PATCH", `/apis/${created.json.id}`, { enabled: true });
  await live(on);
  expect((await get("/shop/items")).status).toBe(200);

  const route = await admin.call("POST", `/apis/${created.json.id}/routes`, {
    paths: ["/basket/:id"],
    stripPath: false,
  });
  await live(route);
  expect((await get("/basket/7")).body).toMatchObject({ path: "/basket/7" });

  const removed = await admin.call("DELETE", `/apis/${created.json.id}/routes/${route.json.id}`);
  await live(removed);
  const gone = await get("/basket/7");
  expect(gone.status).toBe(404);
  expect(gone.body.error?.code).toBe("no_route");
});
