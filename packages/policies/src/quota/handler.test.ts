import { expect, test } from "vitest";
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
  expect(verdicts[3]).toMatchObject({ code: "quota_exceeded", headers: { "retry-after": String(12 * 3600) } });
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

test("the schema fills defaults and refuses a zero quota on the field", () => {
  expect(quotaSchema.config.parse({})).toEqual({ quota: {}, by: "consumer" });
  expect(quotaSchema.config.safeParse({ quota: { day: 0 } }).error?.issues[0]?.path).toEqual(["quota", "day"]);
});
