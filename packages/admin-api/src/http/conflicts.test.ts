import { plans } from "@gatehouse/db";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { type AdminApiHarness, startAdminApi } from "../test-support/admin-api-harness.ts";
import { constraintConflict } from "./errors.ts";

let h: AdminApiHarness;
beforeEach(() => {
  h = startAdminApi();
});
afterEach(() => h.close());

const pool = { targets: [{ url: "http://127.0.0.1:9000" }] };

async function createApi(name: string, routes: unknown[]) {
  const res = await h.call("POST", "/apis", { name, upstream: pool, routes });
  expect(res.status, JSON.stringify(res.json)).toBe(201);
  return res.json;
}

describe("[ERRORS] conflicts name things the way the user named them", () => {
  test("a route that collides names the other API and route, and the path field to change", async () => {
    await createApi("Demo", [{ paths: ["/demo"], methods: ["GET"] }]);
    const clash = await h.call("POST", "/apis", {
      name: "Other",
      upstream: pool,
      routes: [{ paths: ["/elsewhere"] }, { paths: ["/fine", "/demo/"], methods: ["GET", "POST"] }],
    });
    expect(clash.status).toBe(409);
    expect(clash.json.error).toMatchObject({
      code: "conflict",
      message: '/demo/ is already served by API "Demo", route GET /demo',
      fields: [{ path: "routes.1.paths.1", message: 'Already served by API "Demo"' }],
    });
  });

  test("a named route on a host is shown with its name and host", async () => {
    await createApi("Shop", [{ name: "List orders", paths: ["/orders"], hosts: ["eu.example.com"] }]);
    const api = await createApi("Shop admin", [{ paths: ["/admin"] }]);
    const clash = await h.call("POST", `/apis/${api.id}/routes`, { paths: ["/orders"], hosts: ["eu.example.com"] });
    expect(clash.status).toBe(409);
    expect(clash.json.error.message).toBe(
      '/orders is already served by API "Shop", route "List orders" /orders on eu.example.com (every method)',
    );
    expect(clash.json.error.fields).toEqual([{ path: "paths.0", message: 'Already served by API "Shop"' }]);
  });

  test("a patch that moves a route onto another is blamed on the field it changed", async () => {
    await createApi("Demo", [{ paths: ["/demo"], methods: ["GET"] }]);
    const api = await createApi("Other", [{ paths: ["/demo"], methods: ["POST"] }]);
    const moved = await h.call("PATCH", `/apis/${api.id}/routes/${api.routes[0].id}`, { methods: ["GET"] });
    expect(moved.status).toBe(409);
    expect(moved.json.error.message).toBe('/demo is already served by API "Demo", route GET /demo');
    expect(moved.json.error.fields[0].path).toBe("methods");
  });

  test("two routes of one request that collide name each other", async () => {
    const res = await h.call("POST", "/apis", {
      name: "Twice",
      upstream: pool,
      routes: [{ paths: ["/a"] }, { paths: ["/a/"] }],
    });
    expect(res.status).toBe(409);
    expect(res.json.error.message).toBe("/a/ is given twice: route 1 already serves /a (every method)");
    expect(res.json.error.fields).toEqual([{ path: "routes.1.paths.0", message: "Same as route 1" }]);
  });

  test("a duplicate name names it, for every kind with unique names", async () => {
    await createApi("Demo", [{ paths: ["/demo"] }]);
    const api = await h.call("POST", "/apis", { name: "Demo", upstream: pool, routes: [{ paths: ["/x"] }] });
    expect(api.json.error).toMatchObject({
      message: 'An API named "Demo" already exists',
      fields: [{ path: "name", message: "Already taken" }],
    });
    const close = await h.call("POST", "/apis", { name: "demo", upstream: pool, routes: [{ paths: ["/y"] }] });
    expect(close.status).toBe(409);
    expect(close.json.error.message).toBe('"demo" is too close to the name of API "Demo"; choose a more distinct name');

    const cases: Array<[string, Record<string, unknown>, string]> = [
      ["/upstreams", { name: "pool", ...pool }, 'An upstream named "pool" already exists'],
      ["/consumers", { name: "acme" }, 'A consumer named "acme" already exists'],
      ["/plans", { name: "Pro" }, 'A plan named "Pro" already exists'],
    ];
    for (const [url, body, message] of cases) {
      expect((await h.call("POST", url, body)).status).toBe(201);
      const dup = await h.call("POST", url, body);
      expect(dup.status, url).toBe(409);
      expect(dup.json.error.message).toBe(message);
      expect(dup.json.error.fields).toEqual([{ path: "name", message: "Already taken" }]);
    }
  });

  test("a second policy of a type names where the first one is", async () => {
    const api = await createApi("Demo", [{ paths: ["/demo"] }]);
    expect((await h.call("POST", "/policies", { type: "key-auth", apiId: api.id })).status).toBe(201);
    const again = await h.call("POST", "/policies", { type: "key-auth", apiId: api.id });
    expect(again.status).toBe(409);
    expect(again.json.error.message).toBe('Key auth is already attached to API "Demo"; change that policy instead');
    expect(again.json.error.fields[0].path).toBe("type");
  });

  test("a pool or plan in use names its users", async () => {
    const api = await createApi("Demo", [{ paths: ["/demo"] }]);
    const pool = await h.call("DELETE", `/upstreams/${api.upstreamId}`);
    expect(pool.json.error.message).toBe('Upstream "Demo" is used by API "Demo"; point those APIs elsewhere first');
    const plan = (await h.call("POST", "/plans", { name: "Pro" })).json;
    await h.call("POST", "/consumers", { name: "acme", planId: plan.id });
    const inUse = await h.call("DELETE", `/plans/${plan.id}`);
    expect(inUse.json.error.message).toBe('Plan "Pro" is used by consumer "acme"; move them to another plan first');
  });
});

