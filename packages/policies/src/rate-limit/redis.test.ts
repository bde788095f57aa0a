import type { ChildProcess } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";
import { Redis } from "ioredis";
import { afterAll, beforeAll, expect, test, vi } from "vitest";
import { freePort, startRedis, stopRedis } from "../redis/test-server.ts";
import { testContext, testServices } from "../test-context.ts";
import type { PolicyContext, PolicyHandler, Verdict } from "../types.ts";
import { rateLimit } from "./handler.ts";
import { maxPerFixedWindow } from "./measure.ts";
import { rateLimitSchema } from "./schema.ts";
import { WINDOW_MS } from "./window.ts";

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

/** How many admitted requests each fixed window holds, from the first window on, by the given clock. */
function perWindow(admitted: readonly number[], size: number, from: number, windows: number): number[] {
  const counts = new Array<number>(windows).fill(0);
  for (const at of admitted) {
    const i = Math.floor((at - from) / size);
    counts[i] = (counts[i] ?? 0) + 1;
  }
  return counts;
}

/** The most any run of `n` consecutive windows holds. */
const mostInRun = (counts: readonly number[], n: number) =>
  Math.max(...counts.slice(0, counts.length - n + 1).map((_, i) => counts.slice(i, i + n).reduce((a, b) => a + b)));

test.each([
  ["second", 100],
  ["second", 2_500],
  ["minute", 5_000],
  ["hour", 60_000],
] as const)(
  "gateway B's clock ahead of A's, per %s by %i ms: one window can admit twice the limit, n windows at most n + ⌈skew / window⌉ limits",
  async (window, skew) => {
    const size = WINDOW_MS[window];
    const limit = 10;
    const policyId = `pol_skew_${window}_${skew}`;
    const a = gateway({ limits: { [window]: limit }, policyId });
    const b = gateway({ limits: { [window]: limit }, policyId }, `redis://127.0.0.1:${port}/0`);
    const one = gateway({ limits: { [window]: limit }, policyId: `${policyId}_one` });
    // What B admits is stamped with A's clock, so every count below is by one clock. `one`,
    // a lone gateway with A's clock, gets every request either of them gets.
    const viaA: number[] = [];
    const viaB: number[] = [];
    const viaOne: number[] = [];
    const request = async (h: PolicyHandler, admitted: number[], now: number, clock: number) => {
      if ((await send(h, { now: clock })).verdict === undefined) admitted.push(now);
      if ((await send(one, { now })).verdict === undefined) viaOne.push(now);
    };
    const toA = (now: number) => request(a, viaA, now, now);
    const toB = (now: number) => request(b, viaB, now, now + skew);

    const start = Date.UTC(2026, 10, 22, 12);
    // An idle client bursts where A's clock is still in its first window and B's has passed
    // into a later one (the last `skew` ms, or mid-window for a skew of a window or more).
    // B goes first: it counts into a window A does not read, seeing A's window as the
    // previous one while that is still empty (or not at all for a skew of a window or more).
    const burst = start + size - Math.min(skew, size) / 2;
    for (let i = 0; i < 2 * limit; i++) await toB(burst);
    for (let i = 0; i < 2 * limit; i++) await toA(burst);
    expect([viaA.length, viaB.length, viaOne.length]).toEqual([limit, limit, limit]);
    // Then steadily, more than the limit, through six windows.
    for (let now = start + size; now < start + 6 * size; now += size / 20) {
      await toB(now);
      await toA(now);
    }

    // Every admitted request is in one fixed window's counter and no counter passes the limit,
    // so n windows by A's clock hold at most the counters of those n windows and of the
    // ⌈skew / window⌉ that B's clock has reached beyond them.
    const windows = 6;
    const extra = Math.ceil(skew / size);
    const counts = perWindow([...viaA, ...viaB], size, start, windows);
    for (let n = 1; n <= windows; n++) expect(mostInRun(counts, n)).toBeLessThanOrEqual((n + extra) * limit);
    // Twice the limit in the burst's window, where one gateway admits the limit. Within a
    // window's skew the extra is the next window's allowance taken early: that window admits none.
    expect(counts[0]).toBe(2 * limit);
    expect(perWindow(viaOne, size, start, windows)[0]).toBe(limit);
    if (skew < size) expect(counts[1]).toBe(0);
    // B reaches each new window first and takes its room: after the burst, A admits nothing.
    if (skew < size) expect(viaA.filter((at) => at > burst)).toEqual([]);
  },
);

test("a gateway whose clock is ahead does not shorten a counter that a slower one counts into", async () => {
  const a = gateway({ limits: { minute: 10 }, policyId: "pol_ttl" });
  const b = gateway({ limits: { minute: 10 }, policyId: "pol_ttl" }, `redis://127.0.0.1:${port}/0`);
  const minute = Date.UTC(2026, 10, 22, 12, 0);
  const sentAt = Date.now();
  await send(a, { now: minute + 10_000 });
  // B's clock is 20 s ahead, so by it the counter is needed 20 s less; B writes last.
  await send(b, { now: minute + 30_000 });
  const raw = new Redis(`redis://127.0.0.1:${port}`);
  try {
    const ttl = await raw.pttl(`gatehouse:rl:pol_ttl:{api:api_1}:minute:${minute / 60_000}`);
    // A's: until the end of the next minute by A's clock, plus 5 s, less what has passed
    // since, and a millisecond for the two clocks' rounding.
    const expected = 2 * 60_000 - 10_000 + 5_000;
    expect(ttl).toBeLessThanOrEqual(expected);
    expect(ttl).toBeGreaterThanOrEqual(expected - (Date.now() - sentAt) - 1);
  } finally {
    await raw.quit();
  }
});

test("more than 2W + 5 s apart the gateways count apart: what B wrote expires before A's clock reaches its window", async () => {
  const b = gateway({ limits: { second: 10 }, policyId: "pol_apart" });
  const skew = 10_000;
  const now = Date.UTC(2026, 10, 22, 12, 0, 0, 500);
  await send(b, { now: now + skew });
  const raw = new Redis(`redis://127.0.0.1:${port}`);
  try {
    const ttl = await raw.pttl(`gatehouse:rl:pol_apart:{api:api_1}:second:${Math.floor((now + skew) / 1_000)}`);
    // The end of the next second by B's clock, plus 5 s: 6.5 s. A's clock reaches that
    // counter's second 9.5 s from now and finds nothing there.
    expect(ttl).toBeLessThanOrEqual(6_500);
  } finally {
    await raw.quit();
  }
});

test("a gateway whose clock is 5 s ahead of Redis's says so in its log", async () => {
  const log = testServices();
  const h = gateway({ limits: { minute: 10 }, policyId: "pol_clock" }, `redis://127.0.0.1:${port}`, log);
  const now = Date.now;
  vi.spyOn(Date, "now").mockImplementation(() => now() + 5_000);
  try {
    await send(h);
    // The look at Redis's clock does not hold up the request; poll rather than guess how long it takes.
    const deadline = now() + 2_000;
    while (log.lines.length === 0) {
      expect(now()).toBeLessThan(deadline);
      await sleep(10);
    }
  } finally {
    vi.restoreAllMocks();
  }
  expect(log.lines).toEqual([
    expect.stringMatching(/^rate-limit pol_clock: this gateway's clock is 5\.0 s ahead of Redis's;/),
  ]);
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
