import { describe, expect, it } from "vitest";
import { z } from "zod";
import { applies, fieldApplies, shownWhen, whenOf } from "./field-rules.ts";

const schema = z.object({
  store: z.enum(["memory", "redis"]).default("memory"),
  redisUrl: z.string().default("").meta({ title: "Redis URL" }),
  algorithms: z.array(z.string()).default([]),
  secret: z.string().default(""),
});
shownWhen(schema, { store: "redis" }, ["redisUrl"]);
shownWhen(schema, { algorithms: ["HS256", "HS512"] }, ["secret"]);

describe("field rules", () => {
  it("applies a field only while its sibling has the named value", () => {
    expect(fieldApplies(schema, "redisUrl", { store: "redis" })).toBe(true);
    expect(fieldApplies(schema, "redisUrl", { store: "memory" })).toBe(false);
    expect(fieldApplies(schema, "redisUrl", {})).toBe(false);
    expect(fieldApplies(schema, "store", {})).toBe(true);
  });

  it("matches a list sibling on any of its items", () => {
    expect(fieldApplies(schema, "secret", { algorithms: ["RS256", "HS512"] })).toBe(true);
    expect(fieldApplies(schema, "secret", { algorithms: ["RS256"] })).toBe(false);
    expect(applies(undefined, {})).toBe(true);
  });

  it("keeps the rule out of the published JSON Schema, with the field's own metadata", () => {
    expect(whenOf(schema.shape.redisUrl)).toEqual({ store: "redis" });
    const json = JSON.stringify(z.toJSONSchema(schema, { io: "input" }));
    expect(json).toContain("Redis URL");
    expect(json).not.toContain("when");
  });
});
