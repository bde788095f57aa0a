import { fieldApplies } from "@gatehouse/shared";
import { expect, test } from "vitest";
import { redactConfig } from "../redact.ts";
import { testContext, testServices } from "../test-context.ts";
import { calendarPeriod, quota } from "./handler.ts";
import { quotaSchema } from "./schema.ts";

const noon = Date.UTC(2026, 10, 22, 12);
const handler = (config: unknown, services = testServices()) =>
  quota.create(quotaSchema.config.parse(config), services, "pol_q");

test("periods are UTC calendar days and months", () => {
  expect(calendarPeriod("day", noon)).toEqual({ start: Date.UTC(2026, 10, 22), end: Date.UTC(2026, 10, 23) });
  expect(calendarPeriod("month", Date.UTC(2026, 11, 31, 23))).toEqual({
    start: Date.UTC(2026, 11, 1),
    end: Date.UTC(2027, 0, 1),
  });
});

test("a daily quota admits exactly its number, refuses with Retry-After to midnight, and resets the next day", () => {
  const h = handler({ quota: { day: 3 }, by: "ip" });
  const verdicts = Array.from({ length: 5 }, () => h.handle(testContext({ now: noon })));
  expect(verdicts.filter((v) => v === undefined)).toHaveLength(3);
  expect(verdicts[3]).toEqual({
    kind: "reject",
    code: "quota_exceeded",
    message: "The daily quota is used up",
    headers: { "retry-after": String(12 * 3600) },
  });
  const ctx = testContext({ now: noon + 12 * 3600_000 });
  expect(h.handle(ctx)).toBeUndefined();
  expect(ctx.responseHeaders).toEqual({ "x-quota-limit-day": "3", "x-quota-remaining-day": "2" });
});

test("counts are per consumer, and a plan's quota replaces the policy's", () => {
  const services = testServices();
  const h = handler({ quota: { day: 1 } }, services);
  const consumer = (id: string, day?: number) => ({
    id,
    name: id,
    groups: [],
    plan: day === undefined ? null : { id: "pln_pro", name: "Pro", limits: {}, quota: { day } },
  });
  expect(h.handle(testContext({ now: noon, consumer: consumer("a") }))).toBeUndefined();
  expect(h.handle(testContext({ now: noon, consumer: consumer("a") }))).toMatchObject({ code: "quota_exceeded" });
  expect(h.handle(testContext({ now: noon, consumer: consumer("b", 2) }))).toBeUndefined();
  expect(h.handle(testContext({ now: noon, consumer: consumer("b", 2) }))).toBeUndefined();
  expect(h.handle(testContext({ now: noon, consumer: consumer("b", 2) }))).toMatchObject({ code: "quota_exceeded" });
});

test("the schema fills defaults and refuses a zero quota, or the redis store without a URL, on the field", () => {
  expect(quotaSchema.config.parse({})).toEqual({
    quota: {},
    by: "consumer",
    store: "memory",
    redisUrl: "",
    failOpen: true,
    timeoutMs: 100,
  });
  expect(quotaSchema.config.safeParse({ quota: { day: 0 } }).error?.issues[0]?.path).toEqual(["quota", "day"]);
  expect(quotaSchema.config.safeParse({ store: "redis" }).error?.issues[0]).toMatchObject({
    path: ["redisUrl"],
    message: "The redis store needs a Redis URL",
  });
  expect(quotaSchema.config.safeParse({ store: "redis", redisUrl: "http://r" }).error?.issues[0]?.path).toEqual([
    "redisUrl",
  ]);
});

test("the Redis settings show only with the redis store, and the URL's password is masked when shown", () => {
  expect(fieldApplies(quotaSchema.config, "redisUrl", { store: "memory" })).toBe(false);
  expect(fieldApplies(quotaSchema.config, "failOpen", { store: "redis" })).toBe(true);
  const config = quotaSchema.config.parse({ store: "redis", redisUrl: "redis://:hunter2@redis.internal:6379" });
  expect(redactConfig(quotaSchema.config, config).redisUrl).toBe("redis://:****@redis.internal:6379");
});
