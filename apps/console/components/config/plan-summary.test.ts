import type { ConfigPlan } from "@gatehouse/shared";
import { describe, expect, it } from "vitest";
import { appliedText, summaryText } from "./plan-summary.ts";

const plan = (applied: boolean, summary: ConfigPlan["summary"]): ConfigPlan => ({
  revision: 12,
  applied,
  changes: [],
  summary,
});

describe("plan summary", () => {
  it("says every count, zeros included", () => {
    expect(summaryText({ create: 1, update: 0, delete: 3 })).toBe("create 1, update 0, delete 3");
  });

  it("names the new revision of an applied plan, and says when nothing changed", () => {
    expect(appliedText(plan(true, { create: 1, update: 1, delete: 0 }))).toBe(
      "Applied as revision 12 (2 objects changed)",
    );
    expect(appliedText(plan(true, { create: 0, update: 1, delete: 0 }))).toBe(
      "Applied as revision 12 (1 object changed)",
    );
    expect(appliedText(plan(false, { create: 0, update: 0, delete: 0 }))).toBe(
      "Nothing changed: the config already matches",
    );
  });
});
