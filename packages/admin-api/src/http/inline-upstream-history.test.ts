import { afterEach, expect, test } from "vitest";
import { type AdminApiHarness, startAdminApi } from "../test-support/admin-api-harness.ts";

let h: AdminApiHarness;
afterEach(() => h?.close());

test("[HISTORY] a pool created with its API has a version, so a rollback to that revision finds it", async () => {
  h = startAdminApi();
  const api = await h.call("POST", "/apis", {
    name: "Ledger",
    upstream: { targets: [{ url: "http://127.0.0.1:9001" }] },
    routes: [{ paths: ["/ledger"] }],
  });
  expect(api.status).toBe(201);
  const created = Number(api.headers.get("gatehouse-revision"));
  expect((await h.call("GET", `/revisions/${created}`)).json.objects).toEqual([
    { kind: "api", id: api.json.id, name: "Ledger", action: "create" },
    { kind: "upstream", id: api.json.upstream.id, name: "Ledger", action: "create" },
  ]);

  expect((await h.call("PATCH", `/apis/${api.json.id}`, { enabled: false })).status).toBe(200);
  const preview = await h.call("POST", `/revisions/${created}/rollback`, { dryRun: true });
  expect(preview.status, JSON.stringify(preview.json)).toBe(200);
  expect(preview.json.summary).toEqual({ create: 0, update: 1, delete: 0 });

  const rolled = await h.call("POST", `/revisions/${created}/rollback`, { dryRun: false });
  expect(rolled.status, JSON.stringify(rolled.json)).toBe(200);
  expect((await h.call("GET", `/apis/${api.json.id}`)).json.enabled).toBe(true);
});
