import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import type { AdminApiHarness } from "@gatehouse/admin-api/test-support";
import { currentRevision, NODE_PATHS, routes } from "@gatehouse/db";
import { verifiedKeyDigest } from "@gatehouse/policies/api-key";
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, expect, test, vi } from "vitest";
import { HealthRegistry } from "../../health/registry.ts";
import { PoolRegistry } from "../../proxy/pools.ts";
import { TestConfigDb } from "../../test-support/config-db.ts";
import { type RunningConsole, startConsole } from "../../test-support/console-server.ts";
import { closeServer, listenLocal } from "../../test-support/servers.ts";
import type { LiveRevision } from "../config-source.ts";
import { cachePath, readConfigCache } from "./config-cache.ts";
import { ControlPlane } from "./control-plane.ts";
import { RemoteConfig } from "./remote-config.ts";

let admin: AdminApiHarness;
let nodeConsole: RunningConsole;
let token: { id: string; token: string };
let dir: string;
let pools: PoolRegistry;
let health: HealthRegistry;
const followers: RemoteConfig[] = [];
const lines: string[] = [];
const lives: LiveRevision[] = [];

beforeEach(async () => {
  nodeConsole = await startConsole();
  admin = nodeConsole.admin;
  dir = mkdtempSync(path.join(tmpdir(), "gatehouse-node-"));
  pools = new PoolRegistry();
  health = new HealthRegistry({ log: () => {} });
  lines.length = 0;
  lives.length = 0;
});
afterEach(async () => {
  for (const follower of followers.splice(0)) await follower.stop();
  await health.close();
  await pools.close();
  await nodeConsole.close();
  rmSync(dir, { recursive: true, force: true });
});

function follow(url: string): RemoteConfig {
  const config = new RemoteConfig({
    dataDir: dir,
    console: new ControlPlane({
      url,
      token: token.token,
      nodeId: "nod_test",
      name: "node-a",
      address: "http://127.0.0.1:8080",
      version: "0.0.0",
    }),
    pools,
    health,
    log: (line) => lines.push(line),
    onLive: (live) => lives.push(live),
  });
  config.start();
  followers.push(config);
  return config;
}

// biome-ignore lint/suspicious/noExplicitAny: tests read whatever JSON came back
async function ok(method: string, url: string, body?: unknown): Promise<any> {
  const response = await admin.call(method, url, body);
  expect(response.status, JSON.stringify(response.json)).toBeLessThan(300);
  return response.json;
}

/** A node token, an API behind key-auth and one key of a consumer. */
async function seed() {
  token = await ok("POST", "/nodes/tokens", { name: "fleet" });
  const api = await ok("POST", "/apis", {
    name: "orders",
    upstream: { targets: [{ url: "http://127.0.0.1:9" }] },
    routes: [{ paths: ["/orders"] }],
  });
  await ok("POST", "/policies", { type: "key-auth", apiId: api.id });
  const consumer = await ok("POST", "/consumers", { name: "acme" });
  const key = await ok("POST", `/consumers/${consumer.id}/keys`, { name: "k" });
  return { api, consumer, key, digest: verifiedKeyDigest(key.key) as string, revision: currentRevision(admin.db) };
}

const serves = (config: RemoteConfig, revision: number) =>
  vi.waitFor(() => expect(config.current?.revision).toBe(revision), { timeout: 10_000, interval: 5 });

