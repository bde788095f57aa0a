import type { ChildProcess } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, expect, test } from "vitest";
import { freePort, startRedis, stopRedis } from "../redis/test-server.ts";
import { testContext, testServices } from "../test-context.ts";
import type { PolicyContext, PolicyHandler, Verdict } from "../types.ts";
import { rateLimit } from "./handler.ts";
import { maxPerFixedWindow } from "./measure.ts";
import { rateLimitSchema } from "./schema.ts";

let port = 0;
let redis: ChildProcess | undefined;
const handlers: PolicyHandler[] = [];

beforeAll(async () => {
  port = await freePort();
  redis = await startRedis(port);
});

afterAll(async () => {
  for (const h of handlers) h.close?.();
  await stopRedis(redis);
});

/**
 * A gateway's rate-limit handler on the test's Redis. Different URL spellings of the same
 * server give each "gateway" its own connection, as separate processes would have.
 */
function gateway(
  { policyId = "pol_redis", ...config }: Record<string, unknown>,
  url = `redis://127.0.0.1:${port}`,
  services = testServices(),
) {
  const h = rateLimit.create(
    rateLimitSchema.config.parse({
      by: "api",
      store: "redis",
      redisUrl: url,
      failOpen: false,
      timeoutMs: 2_000,
      ...config,
    }),
    services,
    policyId as string,
  );
  handlers.push(h);
  return h;
}

async function send(h: PolicyHandler, overrides: Partial<PolicyContext> = {}) {
  const ctx = testContext(overrides);
  const pending = h.handle(ctx);
  expect(pending).toBeInstanceOf(Promise);
  const verdict: Verdict = await pending;
  return { verdict, headers: ctx.responseHeaders, now: ctx.now };
}

test("two gateways sharing the limit through Redis admit exactly what one in-memory gateway would", async () => {
  const limits = { second: 5, minute: 40 };
  const a = gateway({ limits, policyId: "pol_shared" });
  const b = gateway({ limits, policyId: "pol_shared" }, `redis://127.0.0.1:${port}/0`);
  const memory = rateLimit.create(rateLimitSchema.config.parse({ limits, by: "api" }), testServices(), "pol_shared");

  // Every 250 ms of simulated time for 80 s (across a minute boundary), 6 requests at once, 3 per gateway.
  const start = Date.parse("2026-11-22T12:00:30Z");
  const viaRedis: number[] = [];
  const inMemory: number[] = [];
  for (let now = start; now < start + 80_000; now += 250) {
    const batch = await Promise.all(Array.from({ length: 6 }, (_, i) => send(i % 2 ? a : b, { now })));
    for (const { verdict } of batch) {
      expect(verdict === undefined || (verdict.kind === "reject" && verdict.code === "rate_limited")).toBe(true);
      if (verdict === undefined) viaRedis.push(now);
    }
    for (let i = 0; i < 6; i++) if (memory.handle(testContext({ now })) === undefined) inMemory.push(now);
  }
  expect(maxPerFixedWindow(viaRedis, "second")).toBeLessThanOrEqual(limits.second);
  expect(maxPerFixedWindow(viaRedis, "minute")).toBeLessThanOrEqual(limits.minute);
  // Requests at one instant are interchangeable, so however Redis orders them the count is the same.
  expect(viaRedis).toEqual(inMemory);
  expect(viaRedis.length).toBeGreaterThan(limits.minute);
});

test("the redis store sets the same headers and refusal as the memory store", async () => {
  const h = gateway({ limits: { minute: 2, hour: 100 }, policyId: "pol_headers" });
  const now = Date.parse("2026-11-22T12:00:00Z");
  expect(await send(h, { now })).toMatchObject({
    verdict: undefined,
    headers: {
      "X-RateLimit-Limit-Minute": "2",
      "X-RateLimit-Remaining-Minute": "1",
      "X-RateLimit-Limit-Hour": "100",
      "X-RateLimit-Remaining-Hour": "99",
      "RateLimit-Limit": "2",
      "RateLimit-Remaining": "1",
      "RateLimit-Reset": "60",
    },
  });
  await send(h, { now: now + 1 });
  expect((await send(h, { now: now + 2 })).verdict).toEqual({
    kind: "reject",
    code: "rate_limited",
    message: "Rate limit exceeded: 2 requests per minute; retry in 90 s",
    headers: { "retry-after": "90" },
  });
});

test("40 concurrent clients on two gateways in real time: no fixed second admits more than its limit", async () => {
  const a = gateway({ limits: { second: 30 }, policyId: "pol_realtime" });
  const b = gateway({ limits: { second: 30 }, policyId: "pol_realtime" }, `redis://127.0.0.1:${port}/0`);
  const admitted: number[] = [];
  const until = Date.now() + 1_500;
  const client = async (h: PolicyHandler) => {
    while (Date.now() < until) {
      const { verdict, now } = await send(h);
      if (verdict === undefined) admitted.push(now);
    }
  };
  await Promise.all(Array.from({ length: 40 }, (_, i) => client(i % 2 ? a : b)));
  expect(admitted.length).toBeGreaterThan(0);
  expect(maxPerFixedWindow(admitted, "second")).toBeLessThanOrEqual(30);
});

test("with Redis gone, fail-open admits and fail-closed refuses, logging once; both recover when it is back", async () => {
  const openLog = testServices();
  const closedLog = testServices();
  const limits = { minute: 1000 };
  const url = `redis://127.0.0.1:${port}/1`;
  const open = gateway({ limits, policyId: "pol_open", failOpen: true, timeoutMs: 200 }, url, openLog);
  const closed = gateway({ limits, policyId: "pol_closed", failOpen: false, timeoutMs: 200 }, url, closedLog);
  expect((await send(open)).verdict).toBeUndefined();
  expect((await send(closed)).verdict).toBeUndefined();

  await stopRedis(redis);
  for (let i = 0; i < 20; i++) {
    const admitted = await send(open);
    expect(admitted.verdict).toBeUndefined();
    expect(admitted.headers).toEqual({});
    expect((await send(closed)).verdict).toMatchObject({
      code: "gateway_unavailable",
      headers: { "retry-after": "1" },
    });
  }
  expect(openLog.lines).toEqual([expect.stringMatching(/^rate-limit pol_open: Redis unavailable, admitting/)]);
  expect(closedLog.lines).toEqual([expect.stringMatching(/^rate-limit pol_closed: Redis unavailable, refusing/)]);

  redis = await startRedis(port);
  // The client reconnects on its own within about a second; poll rather than guess how long.
  const deadline = Date.now() + 8_000;
  while ((await send(closed)).verdict !== undefined) {
    expect(Date.now()).toBeLessThan(deadline);
    await sleep(50);
  }
  const back = await send(open);
  expect(back.verdict).toBeUndefined();
  expect(back.headers["X-RateLimit-Limit-Minute"]).toBe("1000");
  expect(closedLog.lines.at(-1)).toBe("rate-limit pol_closed: Redis reachable again");
  expect(openLog.lines.at(-1)).toBe("rate-limit pol_open: Redis reachable again");
}, 15_000);
