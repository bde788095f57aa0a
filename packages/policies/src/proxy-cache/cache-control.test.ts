import { expect, test } from "vitest";
import { freshness, parseCacheControl, requestDirective } from "./cache-control.ts";

const NOW = Date.parse("2026-12-06T12:00:00Z");
const DEFAULT = 300_000;

test("directives are parsed case-insensitively, with quoted values holding commas, across repeated headers", () => {
  const parsed = parseCacheControl(['Max-Age=60, private="set-cookie, x-a"', "no-transform,S-MAXAGE=5"]);
  expect(Object.fromEntries(parsed)).toEqual({
    "max-age": "60",
    private: "set-cookie, x-a",
    "no-transform": null,
    "s-maxage": "5",
  });
  expect(parseCacheControl(undefined).size).toBe(0);
  expect(parseCacheControl("max-age=1, max-age=9").get("max-age")).toBe("1");
});

test("s-maxage wins over max-age, which wins over Expires; with neither, the policy's default", () => {
  expect(freshness({ "cache-control": "max-age=60, s-maxage=5" }, DEFAULT, NOW)).toEqual({
    keep: true,
    lifetimeMs: 5_000,
  });
  expect(freshness({ "cache-control": "max-age=60", expires: "Thu, 01 Jan 2099 00:00:00 GMT" }, DEFAULT, NOW)).toEqual({
    keep: true,
    lifetimeMs: 60_000,
  });
  expect(freshness({}, DEFAULT, NOW)).toEqual({ keep: true, lifetimeMs: DEFAULT });
  expect(freshness({ "cache-control": "public" }, DEFAULT, NOW)).toEqual({ keep: true, lifetimeMs: DEFAULT });
});

test("Expires counts from the upstream's Date, not from this clock; an invalid or past one is not kept", () => {
  const date = "Sun, 06 Dec 2026 08:00:00 GMT";
  expect(freshness({ date, expires: "Sun, 06 Dec 2026 08:02:00 GMT" }, DEFAULT, NOW)).toEqual({
    keep: true,
    lifetimeMs: 120_000,
  });
  expect(freshness({ expires: "Sun, 06 Dec 2026 12:00:30 GMT" }, DEFAULT, NOW)).toEqual({
    keep: true,
    lifetimeMs: 30_000,
  });
  expect(freshness({ expires: "0" }, DEFAULT, NOW)).toEqual({ keep: false, why: "expired" });
  expect(freshness({ date, expires: date }, DEFAULT, NOW)).toEqual({ keep: false, why: "expired" });
});

test("no-store, private and no-cache answers are never kept; nor a max-age of 0 or one already used up by Age", () => {
  for (const refusal of ["no-store", "private", "no-cache", 'no-cache="set-cookie"', "Private, max-age=60"]) {
    expect(freshness({ "cache-control": refusal }, DEFAULT, NOW).keep).toBe(false);
  }
  expect(freshness({ "cache-control": "max-age=0" }, DEFAULT, NOW).keep).toBe(false);
  expect(freshness({ "cache-control": "max-age=lots" }, DEFAULT, NOW)).toEqual({
    keep: false,
    why: "malformed max-age",
  });
  expect(freshness({ "cache-control": "max-age=60", age: "60" }, DEFAULT, NOW).keep).toBe(false);
  expect(freshness({ "cache-control": "max-age=60", age: "20" }, DEFAULT, NOW)).toEqual({
    keep: true,
    lifetimeMs: 40_000,
  });
});

test("a request's no-store and no-cache are told apart; other directives ask nothing of the cache", () => {
  expect(requestDirective("no-store, no-cache")).toBe("no-store");
  expect(requestDirective("No-Cache")).toBe("no-cache");
  expect(requestDirective("max-age=0")).toBeNull();
  expect(requestDirective(undefined)).toBeNull();
});
