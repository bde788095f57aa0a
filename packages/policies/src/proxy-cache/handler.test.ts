import { expect, test } from "vitest";
import { testContext, testServices } from "../test-context.ts";
import type { CacheRevision, PolicyContext, PolicyServices } from "../types.ts";
import { proxyCache } from "./handler.ts";
import { proxyCacheSchema } from "./schema.ts";

const handler = (config: Record<string, unknown> = {}, services: PolicyServices = testServices()) =>
  proxyCache.create(proxyCacheSchema.config.parse(config), services, "pol_cache");

const request = (overrides: Partial<PolicyContext> = {}) =>
  testContext({ path: "/items", headers: { host: "shop.test" }, ...overrides });

/** Plays the gateway's part: the upstream's answer through the hooks the chain added. */
function answer(ctx: PolicyContext, status: number, headers: Record<string, string>, body: string) {
  const response = { status, headers: { ...headers } };
  for (const hook of ctx.responseHooks) hook.onHeaders?.(response);
  for (const hook of ctx.responseHooks) hook.onData?.(Buffer.from(body));
  for (const hook of ctx.responseHooks) hook.onEnd?.(true);
}

test("the schema's defaults, and its refusals naming the field", () => {
  expect(proxyCacheSchema.config.parse({})).toMatchObject({
    ttlSeconds: 300,
    methods: ["GET", "HEAD"],
    statuses: [200, 203, 204, 300, 301, 404, 410],
    varyHeaders: [],
    perConsumer: false,
    maxBodyBytes: 1024 * 1024,
    memoryBytes: 64 * 1024 * 1024,
    store: "memory",
  });
  const paths = (config: Record<string, unknown>) =>
    proxyCacheSchema.config.safeParse(config).error?.issues.map((issue) => issue.path.join("."));
  expect(paths({ methods: ["HEAD"] })).toEqual(["methods"]);
  expect(paths({ methods: ["POST"] })).toEqual(["methods.0"]);
  expect(paths({ store: "redis" })).toEqual(["redisUrl"]);
  expect(paths({ varyHeaders: ["bad header"] })).toEqual(["varyHeaders.0"]);
  expect(paths({ ttlSeconds: 0 })).toEqual(["ttlSeconds"]);
});

test("a miss is copied as it goes to the client; the next GET and HEAD are hits with Age", () => {
  const h = handler();
  const miss = request();
  expect(h.handle(miss)).toBeUndefined();
  expect(miss.responseHeaders["x-cache-status"]).toBe("MISS");
  answer(miss, 200, { "content-type": "text/plain", connection: "close", "content-length": "5" }, "hello");
  const get = request({ now: Date.now() + 3_000 });
  expect(h.handle(get)).toEqual({
    kind: "respond",
    status: 200,
    headers: { "content-type": "text/plain", age: "3" },
    body: Buffer.from("hello"),
  });
  expect(get.responseHeaders["x-cache-status"]).toBe("HIT");
  const head = h.handle(request({ method: "HEAD" }));
  expect(head).toMatchObject({ status: 200, headers: { "content-length": "5" } });
  expect(head).not.toHaveProperty("body");
});

test("credentials bypass the cache unless copies are per consumer; then each consumer has its own", () => {
  const shared = handler();
  const withKey = request({ headers: { host: "shop.test", authorization: "Bearer x" } });
  expect(shared.handle(withKey)).toBeUndefined();
  expect(withKey.responseHeaders["x-cache-status"]).toBe("BYPASS");
  expect(withKey.responseHooks).toHaveLength(0);

  const own = handler({ perConsumer: true });
  const alice = { id: "con_a", name: "alice", groups: [], plan: null };
  const first = request({ headers: { host: "shop.test", authorization: "Bearer a" }, consumer: alice });
  own.handle(first);
  answer(first, 200, {}, "alice's");
  const again = request({ headers: { host: "shop.test", authorization: "Bearer a" }, consumer: alice });
  expect(own.handle(again)).toMatchObject({ body: Buffer.from("alice's") });
  const bob = request({ headers: { host: "shop.test", cookie: "s=b" }, consumer: { ...alice, id: "con_b" } });
  expect(own.handle(bob)).toBeUndefined();
  expect(bob.responseHeaders["x-cache-status"]).toBe("MISS");
});

test("the query's parameter order does not matter; the configured headers do", () => {
  const h = handler({ varyHeaders: ["accept-language"] });
  const first = request({ query: "b=2&a=1", headers: { host: "shop.test", "accept-language": "fr" } });
  h.handle(first);
  answer(first, 200, {}, "fr");
  expect(
    h.handle(request({ query: "a=1&b=2", headers: { host: "shop.test", "accept-language": "fr" } })),
  ).toMatchObject({
    body: Buffer.from("fr"),
  });
  expect(
    h.handle(request({ query: "a=1&b=2", headers: { host: "shop.test", "accept-language": "de" } })),
  ).toBeUndefined();
});

test("requests for a key in flight wait for the leader's copy; an answer that may not be kept sends them upstream", async () => {
  const h = handler();
  const leader = request();
  expect(h.handle(leader)).toBeUndefined();
  const waiting = [request(), request()].map((ctx) => ({ ctx, verdict: h.handle(ctx) }));
  for (const { verdict } of waiting) expect(verdict).toBeInstanceOf(Promise);
  answer(leader, 200, {}, "once");
  for (const { verdict, ctx } of waiting) {
    expect(await verdict).toMatchObject({ body: Buffer.from("once") });
    expect(ctx.responseHeaders["x-cache-status"]).toBe("HIT");
  }

  const other = request({ path: "/private" });
  h.handle(other);
  const follower = request({ path: "/private" });
  const pending = h.handle(follower);
  answer(other, 200, { "cache-control": "private" }, "mine");
  expect(await pending).toBeUndefined();
  expect(follower.responseHeaders["x-cache-status"]).toBe("MISS");
});

test("a purge recorded after a copy was kept makes the copy gone for the next revision's handler", () => {
  const services = testServices();
  const at = (cache: CacheRevision) => handler({}, { ...services, cache });
  const first = request();
  at({ revision: 4, purges: [] }).handle(first);
  answer(first, 200, {}, "old");
  const purgedElsewhere = at({ revision: 5, purges: [{ apiId: "api_1", prefix: "/other", revision: 5 }] });
  expect(purgedElsewhere.handle(request())).toMatchObject({ body: Buffer.from("old") });
  const purged = at({ revision: 6, purges: [{ apiId: "api_1", prefix: "/it", revision: 6 }] });
  const after = request();
  expect(purged.handle(after)).toBeUndefined();
  expect(after.responseHeaders["x-cache-status"]).toBe("MISS");
});
