import { expect, test } from "vitest";
import { POLICIES } from "./index.ts";
import { POLICY_SCHEMAS } from "./schemas.ts";

test("the browser-safe schema list is the registry without its handlers: same policies, same order, same schemas", () => {
  expect(POLICY_SCHEMAS.map((schema) => schema.type)).toEqual(POLICIES.map((policy) => policy.type));
  POLICIES.forEach((policy, i) => {
    const { create, ...described } = policy;
    expect(typeof create).toBe("function");
    expect(described).toStrictEqual(POLICY_SCHEMAS[i]);
    expect(policy.config).toBe(POLICY_SCHEMAS[i]?.config);
  });
  expect(new Set(POLICIES.map((policy) => policy.type)).size).toBe(POLICIES.length);
});

test("every policy's config refuses unknown fields, naming each", async () => {
  const { fieldErrors } = await import("@gatehouse/shared");
  for (const { type, config } of POLICY_SCHEMAS) {
    const result = config.safeParse({ surely_not_a_field: 1 });
    expect([type, result.success]).toEqual([type, false]);
    if (!result.success) {
      expect(fieldErrors(result.error)).toContainEqual({ path: "surely_not_a_field", message: "unknown field" });
    }
  }
});
