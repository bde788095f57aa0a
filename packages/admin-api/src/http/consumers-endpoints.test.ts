import { apiKeys, auditLog } from "@gatehouse/db";
import { hashApiKey, isWellFormedApiKey } from "@gatehouse/policies/api-key";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { type AdminApiHarness, startAdminApi } from "../test-support/admin-api-harness.ts";

let h: AdminApiHarness;
beforeEach(() => {
  h = startAdminApi();
});
afterEach(() => h.close());

async function makeApi(name = "Orders") {
  const api = await h.call("POST", "/apis", {
    name,
    upstream: { targets: [{ url: "http://127.0.0.1:9000" }] },
    routes: [{ paths: [`/${name.toLowerCase()}`] }],
  });
  expect(api.status).toBe(201);
  return api.json as { id: string; routes: { id: string }[] };
}

describe("[CONSUMERS] consumers and their keys", () => {
  test("a consumer is created, listed, renamed and deleted with its keys", async () => {
    const created = await h.call("POST", "/consumers", { name: "acme", groups: ["partners"], metadata: { tier: 2 } });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ name: "acme", groups: ["partners"], metadata: { tier: 2 }, planId: null });
    expect((await h.call("POST", "/consumers", { name: "acme" })).status).toBe(409);
    const list = await h.call("GET", "/consumers?name=ac");
    expect(list.json).toMatchObject({ total: 1, data: [{ id: created.json.id }] });
    const renamed = await h.call("PATCH", `/consumers/${created.json.id}`, { name: "acme-corp" });
    expect(renamed.json.name).toBe("acme-corp");
    await h.call("POST", `/consumers/${created.json.id}/keys`, {});
    expect((await h.call("DELETE", `/consumers/${created.json.id}`)).status).toBe(204);
    expect(h.db.select().from(apiKeys).all()).toHaveLength(0);
    expect((await h.call("GET", `/consumers/${created.json.id}`)).status).toBe(404);
  });

  test("a key is shown once, stored only as its hash, and never in lists or the audit log", async () => {
    const api = await makeApi();
    const consumer = (await h.call("POST", "/consumers", { name: "acme" })).json;
    const issued = await h.call("POST", `/consumers/${consumer.id}/keys`, {
      name: "ci",
      apiIds: [api.id],
      limits: { minute: 10 },
    });
    expect(issued.status).toBe(201);
    const { key } = issued.json;
    expect(isWellFormedApiKey(key)).toBe(true);
    expect(issued.json).toMatchObject({ name: "ci", apiIds: [api.id], status: "active", prefix: key.slice(0, 12) });
    const row = h.db.select().from(apiKeys).get();
    expect(row?.hash).toBe(hashApiKey(key));
    const everywhere = JSON.stringify([
      (await h.call("GET", `/consumers/${consumer.id}/keys`)).json,
      (await h.call("GET", `/consumers/${consumer.id}/keys/${issued.json.id}`)).json,
      h.db.select().from(auditLog).all(),
      h.db
        .select()
        .from(apiKeys)
        .all()
        .map(({ hash: _hash, ...rest }) => rest),
    ]);
    expect(everywhere).not.toContain(key);
    expect(everywhere).not.toContain(key.slice(12));
  });

  test("bad key input names the field", async () => {
    const consumer = (await h.call("POST", "/consumers", { name: "acme" })).json;
    const bad = await h.call("POST", `/consumers/${consumer.id}/keys`, {
      expiresAt: "2001-01-01T00:00:00Z",
      apiIds: ["api_nope"],
      limits: { fortnight: 3 },
    });
    expect(bad.status).toBe(400);
    expect(bad.json.error.fields.map((f: { path: string }) => f.path)).toEqual(
      expect.arrayContaining(["expiresAt", "limits.fortnight"]),
    );
    const missingApi = await h.call("POST", `/consumers/${consumer.id}/keys`, { apiIds: ["api_nope"] });
    expect(missingApi.json.error.fields).toEqual([{ path: "apiIds.0", message: "No API api_nope" }]);
    expect((await h.call("POST", "/consumers/consumer_nope/keys", {})).status).toBe(404);
  });

  test("revoke is final; rotate issues a new key and puts the old one on a grace period", async () => {
    const consumer = (await h.call("POST", "/consumers", { name: "acme" })).json;
    const first = (await h.call("POST", `/consumers/${consumer.id}/keys`, { name: "web" })).json;
    const rotated = await h.call("POST", `/consumers/${consumer.id}/keys/${first.id}/rotate`, {
      gracePeriodSeconds: 60,
    });
    expect(rotated.status).toBe(201);
    expect(rotated.json.issued).toMatchObject({ name: "web", status: "active" });
    expect(rotated.json.issued.key).not.toBe(first.key);
    const graceEnds = Date.parse(rotated.json.previous.expiresAt) - Date.now();
    expect(graceEnds).toBeGreaterThan(50_000);
    expect(graceEnds).toBeLessThanOrEqual(60_000);
    const revoked = await h.call("POST", `/consumers/${consumer.id}/keys/${first.id}/revoke`);
    expect(revoked.json).toMatchObject({ status: "revoked" });
    expect((await h.call("POST", `/consumers/${consumer.id}/keys/${first.id}/rotate`, {})).status).toBe(409);
  });
});

