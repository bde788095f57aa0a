import { expect, test } from "vitest";
import { type AttachedPolicy, PolicyChains, runChain } from "./chain.ts";
import { testContext } from "./test-context.ts";
import type { Phase, PolicyHandler, Verdict } from "./types.ts";

function recording(log: string[], name: string, verdict?: Verdict, async = false): PolicyHandler {
  return {
    handle() {
      log.push(name);
      return async ? Promise.resolve(verdict) : verdict;
    },
  };
}

function attach(
  id: string,
  type: string,
  phase: Phase,
  handler: PolicyHandler,
  scope: Partial<AttachedPolicy> = {},
): AttachedPolicy {
  return { id, type, phase, apiId: null, routeId: null, consumerId: null, handler, ...scope };
}

test("phases run in their fixed order and the most specific attachment of a type wins", () => {
  const log: string[] = [];
  const chains = new PolicyChains([
    attach("p1", "rate-limit", "rate-limit", recording(log, "global rate-limit")),
    attach("p2", "rate-limit", "rate-limit", recording(log, "api rate-limit"), { apiId: "a1" }),
    attach("p3", "rate-limit", "rate-limit", recording(log, "route rate-limit"), { routeId: "r1" }),
    attach("p4", "key-auth", "auth", recording(log, "key-auth"), { apiId: "a1" }),
    attach("p5", "cors", "cors", recording(log, "cors")),
    attach("p6", "acl", "acl", recording(log, "acl"), { apiId: "a2" }),
  ]);
  expect(runChain(chains.forRoute("a1", "r1"), testContext())).toBeUndefined();
  expect(log.splice(0)).toEqual(["cors", "key-auth", "route rate-limit"]);
  runChain(chains.forRoute("a1", "r2"), testContext());
  expect(log.splice(0)).toEqual(["cors", "key-auth", "api rate-limit"]);
  runChain(chains.forRoute("a2", "r3"), testContext());
  expect(log.splice(0)).toEqual(["cors", "acl", "global rate-limit"]);
});

test("a consumer's own policy replaces the route's once auth has named the consumer", () => {
  const log: string[] = [];
  const auth: PolicyHandler = {
    handle(ctx) {
      ctx.consumer = { id: "c1", name: "gold", groups: [], plan: null };
    },
  };
  const chains = new PolicyChains([
    attach("p1", "key-auth", "auth", auth),
    attach("p2", "rate-limit", "rate-limit", recording(log, "route limit"), { routeId: "r1" }),
    attach("p3", "rate-limit", "rate-limit", recording(log, "gold limit"), { consumerId: "c1" }),
    attach("p4", "acl", "acl", recording(log, "acl")),
  ]);
  runChain(chains.forRoute("a1", "r1"), testContext());
  expect(log).toEqual(["acl", "gold limit"]);
});

test("the first refusal stops the chain, and an async step hands on to the next", async () => {
  const log: string[] = [];
  const chains = new PolicyChains([
    attach("p1", "cors", "cors", recording(log, "cors", undefined, true)),
    attach("p2", "key-auth", "auth", recording(log, "auth", { kind: "reject", code: "key_missing", message: "x" })),
    attach("p3", "acl", "acl", recording(log, "acl")),
  ]);
  const verdict = runChain(chains.forRoute("a", "r"), testContext());
  expect(verdict).toBeInstanceOf(Promise);
  expect(await verdict).toMatchObject({ code: "key_missing" });
  expect(log).toEqual(["cors", "auth"]);
});

test("two policies of one type at the same place are refused", () => {
  const noop = { handle: () => undefined };
  expect(() => new PolicyChains([attach("p1", "cors", "cors", noop), attach("p2", "cors", "cors", noop)])).toThrow(
    /p2: a cors policy is already attached/,
  );
});
