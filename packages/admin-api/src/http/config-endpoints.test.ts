import { auditLog } from "@gatehouse/db";
import { desc } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { type AdminApiHarness, startAdminApi } from "../test-support/admin-api-harness.ts";

let h: AdminApiHarness;
beforeEach(() => {
  h = startAdminApi();
});
afterEach(() => h.close());

const demoApi = (over: Record<string, unknown> = {}) => ({
  name: "Orders",
  upstream: { targets: [{ url: "http://127.0.0.1:9000" }] },
  routes: [{ paths: ["/orders"] }],
  ...over,
});

describe("[APIS] create, read, change, delete", () => {
  test("an upstream and an api are created, listed, disabled and deleted, each change a new revision", async () => {
    const ups = await h.call("POST", "/upstreams", {
      name: "orders-pool",
      targets: [{ url: "http://127.0.0.1:9001", weight: 5 }],
    });
    expect(ups.status).toBe(201);
    expect(ups.json.id).toMatch(/^ups_/);
    expect(ups.json.targets[0]).toMatchObject({ url: "http://127.0.0.1:9001", weight: 5, enabled: true });
    expect(ups.headers.get("gatehouse-revision")).toBe("1");

    const api = await h.call("POST", "/apis", {
      name: "Orders",
      upstreamId: ups.json.id,
      routes: [{ paths: ["/orders"], methods: ["GET"], hosts: [], stripPath: true }],
      enabled: true,
    });
    expect(api.status).toBe(201);
    expect(api.json).toMatchObject({ name: "Orders", slug: "orders", enabled: true, upstreamId: ups.json.id });
    expect(api.json.id).toMatch(/^api_/);
    expect(api.json.routes).toHaveLength(1);
    expect(api.json.routes[0]).toMatchObject({
      paths: ["/orders"],
      methods: ["GET"],
      pathType: "prefix",
      stripPath: true,
    });
    expect(api.headers.get("gatehouse-revision")).toBe("2");

    const off = await h.call("PATCH", `/apis/${api.json.id}`, { enabled: false });
    expect(off.status).toBe(200);
    expect(off.json.enabled).toBe(false);
    expect((await h.call("GET", "/revision")).json).toEqual({ revision: 3 });

    const audit = h.db.select().from(auditLog).orderBy(desc(auditLog.revision)).get();
    expect(audit).toMatchObject({
      revision: 3,
      actor: "token:admin",
      action: "update",
      entityType: "api",
      entityId: api.json.id,
    });
    expect(audit?.before).toMatchObject({ enabled: true });
    expect(audit?.after).toMatchObject({ enabled: false });

    expect((await h.call("DELETE", `/apis/${api.json.id}`)).status).toBe(204);
    expect((await h.call("GET", `/apis/${api.json.id}`)).status).toBe(404);
    expect((await h.call("DELETE", `/upstreams/${ups.json.id}`)).status).toBe(204);
  });

  test("the list is paginated and filters by name and tag", async () => {
    for (const name of ["Alpha", "Beta", "Gamma"]) {
      const res = await h.call(
        "POST",
        "/apis",
        demoApi({ name, tags: name === "Beta" ? ["internal"] : [], routes: [{ paths: [`/${name}`] }] }),
      );
      expect(res.status).toBe(201);
    }
    const page = await h.call("GET", "/apis?limit=2&offset=0");
    expect(page.json).toMatchObject({ total: 3, limit: 2, offset: 0 });
    expect(page.json.data.map((a: { name: string }) => a.name)).toEqual(["Alpha", "Beta"]);
    expect((await h.call("GET", "/apis?name=amm")).json.data.map((a: { name: string }) => a.name)).toEqual(["Gamma"]);
    expect((await h.call("GET", "/apis?tag=internal")).json.data.map((a: { name: string }) => a.name)).toEqual([
      "Beta",
    ]);
    expect((await h.call("GET", "/apis?limit=0")).status).toBe(400);
  });

  test("the list answers which APIs use a pool", async () => {
    const shared = (await h.call("POST", "/apis", demoApi({ name: "First" }))).json;
    const second = await h.call("POST", "/apis", {
      name: "Second",
      upstreamId: shared.upstreamId,
      routes: [{ paths: ["/second"] }],
    });
    expect(second.status).toBe(201);
    await h.call("POST", "/apis", demoApi({ name: "Elsewhere", routes: [{ paths: ["/elsewhere"] }] }));

    const users = await h.call("GET", `/apis?upstreamId=${shared.upstreamId}`);
    expect(users.json).toMatchObject({ total: 2 });
    expect(users.json.data.map((a: { name: string }) => a.name)).toEqual(["First", "Second"]);
    expect((await h.call("GET", `/apis?upstreamId=${shared.upstreamId}&name=sec`)).json.total).toBe(1);
    expect((await h.call("GET", "/apis?upstreamId=upstream_none")).json.total).toBe(0);
  });

  test("routes are added, changed and removed under their api", async () => {
    const api = (await h.call("POST", "/apis", demoApi())).json;
    const route = await h.call("POST", `/apis/${api.id}/routes`, {
      paths: ["/orders/:id"],
      pathType: "exact",
      methods: ["DELETE"],
    });
    expect(route.status).toBe(201);
    expect(route.json.id).toMatch(/^rte_/);
    const changed = await h.call("PATCH", `/apis/${api.id}/routes/${route.json.id}`, { priority: 5 });
    expect(changed.json).toMatchObject({ priority: 5, pathType: "exact" });
    expect((await h.call("GET", `/apis/${api.id}/routes`)).json.data).toHaveLength(2);
    expect((await h.call("DELETE", `/apis/${api.id}/routes/${route.json.id}`)).status).toBe(204);
    expect((await h.call("GET", `/apis/${api.id}/routes/${route.json.id}`)).status).toBe(404);
  });

  test("targets are added, changed and removed, but a pool keeps one", async () => {
    const api = (await h.call("POST", "/apis", demoApi())).json;
    const upstreamId = api.upstreamId;
    const added = await h.call("POST", `/upstreams/${upstreamId}/targets`, {
      url: "http://127.0.0.1:9002",
      weight: 10,
    });
    expect(added.status).toBe(201);
    expect(
      (await h.call("PATCH", `/upstreams/${upstreamId}/targets/${added.json.id}`, { enabled: false })).json.enabled,
    ).toBe(false);
    expect((await h.call("GET", `/upstreams/${upstreamId}/targets`)).json.data).toHaveLength(2);
    expect((await h.call("DELETE", `/upstreams/${upstreamId}/targets/${added.json.id}`)).status).toBe(204);
    const last = api.upstream.targets[0].id;
    expect((await h.call("DELETE", `/upstreams/${upstreamId}/targets/${last}`)).status).toBe(409);
  });
});

