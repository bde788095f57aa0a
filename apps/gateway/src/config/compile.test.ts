import type { IncomingMessage } from "node:http";
import { loadSnapshot, type RouteRow, routes, targets } from "@gatehouse/db";
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, expect, test } from "vitest";
import { HealthRegistry } from "../health/registry.ts";
import { PoolRegistry } from "../proxy/pools.ts";
import { TestConfigDb } from "../test-support/config-db.ts";
import { compileConfig } from "./compile.ts";

let config: TestConfigDb;
let pools: PoolRegistry;
let health: HealthRegistry;
const anyRequest = {} as IncomingMessage;
beforeEach(() => {
  config = new TestConfigDb();
  pools = new PoolRegistry();
  health = new HealthRegistry({ log: () => {} });
});
afterEach(async () => {
  await health.close();
  await pools.close();
  config.remove();
});

test("the snapshot carries the revision and all rows; compile builds the router and pools", () => {
  const { upstreamId } = config.addUpstream([
    { url: "http://127.0.0.1:9001/base/" },
    { url: "http://127.0.0.1:9002", enabled: false },
    { url: "http://127.0.0.1:9003", weight: 0 },
  ]);
  const { revision } = config.addApi(upstreamId, [{ paths: ["/demo"] }], { enabled: false });
  const snapshot = loadSnapshot(config.db);
  expect(snapshot.revision).toBe(revision);
  expect(snapshot.targets).toHaveLength(3);

  const runtime = compileConfig(snapshot, pools, health);
  expect(runtime.revision).toBe(revision);
  expect(runtime.routeCount).toBe(1);
  expect(runtime.apiCount).toBe(1);
  // Disabled and zero-weight targets get no pool.
  expect(pools.size).toBe(1);
  const match = runtime.router.match({ method: "GET", host: "x", path: "/demo/a", headers: {} });
  expect(match?.data.apiEnabled).toBe(false);
  const target = match?.data.upstream.balancer.pick(anyRequest, null);
  expect(target?.basePath).toBe("/base");
});

test("pools are reused across compiles while origin and timeouts stay, and released when gone", async () => {
  const { upstreamId } = config.addUpstream([{ url: "http://127.0.0.1:9001" }]);
  config.addApi(upstreamId, [{ paths: ["/a"] }]);
  const first = compileConfig(loadSnapshot(config.db), pools, health);
  const pick = (rt: typeof first) =>
    rt.router.match({ method: "GET", host: "", path: "/a", headers: {} })?.data.upstream.balancer.pick(anyRequest, null)
      ?.pool;
  const second = compileConfig(loadSnapshot(config.db), pools, health);
  expect(pick(second)).toBe(pick(first));

  config.change({ type: "upstream", id: upstreamId }, (tx) => {
    tx.run("update upstreams set read_timeout_ms = 1234");
  });
  const third = compileConfig(loadSnapshot(config.db), pools, health);
  const oldPool = pick(first);
  expect(pick(third)).not.toBe(oldPool);
  await pools.retain(third.poolKeys);
  expect(pools.size).toBe(1);
  expect(oldPool?.closed).toBe(true);
});

test("a revision that kept the route rows reuses the router's trie with its own route data", () => {
  const { upstreamId } = config.addUpstream([{ url: "http://127.0.0.1:9001" }]);
  const { apiId } = config.addApi(upstreamId, [{ paths: ["/a"] }, { paths: ["/b/:id"] }]);
  const first = compileConfig(loadSnapshot(config.db), pools, health);
  config.change({ type: "api", id: apiId }, (tx) => {
    tx.run("update apis set enabled = 0, name = 'renamed'");
  });
  const snapshot = { ...loadSnapshot(config.db), routes: first.routeRows.source as RouteRow[] };
  const second = compileConfig(snapshot, pools, health, { previous: first });
  expect(second.routeRows.ordered).toBe(first.routeRows.ordered);
  const data = (rt: typeof first, path: string) =>
    rt.router.match({ method: "GET", host: "", path, headers: {} })?.data;
  expect(data(first, "/b/1")).toMatchObject({ apiEnabled: true, apiName: expect.not.stringMatching("renamed") });
  expect(data(second, "/b/1")).toMatchObject({ apiEnabled: false, apiName: "renamed" });
  expect(data(second, "/a")?.id).toBe(data(first, "/a")?.id);

  // New route rows (a fresh read) build a new order, even when equal.
  const third = compileConfig(loadSnapshot(config.db), pools, health, { previous: second });
  expect(third.routeRows.ordered).not.toBe(second.routeRows.ordered);
  expect(data(third, "/b/1")).toMatchObject({ apiEnabled: false, apiName: "renamed" });
});

test("a config that cannot compile throws a message naming the route", () => {
  const { upstreamId } = config.addUpstream([{ url: "http://127.0.0.1:9001" }]);
  const { routeIds } = config.addApi(upstreamId, [{ paths: ["/a/:id", "/b/:key"] }]);
  config.change({ type: "route", id: routeIds[0] as string }, (tx) => {
    tx.update(routes).set({ rewritePath: "/x/:id" }).run();
  });
  expect(() => compileConfig(loadSnapshot(config.db), pools, health)).toThrow(
    `route ${routeIds[0]}: rewritePath uses :id, which path /b/:key does not capture`,
  );
  config.change({ type: "route", id: routeIds[0] as string }, (tx) => {
    tx.update(routes)
      .set({ rewritePath: null, paths: ["no-slash"] })
      .run();
  });
  expect(() => compileConfig(loadSnapshot(config.db), pools, health)).toThrow(/does not start with \//);
});

test("upstream settings are read; target health survives a reload unless the URL changes", () => {
  const { upstreamId, targetIds } = config.addUpstream(
    [{ url: "http://127.0.0.1:9001" }, { url: "http://127.0.0.1:9002" }],
    {
      algorithm: "least-connections",
      retries: 3,
      sendTimeoutMs: 1234,
      healthChecks: { passive: { failures: 1 } },
    },
  );
  config.addApi(upstreamId, [{ paths: ["/a"] }]);
  const first = compileConfig(loadSnapshot(config.db), pools, health);
  health.apply(first.upstreams);
  const upstream = first.upstreams[0];
  expect(upstream).toMatchObject({ retries: 3, sendTimeoutMs: 1234 });
  expect(upstream?.checks.passive).toEqual({ enabled: true, failures: 1, cooldownMs: 10_000 });
  expect(upstream?.checks.active.enabled).toBe(false);

  const [a, b] = upstream?.members.map((member) => member.health) ?? [];
  a?.failed("ECONNREFUSED", false);
  expect(a?.state).toBe("unhealthy");

  config.change({ type: "target", id: targetIds[1] as string }, (tx) => {
    tx.update(targets)
      .set({ url: "http://127.0.0.1:9003" })
      .where(eq(targets.id, targetIds[1] as string))
      .run();
  });
  const second = compileConfig(loadSnapshot(config.db), pools, health);
  health.apply(second.upstreams);
  const [a2, b2] = second.upstreams[0]?.members.map((member) => member.health) ?? [];
  expect(a2).toBe(a);
  expect(a2?.state).toBe("unhealthy");
  expect(b2).not.toBe(b);
  expect(b?.disposed).toBe(true);
  expect(health.view(upstreamId)?.targets.map((target) => target.url)).toEqual([
    "http://127.0.0.1:9001",
    "http://127.0.0.1:9003",
  ]);
  expect(health.view(upstreamId)?.events[0]).toMatchObject({
    from: "healthy",
    to: "unhealthy",
    targetId: targetIds[0],
  });
});
