import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { AdminApiHarness } from "@gatehouse/admin-api/test-support";
import { analyticsDbPath, currentRevision } from "@gatehouse/db";
import Database from "better-sqlite3";
import { afterAll, beforeAll, expect, test, vi } from "vitest";
import { type RunningConsole, startConsole } from "./test-support/console-server.ts";
import { closeServer, type GatewayProcess, startEcho, startGateway } from "./test-support/servers.ts";

/** A console and two data-plane nodes: real gateway processes, each with a data dir of its own and no config.db. */
let consoleServer: RunningConsole;
let admin: AdminApiHarness;
let echo: Awaited<ReturnType<typeof startEcho>>;
let token: string;
let apiId: string;
let consumerId: string;
let key: { id: string; key: string };
const dirs: string[] = [];
let nodes: GatewayProcess[] = [];

// biome-ignore lint/suspicious/noExplicitAny: tests read whatever JSON came back
async function ok(method: string, url: string, body?: unknown): Promise<any> {
  const response = await admin.call(method, url, body);
  expect(response.status, JSON.stringify(response.json)).toBeLessThan(300);
  return response.json;
}

function startNode(name: string): Promise<GatewayProcess> {
  const dir = mkdtempSync(path.join(tmpdir(), `gatehouse-${name}-`));
  dirs.push(dir);
  return startGateway(dir, {
    GATEHOUSE_CONTROL_PLANE_URL: consoleServer.url,
    GATEHOUSE_NODE_TOKEN: token,
    GATEHOUSE_NODE_NAME: name,
  });
}

const codeOf = async (node: GatewayProcess, apiKey = key.key, url = "/orders/1") => {
  const response = await fetch(`${node.proxyUrl}${url}`, { headers: { "x-api-key": apiKey } });
  const body = (await response.json()) as { error?: { code: string } };
  return response.status === 200 ? "ok" : body.error?.code;
};

/** The requests to an API in the console's per-second table: every node's, added (a minute is written when it ends). */
function consoleCount(apiId: string): number {
  // The console makes its analytics.db at the first batch a node sends.
  if (!existsSync(analyticsDbPath(admin.dataDir))) return 0;
  const sqlite = new Database(analyticsDbPath(admin.dataDir), { readonly: true });
  try {
    return sqlite
      .prepare("SELECT coalesce(sum(requests), 0) FROM traffic_1s WHERE api_id = ?")
      .pluck()
      .get(apiId) as number;
  } finally {
    sqlite.close();
  }
}

beforeAll(async () => {
  consoleServer = await startConsole();
  admin = consoleServer.admin;
  echo = await startEcho();
  token = (await consoleServer.nodeToken("fleet")).token;
  apiId = (
    await ok("POST", "/apis", {
      name: "orders",
      upstream: { targets: [{ url: echo.url }] },
      routes: [{ paths: ["/orders"] }],
    })
  ).id;
  await ok("POST", "/policies", { type: "key-auth", apiId });
  consumerId = (await ok("POST", "/consumers", { name: "acme" })).id;
  key = await ok("POST", `/consumers/${consumerId}/keys`, { name: "k" });
  nodes = await Promise.all([startNode("node-a"), startNode("node-b")]);
  await Promise.all(nodes.map((node) => node.waitForRevision(currentRevision(admin.db))));
}, 60_000);

