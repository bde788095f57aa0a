import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { AdminApiHarness } from "@gatehouse/admin-api/test-support";
import { currentRevision } from "@gatehouse/db";
import { afterAll, beforeAll, expect, test, vi } from "vitest";
import { cachePath } from "./config/remote/config-cache.ts";
import { type RunningConsole, startConsole } from "./test-support/console-server.ts";
import { closeServer, type GatewayProcess, startEcho, startGateway } from "./test-support/servers.ts";

let admin: AdminApiHarness;
let consoleServer: RunningConsole;
let echo: Awaited<ReturnType<typeof startEcho>>;
let nodeDir: string;
let node: GatewayProcess | null = null;
let token: { id: string; token: string };
let consumerId: string;
let key: { id: string; key: string };

async function startNode(): Promise<GatewayProcess> {
  node = await startGateway(nodeDir, {
    GATEHOUSE_CONTROL_PLANE_URL: consoleServer.url,
    GATEHOUSE_NODE_TOKEN: token.token,
    GATEHOUSE_NODE_NAME: "node-a",
  });
  return node;
}

// biome-ignore lint/suspicious/noExplicitAny: tests read whatever JSON came back
async function ok(method: string, url: string, body?: unknown): Promise<any> {
  const response = await admin.call(method, url, body);
  expect(response.status, JSON.stringify(response.json)).toBeLessThan(300);
  return response.json;
}

const call = (gateway: GatewayProcess, apiKey = key.key) =>
  fetch(`${gateway.proxyUrl}/orders/1`, { headers: { "x-api-key": apiKey } }).then(async (res) => ({
    status: res.status,
    json: (await res.json()) as { error?: { code: string } },
  }));

beforeAll(async () => {
  consoleServer = await startConsole();
  admin = consoleServer.admin;
  echo = await startEcho();
  nodeDir = mkdtempSync(path.join(tmpdir(), "gatehouse-node-"));
  token = await ok("POST", "/nodes/tokens", { name: "fleet" });
  const api = await ok("POST", "/apis", {
    name: "orders",
    upstream: { targets: [{ url: echo.url }] },
    routes: [{ paths: ["/orders"] }],
  });
  await ok("POST", "/policies", { type: "key-auth", apiId: api.id });
  consumerId = (await ok("POST", "/consumers", { name: "acme" })).id;
  key = await ok("POST", `/consumers/${consumerId}/keys`, { name: "k" });
}, 30_000);

afterAll(async () => {
  await node?.stop();
  await consoleServer?.close();
  if (echo) await closeServer(echo.server);
  rmSync(nodeDir, { recursive: true, force: true });
});

test("[NODE] a gateway started with the console's URL and a node token serves its config, its changes, and acks them", async () => {
  const gateway = await startNode();
  const ready = await gateway.waitForRevision(currentRevision(admin.db));
  expect(ready).toMatchObject({ source: "control-plane", controlPlane: "connected", routes: 1 });
  expect((await call(gateway)).status).toBe(200);
  expect(existsSync(path.join(nodeDir, "config.db"))).toBe(false);

  await ok("POST", `/consumers/${consumerId}/keys/${key.id}/revoke`);
  const revoked = currentRevision(admin.db);
  await gateway.waitForRevision(revoked);
  expect((await call(gateway)).json.error?.code).toBe("key_revoked");

  const nodeId = readFileSync(path.join(nodeDir, "node-id"), "utf8");
  await vi.waitFor(async () => {
    const listed = await ok("GET", "/nodes");
    expect(listed.data).toEqual([
      expect.objectContaining({ id: nodeId, name: "node-a", revision: revoked, connected: true, status: "live" }),
    ]);
  });
});

test("[NODE] with the console away the node keeps serving; restarted, it serves its cached config and says so", async () => {
  const gateway = node as GatewayProcess;
  const revision = currentRevision(admin.db);
  await vi.waitFor(() => expect(existsSync(cachePath(nodeDir))).toBe(true));
  await consoleServer.down();
  await vi.waitFor(async () => expect((await gateway.readyz()).body.controlPlane).toBe("unreachable"));
  expect((await call(gateway)).json.error?.code).toBe("key_revoked");

  await gateway.stop();
  const restarted = await startNode();
  expect(await restarted.waitForRevision(revision)).toMatchObject({ source: "cache", controlPlane: "unreachable" });
  expect(restarted.output()).toContain(`config: revision ${revision} live from the cache ${cachePath(nodeDir)}`);
  expect((await call(restarted)).json.error?.code).toBe("key_revoked");
  const fresh = await ok("POST", `/consumers/${consumerId}/keys`, { name: "fresh" });
  expect((await call(restarted, fresh.key)).json.error?.code).toBe("key_invalid");

  // The console is back: the node asks from its cached revision and takes the change it missed.
  const [asked, carried] = [consoleServer.streams.length, consoleServer.sent.length];
  await consoleServer.up();
  const ready = await restarted.waitForRevision(currentRevision(admin.db));
  expect(ready).toMatchObject({ source: "control-plane", controlPlane: "connected" });
  expect(consoleServer.streams.slice(asked).map((stream) => stream.revision)).toEqual([String(revision)]);
  expect(consoleServer.sent.slice(carried)).toEqual(["change"]);
  expect((await call(restarted, fresh.key)).status).toBe(200);
});

test("[NODE] a damaged cache is refused with one line naming it, never served; the console's snapshot replaces it", async () => {
  await consoleServer.down();
  await (node as GatewayProcess).stop();
  const file = cachePath(nodeDir);
  writeFileSync(file, readFileSync(file, "utf8").replace('"orders"', '"ordees"'));

  const gateway = await startNode();
  await vi.waitFor(() => expect(gateway.output()).toContain("unreachable"));
  expect(gateway.output()).toContain(`config: not serving the cache ${file}: its checksum does not match`);
  const { status, body } = await gateway.readyz();
  expect(status).toBe(503);
  expect(body).toMatchObject({ source: null, controlPlane: "unreachable" });
  expect((await call(gateway)).status).toBe(503);

  await consoleServer.up();
  expect(await gateway.waitForRevision(currentRevision(admin.db))).toMatchObject({ source: "control-plane" });
  expect((await call(gateway)).status).toBe(401);
});

test("[NODE] a revoked node token: the node keeps serving its last config and is refused new ones", async () => {
  const gateway = node as GatewayProcess;
  const revision = currentRevision(admin.db);
  await ok("POST", `/nodes/tokens/${token.id}/revoke`);
  await vi.waitFor(async () => expect((await gateway.readyz()).body.controlPlane).toBe("refused"));
  expect(gateway.output()).toContain(
    `config: node token refused by the console at ${consoleServer.url} (HTTP 401): keeping revision `,
  );
  // The revocation's own revision and this key's never reach it.
  await ok("POST", `/consumers/${consumerId}/keys`, { name: "after" });
  expect(currentRevision(admin.db)).toBe(revision + 2);
  expect((await gateway.readyz()).body).toMatchObject({ revision, controlPlane: "refused" });
  expect((await call(gateway)).json.error?.code).toBe("key_revoked");
});
