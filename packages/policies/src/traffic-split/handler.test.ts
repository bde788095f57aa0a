import { expect, test } from "vitest";
import { testContext, testServices } from "../test-context.ts";
import type { ConsumerIdentity, PolicyContext } from "../types.ts";
import { trafficSplit } from "./handler.ts";
import { trafficSplitSchema } from "./schema.ts";

const handler = (config: Record<string, unknown>) =>
  trafficSplit.create(
    trafficSplitSchema.config.parse({ upstreamId: "ups_canary", ...config }),
    testServices(),
    "pol_1",
  );

const consumer = (id: string, groups: string[] = []): ConsumerIdentity => ({ id, name: id, groups, plan: null });

function poolOf(split: ReturnType<typeof handler>, overrides: Partial<PolicyContext> = {}): string | null {
  const ctx = testContext(overrides);
  expect(split.handle(ctx)).toBeUndefined();
  return ctx.upstream.upstreamId;
}

/** Two-sided, wrong once in a million runs: 1,000 draws at 10% land within 100 ± 4.89·sqrt(1000·0.1·0.9), about ±46. */
const BOUND = 4.89 * Math.sqrt(1000 * 0.1 * 0.9);

test("at 10%, 1,000 requests send about 100 to the canary and leave the rest on the API's pool", () => {
  const split = handler({ percent: 10 });
  const pools = Array.from({ length: 1000 }, () => poolOf(split));
  const canary = pools.filter((pool) => pool === "ups_canary").length;
  expect(Math.abs(canary - 100)).toBeLessThan(BOUND);
  expect(pools.filter((pool) => pool === null).length).toBe(1000 - canary);
});

test("0% sends nothing to the canary and 100% everything", () => {
  const none = handler({ percent: 0 });
  const all = handler({ percent: 100, stickyBy: "ip" });
  for (let i = 0; i < 200; i++) {
    expect(poolOf(none)).toBeNull();
    expect(poolOf(all, { remoteAddress: `10.0.0.${i}` })).toBe("ups_canary");
  }
});

const stickyCases: [string, Record<string, unknown>, (i: number) => Partial<PolicyContext>][] = [
  ["consumer", { stickyBy: "consumer" }, (i) => ({ consumer: consumer(`con_${i}`) })],
  ["header", { stickyBy: "header", stickyHeader: "x-user" }, (i) => ({ headers: { "x-user": `user-${i}` } })],
  ["ip", { stickyBy: "ip" }, (i) => ({ remoteAddress: `10.0.${i >> 8}.${i & 255}` })],
];

test.each(stickyCases)(
  "sticky by %s: one client always sees one pool, and the clients split near the share",
  (_, config, client) => {
    const split = handler({ percent: 30, ...config });
    let canary = 0;
    for (let i = 0; i < 1000; i++) {
      const first = poolOf(split, client(i));
      for (let again = 0; again < 5; again++) expect(poolOf(split, client(i))).toBe(first);
      if (first !== null) canary++;
    }
    expect(Math.abs(canary - 300)).toBeLessThan(4.89 * Math.sqrt(1000 * 0.3 * 0.7));
  },
);

test.each(stickyCases)(
  "sticky by %s: raising the share only moves clients from main to the canary",
  (_, config, client) => {
    let before = new Set<number>();
    for (const percent of [0, 0.5, 5, 12.34, 25, 50, 75, 99.99, 100]) {
      const split = handler({ percent, ...config });
      const now = new Set<number>();
      for (let i = 0; i < 500; i++) if (poolOf(split, client(i)) !== null) now.add(i);
      for (const i of before) expect(now.has(i)).toBe(true);
      expect(now.size).toBeGreaterThanOrEqual(before.size);
      before = now;
    }
    expect(before.size).toBe(500);
  },
);

test("a sticky request without its identity is drawn afresh rather than all sent one way", () => {
  const split = handler({ percent: 50, stickyBy: "header", stickyHeader: "x-user" });
  const pools = new Set(Array.from({ length: 200 }, () => poolOf(split)));
  expect(pools).toEqual(new Set([null, "ups_canary"]));
});

test("a request matching the header, the cookie or a group goes to the canary at 0%; others stay", () => {
  const split = handler({
    percent: 0,
    match: { header: { name: "X-Canary", value: "1" }, cookie: { name: "beta", value: "yes" }, groups: ["staff"] },
  });
  expect(poolOf(split, { headers: { "x-canary": "1" } })).toBe("ups_canary");
  expect(poolOf(split, { headers: { cookie: "a=b; beta=yes" } })).toBe("ups_canary");
  expect(poolOf(split, { consumer: consumer("con_1", ["users", "staff"]) })).toBe("ups_canary");
  expect(poolOf(split, { headers: { "x-canary": "0", cookie: "beta=no; a=yes" } })).toBeNull();
  expect(poolOf(split, { consumer: consumer("con_2", ["users"]) })).toBeNull();
  expect(poolOf(split)).toBeNull();
});

test("the schema: defaults, two decimals at most, 0 to 100, and a sticky header needs its name", () => {
  expect(trafficSplitSchema.config.parse({ upstreamId: "ups_1" })).toEqual({
    upstreamId: "ups_1",
    percent: 0,
    stickyBy: "none",
    stickyHeader: "",
    match: { groups: [] },
  });
  expect(trafficSplitSchema.upstreamFields).toEqual(["upstreamId"]);
  for (const percent of [12.34, 0.01, 100, 0]) {
    expect(trafficSplitSchema.config.safeParse({ upstreamId: "u", percent }).success).toBe(true);
  }
  const pathOf = (config: Record<string, unknown>) =>
    trafficSplitSchema.config.safeParse({ upstreamId: "u", ...config }).error?.issues[0]?.path;
  for (const percent of [-1, 100.01, 12.345, "10"]) expect(pathOf({ percent })).toEqual(["percent"]);
  expect(pathOf({ upstreamId: "" })).toEqual(["upstreamId"]);
  expect(pathOf({ stickyBy: "header" })).toEqual(["stickyHeader"]);
  expect(pathOf({ stickyBy: "cookie" })).toEqual(["stickyBy"]);
  expect(pathOf({ match: { header: { name: "bad name", value: "1" } } })).toEqual(["match", "header", "name"]);
});
