import type { ChildProcess } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";
import { Redis } from "ioredis";
import { afterAll, beforeAll, expect, test } from "vitest";
import { freePort, startRedis, stopRedis } from "../redis/test-server.ts";
import { testContext, testServices } from "../test-context.ts";
import type { ConsumerIdentity, PolicyContext, PolicyHandler, Verdict } from "../types.ts";
import { quota } from "./handler.ts";
import { quotaSchema } from "./schema.ts";

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
 * A gateway's quota handler on the test's Redis. Different URL spellings of the same server
 * give each "gateway" its own connection, as separate processes would have.
 */
function gateway(
  { policyId, ...config }: Record<string, unknown> & { policyId: string },
  url = `redis://127.0.0.1:${port}`,
  services = testServices(),
) {
  const h = quota.create(
    quotaSchema.config.parse({ store: "redis", redisUrl: url, failOpen: false, timeoutMs: 2_000, ...config }),
    services,
    policyId,
  );
  handlers.push(h);
  return h;
}

async function send(h: PolicyHandler, overrides: Partial<PolicyContext> = {}) {
  const ctx = testContext(overrides);
  const pending = h.handle(ctx);
  expect(pending).toBeInstanceOf(Promise);
  const verdict: Verdict = await pending;
  return { verdict, headers: ctx.responseHeaders };
}

const day = Date.UTC(2026, 10, 22);
const noon = day + 12 * 3_600_000;
const proConsumer: ConsumerIdentity = {
  id: "con_a",
  name: "a",
  groups: [],
  plan: { id: "pln_pro", name: "Pro", limits: {}, quota: { day: 7 } },
};

test("two gateways sharing one Redis admit exactly a plan's quota between them, counted in one key", async () => {
  const a = gateway({ quota: { day: 100 }, policyId: "pol_shared" });
  const b = gateway({ quota: { day: 100 }, policyId: "pol_shared" }, `redis://127.0.0.1:${port}/0`);
  const sentAt = Date.now();
  const answers = await Promise.all(
    Array.from({ length: 20 }, (_, i) => send(i % 2 ? a : b, { now: noon, consumer: proConsumer })),
  );

  const admitted = answers.filter((answer) => answer.verdict === undefined);
  expect(admitted).toHaveLength(7);
  // Every admitted request saw a count no other saw, whichever gateway it went through.
  expect(admitted.map((answer) => Number(answer.headers["x-quota-remaining-day"])).sort()).toEqual([
    0, 1, 2, 3, 4, 5, 6,
  ]);
  for (const { verdict } of answers.filter((answer) => answer.verdict !== undefined)) {
    expect(verdict).toEqual({
      kind: "reject",
      code: "quota_exceeded",
      message: "The daily quota is used up",
      headers: { "retry-after": String(12 * 3600) },
    });
  }

  // The memory store's counter (policy, identity, period) plus the period's start, living
  // until a little after the period ends by the gateway's clock.
  const raw = new Redis(`redis://127.0.0.1:${port}`);
  try {
    const key = `gatehouse:quota:pol_shared:{consumer:con_a}:day:${day}`;
    expect(await raw.keys("gatehouse:quota:pol_shared:*")).toEqual([key]);
    expect(await raw.get(key)).toBe("7");
    const ttl = await raw.pttl(key);
    expect(ttl).toBeLessThanOrEqual(12 * 3_600_000 + 5_000);
    expect(ttl).toBeGreaterThan(12 * 3_600_000 + 5_000 - (Date.now() - sentAt));
  } finally {
    await raw.quit();
  }
});

test("at midnight UTC the day's count starts afresh while the month's goes on, until the month ends", async () => {
  const a = gateway({ quota: { day: 2, month: 3 }, by: "ip", policyId: "pol_roll" });
  const b = gateway({ quota: { day: 2, month: 3 }, by: "ip", policyId: "pol_roll" }, `redis://127.0.0.1:${port}/0`);
  const lastSecond = day + 86_400_000 - 1_000;
  expect((await send(a, { now: lastSecond })).verdict).toBeUndefined();
  expect((await send(b, { now: lastSecond })).verdict).toBeUndefined();
  expect((await send(a, { now: lastSecond })).verdict).toMatchObject({
    code: "quota_exceeded",
    message: "The daily quota is used up",
    headers: { "retry-after": "1" },
  });

  const tomorrow = day + 86_400_000;
  expect(await send(b, { now: tomorrow })).toEqual({
    verdict: undefined,
    headers: {
      "x-quota-limit-day": "2",
      "x-quota-remaining-day": "1",
      "x-quota-limit-month": "3",
      "x-quota-remaining-month": "0",
    },
  });
  const nextMonth = Date.UTC(2026, 11, 1);
  expect((await send(a, { now: tomorrow })).verdict).toMatchObject({
    code: "quota_exceeded",
    message: "The monthly quota is used up",
    headers: { "retry-after": String((nextMonth - tomorrow) / 1000) },
  });

  const first = await send(a, { now: nextMonth });
  expect(first.verdict).toBeUndefined();
  expect(first.headers["x-quota-remaining-month"]).toBe("2");
});

