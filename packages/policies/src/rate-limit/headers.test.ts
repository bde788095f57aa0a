import { expect, test } from "vitest";
import { testContext, testServices } from "../test-context.ts";
import type { Rejection } from "../types.ts";
import { rateLimit } from "./handler.ts";
import { parseRateLimitHeaders, rateLimitProblems } from "./header-check.ts";
import { rateLimitSchema } from "./schema.ts";

const t0 = Date.parse("2026-11-22T12:00:00Z");

function run(config: Record<string, unknown>, times: number[]) {
  const handler = rateLimit.create(rateLimitSchema.config.parse(config), testServices(), "pol_headers");
  return times.map((now) => {
    const ctx = testContext({ now });
    const verdict = handler.handle(ctx) as Rejection | undefined;
    return { verdict, headers: { ...ctx.responseHeaders, ...verdict?.headers } };
  });
}

test("every header, admitted or refused, parses as a structured field and agrees with the limits", () => {
  const limits = { second: 3, minute: 5, hour: 100 };
  // Bursts within seconds, then a pause into the next second: refusals by the second and by the minute.
  const times = [0, 10, 20, 30, 40, 1_100, 1_200, 1_300, 2_500, 30_000, 61_000];
  const answers = run(
    { limits, by: "ip" },
    times.map((ms) => t0 + 17 + ms),
  );
  let refused = 0;
  for (const [i, { verdict, headers }] of answers.entries()) {
    const parsed = parseRateLimitHeaders(headers);
    expect(parsed.policy?.map((item) => item.name)).toEqual(["second", "minute", "hour"]);
    expect(Object.keys(parsed.integers)).toEqual(
      expect.arrayContaining(["ratelimit-limit", "x-ratelimit-remaining-hour"]),
    );
    expect(rateLimitProblems(parsed, limits, verdict !== undefined), `answer ${i}`).toEqual([]);
    if (verdict !== undefined) refused++;
  }
  expect(refused).toBeGreaterThanOrEqual(3);
});

test("responseHeaders picks the sets: draft only, or none; a 429 keeps Retry-After", () => {
  const [draftOnly] = run({ limits: { minute: 1 }, by: "ip", responseHeaders: ["draft"] }, [t0]);
  expect(draftOnly?.headers).toEqual({ "RateLimit-Policy": '"minute";q=1;w=60', RateLimit: '"minute";r=0;t=120' });
  const none = run({ limits: { minute: 1 }, by: "ip", responseHeaders: [] }, [t0, t0 + 1]);
  expect(none[0]?.headers).toEqual({});
  expect(none[1]?.headers).toEqual({ "retry-after": "120" });
});

test("the checker itself refuses what the draft does not allow", () => {
  const problems = (headers: Record<string, string>, refused = false) =>
    rateLimitProblems(parseRateLimitHeaders(headers), { minute: 5 }, refused);
  expect(() => parseRateLimitHeaders({ RateLimit: "minute;r=1;t=2" })).toThrow("not an sf-string");
  expect(() => parseRateLimitHeaders({ "RateLimit-Remaining": "1.5" })).toThrow("not an sf-integer");
  expect(() => parseRateLimitHeaders({ "Retry-After": "Wed, 21 Oct 2026 07:28:00 GMT" })).toThrow();
  expect(problems({ "RateLimit-Policy": '"minute";q=6;w=60' })).toEqual(["q of minute is 6"]);
  expect(problems({ RateLimit: '"minute";r=0;t=30', "Retry-After": "10" }, true)).toEqual([
    "Retry-After 10 is before minute's reset 30",
  ]);
});
