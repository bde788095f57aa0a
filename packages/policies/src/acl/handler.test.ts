import { expect, test } from "vitest";
import { testContext, testServices } from "../test-context.ts";
import type { ConsumerIdentity } from "../types.ts";
import { acl } from "./handler.ts";
import { aclSchema } from "./schema.ts";

const handler = (config: Record<string, unknown>) => acl.create(aclSchema.config.parse(config), testServices(), "p1");
const consumer = (...groups: string[]): ConsumerIdentity => ({ id: "c1", name: "acme", groups, plan: null });
const verdict = (config: Record<string, unknown>, who: ConsumerIdentity | null) =>
  handler(config).handle(testContext({ consumer: who }));

test("allow lets in a consumer in any listed group and refuses the rest without naming groups", () => {
  const config = { allow: ["staff", "partners"] };
  expect(verdict(config, consumer("partners", "eu"))).toBeUndefined();
  const refused = verdict(config, consumer("eu"));
  expect(refused).toEqual({ kind: "reject", code: "forbidden", message: "You may not call this API" });
  expect(verdict(config, consumer())).toMatchObject({ code: "forbidden" });
});

test("deny refuses a consumer in any listed group and lets in the rest", () => {
  const config = { deny: ["banned"] };
  expect(verdict(config, consumer("eu"))).toBeUndefined();
  expect(verdict(config, consumer())).toBeUndefined();
  expect(verdict(config, consumer("eu", "banned"))).toMatchObject({ code: "forbidden" });
});

test("without a consumer (no auth policy before it) every request is refused", () => {
  expect(verdict({ deny: ["banned"] }, null)).toEqual({
    kind: "reject",
    code: "forbidden",
    message: "This API needs an authenticated consumer",
  });
});

test("the schema wants exactly one of allow and deny, and group names as consumers have them", () => {
  expect(aclSchema.config.parse({ allow: [" staff "] })).toEqual({ allow: ["staff"], deny: [] });
  const errors = (config: Record<string, unknown>) =>
    aclSchema.config.safeParse(config).error?.issues.map((issue) => [issue.path.join("."), issue.message]);
  expect(errors({})).toEqual([["allow", "List the groups to allow or to deny"]]);
  expect(errors({ allow: ["a"], deny: ["b"] })).toEqual([["deny", "Set allow or deny, not both"]]);
  expect(errors({ allow: ["two words"] })).toEqual([["allow.0", "Groups are single words"]]);
});
