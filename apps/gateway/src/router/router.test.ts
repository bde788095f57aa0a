import type { IncomingHttpHeaders } from "node:http";
import { describe, expect, test } from "vitest";
import { parseTemplate } from "./path.ts";
import { upstreamPath } from "./rewrite.ts";
import { type RouteDefinition, Router } from "./router.ts";

type Def = Partial<RouteDefinition<string>> & { data: string; paths: string[] };

function router(defs: Def[]): Router<string> {
  return new Router(defs.map((d) => ({ pathType: "prefix", methods: [], hosts: [], headers: {}, priority: 0, ...d })));
}

function match(
  r: Router<string>,
  path: string,
  opts: { method?: string; host?: string; headers?: IncomingHttpHeaders } = {},
) {
  return r.match({ method: opts.method ?? "GET", host: opts.host, path, headers: opts.headers ?? {} });
}

const hit = (r: Router<string>, path: string, opts?: Parameters<typeof match>[2]) => match(r, path, opts)?.data ?? null;

describe("prefix and exact paths", () => {
  const r = router([
    { data: "demo", paths: ["/demo"] },
    { data: "exact", paths: ["/exact"], pathType: "exact" },
  ]);

  test("a prefix matches itself, a trailing slash and anything below, at segment boundaries only", () => {
    expect(hit(r, "/demo")).toBe("demo");
    expect(hit(r, "/demo/")).toBe("demo");
    expect(hit(r, "/demo/x/y")).toBe("demo");
    expect(hit(r, "/demox")).toBeNull();
    expect(hit(r, "/")).toBeNull();
  });

  test("an exact path matches only itself (a trailing slash is not significant)", () => {
    expect(hit(r, "/exact")).toBe("exact");
    expect(hit(r, "/exact/")).toBe("exact");
    expect(hit(r, "/exact/x")).toBeNull();
  });

  test("the root prefix catches everything else", () => {
    const withRoot = router([
      { data: "root", paths: ["/"] },
      { data: "demo", paths: ["/demo"] },
    ]);
    expect(hit(withRoot, "/")).toBe("root");
    expect(hit(withRoot, "/anything/else")).toBe("root");
    expect(hit(withRoot, "/demo/1")).toBe("demo");
  });
});

describe("params", () => {
  test("params capture one non-empty segment", () => {
    const r = router([{ data: "user", paths: ["/users/:id"], pathType: "exact" }]);
    const m = match(r, "/users/42");
    expect(m?.paramNames).toEqual(["id"]);
    expect(m?.paramValues).toEqual(["42"]);
    expect(match(r, "/users/")).toBeNull();
    expect(match(r, "/users/42/x")).toBeNull();
  });

  test("static beats a param at the same position, with backtracking into the param branch", () => {
    const r = router([
      { data: "param", paths: ["/users/:id/profile"] },
      { data: "static", paths: ["/users/me"] },
    ]);
    expect(hit(r, "/users/me")).toBe("static");
    // The static branch /users/me has no /profile child: the param branch must still match.
    expect(hit(r, "/users/me/profile")).toBe("param");
    expect(hit(r, "/users/7/profile")).toBe("param");
  });

  test("with as many static segments, the earlier static wins", () => {
    const r = router([
      { data: "late", paths: ["/:a/b"], pathType: "exact" },
      { data: "early", paths: ["/a/:b"], pathType: "exact" },
    ]);
    expect(hit(r, "/a/b")).toBe("early");
  });
});

