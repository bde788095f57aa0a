import type { KeyLimits } from "@gatehouse/shared";
import { expect, test } from "vitest";
import { testContext, testServices } from "../test-context.ts";
import type { ConsumerIdentity, KeyIdentity, PolicyContext, Rejection } from "../types.ts";
import { identityOf, rateLimit } from "./handler.ts";
import { seededRandom } from "./measure.ts";
import { MemoryStore } from "./memory-store.ts";
import { rateLimitSchema } from "./schema.ts";
import { windowChecks } from "./window.ts";

const t0 = Date.parse("2026-11-22T12:00:00Z");
const handler = (config: Record<string, unknown>, services = testServices(), policyId = "pol_rl") =>
  rateLimit.create(rateLimitSchema.config.parse(config), services, policyId);
const consumer = (id: string, planLimits?: KeyLimits): ConsumerIdentity => ({
  id,
  name: id,
  groups: [],
  plan: planLimits ? { id: "pln_1", name: "Gold", limits: planLimits, quota: {} } : null,
});
const key = (id: string, limits: KeyIdentity["limits"] = {}): KeyIdentity => ({
  id,
  consumerId: "con_1",
  apiIds: null,
  expiresAt: null,
  revokedAt: null,
  limits,
});

/** Runs one request through a synchronous handler, returning its verdict and response headers. */
function call(h: ReturnType<typeof handler>, overrides: Partial<PolicyContext>) {
  const ctx = testContext(overrides);
  const verdict = h.handle(ctx);
  if (verdict instanceof Promise) throw new Error("the memory store answers synchronously");
  return { verdict, headers: ctx.responseHeaders };
}

test("a request must fit every window; the previous window fades out as the sliding window moves on", () => {
  const h = handler({ limits: { second: 2, minute: 5 }, by: "ip" });
  const at = (ms: number) => call(h, { now: t0 + ms });

  expect(at(0)).toEqual({
    verdict: undefined,
    headers: {
      "X-RateLimit-Limit-Second": "2",
      "X-RateLimit-Remaining-Second": "1",
      "X-RateLimit-Limit-Minute": "5",
      "X-RateLimit-Remaining-Minute": "4",
      "RateLimit-Limit": "2",
      "RateLimit-Remaining": "1",
      "RateLimit-Reset": "1",
      "RateLimit-Policy": '"second";q=2;w=1, "minute";q=5;w=60',
      RateLimit: '"second";r=1;t=1, "minute";r=4;t=60',
    },
  });
  // None left this second: Reset says when the next one fits (t0+1.5 s, half the last second still counting).
  expect(at(100).headers).toMatchObject({ "RateLimit-Remaining": "0", "RateLimit-Reset": "2" });
  const refused = at(200);
  expect(refused.verdict).toEqual({
    kind: "reject",
    code: "rate_limited",
    message: "Rate limit exceeded: 2 requests per second; retry in 2 s",
    headers: { "retry-after": "2" },
  });
  expect(refused.headers["X-RateLimit-Remaining-Minute"]).toBe("3");
  // At t0+1 s the whole previous second still counts; at t0+1.5 s only half of it does.
  expect(at(1000).verdict).toMatchObject({ code: "rate_limited" });
  expect(at(1500).verdict).toBeUndefined();
  expect(at(1600).verdict).toMatchObject({ code: "rate_limited" });
  expect(at(5000).verdict).toBeUndefined();
  expect(at(5100).headers).toMatchObject({ "X-RateLimit-Remaining-Minute": "0", "RateLimit-Limit": "5" });
  // The minute is full: 5 counted in this minute, so room comes when a fifth of it has slid out.
  expect(at(7000).verdict).toEqual({
    kind: "reject",
    code: "rate_limited",
    message: "Rate limit exceeded: 5 requests per minute; retry in 65 s",
    headers: { "retry-after": "65" },
  });
  expect(at(71_000).verdict).toMatchObject({ code: "rate_limited" });
  expect(at(72_000).verdict).toBeUndefined();
  expect(at(72_100).verdict).toMatchObject({ code: "rate_limited", message: expect.stringContaining("per minute") });
});

test("waiting Retry-After seconds always gets the next request in", () => {
  const random = seededRandom(7);
  const h = handler({ limits: { second: 3, minute: 20, hour: 200 } });
  let now = t0 + 17_321;
  let refusals = 0;
  for (let i = 0; i < 2000; i++) {
    const { verdict } = call(h, { now });
    if (verdict === undefined) {
      now += Math.floor(random() * 400);
      continue;
    }
    refusals++;
    now += Number((verdict as Rejection).headers?.["retry-after"]) * 1000;
    expect(call(h, { now }).verdict).toBeUndefined();
  }
  expect(refusals).toBeGreaterThan(100);
});