describe("[APIS] bad input is refused with a clear error and changes nothing", () => {
  test("invalid fields answer 400 with each field named", async () => {
    const res = await h.call("POST", "/apis", {
      name: "",
      upstream: { targets: [{ url: "ftp://nope" }] },
      routes: [{ paths: ["no-slash"], methods: ["FETCH"] }],
    });
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe("validation_failed");
    const paths = res.json.error.fields.map((f: { path: string }) => f.path);
    expect(paths).toEqual(
      expect.arrayContaining(["name", "upstream.targets.0.url", "routes.0.paths.0", "routes.0.methods.0"]),
    );
    expect(res.json.error.requestId).toMatch(/^req_/);
    expect((await h.call("GET", "/revision")).json.revision).toBe(0);
  });

  test("both or neither of upstreamId and upstream is a field error", async () => {
    const res = await h.call("POST", "/apis", { name: "x", routes: [{ paths: ["/x"] }] });
    expect(res.status).toBe(400);
    expect(res.json.error.fields[0].path).toBe("upstreamId");
  });

  test("wrong content type is 415, a huge body 413, broken JSON 400", async () => {
    expect(
      (await h.call("POST", "/apis", "name=x", { "content-type": "application/x-www-form-urlencoded" })).status,
    ).toBe(415);
    const huge = JSON.stringify({ name: "x".repeat(2 * 1024 * 1024) });
    expect((await h.call("POST", "/apis", huge)).status).toBe(413);
    const broken = await h.call("POST", "/apis", "{nope");
    expect(broken.status).toBe(400);
    expect(broken.json.error.code).toBe("bad_request");
  });

  test("duplicate names and colliding routes are 409 and nothing is half-created", async () => {
    expect((await h.call("POST", "/apis", demoApi())).status).toBe(201);
    const dup = await h.call("POST", "/apis", demoApi({ routes: [{ paths: ["/other"] }] }));
    expect(dup.status).toBe(409);
    expect(dup.json.error.fields[0].path).toBe("name");

    const clash = await h.call("POST", "/apis", demoApi({ name: "Orders v2", routes: [{ paths: ["/orders/"] }] }));
    expect(clash.status).toBe(409);
    expect(clash.json.error.message).toBe('/orders/ is already served by API "Orders", route /orders (every method)');
    expect(clash.json.error.fields[0].path).toBe("routes.0.paths.0");
    const pools = (await h.call("GET", "/upstreams")).json;
    expect(pools.total).toBe(1);

    const otherHost = await h.call(
      "POST",
      "/apis",
      demoApi({ name: "Orders EU", routes: [{ paths: ["/orders"], hosts: ["eu.example.com"] }] }),
    );
    expect(otherHost.status).toBe(201);
    const otherMethod = await h.call(
      "POST",
      "/apis",
      demoApi({ name: "Orders post", routes: [{ paths: ["/orders"], methods: ["POST"], hosts: ["eu.example.com"] }] }),
    );
    expect(otherMethod.status).toBe(409);
  });

  test("an upstream in use cannot be deleted", async () => {
    const api = (await h.call("POST", "/apis", demoApi())).json;
    const res = await h.call("DELETE", `/upstreams/${api.upstreamId}`);
    expect(res.status).toBe(409);
    expect(res.json.error.message).toMatch(/Orders/);
    expect((await h.call("GET", `/upstreams/${api.upstreamId}`)).status).toBe(200);
  });

  test("unknown ids are 404", async () => {
    expect((await h.call("GET", "/apis/api_nope")).status).toBe(404);
    expect((await h.call("PATCH", "/apis/api_nope", { enabled: false })).status).toBe(404);
    expect((await h.call("POST", "/apis/api_nope/routes", { paths: ["/x"] })).status).toBe(404);
    expect((await h.call("POST", "/apis", demoApi({ upstream: undefined, upstreamId: "ups_nope" }))).status).toBe(404);
  });
});