test("[NODE] a whole snapshot, then each change: a revoked key, patched routes, acks of every revision served", async () => {
  const { api, consumer, key, digest, revision } = await seed();
  const node = follow(nodeConsole.url);
  await serves(node, revision);
  expect(node.keys.get(digest)).toMatchObject({ consumerId: consumer.id, revokedAt: null });
  expect(node.controlPlane).toEqual({ source: "control-plane", controlPlane: "connected" });
  expect(nodeConsole.sent).toEqual(["snapshot", "keys", "snapshot-end"]);
  expect(nodeConsole.streams[0]?.revision).toBeNull();
  expect(nodeConsole.streams[0]?.headers).toMatchObject({
    authorization: `Bearer ${token.token}`,
    "gatehouse-node-id": "nod_test",
    "gatehouse-node-name": "node-a",
    "gatehouse-node-address": "http://127.0.0.1:8080",
    "gatehouse-node-version": "0.0.0",
  });
  const compiled = node.current;

  // One key revoked: that key comes alone, the compiled config stays, workers get no snapshot.
  await ok("POST", `/consumers/${consumer.id}/keys/${key.id}/revoke`);
  const revoked = currentRevision(admin.db);
  await serves(node, revoked);
  expect(node.keys.get(digest)?.revokedAt).not.toBeNull();
  expect(node.current?.policies).toBe(compiled?.policies);
  expect(lives.at(-1)).toEqual({ revision: revoked, snapshot: null, routesChanged: false });
  expect(lines).toContain(`config: revision ${revoked} live (1 key(s) changed, 1 keys)`);

  // A route added is patched in; an upstream changed keeps the route rows, so workers keep their router.
  await ok("POST", `/apis/${api.id}/routes`, { paths: ["/more"] });
  await serves(node, currentRevision(admin.db));
  expect(node.current?.routeCount).toBe(2);
  expect(lives.at(-1)?.routesChanged).toBe(true);
  await ok("PATCH", `/upstreams/${api.upstreamId}`, { retries: 2 });
  await serves(node, currentRevision(admin.db));
  expect(lives.at(-1)?.routesChanged).toBe(false);
  expect(lives.at(-1)?.snapshot?.upstreams[0]?.retries).toBe(2);

  expect(nodeConsole.sent.filter((event) => event === "snapshot")).toHaveLength(1);
  // Every revision served is acknowledged: the console lists the node at the last one.
  await vi.waitFor(async () =>
    expect((await ok("GET", "/nodes")).data).toEqual([
      expect.objectContaining({ id: "nod_test", revision: currentRevision(admin.db), status: "live" }),
    ]),
  );
});

test("[NODE] a revision that does not compile leaves the last good one serving; its keys still apply; the next good one goes live", async () => {
  const { api, revision } = await seed();
  const node = follow(nodeConsole.url);
  await serves(node, revision);
  // Written past the Admin API, which would refuse it, as a restore or a bug might.
  const writer = new TestConfigDb(admin.dataDir);
  const routeId = api.routes[0].id as string;
  const setPaths = (paths: string[]) =>
    writer.change({ type: "route", id: routeId }, (tx) => {
      tx.update(routes).set({ paths }).where(eq(routes.id, routeId)).run();
    });
  const bad = setPaths(["bad path"]);
  await vi.waitFor(() => expect(node.error).toContain(`revision ${bad}`));
  await ok("POST", `/consumers/${(await ok("POST", "/consumers", { name: "other" })).id}/keys`, { name: "k2" });
  await vi.waitFor(() => expect(node.keys.size).toBe(2));
  expect(node.current?.revision).toBe(revision);
  const notApplied = lines.filter((line) => line.startsWith("config: not applied"));
  expect(notApplied.length).toBeGreaterThan(0);
  for (const line of notApplied) expect(line).toMatch(`; still serving revision ${revision}`);

  const fixed = setPaths(["/fixed"]);
  await serves(node, fixed);
  expect(node.error).toBeNull();
  expect(lives.at(-1)?.routesChanged).toBe(true);
  writer.close();
});

test("[NODE] the last good config is kept on disk, served at once while the console is away, and brought up to date with changes only", async () => {
  const { consumer, key, digest, revision } = await seed();
  const { url } = nodeConsole;
  const first = follow(url);
  await serves(first, revision);
  await vi.waitFor(async () => {
    const read = await readConfigCache(dir, url);
    expect(read !== null && "cached" in read && read.cached.snapshot.revision).toBe(revision);
  });
  await first.stop();
  await nodeConsole.down();
  await ok("POST", `/consumers/${consumer.id}/keys/${key.id}/revoke`);
  const revoked = currentRevision(admin.db);

  lines.length = 0;
  const node = follow(url);
  await serves(node, revision);
  expect(node.keys.get(digest)?.revokedAt).toBeNull();
  expect(lines[0]).toMatch(`config: revision ${revision} live from the cache ${cachePath(dir)} saved at `);
  await vi.waitFor(() =>
    expect(lines).toContain(
      `config: console at ${url} unreachable (ECONNREFUSED): keeping revision ${revision} from the cache; retrying`,
    ),
  );
  expect(node.controlPlane).toEqual({ source: "cache", controlPlane: "unreachable" });

  // The console is back where it was: the node asks from its cached revision and gets the one change.
  const [asked, carried] = [nodeConsole.streams.length, nodeConsole.sent.length];
  await nodeConsole.up();
  await serves(node, revoked);
  expect(nodeConsole.streams.slice(asked).map((stream) => stream.revision)).toEqual([String(revision)]);
  expect(nodeConsole.sent.slice(carried)).toEqual(["change"]);
  expect(node.keys.get(digest)?.revokedAt).not.toBeNull();
  expect(node.controlPlane).toEqual({ source: "control-plane", controlPlane: "connected" });
});

