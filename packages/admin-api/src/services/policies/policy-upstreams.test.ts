import { afterEach, beforeEach, expect, test } from "vitest";
import { type AdminApiHarness, startAdminApi } from "../../test-support/admin-api-harness.ts";

let h: AdminApiHarness;
beforeEach(() => {
  h = startAdminApi();
});
afterEach(() => h.close());

async function setUp() {
  const api = await h.call("POST", "/apis", {
    name: "Shop",
    upstream: { targets: [{ url: "http://127.0.0.1:9000" }] },
    routes: [{ paths: ["/shop"] }],
  });
  expect(api.status, JSON.stringify(api.json)).toBe(201);
  const spare = await h.call("POST", "/upstreams", { name: "shadow", targets: [{ url: "http://127.0.0.1:9001" }] });
  expect(spare.status, JSON.stringify(spare.json)).toBe(201);
  return { apiId: api.json.id as string, spareId: spare.json.id as string };
}

test("a policy naming an upstream that does not exist is refused on that field, on create and on edit", async () => {
  const { apiId, spareId } = await setUp();
  const missing = await h.call("POST", "/policies", { type: "mirror", apiId, config: { upstreamId: "ups_nope" } });
  expect(missing.status).toBe(400);
  expect(missing.json.error.fields).toEqual([{ path: "config.upstreamId", message: "No such upstream" }]);
  const made = await h.call("POST", "/policies", { type: "mirror", apiId, config: { upstreamId: spareId } });
  expect(made.status, JSON.stringify(made.json)).toBe(201);
  const edited = await h.call("PATCH", `/policies/${made.json.id}`, { config: { upstreamId: "ups_gone" } });
  expect(edited.status).toBe(400);
  expect(edited.json.error.fields).toEqual([{ path: "config.upstreamId", message: "No such upstream" }]);
  expect((await h.call("GET", `/policies/${made.json.id}`)).json.config.upstreamId).toBe(spareId);
});

test("an upstream a policy names cannot be deleted until the policy lets go of it", async () => {
  const { apiId, spareId } = await setUp();
  const made = await h.call("POST", "/policies", { type: "mirror", apiId, config: { upstreamId: spareId } });
  const refused = await h.call("DELETE", `/upstreams/${spareId}`);
  expect(refused.status).toBe(409);
  expect(refused.json.error.message).toBe(
    `Upstream "shadow" is named by Mirror policy ${made.json.id}; change or delete those policies first`,
  );
  expect((await h.call("GET", `/upstreams/${spareId}`)).status).toBe(200);
  expect((await h.call("DELETE", `/policies/${made.json.id}`)).status).toBe(204);
  expect((await h.call("DELETE", `/upstreams/${spareId}`)).status).toBe(204);
});