describe("[OPENAPI] the document", () => {
  test("is OpenAPI 3.1 and describes every operation with its schemas", async () => {
    const doc = (await h.call("GET", "/openapi.json")).json;
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        "/api/v1/apis",
        "/api/v1/apis/{id}",
        "/api/v1/apis/{id}/routes",
        "/api/v1/upstreams/{id}/targets",
        "/api/v1/revision",
      ]),
    );
    const create = doc.paths["/api/v1/apis"].post;
    expect(create.requestBody.content["application/json"].schema.properties.routes.type).toBe("array");
    expect(create.responses["201"]).toBeDefined();
  });
});

describe("[UPSTREAMS] health", () => {
  test("says the gateway is unreachable rather than guessing, and 404s an unknown pool", async () => {
    const api = (await h.call("POST", "/apis", demoApi())).json;
    const health = await h.call("GET", `/upstreams/${api.upstreamId}/health`);
    expect(health.status).toBe(200);
    expect(health.json).toEqual({ upstreamId: api.upstreamId, reachable: false, targets: [], events: [] });
    expect((await h.call("GET", "/upstreams/ups_nope/health")).status).toBe(404);
  });

  test("pool settings round-trip: algorithm, hashing, retries, health checks", async () => {
    const created = await h.call("POST", "/upstreams", {
      name: "hashed",
      algorithm: "consistent-hash",
      hashOn: { by: "header", header: "X-User" },
      retries: 2,
      healthChecks: { active: { enabled: true, path: "/healthz" } },
      targets: [{ url: "http://127.0.0.1:9001" }],
    });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({
      algorithm: "consistent-hash",
      hashOn: { by: "header", header: "x-user" },
      retries: 2,
      healthChecks: { active: { enabled: true, path: "/healthz", intervalMs: 5000 }, passive: { enabled: true } },
    });
    const patched = await h.call("PATCH", `/upstreams/${created.json.id}`, { algorithm: "least-connections" });
    expect(patched.json).toMatchObject({ algorithm: "least-connections", retries: 2, hashOn: { by: "header" } });
    const bad = await h.call("PATCH", `/upstreams/${created.json.id}`, { hashOn: { by: "cookie" }, retries: 11 });
    expect(bad.status).toBe(400);
    expect(bad.json.error.fields.map((f: { path: string }) => f.path)).toEqual(
      expect.arrayContaining(["hashOn.by", "retries"]),
    );
  });
});