describe("[POLICIES] attach, validate, change, detach", () => {
  test("a policy is validated by its own schema, with errors inside config", async () => {
    const api = await makeApi();
    const types = await h.call("GET", "/policy-types");
    expect(types.json.data.map((t: { type: string }) => t.type)).toContain("key-auth");
    const bad = await h.call("POST", "/policies", { type: "key-auth", apiId: api.id, config: { header: "a b" } });
    expect(bad.status).toBe(400);
    expect(bad.json.error.fields).toEqual([{ path: "config.header", message: "Not a valid header name" }]);
    const unknown = await h.call("POST", "/policies", { type: "teleport" });
    expect(unknown.json.error.fields[0].path).toBe("type");
    const twoPlaces = await h.call("POST", "/policies", {
      type: "key-auth",
      apiId: api.id,
      routeId: api.routes[0]?.id,
    });
    expect(twoPlaces.status).toBe(400);
    const consumer = (await h.call("POST", "/consumers", { name: "acme" })).json;
    const onConsumer = await h.call("POST", "/policies", { type: "key-auth", consumerId: consumer.id });
    expect(onConsumer.json.error.fields[0]).toMatchObject({ path: "consumerId" });
    const noApi = await h.call("POST", "/policies", { type: "key-auth", apiId: "api_nope" });
    expect(noApi.json.error.fields).toEqual([{ path: "apiId", message: "No such api" }]);
  });

  test("one policy of a type per place; patches merge config; deleting the api detaches it", async () => {
    const api = await makeApi();
    const created = await h.call("POST", "/policies", { type: "key-auth", apiId: api.id });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ enabled: true, config: { header: "x-api-key", acceptBearer: true } });
    expect((await h.call("POST", "/policies", { type: "key-auth", apiId: api.id })).status).toBe(409);
    const global = await h.call("POST", "/policies", { type: "key-auth" });
    expect(global.status).toBe(201);
    const patched = await h.call("PATCH", `/policies/${created.json.id}`, { config: { acceptBearer: false } });
    expect(patched.json.config).toEqual({ header: "x-api-key", acceptBearer: false, queryParam: "" });
    const off = await h.call("PATCH", `/policies/${created.json.id}`, { enabled: false });
    expect(off.json).toMatchObject({ enabled: false, config: { acceptBearer: false } });
    expect((await h.call("GET", `/policies?apiId=${api.id}`)).json.data).toHaveLength(1);
    expect((await h.call("DELETE", `/apis/${api.id}`)).status).toBe(204);
    expect((await h.call("GET", `/policies/${created.json.id}`)).status).toBe(404);
    expect((await h.call("GET", "/policies")).json.data).toHaveLength(1);
  });
});

describe("[PLANS] named bundles of limits", () => {
  test("a plan is created and assigned; an unknown plan is a field error; a plan in use cannot be deleted", async () => {
    const pro = await h.call("POST", "/plans", { name: "Pro", limits: { minute: 600 }, quota: { month: 100000 } });
    expect(pro.status).toBe(201);
    expect(pro.json).toMatchObject({ name: "Pro", limits: { minute: 600 }, quota: { month: 100000 } });
    expect((await h.call("POST", "/plans", { name: "Pro" })).status).toBe(409);
    const bad = await h.call("POST", "/plans", { name: "Weird", limits: { fortnight: 1 }, quota: { day: 0 } });
    expect(bad.status).toBe(400);
    expect(bad.json.error.fields.map((f: { path: string }) => f.path).sort()).toEqual([
      "limits.fortnight",
      "quota.day",
    ]);

    const nowhere = await h.call("POST", "/consumers", { name: "acme", planId: "pln_missing" });
    expect(nowhere.json.error.fields).toEqual([{ path: "planId", message: "No plan pln_missing" }]);
    const acme = await h.call("POST", "/consumers", { name: "acme", planId: pro.json.id });
    expect(acme.json.planId).toBe(pro.json.id);
    const refused = await h.call("DELETE", `/plans/${pro.json.id}`);
    expect(refused.status).toBe(409);
    expect(refused.json.error.message).toContain("acme");
    await h.call("PATCH", `/consumers/${acme.json.id}`, { planId: null });
    expect((await h.call("DELETE", `/plans/${pro.json.id}`)).status).toBe(204);
  });
});
