import { routes } from "@gatehouse/db";
import { afterEach, beforeEach, expect, test } from "vitest";
import { PoolRegistry } from "../proxy/pools.ts";
import { TestConfigDb } from "../test-support/config-db.ts";
import { compileConfig } from "./compile.ts";
import { loadSnapshot } from "./load.ts";

let config: TestConfigDb;
let pools: PoolRegistry;
beforeEach(() => {
  config = new TestConfigDb();
  pools = new PoolRegistry();
});
afterEach(async () => {
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

  const runtime = compileConfig(snapshot, pools);
  expect(runtime.revision).toBe(revision);
  expect(runtime.routeCount).toBe(1);
  expect(runtime.apiCount).toBe(1);
  // Disabled and zero-weight targets get no pool.
  expect(pools.size).toBe(1);
  const match = runtime.router.match({ method: "GET", host: "x", path: "/demo/a", headers: {} });
  expect(match?.data.apiEnabled).toBe(false);
  const target = match?.data.upstream.balancer.pick();
  expect(target?.basePath).toBe("/base");
});

test("pools are reused across compiles while origin and timeouts stay, and released when gone", async () => {
  const { upstreamId } = config.addUpstream([{ url: "http://127.0.0.1:9001" }]);
  config.addApi(upstreamId, [{ paths: ["/a"] }]);
  const first = compileConfig(loadSnapshot(config.db), pools);
  const pick = (rt: typeof first) =>
    rt.router.match({ method: "GET", host: "", path: "/a", headers: {} })?.data.upstream.balancer.pick()?.pool;
  const second = compileConfig(loadSnapshot(config.db), pools);
  expect(pick(second)).toBe(pick(first));

  config.change({ type: "upstream", id: upstreamId }, (tx) => {
    tx.run("update upstreams set read_timeout_ms = 1234");
  });
  const third = compileConfig(loadSnapshot(config.db), pools);
  const oldPool = pick(first);
  expect(pick(third)).not.toBe(oldPool);
  await pools.retain(third.poolKeys);
  expect(pools.size).toBe(1);
  expect(oldPool?.closed).toBe(true);
});

test("a config that cannot compile throws a message naming the route", () => {
  const { upstreamId } = config.addUpstream([{ url: "http://127.0.0.1:9001" }]);
  const { routeIds } = config.addApi(upstreamId, [{ paths: ["/a/:id", "/b/:key"] }]);
  config.change({ type: "route", id: routeIds[0] as string }, (tx) => {
    tx.update(routes).set({ rewritePath: "/x/:id" }).run();
  });
  expect(() => compileConfig(loadSnapshot(config.db), pools)).toThrow(
    `route ${routeIds[0]}: rewritePath uses :id, which path /b/:key does not capture`,
  );
  config.change({ type: "route", id: routeIds[0] as string }, (tx) => {
    tx.update(routes)
      .set({ rewritePath: null, paths: ["no-slash"] })
      .run();
  });
  expect(() => compileConfig(loadSnapshot(config.db), pools)).toThrow(/does not start with \//);
});