test("[NODE] a cache that fails its checksum or was cut short is refused with one line naming the file, never served", async () => {
  const { revision } = await seed();
  const { url } = nodeConsole;
  const first = follow(url);
  await serves(first, revision);
  await vi.waitFor(async () => expect(await readConfigCache(dir, url)).not.toBeNull());
  await first.stop();
  await nodeConsole.down();
  const file = cachePath(dir);
  const good = readFileSync(file, "utf8");

  const damaged = {
    "its checksum does not match": good.replace('"orders"', '"ordees"'),
    "it has no checksum": good.slice(0, good.length / 2),
  };
  for (const [why, text] of Object.entries(damaged)) {
    writeFileSync(file, text);
    lines.length = 0;
    const node = follow(url);
    await vi.waitFor(() => expect(lines.some((line) => line.includes("unreachable"))).toBe(true));
    expect(lines.filter((line) => line.startsWith(`config: not serving the cache ${file}: ${why}`))).toHaveLength(1);
    expect(node.current).toBeNull();
    expect(node.waiting).toBe(`console at ${url} unreachable (ECONNREFUSED)`);
    expect(node.controlPlane).toEqual({ source: null, controlPlane: "unreachable" });
    await node.stop();
  }
});

test("[NODE] a refused node token is logged once, clearly, and the node keeps serving its revision", async () => {
  const { consumer, key, digest, revision } = await seed();
  const node = follow(nodeConsole.url);
  await serves(node, revision);
  // The token is revoked: the console ends its stream, and the node is refused the next one.
  await ok("POST", `/nodes/tokens/${token.id}/revoke`);
  await vi.waitFor(() => expect(node.controlPlane.controlPlane).toBe("refused"));
  await ok("POST", `/consumers/${consumer.id}/keys/${key.id}/revoke`);
  expect(
    lines.filter((line) => line.includes(`node token refused by the console at ${nodeConsole.url} (HTTP 401)`)),
  ).toEqual([
    `config: node token refused by the console at ${nodeConsole.url} (HTTP 401): keeping revision ${revision}; retrying`,
  ]);
  expect(node.current?.revision).toBe(revision);
  expect(node.keys.get(digest)?.revokedAt).toBeNull();
  expect(node.controlPlane).toEqual({ source: "control-plane", controlPlane: "refused" });
});

test("[NODE] a snapshot cut short is never applied, and the next stream asks for a whole one again", async () => {
  const rows = { apis: [], upstreams: [], targets: [], consumers: [], plans: [], policies: [], cachePurges: [] };
  const start = `event: snapshot\ndata: ${JSON.stringify({ revision: 7, tables: rows, routes: [], keys: { count: 0, poolBytes: 0 } })}\n\n`;
  const asked: Array<string | null> = [];
  const server = createServer((req, res) => {
    const call = new URL(req.url ?? "/", "http://console");
    // The node acks revision 7 once it serves it: that call is not a stream asked for.
    if (call.pathname !== NODE_PATHS.config) {
      res.writeHead(204).end();
      return;
    }
    asked.push(call.searchParams.get("revision"));
    res.writeHead(200, { "content-type": "text/event-stream" });
    if (asked.length === 1) res.end(`${start}event: keys\ndata: []\n\n`);
    else res.write(`${start}event: keys\ndata: []\n\nevent: snapshot-end\ndata: {"revision":7}\n\n`);
  });
  const url = await listenLocal(server);
  const node = follow(url);
  await serves(node, 7);
  expect(asked).toEqual([null, null]);
  expect(lines).toContain(
    `config: console at ${url} unreachable (the console closed the stream): nothing to serve yet; retrying`,
  );
  await node.stop();
  followers.length = 0;
  await closeServer(server);
});
