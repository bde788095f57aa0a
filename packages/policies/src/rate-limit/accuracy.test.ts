import { setImmediate as yieldToEventLoop } from "node:timers/promises";
import { describe, expect, test } from "vitest";
import { testContext, testServices } from "../test-context.ts";
import type { PolicyServices } from "../types.ts";
import { rateLimit } from "./handler.ts";
import { maxPerFixedWindow, maxPerSlidingWindow, seededRandom } from "./measure.ts";
import { rateLimitSchema } from "./schema.ts";
import { WindowTable } from "./window-table.ts";

/** The same scenarios against a thread's own MemoryStore and a host's shared table: they must admit alike. */
const STORES: Array<[string, () => PolicyServices]> = [
  ["memory store", () => testServices()],
  ["shared window table", () => ({ ...testServices(), windows: new WindowTable(WindowTable.allocate(64)) })],
];

describe.each(STORES)("%s", (_name, services) => {
  const handler = (limits: Record<string, number>) =>
    rateLimit.create(rateLimitSchema.config.parse({ limits, by: "api" }), services(), "pol_accuracy");

  /** Feeds requests at the given times, in order, to one identity; returns the times admitted. */
  function admittedAt(h: ReturnType<typeof handler>, times: readonly number[]): number[] {
    return times.filter((now) => h.handle(testContext({ now })) === undefined);
  }

  test("200 clients at random times for 5 minutes across an hour boundary: no fixed window overfills", () => {
    const random = seededRandom(42);
    const from = Date.parse("2026-11-22T12:58:00Z");
    const to = from + 5 * 60_000;
    const times: number[] = [];
    for (let client = 0; client < 200; client++) {
      // Poisson arrivals averaging one a second per client: ~200 a second, ten times the per-second limit.
      const gap = () => -Math.log(1 - random()) * 1000;
      for (let at = from + gap(); at < to; at += gap()) times.push(Math.floor(at));
    }
    times.sort((a, b) => a - b);
    const limits = { second: 20, minute: 600, hour: 2500 };
    const admitted = admittedAt(handler(limits), times);

    expect(maxPerFixedWindow(admitted, "second")).toBeLessThanOrEqual(limits.second);
    expect(maxPerFixedWindow(admitted, "minute")).toBeLessThanOrEqual(limits.minute);
    expect(maxPerFixedWindow(admitted, "hour")).toBeLessThanOrEqual(limits.hour);
    // Under steady load the estimate is close to the truth (README.md): a sliding second or minute
    // barely passes its limit. The hour passes it by 2.4%: the two minutes before 13:00 are all
    // at the end of their hour, where the estimate, assuming them spread out, weighs them least.
    expect(maxPerSlidingWindow(admitted, "second")).toBe(20);
    expect(maxPerSlidingWindow(admitted, "minute")).toBe(601);
    expect(maxPerSlidingWindow(admitted, "hour")).toBe(2559);
    // The hour bound bites in the last minutes: fewer admitted than 5 minutes of the minute limit.
    expect(admitted.length).toBeLessThan(5 * limits.minute);
  });

  test("the adversary's burst at the end of a window then a steady stream: at most twice the limit in a sliding window", () => {
    const limit = 100;
    const minute = Date.parse("2026-11-22T12:00:00Z");
    // The whole allowance in the last millisecond of a minute (the estimate assumes it was spread out)...
    const burst = Array.from({ length: 150 }, () => minute + 59_999);
    // ...then a request every 10 ms through the next minute.
    const stream = Array.from({ length: 6000 }, (_, i) => minute + 60_000 + i * 10);
    const admitted = admittedAt(handler({ minute: limit }), [...burst, ...stream]);

    expect(maxPerFixedWindow(admitted, "minute")).toBe(limit);
    const worst = maxPerSlidingWindow(admitted, "minute");
    expect(worst).toBeLessThanOrEqual(2 * limit);
    expect(worst).toBe(199);
  });

  test("50 concurrent clients in real time: no fixed second ever admits more than its limit", async () => {
    const h = handler({ second: 25, minute: 1000 });
    const admitted: number[] = [];
    const until = Date.now() + 1200;
    const client = async () => {
      while (Date.now() < until) {
        const ctx = testContext({ now: Date.now() });
        if (h.handle(ctx) === undefined) admitted.push(ctx.now);
        await yieldToEventLoop();
      }
    };
    await Promise.all(Array.from({ length: 50 }, client));
    expect(admitted.length).toBeGreaterThan(0);
    expect(maxPerFixedWindow(admitted, "second")).toBeLessThanOrEqual(25);
  });
});