afterAll(async () => {
  await Promise.all(nodes.map((node) => node.stop()));
  await consoleServer?.close();
  if (echo) await closeServer(echo.server);
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

test("[FLEET] a saved change and a revoked key reach both nodes; the console lists both live at its revision", async () => {
  for (const node of nodes) expect(await codeOf(node)).toBe("ok");
  await ok("PATCH", `/apis/${apiId}`, { enabled: false });
  await Promise.all(nodes.map((node) => node.waitForRevision(currentRevision(admin.db))));
  for (const node of nodes) expect(await codeOf(node)).toBe("api_disabled");
  await ok("PATCH", `/apis/${apiId}`, { enabled: true });

  await ok("POST", `/consumers/${consumerId}/keys/${key.id}/revoke`);
  const revoked = currentRevision(admin.db);
  await Promise.all(nodes.map((node) => node.waitForRevision(revoked)));
  for (const node of nodes) expect(await codeOf(node)).toBe("key_revoked");

  await vi.waitFor(async () => {
    const listed = await ok("GET", "/nodes");
    expect(
      listed.data.map((node: { name: string; revision: number; status: string }) => [
        node.name,
        node.revision,
        node.status,
      ]),
    ).toEqual([
      ["node-a", revoked, "live"],
      ["node-b", revoked, "live"],
    ]);
  });
  key = await ok("POST", `/consumers/${consumerId}/keys`, { name: "k2" });
  await Promise.all(nodes.map((node) => node.waitForRevision(currentRevision(admin.db))));
});

test("[FLEET] traffic through both nodes, some of it while the console is down, is counted once in the console", async () => {
  // An API of its own, so the other test's requests are not in the count.
  const metered = (
    await ok("POST", "/apis", {
      name: "metered",
      upstream: { targets: [{ url: echo.url }] },
      routes: [{ paths: ["/metered"] }],
    })
  ).id;
  await Promise.all(nodes.map((node) => node.waitForRevision(currentRevision(admin.db))));
  const send = async (node: GatewayProcess, count: number) => {
    for (let i = 0; i < count; i++) expect(await codeOf(node, key.key, "/metered")).toBe("ok");
  };
  const [a, b] = nodes as [GatewayProcess, GatewayProcess];
  await send(a, 30);
  await send(b, 20);

  // The console goes away: both nodes keep serving what they have, and hold their analytics.
  await consoleServer.down();
  await vi.waitFor(async () => {
    for (const node of nodes) expect((await node.readyz()).body.controlPlane).toBe("unreachable");
  });
  await send(a, 15);
  await send(b, 25);
  // Two seconds of batches wait on each node, some of them sent and refused more than once.
  await new Promise((resolve) => setTimeout(resolve, 2_000));

  await consoleServer.up();
  await vi.waitFor(() => expect(consoleCount(metered)).toBe(90), { timeout: 20_000, interval: 200 });
  const listed = await ok("GET", "/nodes");
  for (const node of listed.data) expect(node.droppedRequests).toBe(0);
  // Counted once: nothing more arrives later.
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  expect(consoleCount(metered)).toBe(90);
}, 60_000);

test("[FLEET] requests through both nodes show in the console's request log once each, named by their node", async () => {
  const [a, b] = nodes as [GatewayProcess, GatewayProcess];
  const through = async (node: GatewayProcess, paths: string[]) => {
    for (const url of paths) expect(await codeOf(node, key.key, url)).toBe("ok");
  };
  const logged = async (path: string) => {
    // The console's own gateway is not running: the request log answers the nodes' entries.
    const log = await ok("GET", `/analytics/requests?path=${path}&limit=1000`);
    return (log.entries as Array<{ path: string; node: string | null; consumerName: string }>)
      .map((row) => `${row.node} ${row.path} ${row.consumerName}`)
      .sort();
  };
  await through(a, ["/orders/logged-a-1", "/orders/logged-a-2"]);
  await through(b, ["/orders/logged-b-1"]);
  await vi.waitFor(
    async () =>
      expect(await logged("/orders/logged-")).toEqual([
        "node-a /orders/logged-a-1 acme",
        "node-a /orders/logged-a-2 acme",
        "node-b /orders/logged-b-1 acme",
      ]),
    // Each node sends once a second.
    { timeout: 10_000, interval: 100 },
  );
  // A node sends its entries in order: once a later request is in, an earlier one sent again would be too.
  await through(a, ["/orders/later-a"]);
  await through(b, ["/orders/later-b"]);
  await vi.waitFor(async () => expect(await logged("/orders/later-")).toHaveLength(2), {
    timeout: 10_000,
    interval: 100,
  });
  expect(await logged("/orders/logged-")).toHaveLength(3);
});
