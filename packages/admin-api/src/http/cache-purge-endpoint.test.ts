import { auditLog, cachePurges, loadSnapshot, MAX_PURGES_PER_API } from "@gatehouse/db";
import { desc, eq } from "drizzle-orm";
import { afterEach, beforeEach, expect, test } from "vitest";
import { type AdminApiHarness, startAdminApi } from "../test-support/admin-api-harness.ts";

let h: AdminApiHarness;
let apiId: string;
beforeEach(async () => {
  h = startAdminApi();
  const api = await h.call("POST", "/apis", {
    name: "Catalog",
    upstream: { targets: [{ url: "http://127.0.0.1:9000" }] },
    routes: [{ paths: ["/catalog"] }],
  });
  apiId = api.json.id;
});
afterEach(() => h.close());

test("[CACHE] a purge is a config change: a new revision, an audit record, and a row the gateway's snapshot carries", async () => {
  const purged = await h.call("DELETE", `/apis/${apiId}/cache?prefix=/catalog/items`);
  expect(purged.status).toBe(202);
  const revision = Number(purged.headers.get("gatehouse-revision"));
  expect(purged.json).toEqual({ apiId, prefix: "/catalog/items", revision });
  expect(h.db.select().from(auditLog).orderBy(desc(auditLog.revision)).get()).toMatchObject({
    revision,
    actor: "token:admin",
    action: "create",
    entityType: "cache_purge",
    entityId: apiId,
    before: null,
    after: { apiId, prefix: "/catalog/items" },
  });
  const everything = await h.call("DELETE", `/apis/${apiId}/cache`);
  expect(everything.json).toMatchObject({ prefix: "/", revision: revision + 1 });
  expect(loadSnapshot(h.db).cachePurges).toMatchObject([
    { apiId, prefix: "/catalog/items", revision },
    { apiId, prefix: "/", revision: revision + 1 },
  ]);
});

test("[CACHE] an unknown API is a 404 and a bad prefix a 400 naming it; neither is stored nor bumps the revision", async () => {
  const before = (await h.call("GET", "/revision")).json.revision;
  const unknown = await h.call("DELETE", "/apis/api_nope/cache");
  expect(unknown.status).toBe(404);
  expect(unknown.json.error.code).toBe("not_found");
  for (const prefix of ["catalog", "/a?b=1", "/a%20b c", `/${"x".repeat(1024)}`]) {
    const bad = await h.call("DELETE", `/apis/${apiId}/cache?prefix=${encodeURIComponent(prefix)}`);
    expect([prefix, bad.status, bad.json.error.fields[0].path]).toEqual([prefix, 400, "prefix"]);
  }
  const strange = await h.call("DELETE", `/apis/${apiId}/cache?everything=1`);
  expect(strange.json.error.fields).toEqual([{ path: "everything", message: "unknown field" }]);
  expect((await h.call("GET", "/revision")).json.revision).toBe(before);
  expect(h.db.select().from(cachePurges).all()).toEqual([]);
});

test("[CACHE] only an API's latest purges are kept, so the snapshot stays small", async () => {
  for (let i = 0; i < MAX_PURGES_PER_API + 5; i++) {
    expect((await h.call("DELETE", `/apis/${apiId}/cache?prefix=/p${i}`)).status).toBe(202);
  }
  const rows = h.db.select().from(cachePurges).where(eq(cachePurges.apiId, apiId)).all();
  expect(rows).toHaveLength(MAX_PURGES_PER_API);
  expect(rows.map((row) => row.prefix)).toContain(`/p${MAX_PURGES_PER_API + 4}`);
  expect(rows.map((row) => row.prefix)).not.toContain("/p4");
  expect(rows.map((row) => row.prefix)).toContain("/p5");
});
