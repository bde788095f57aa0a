import { expect, test } from "vitest";
import { testContext } from "../test-context.ts";
import { applyJsonRules, compileJsonRules, type JsonRules } from "./json-rules.ts";
import { bodyRules } from "./rules-schema.ts";
import { TemplateScope } from "./template.ts";

const scope = new TemplateScope(testContext({ requestId: "req_1" }));
const rules = (config: Record<string, unknown>) => compileJsonRules(bodyRules(true).parse(config)) as JsonRules;

function applied(config: Record<string, unknown>, body: unknown) {
  const changed = applyJsonRules(rules(config), body, scope);
  return { changed, body };
}

test("no rules compile to nothing", () => {
  expect(compileJsonRules(bodyRules(true).parse({}))).toBeNull();
});

test("remove deletes top-level and nested fields; an absent one changes nothing", () => {
  expect(applied({ remove: ["password", "user.ssn"] }, { password: "x", user: { ssn: 1, name: "a" } })).toEqual({
    changed: true,
    body: { user: { name: "a" } },
  });
  expect(applied({ remove: ["nope", "a.b.c"] }, { a: 1 })).toEqual({ changed: false, body: { a: 1 } });
});

test("rename moves the value, also into a new or its own nested object", () => {
  expect(applied({ rename: { name: "user.fullName" } }, { name: "Al" })).toEqual({
    changed: true,
    body: { user: { fullName: "Al" } },
  });
  expect(applied({ rename: { a: "a.b" } }, { a: { c: 1 } })).toEqual({ changed: true, body: { a: { b: { c: 1 } } } });
  expect(applied({ rename: { missing: "x" } }, { y: 1 })).toEqual({ changed: false, body: { y: 1 } });
  expect(applied({ rename: { a: "s.b" } }, { a: 1, s: "text" })).toEqual({ changed: false, body: { a: 1, s: "text" } });
});

test("set always writes; add only when absent; strings are templates, other JSON as it is", () => {
  const body = { kept: 1, source: "client", meta: { v: 1 } };
  expect(
    applied(
      {
        set: { source: "gateway", "meta.request": "$(requestId)", flags: [1, { on: true }] },
        add: { kept: 2, added: null, "meta.v": 9, "deep.er.field": 3 },
      },
      body,
    ).body,
  ).toEqual({
    kept: 1,
    source: "gateway",
    meta: { v: 1, request: "req_1" },
    flags: [1, { on: true }],
    added: null,
    deep: { er: { field: 3 } },
  });
});

test("a JSON value is copied into each body: what happens to one body's copy does not reach the next", () => {
  const compiled = rules({ set: { meta: { a: 1 } } });
  const first: { meta?: { a: number } } = {};
  applyJsonRules(compiled, first, scope);
  (first.meta as { a: number }).a = 99;
  const second = {};
  applyJsonRules(compiled, second, scope);
  expect(second).toEqual({ meta: { a: 1 } });
});

test("a body that is not an object, and a path through a non-object, are left alone", () => {
  expect(applied({ set: { a: 1 } }, [1, 2])).toEqual({ changed: false, body: [1, 2] });
  expect(applied({ set: { a: 1 } }, "text")).toEqual({ changed: false, body: "text" });
  expect(applied({ set: { "list.x": 1 } }, { list: [] })).toEqual({ changed: false, body: { list: [] } });
});
