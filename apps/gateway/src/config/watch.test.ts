import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { migrateConfigDb, openConfigDb, routes } from "@gatehouse/db";
import { afterEach, beforeEach, expect, test, vi } from "vitest";
import { HealthRegistry } from "../health/registry.ts";
import { PoolRegistry } from "../proxy/pools.ts";
import { TestConfigDb } from "../test-support/config-db.ts";
import { ConfigWatcher } from "./watch.ts";

let dir: string;
let pools: PoolRegistry;
let health: HealthRegistry;
let watcher: ConfigWatcher;
const lines: string[] = [];
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "gatehouse-watch-"));
  pools = new PoolRegistry();
  health = new HealthRegistry({ log: () => {} });
  lines.length = 0;
  watcher = new ConfigWatcher({
    dataDir: dir,
    pollMs: 10,
    idlePollMs: 60_000,
    pools,
    health,
    log: (line) => lines.push(line),
  });
});
afterEach(async () => {
  await watcher.stop();
  await health.close();
  await pools.close();
  rmSync(dir, { recursive: true, force: true });
});

test("waits for the file and the schema, then follows revisions; a bad revision keeps the old config", () => {
  watcher.poll();
  expect(watcher.current).toBeNull();
  expect(watcher.waiting).toMatch(/to be created/);

  const config = new TestConfigDb(dir);
  watcher.poll();
  expect(watcher.current?.revision).toBe(0);

  const { upstreamId } = config.addUpstream([{ url: "http://127.0.0.1:9001" }]);
  const { routeIds, revision } = config.addApi(upstreamId, [{ paths: ["/a"] }]);
  watcher.poll();
  expect(watcher.current?.revision).toBe(revision);
  const good = watcher.current;

  // No commit since: the same object stays, nothing is reloaded.
  watcher.poll();
  expect(watcher.current).toBe(good);

  const bad = config.change({ type: "route", id: routeIds[0] as string }, (tx) => {
    tx.update(routes)
      .set({ paths: ["bad path"] })
      .run();
  });
  watcher.poll();
  expect(watcher.current).toBe(good);
  expect(watcher.error).toContain(`revision ${bad}`);
  expect(lines.at(-1)).toContain(`still serving revision ${revision}`);

  const fixed = config.change({ type: "route", id: routeIds[0] as string }, (tx) => {
    tx.update(routes)
      .set({ paths: ["/b"] })
      .run();
  });
  watcher.poll();
  expect(watcher.current?.revision).toBe(fixed);
  expect(watcher.error).toBeNull();
  config.close();
});

test("a config.db without tables is waited for, not a crash", () => {
  const writer = openConfigDb(dir);
  watcher.poll();
  expect(watcher.current).toBeNull();
  expect(watcher.waiting).toMatch(/no schema yet/);
  migrateConfigDb(writer);
  watcher.poll();
  expect(watcher.current?.revision).toBe(0);
  expect(watcher.waiting).toBeNull();
  writer.$client.close();
});

test("started, it applies a commit on config.db's file events, long before the idle check", async () => {
  const config = new TestConfigDb(dir);
  watcher.start();
  expect(watcher.current?.revision).toBe(0);

  // The idle check is a minute away: only the file events can bring these in.
  for (let i = 0; i < 3; i++) {
    const { upstreamId } = config.addUpstream([{ url: `http://127.0.0.1:${9001 + i}` }]);
    const { revision } = config.addApi(upstreamId, [{ paths: [`/events-${i}`] }]);
    await vi.waitFor(() => expect(watcher.current?.revision).toBe(revision), { timeout: 5000, interval: 5 });
  }
  config.close();
});
