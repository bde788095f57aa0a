import { describe, expect, it } from "vitest";
import { historyHref, objectHref } from "./object-href.ts";

describe("objectHref", () => {
  it("links each kind with a page to it, and a policy to nothing", () => {
    expect(objectHref("api", "api_abc1")).toBe("/apis/api_abc1");
    expect(objectHref("upstream", "ups_abc1")).toBe("/upstreams/ups_abc1");
    expect(objectHref("consumer", "con_abc1")).toBe("/consumers/con_abc1");
    expect(objectHref("plan", "pln_abc1")).toBe("/plans");
    expect(objectHref("policy", "pol_abc1")).toBeNull();
  });

  it("narrows History to one object, its kind when known", () => {
    expect(historyHref("api_abc1")).toBe("/history?objectId=api_abc1");
    expect(historyHref("api_abc1", "api")).toBe("/history?kind=api&objectId=api_abc1");
  });
});