describe("[ERRORS] the constraint fallback (reached only by racing writes)", () => {
  test("names the field SQLite names", () => {
    const row = { id: "pln_a", name: "Pro", limits: {}, quota: {} };
    h.db.insert(plans).values(row).run();
    let message = "";
    try {
      h.db
        .insert(plans)
        .values({ ...row, id: "pln_b" })
        .run();
    } catch (error) {
      message = (error as Error).message;
    }
    expect(constraintConflict(message)).toEqual({
      message: "The change conflicts with existing configuration: another plan already has this name",
      fields: [{ path: "name", message: "Already taken" }],
    });
  });

  test("says only that the change conflicts when SQLite names no column", () => {
    expect(constraintConflict("FOREIGN KEY constraint failed").fields).toBeUndefined();
  });
});

describe("[ERRORS] no library text", () => {
  test("a field of the wrong type is answered in words", async () => {
    const res = await h.call("POST", "/apis", {
      name: "x".repeat(101),
      upstream: pool,
      routes: [{ paths: ["/a"], priority: "5", pathType: "regex" }],
    });
    expect(res.status).toBe(400);
    expect(res.json.error.fields).toEqual(
      expect.arrayContaining([
        { path: "name", message: "Name must be at most 100 characters" },
        { path: "routes.0.priority", message: "Enter a whole number" },
        { path: "routes.0.pathType", message: "Choose one of: prefix, exact" },
      ]),
    );
  });

  test("a body that does not parse says where", async () => {
    const broken = await h.call("POST", "/apis", '{"name": "x",}');
    expect(broken.json.error).toMatchObject({
      code: "bad_request",
      message: "The request body is not valid JSON (at line 1, column 14)",
    });
    const cut = await h.call("POST", "/apis", '{"name": ');
    expect(cut.json.error.message).toBe("The request body is not valid JSON (it ends too early)");
  });
});
