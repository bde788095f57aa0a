import { describe, expect, test } from "vitest";
import { apiCreateSchema } from "./api.ts";
import { fieldErrors } from "./common.ts";
import { routeInputSchema, routePathSchema } from "./route.ts";
import { targetInputSchema } from "./upstream.ts";

describe("route paths", () => {
  test.each(["/", "/orders", "/orders/", "/users/:id", "/users/:id/posts", "/v1/a.b~c-d_e"])("accepts %s", (path) => {
    expect(routePathSchema.safeParse(path).success).toBe(true);
  });
  test.each(["", "orders", "/a b", "/users/:", "/users/:1d", "/a?b=1", "/a#b", "/a//b"])("refuses %j", (path) => {
    expect(routePathSchema.safeParse(path).success).toBe(false);
  });
});

describe("routes", () => {
  test("defaults: prefix match, any method, any host, strip the path, plain HTTP allowed", () => {
    expect(routeInputSchema.parse({ paths: ["/a"] })).toEqual({
      paths: ["/a"],
      pathType: "prefix",
      methods: [],
      hosts: [],
      headers: {},
      stripPath: true,
      rewritePath: null,
      priority: 0,
      httpsOnly: false,
    });
  });
  test("hosts are lower-cased and may be wildcards; header names are lower-cased", () => {
    const route = routeInputSchema.parse({
      paths: ["/a"],
      hosts: ["API.Example.com", "*.example.com:8443"],
      headers: { "X-Version": "2" },
    });
    expect(route.hosts).toEqual(["api.example.com", "*.example.com:8443"]);
    expect(route.headers).toEqual({ "x-version": "2" });
    expect(routeInputSchema.safeParse({ paths: ["/a"], hosts: ["bad host"] }).success).toBe(false);
  });
  test("unknown methods are refused", () => {
    expect(routeInputSchema.safeParse({ paths: ["/a"], methods: ["GET", "BREW"] }).success).toBe(false);
  });
});

describe("targets", () => {
  test.each(["http://127.0.0.1:9000", "https://api.internal/base", "http://[::1]:8080"])("accepts %s", (url) => {
    expect(targetInputSchema.safeParse({ url }).success).toBe(true);
  });
  test.each(["ftp://x", "http://u:p@host", "http://host/?q=1", "not a url", "http://host/#x"])("refuses %s", (url) => {
    expect(targetInputSchema.safeParse({ url }).success).toBe(false);
  });
  test("weight defaults to 100 and stays within 0..1000", () => {
    expect(targetInputSchema.parse({ url: "http://a" }).weight).toBe(100);
    expect(targetInputSchema.safeParse({ url: "http://a", weight: 1001 }).success).toBe(false);
  });
});

test("api create errors name each field by its path", () => {
  const result = apiCreateSchema.safeParse({ name: "ok", upstream: { targets: [] }, routes: [{ paths: ["x"] }] });
  expect(result.success).toBe(false);
  if (!result.success) {
    expect(fieldErrors(result.error).map((f) => f.path)).toEqual(
      expect.arrayContaining(["upstream.targets", "routes.0.paths.0"]),
    );
  }
});

test("an API names its pool or describes a new one, and the error says which way it went wrong", () => {
  const routes = [{ paths: ["/x"] }];
  const errors = (input: object) => {
    const result = apiCreateSchema.safeParse({ name: "ok", routes, ...input });
    return result.success ? [] : fieldErrors(result.error);
  };
  expect(errors({})).toEqual([
    { path: "upstreamId", message: "Choose an existing pool (upstreamId) or describe a new one (upstream)" },
  ]);
  expect(errors({ upstreamId: "ups_1", upstream: { targets: [{ url: "http://a" }] } })).toEqual([
    { path: "upstreamId", message: "Choose an existing pool (upstreamId) or describe a new one (upstream), not both" },
  ]);
  expect(errors({ upstreamId: "ups_1" })).toEqual([]);
});

test("a rewrite may only use parameters every path captures", () => {
  expect(routeInputSchema.safeParse({ paths: ["/u/:id"], rewritePath: "/users/:id" }).success).toBe(true);
  const bad = routeInputSchema.safeParse({ paths: ["/u/:id", "/x"], rewritePath: "/users/:id" });
  expect(bad.success).toBe(false);
  if (!bad.success)
    expect(fieldErrors(bad.error)).toEqual([{ path: "rewritePath", message: ":id is not a parameter of /x" }]);
});

describe("unknown fields", () => {
  test("each unknown field is its own error, named by its full path, nested objects too", async () => {
    const { upstreamCreateSchema } = await import("./upstream.ts");
    const result = upstreamCreateSchema.safeParse({
      name: "pool",
      targets: [{ url: "http://a", wieght: 5 }],
      healthChecks: { active: { enabled: true, foo: 1, bar: 2 } },
      retry: 3,
    });
    expect(result.success).toBe(false);
    if (!result.success) {
      expect(fieldErrors(result.error)).toEqual(
        expect.arrayContaining([
          { path: "targets.0.wieght", message: "unknown field" },
          { path: "healthChecks.active.foo", message: "unknown field" },
          { path: "healthChecks.active.bar", message: "unknown field" },
          { path: "retry", message: "unknown field" },
        ]),
      );
      expect(fieldErrors(result.error)).toHaveLength(4);
    }
  });

  test("patches and list queries refuse them too", async () => {
    const { apiPatchSchema } = await import("./api.ts");
    const { listQuerySchema } = await import("./common.ts");
    const patch = apiPatchSchema.safeParse({ name: "x", enabeld: false });
    expect(patch.success ? [] : fieldErrors(patch.error)).toEqual([{ path: "enabeld", message: "unknown field" }]);
    const query = listQuerySchema.safeParse({ limit: "5", sort: "name" });
    expect(query.success ? [] : fieldErrors(query.error)).toEqual([{ path: "sort", message: "unknown field" }]);
  });
});