test("gateway B's clock 60 s ahead of A's: B opens tomorrow's quota 60 s early, so one day can admit two quotas", async () => {
  const a = gateway({ quota: { day: 5 }, by: "ip", policyId: "pol_skew" });
  const b = gateway({ quota: { day: 5 }, by: "ip", policyId: "pol_skew" }, `redis://127.0.0.1:${port}/0`);
  const skew = 60_000;
  // What each admits, by A's clock.
  const admitted: number[] = [];
  const through = async (h: PolicyHandler, count: number, now: number) => {
    const clock = h === b ? now + skew : now;
    for (let i = 0; i < count; i++) if ((await send(h, { now: clock })).verdict === undefined) admitted.push(now);
  };
  const burst = async (now: number) => {
    await through(b, 10, now);
    await through(a, 10, now);
  };
  const tomorrow = day + 86_400_000;

  // At noon both count into today's counter: five between them.
  const sentAt = Date.now();
  await through(a, 3, noon);
  await through(b, 3, noon);
  expect(admitted).toHaveLength(5);
  // B wrote the counter last, by a clock that puts the day's end 60 s nearer; it lives by A's all the same.
  const raw = new Redis(`redis://127.0.0.1:${port}`);
  try {
    const ttl = await raw.pttl(`gatehouse:quota:pol_skew:{ip:127.0.0.1}:day:${day}`);
    const expected = tomorrow - noon + 5_000;
    expect(ttl).toBeLessThanOrEqual(expected);
    // Less what has passed since, and a millisecond for the two clocks' rounding.
    expect(ttl).toBeGreaterThanOrEqual(expected - (Date.now() - sentAt) - 1);
  } finally {
    await raw.quit();
  }

  // 30 s before midnight by A's clock, B's day has turned: it admits tomorrow's five while A
  // refuses, telling the client to wait 30 s.
  await burst(tomorrow - 30_000);
  expect(admitted.filter((at) => at < tomorrow)).toHaveLength(10);
  expect((await send(a, { now: tomorrow - 30_000 })).verdict).toMatchObject({ headers: { "retry-after": "30" } });
  // Those five were tomorrow's: tomorrow admits none, and the two days together hold two quotas.
  await burst(tomorrow + 30_000);
  await burst(tomorrow + 43_200_000);
  expect(admitted).toHaveLength(10);
});

test("with Redis gone, fail-open admits and fail-closed refuses, logging once; both recover when it is back", async () => {
  const openLog = testServices();
  const closedLog = testServices();
  const url = `redis://127.0.0.1:${port}/1`;
  const open = gateway({ quota: { day: 1000 }, policyId: "pol_open", failOpen: true, timeoutMs: 200 }, url, openLog);
  const closed = gateway({ quota: { day: 1000 }, policyId: "pol_closed", timeoutMs: 200 }, url, closedLog);
  // Nothing to count (no quota of its own, no plan): Redis is not asked, so it cannot refuse.
  const uncapped = gateway({ policyId: "pol_uncapped", timeoutMs: 200 }, url);
  expect((await send(open)).verdict).toBeUndefined();
  expect((await send(closed)).verdict).toBeUndefined();

  await stopRedis(redis);
  for (let i = 0; i < 20; i++) {
    expect(await send(open)).toEqual({ verdict: undefined, headers: {} });
    expect((await send(closed)).verdict).toEqual({
      kind: "reject",
      code: "gateway_unavailable",
      message: "Quota counting is unavailable; try again shortly",
      headers: { "retry-after": "1" },
    });
    expect((await send(uncapped)).verdict).toBeUndefined();
  }
  expect(openLog.lines).toEqual([expect.stringMatching(/^quota pol_open: Redis unavailable, admitting/)]);
  expect(closedLog.lines).toEqual([expect.stringMatching(/^quota pol_closed: Redis unavailable, refusing/)]);

  redis = await startRedis(port);
  // The client reconnects on its own within about a second; poll rather than guess how long.
  const deadline = Date.now() + 8_000;
  while ((await send(closed)).verdict !== undefined) {
    expect(Date.now()).toBeLessThan(deadline);
    await sleep(50);
  }
  const back = await send(open);
  expect(back.verdict).toBeUndefined();
  expect(back.headers["x-quota-limit-day"]).toBe("1000");
  expect(closedLog.lines.at(-1)).toBe("quota pol_closed: Redis reachable again");
  expect(openLog.lines.at(-1)).toBe("quota pol_open: Redis reachable again");
}, 15_000);