test("by consumer and by key fall back to the client's IP; by header to the IP when the header is absent", () => {
  const base = { by: "consumer" } as const;
  expect(identityOf(testContext({ consumer: consumer("con_1") }), { ...base, header: "" })).toBe("consumer:con_1");
  expect(identityOf(testContext({ remoteAddress: "203.0.113.9" }), { ...base, header: "" })).toBe("ip:203.0.113.9");
  const keyed = testContext({ key: key("key_1"), consumer: consumer("con_1") });
  expect(identityOf(keyed, { by: "key", header: "" })).toBe("key:key_1");
  expect(identityOf(testContext(), { by: "key", header: "" })).toBe("ip:127.0.0.1");
  expect(identityOf(keyed, { by: "api", header: "" })).toBe("api:api_1");
  expect(identityOf(keyed, { by: "route", header: "" })).toBe("route:route_1");
  const byTenant = { by: "header", header: "x-tenant" } as const;
  expect(identityOf(testContext({ headers: { "x-tenant": ["acme", "other"] } }), byTenant)).toBe("header:acme");
  expect(identityOf(testContext({ headers: {} }), byTenant)).toBe("ip:127.0.0.1");
  expect(identityOf(testContext({ headers: { "x-tenant": "" } }), byTenant)).toBe("ip:127.0.0.1");
  // A client-chosen value is kept short whatever its length.
  expect(identityOf(testContext({ headers: { "x-tenant": "x".repeat(10_000) } }), byTenant)).toMatch(
    /^header#[\w-]{43}$/,
  );
});

test("each identity has its own count", () => {
  const h = handler({ limits: { minute: 1 }, by: "consumer" });
  const acme = consumer("con_acme");
  expect(call(h, { now: t0, consumer: acme, remoteAddress: "10.0.0.1" }).verdict).toBeUndefined();
  // The same consumer from elsewhere shares the count; anonymous clients are counted by IP.
  expect(call(h, { now: t0, consumer: acme, remoteAddress: "10.0.0.2" }).verdict).toMatchObject({
    code: "rate_limited",
  });
  expect(call(h, { now: t0, remoteAddress: "10.0.0.1" }).verdict).toBeUndefined();
  expect(call(h, { now: t0, remoteAddress: "10.0.0.2" }).verdict).toBeUndefined();
  expect(call(h, { now: t0, remoteAddress: "10.0.0.2" }).verdict).toMatchObject({ code: "rate_limited" });

  const byHeader = handler({ limits: { minute: 1 }, by: "header", header: "X-Tenant" });
  expect(call(byHeader, { now: t0, headers: { "x-tenant": "a" } }).verdict).toBeUndefined();
  expect(call(byHeader, { now: t0, headers: { "x-tenant": "b" } }).verdict).toBeUndefined();
  expect(call(byHeader, { now: t0, headers: { "x-tenant": "a" } }).verdict).toMatchObject({ code: "rate_limited" });
});

test("a key's own limits replace the policy's, and win over its consumer's plan", () => {
  const h = handler({ limits: { minute: 100 }, by: "key" });
  const limited = key("key_limited", { second: 1 });
  const first = call(h, { now: t0, key: limited });
  expect(first.verdict).toBeUndefined();
  expect(first.headers).not.toHaveProperty("X-RateLimit-Limit-Minute");
  expect(first.headers).toMatchObject({ "X-RateLimit-Limit-Second": "1", "RateLimit-Limit": "1" });
  expect(call(h, { now: t0 + 1, key: limited }).verdict).toMatchObject({ message: expect.stringContaining("second") });

  const gold = consumer("con_gold", { hour: 3 });
  const plain = key("key_plain");
  expect(call(h, { now: t0, key: plain, consumer: gold }).headers).toMatchObject({ "X-RateLimit-Limit-Hour": "3" });
  const own = key("key_own", { day: 7 });
  expect(call(h, { now: t0, key: own, consumer: gold }).headers).toMatchObject({ "X-RateLimit-Limit-Day": "7" });
  expect(call(h, { now: t0, key: key("key_none") }).headers).toMatchObject({ "X-RateLimit-Limit-Minute": "100" });
});

test("counts survive a reload of the policy, kept by the gateway under the policy's id", () => {
  const services = testServices();
  const config = { limits: { minute: 2 }, by: "ip" };
  expect(call(handler(config, services), { now: t0 }).verdict).toBeUndefined();
  expect(call(handler({ ...config, limits: { minute: 2, hour: 10 } }, services), { now: t0 }).verdict).toBeUndefined();
  expect(call(handler(config, services), { now: t0 }).verdict).toMatchObject({ code: "rate_limited" });
  expect(call(handler(config, services, "pol_other"), { now: t0 }).verdict).toBeUndefined();
});

test("idle identities are swept, and the store never holds more than its cap", () => {
  const store = new MemoryStore(3);
  const checks = (now: number) => windowChecks({ second: 5, minute: 10 }, now);
  for (const ip of ["a", "b", "c"]) store.hit(ip, checks(t0), t0);
  expect(store.size).toBe(3);
  // A new identity evicts the least recently seen, to the second: "b" seen again within the
  // second keeps its place, "a" seen a second later moves to the end, so "b" goes.
  store.hit("b", checks(t0 + 500), t0 + 500);
  store.hit("a", checks(t0 + 1000), t0 + 1000);
  store.hit("d", checks(t0 + 1020), t0 + 1020);
  expect(store.size).toBe(3);
  expect(store.hit("a", checks(t0 + 1030), t0 + 1030).counts[1]).toEqual({ previous: 0, current: 3 });
  expect(store.hit("b", checks(t0 + 1040), t0 + 1040).counts[1]).toEqual({ previous: 0, current: 1 });
  // Still counting during the next minute (its previous window weighs in), gone after it.
  store.hit("e", checks(t0 + 119_999), t0 + 119_999);
  expect(store.size).toBe(3);
  store.hit("e", checks(t0 + 180_000), t0 + 180_000);
  expect(store.size).toBe(1);
});
