import { expect, test } from "vitest";
import { summarizePolicy } from "../summaries.ts";
import { trafficSplitSchema } from "./schema.ts";

const summary = (config: Record<string, unknown>) =>
  summarizePolicy("traffic-split", trafficSplitSchema.config.parse({ upstreamId: "ups_b", ...config }));

test("the summary names the share, the canary, stickiness and whether matches always go", () => {
  expect(summary({ percent: 12.5 })).toBe("12.5% to ups_b");
  expect(summary({ percent: 10, stickyBy: "header", stickyHeader: "x-user" })).toBe(
    "10% to ups_b, sticky per x-user header",
  );
  expect(summary({ stickyBy: "consumer", match: { groups: ["staff"] } })).toBe(
    "0% to ups_b, sticky per consumer, matches always",
  );
});
