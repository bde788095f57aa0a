import {
  type ConfigDb,
  changesSince,
  currentRevision,
  loadSnapshot,
  openConfigDb,
  type RouteRow,
  readSnapshot,
} from "@gatehouse/db";
import { afterEach, beforeEach, expect, test } from "vitest";
import { type AdminApiHarness, startAdminApi } from "../test-support/admin-api-harness.ts";

let admin: AdminApiHarness;
let db: ConfigDb;
beforeEach(() => {
  admin = startAdminApi();
  db = openConfigDb(admin.dataDir, { readonly: true });
});
afterEach(() => {
  db.$client.close();
  admin.close();
});

const byId = (rows: readonly RouteRow[]) => rows.toSorted((a, b) => (a.id < b.id ? -1 : 1));

/** Follows config.db the way the watcher does: the routes patched from the audit log since the last read. */
function follower() {
  let revision = currentRevision(db);
  let rows = loadSnapshot(db).routes;
  return {
    /** Reads the changes; says whether the routes array was kept as it was. */
    next(): { kept: boolean } {
      const now = currentRevision(db);
      const changes = changesSince(db, revision, now);
      expect(changes.complete).toBe(true);
      const patched = readSnapshot(db, { routes: rows, changes }).routes;
      expect(byId(patched)).toEqual(byId(loadSnapshot(db).routes));
      const kept = patched === rows;
      rows = patched;
      revision = now;
      return { kept };
    },
  };
}

async function ok(method: string, url: string, body?: unknown) {
  const response = await admin.call(method, url, body);
  expect(response.status, JSON.stringify(response.json)).toBeLessThan(300);
  return response.json;
}

test("the routes patched from the audit log equal a full read after every kind of change", async () => {
  const follow = follower();
  const first = await ok("POST", "/apis", {
    name: "first",
    upstream: { targets: [{ url: "http://127.0.0.1:9" }] },
    routes: [{ paths: ["/a"] }, { paths: ["/b/:id"] }, { paths: ["/c"], methods: ["GET"] }],
  });
  expect(follow.next().kept).toBe(false);
  const routeOf = (path: string) => first.routes.find((route: RouteRow) => route.paths[0] === path).id;
  const second = await ok("POST", "/apis", {
    name: "second",
    upstreamId: first.upstreamId,
    routes: [{ paths: ["/d"] }],
  });
  expect(follow.next().kept).toBe(false);

  const added = await ok("POST", `/apis/${first.id}/routes`, { paths: ["/e"], priority: 3 });
  expect(follow.next().kept).toBe(false);
  await ok("PATCH", `/apis/${first.id}/routes/${added.id}`, { paths: ["/e2", "/e3"], stripPath: true });
  expect(follow.next().kept).toBe(false);
  await ok("DELETE", `/apis/${first.id}/routes/${routeOf("/a")}`);
  expect(follow.next().kept).toBe(false);

  // Changes that leave every route row as it was keep the array, so the router is reused.
  await ok("PATCH", `/apis/${first.id}`, { enabled: false, name: "first renamed" });
  expect(follow.next().kept).toBe(true);
  await ok("PATCH", `/upstreams/${first.upstreamId}`, { retries: 2 });
  expect(follow.next().kept).toBe(true);
  const consumer = await ok("POST", "/consumers", { name: "acme" });
  await ok("POST", `/consumers/${consumer.id}/keys`, { name: "k" });
  await ok("POST", "/policies", { type: "key-auth", apiId: first.id });
  expect(follow.next().kept).toBe(true);

  // Several changes between two reads, one of them an API deleted with its routes.
  await ok("DELETE", `/apis/${second.id}`);
  await ok("POST", `/apis/${first.id}/routes`, { paths: ["/f"] });
  await ok("PATCH", `/apis/${first.id}/routes/${routeOf("/b/:id")}`, { paths: ["/b/:id/more"] });
  expect(follow.next().kept).toBe(false);
  expect(
    loadSnapshot(db)
      .routes.map((route) => route.paths[0])
      .sort(),
  ).toEqual(["/b/:id/more", "/c", "/e2", "/f"]);
});

test("a gap in the audit log is not complete, and the routes are read whole", async () => {
  const api = await ok("POST", "/apis", {
    name: "gap",
    upstream: { targets: [{ url: "http://127.0.0.1:9" }] },
    routes: [{ paths: ["/a"] }],
  });
  const since = currentRevision(db);
  const before = loadSnapshot(db).routes;
  const added = await ok("POST", `/apis/${api.id}/routes`, { paths: ["/b"] });
  await ok("PATCH", `/apis/${api.id}`, { description: "after" });
  const revision = currentRevision(db);
  // The audit row of the route's creation goes missing, as in a config.db replaced by another.
  const writer = openConfigDb(admin.dataDir);
  writer.$client.prepare("DELETE FROM audit_log WHERE entity_id = ?").run(added.id);
  writer.$client.close();
  const changes = changesSince(db, since, revision);
  expect(changes.complete).toBe(false);
  expect(changes.routeIds).toEqual([]);
  const read = readSnapshot(db, { routes: before, changes }).routes;
  expect(byId(read)).toEqual(byId(loadSnapshot(db).routes));
  expect(read).toHaveLength(2);
});
