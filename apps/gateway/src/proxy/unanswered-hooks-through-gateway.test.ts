import { createServer } from "node:http";
import { type AdminApiHarness, startAdminApi } from "@gatehouse/admin-api/test-support";
import { currentRevision } from "@gatehouse/db";
import { afterAll, beforeAll, expect, test } from "vitest";
import { closeServer, type GatewayProcess, listenLocal, startGateway } from "../test-support/servers.ts";

let admin: AdminApiHarness;
let gateway: GatewayProcess;

beforeAll(async () => {
  admin = startAdminApi();
  gateway = await startGateway(admin.dataDir, { GATEHOUSE_WORKERS: "1" });
}, 30_000);
afterAll(async () => {
  await gateway?.stop();
  admin?.close();
});

async function cachedApi(name: string, target: string) {
  const api = await admin.call("POST", "/apis", {
    name,
    upstream: { targets: [{ url: target }], retries: 0 },
    routes: [{ paths: [`/${name}`] }],
  });
  expect(api.status, JSON.stringify(api.json)).toBe(201);
  expect((await admin.call("POST", "/policies", { type: "proxy-cache", apiId: api.json.id })).status).toBe(201);
  await gateway.waitForRevision(currentRevision(admin.db));
}

test("response hooks learn of an exchange that failed before any answer: requests waiting on it are not left hanging", async () => {
  const gone = createServer();
  const url = await listenLocal(gone);
  await closeServer(gone);
  await cachedApi("unreachable", url);
  // The first request goes upstream; the others wait for its outcome, which is a refused connection.
  const answers = await Promise.all(
    Array.from({ length: 5 }, async () => {
      const res = await fetch(`${gateway.proxyUrl}/unreachable/x`);
      await res.arrayBuffer();
      return `${res.status} ${res.headers.get("x-cache-status")}`;
    }),
  );
  expect(answers).toEqual(Array(5).fill("502 MISS"));
}, 30_000);

test("a HEAD answered by a policy keeps the Content-Length its GET has", async () => {
  const upstream = createServer((_req, res) =>
    res.writeHead(200, { "content-type": "text/plain" }).end("twelve bytes"),
  );
  const url = await listenLocal(upstream);
  try {
    await cachedApi("sized", url);
    expect((await (await fetch(`${gateway.proxyUrl}/sized/x`)).text()).length).toBe(12);
    const head = await fetch(`${gateway.proxyUrl}/sized/x`, { method: "HEAD" });
    expect([head.status, head.headers.get("x-cache-status"), head.headers.get("content-length")]).toEqual([
      200,
      "HIT",
      "12",
    ]);
  } finally {
    await closeServer(upstream);
  }
});