describe("specificity", () => {
  test("host-specific beats wildcard host beats any host, before path length", () => {
    const r = router([
      { data: "any", paths: ["/a/b/c"] },
      { data: "wild", paths: ["/a"], hosts: ["*.example.com"] },
      { data: "exact", paths: ["/"], hosts: ["api.example.com"] },
    ]);
    expect(hit(r, "/a/b/c", { host: "api.example.com" })).toBe("exact");
    expect(hit(r, "/a/b/c", { host: "web.example.com:8080" })).toBe("wild");
    expect(hit(r, "/a/b/c", { host: "other.org" })).toBe("any");
    expect(hit(r, "/a/b/c", { host: "example.com" })).toBe("any");
  });

  test("host comparison ignores the port unless the route host has one; case does not matter", () => {
    const r = router([
      { data: "noport", paths: ["/"], hosts: ["a.test"] },
      { data: "port", paths: ["/p"], hosts: ["a.test:8443"] },
    ]);
    expect(hit(r, "/", { host: "A.Test:1234" })).toBe("noport");
    expect(hit(r, "/p", { host: "a.test:8443" })).toBe("port");
    expect(hit(r, "/p", { host: "a.test:80" })).toBe("noport");
    expect(hit(r, "/", { host: "b.test" })).toBeNull();
    expect(hit(r, "/", {})).toBeNull();
  });

  test("exact beats prefix, then more matched segments win", () => {
    const r = router([
      { data: "prefix", paths: ["/a/b"] },
      { data: "exact", paths: ["/a/b"], pathType: "exact" },
      { data: "short", paths: ["/a"] },
    ]);
    expect(hit(r, "/a/b")).toBe("exact");
    expect(hit(r, "/a/b/c")).toBe("prefix");
    expect(hit(r, "/a/c")).toBe("short");
  });

  test("more header matches, then priority, then the older route", () => {
    const r = router([
      { data: "old", paths: ["/x"] },
      { data: "new", paths: ["/x"] },
      { data: "prio", paths: ["/x"], priority: 5, methods: ["POST"] },
      { data: "header", paths: ["/x"], headers: { "X-Version": "2" } },
    ]);
    expect(hit(r, "/x")).toBe("old");
    expect(hit(r, "/x", { method: "POST" })).toBe("prio");
    expect(hit(r, "/x", { headers: { "x-version": "2" } })).toBe("header");
    expect(hit(r, "/x", { headers: { "x-version": "3" } })).toBe("old");
  });

  test("methods filter; empty means any", () => {
    const r = router([
      { data: "get", paths: ["/m"], methods: ["GET", "HEAD"] },
      { data: "any", paths: ["/"] },
    ]);
    expect(hit(r, "/m")).toBe("get");
    expect(hit(r, "/m", { method: "HEAD" })).toBe("get");
    expect(hit(r, "/m", { method: "DELETE" })).toBe("any");
  });

  test("a route with several paths matches on each", () => {
    const r = router([{ data: "multi", paths: ["/one", "/two/:id"] }]);
    expect(hit(r, "/one/x")).toBe("multi");
    expect(match(r, "/two/9")?.paramValues).toEqual(["9"]);
  });
});

describe("forwarded path", () => {
  const forward = (routePath: string, requestPath: string, strip: boolean, rewrite: string | null = null) => {
    const m = match(router([{ data: "r", paths: [routePath] }]), requestPath);
    if (!m) throw new Error("no match");
    return upstreamPath(
      requestPath,
      m.matchedLength,
      strip,
      rewrite === null ? null : parseTemplate(rewrite),
      m.paramNames,
      m.paramValues,
    );
  };

  test("stripPath removes the matched part", () => {
    expect(forward("/demo", "/demo/users", true)).toBe("/users");
    expect(forward("/demo", "/demo", true)).toBe("/");
    expect(forward("/demo", "/demo/", true)).toBe("/");
    expect(forward("/users/:id", "/users/5/orders", true)).toBe("/orders");
    expect(forward("/", "/a/b", true)).toBe("/a/b");
  });

  test("without strip the path is forwarded as is", () => {
    expect(forward("/demo", "/demo/users", false)).toBe("/demo/users");
  });

  test("rewritePath replaces the matched part, substituting params", () => {
    expect(forward("/users/:id", "/users/5/orders", true, "/v2/accounts/:id")).toBe("/v2/accounts/5/orders");
    expect(forward("/users/:id", "/users/5", false, "/v2/accounts/:id")).toBe("/v2/accounts/5");
    expect(forward("/old", "/old/x", true, "/new/")).toBe("/new/x");
    expect(forward("/old", "/old", true, "/")).toBe("/");
  });
});

test("10,000 routes build and match without scanning the table", () => {
  const defs: Def[] = [];
  for (let i = 0; i < 10_000; i++) defs.push({ data: `r${i}`, paths: [`/api${i}/users/:id`], pathType: "exact" });
  const r = router(defs);
  expect(r.size).toBe(10_000);
  const m = match(r, "/api9876/users/abc");
  expect(m?.data).toBe("r9876");
  expect(m?.paramValues).toEqual(["abc"]);
  expect(hit(r, "/api10000/users/abc")).toBeNull();
});

test("withData answers the same matches with the new data, and refuses data of another length", () => {
  const r = router([
    { data: "a", paths: ["/a", "/alias"] },
    { data: "b", paths: ["/b/:id"] },
  ]);
  const next = r.withData(["A", "B"]);
  expect(hit(next, "/alias/x")).toBe("A");
  expect(match(next, "/b/7")?.paramValues).toEqual(["7"]);
  expect(hit(next, "/b/7")).toBe("B");
  expect(next.size).toBe(3);
  expect(hit(r, "/b/7")).toBe("b");
  expect(() => r.withData(["A"])).toThrow(/1 items for 2 routes/);
});