describe("[REVIEW] fixes", () => {
  test("a path naming one parameter twice is refused, as the gateway could not route it", async () => {
    const res = await h.call("POST", "/apis", demoApi({ routes: [{ paths: ["/u/:id/p/:id"] }] }));
    expect(res.status).toBe(400);
    expect(res.json.error.fields[0]).toMatchObject({ path: "routes.0.paths.0" });
  });

  test("a health-check patch keeps the nested settings it does not name", async () => {
    const pool = await h.call("POST", "/upstreams", {
      name: "checked",
      healthChecks: { active: { enabled: true, path: "/healthz", intervalMs: 2000 }, passive: { failures: 9 } },
      targets: [{ url: "http://127.0.0.1:9001" }],
    });
    const patched = await h.call("PATCH", `/upstreams/${pool.json.id}`, {
      healthChecks: { passive: { enabled: false } },
    });
    expect(patched.status).toBe(200);
    expect(patched.json.healthChecks).toMatchObject({
      active: { enabled: true, path: "/healthz", intervalMs: 2000 },
      passive: { enabled: false, failures: 9 },
    });
    const bad = await h.call("PATCH", `/upstreams/${pool.json.id}`, { healthChecks: { active: { intervalMs: 1 } } });
    expect(bad.status).toBe(400);
    expect(bad.json.error.fields[0].path).toBe("healthChecks.active.intervalMs");
  });

  test("an empty patch changes nothing and makes no revision", async () => {
    const api = (await h.call("POST", "/apis", demoApi())).json;
    const before = (await h.call("GET", "/revision")).json.revision;
    expect((await h.call("PATCH", `/upstreams/${api.upstreamId}`, {})).status).toBe(400);
    expect((await h.call("PATCH", `/apis/${api.id}/routes/${api.routes[0].id}`, {})).status).toBe(400);
    expect((await h.call("GET", "/revision")).json.revision).toBe(before);
  });
});

test("[APIS] an API can be created again under the name of a deleted one; its old pool stays", async () => {
  const first = (await h.call("POST", "/apis", demoApi())).json;
  expect((await h.call("DELETE", `/apis/${first.id}`)).status).toBe(204);
  const again = await h.call("POST", "/apis", demoApi());
  expect(again.status).toBe(201);
  expect(again.json.upstream.name).toBe("Orders-2");
  const named = await h.call(
    "POST",
    "/apis",
    demoApi({ name: "Other", upstream: { name: "Orders", targets: [{ url: "http://127.0.0.1:1" }] } }),
  );
  expect(named.status).toBe(409);
  expect(named.json.error.fields[0].path).toBe("upstream.name");
});
