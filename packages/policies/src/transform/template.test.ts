import { expect, test } from "vitest";
import { testContext } from "../test-context.ts";
import { parseTemplate, render, type Template, TemplateScope } from "./template.ts";

const parsed = (text: string, captures = true) => parseTemplate(text, captures) as Template;

test("a template is parsed once into literal text and variables", () => {
  expect(parseTemplate("plain")).toEqual(["plain"]);
  expect(parseTemplate("")).toEqual([]);
  expect(parseTemplate("/v2/$(params.id)/x")).toEqual(["/v2/", { source: "params", name: "id" }, "/x"]);
  expect(parseTemplate("$(requestId)$(consumer.id)")).toEqual([
    { source: "requestId", name: "" },
    { source: "consumer.id", name: "" },
  ]);
  expect(parseTemplate("$(headers.X-Tenant)")).toEqual([{ source: "headers", name: "x-tenant" }]);
});

test("an unknown variable or an unclosed $( is refused with the variables that exist", () => {
  expect(parseTemplate("$(consumer.email)")).toMatch(/^Unknown variable \$\(consumer.email\); use \$\(consumer.id\)/);
  expect(parseTemplate("$(params)")).toMatch(/^Unknown variable \$\(params\)/);
  expect(parseTemplate("$(env.HOME)")).toMatch(/^Unknown variable/);
  expect(parseTemplate("a $(requestId")).toBe("A $( is not closed with )");
  expect(parseTemplate("$(captures.1)", false)).toMatch(/^Unknown variable \$\(captures.1\); use .*query/);
  expect(parseTemplate("$(captures.1)", false)).not.toContain("captures.<n");
});

test("every variable renders from the request; a missing one renders empty", () => {
  const ctx = testContext({
    requestId: "req_9",
    query: "page=2&q=a%20b",
    headers: { "x-tenant": "acme", accept: ["a", "b"] },
    params: { id: "42" },
    consumer: { id: "con_1", name: "alice", groups: [], plan: null },
    claims: { sub: "u1", roles: ["admin"], age: 7 },
  });
  const captures = /^\/users\/(?<user>\d+)\/(\w+)$/.exec("/users/42/orders");
  const scope = new TemplateScope(ctx, captures);
  const text =
    "$(requestId) $(consumer.id) $(consumer.name) $(claims.sub) $(claims.roles) $(claims.age) $(params.id) " +
    "$(captures.user) $(captures.2) $(headers.x-tenant) $(headers.accept) $(query.q) $(query.page)";
  expect(render(parsed(text), scope)).toBe('req_9 con_1 alice u1 ["admin"] 7 42 42 orders acme a a b 2');
  const empty = new TemplateScope(testContext());
  expect(
    render(parsed("[$(consumer.id)|$(claims.sub)|$(params.x)|$(captures.1)|$(headers.x)|$(query.x)]"), empty),
  ).toBe("[|||||]");
});

test("a value is made safe where it lands; the literal text is not touched", () => {
  const scope = new TemplateScope(testContext({ params: { id: "a b" } }));
  expect(render(parsed("x $(params.id)"), scope, (value) => value.replaceAll(" ", "%20"))).toBe("x a%20b");
});
