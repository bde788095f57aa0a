import { expect, test } from "vitest";
import { testContext, testServices } from "../test-context.ts";
import { requestTransformer } from "./handler.ts";
import { requestTransformerSchema } from "./schema.ts";

const handler = (config: Record<string, unknown>) =>
  requestTransformer.create(requestTransformerSchema.config.parse(config), testServices(), "p1");

const json = (value: unknown) => Buffer.from(JSON.stringify(value));
const jsonHeaders = (body: Buffer) => ({ "content-type": "application/json", "content-length": String(body.length) });

test("headers: remove, rename, set, and add only when absent, over what earlier policies did", () => {
  const ctx = testContext({
    headers: { cookie: "s=1", "x-old": "v", "x-kept": "client", "x-user": "from-client" },
    upstreamHeaders: { "x-consumer-id": "con_1" },
    requestId: "req_7",
  });
  handler({
    headers: {
      remove: ["cookie"],
      rename: { "x-old": "x-new", "x-absent": "x-never" },
      set: { "x-user": "gateway", "x-request": "$(requestId)" },
      add: { "x-kept": "added", "x-consumer-id": "ignored", "x-fresh": "yes" },
    },
  }).handle(ctx);
  expect(ctx.stripHeaders.sort()).toEqual(["cookie", "x-old"]);
  expect(ctx.upstreamHeaders).toEqual({
    "x-consumer-id": "con_1",
    "x-new": "v",
    "x-user": "gateway",
    "x-request": "req_7",
    "x-fresh": "yes",
  });
});

test("a rendered header value loses the characters a header cannot carry", () => {
  const ctx = testContext({ query: "name=a%0D%0Ab" });
  handler({ headers: { set: { "x-name": "$(query.name)" } } }).handle(ctx);
  expect(ctx.upstreamHeaders["x-name"]).toBe("ab");
});

test("query: remove, rename and set keep the other parameters' bytes as the client sent them", () => {
  const ctx = testContext({ query: "a=1%2B1&old=x&token=s&page=2&page=3&keep=%7E", headers: { "x-who": "a b&c" } });
  handler({
    query: {
      remove: ["token"],
      rename: { old: "new" },
      set: { page: "1" },
      add: { a: "ignored", who: "$(headers.x-who)" },
    },
  }).handle(ctx);
  expect(ctx.upstream.query).toBe("a=1%2B1&new=x&keep=%7E&page=1&who=a%20b%26c");
});

test("path: a template of route params, or of a pattern's captures; an unmatched pattern leaves the path", () => {
  const params = testContext({ path: "/users/42", params: { id: "42" } });
  handler({ path: "/v2/accounts/$(params.id)" }).handle(params);
  expect(params.upstream.path).toBe("/v2/accounts/42");

  const rewrite = handler({
    pathPattern: "^/users/(?<user>[^/]+)/(\\w+)$",
    path: "/$(captures.2)/by/$(captures.user)",
  });
  const matched = testContext({ path: "/users/a%20b/orders" });
  rewrite.handle(matched);
  expect(matched.upstream.path).toBe("/orders/by/a%20b");
  const other = testContext({ path: "/health" });
  rewrite.handle(other);
  expect(other.upstream.path).toBe("/health");
});

test("a value put in the path cannot end it or add a query", () => {
  const ctx = testContext({ headers: { "x-slug": "a b?c#d/é" } });
  handler({ path: "/items/$(headers.x-slug)" }).handle(ctx);
  expect(ctx.upstream.path).toBe("/items/a%20b%3Fc%23d/%C3%A9");
});

test("host overrides the Host the upstream gets", () => {
  const ctx = testContext();
  handler({ host: "api.internal:8443" }).handle(ctx);
  expect(ctx.upstream.host).toBe("api.internal:8443");
});

test("body: the JSON fields are rewritten and the new bytes sent upstream", async () => {
  const body = json({ name: "Al", password: "x", user: { id: 1 } });
  const ctx = testContext(
    { method: "POST", headers: jsonHeaders(body), consumer: { id: "con_1", name: "al", groups: [], plan: null } },
    body,
  );
  const verdict = await handler({
    body: {
      remove: ["password"],
      rename: { name: "fullName" },
      set: { "user.by": "$(consumer.id)" },
      add: { version: 2 },
    },
  }).handle(ctx);
  expect(verdict).toBeUndefined();
  expect(JSON.parse(String(ctx.upstream.body))).toEqual({ fullName: "Al", user: { id: 1, by: "con_1" }, version: 2 });
});

test("body: nothing changed, no body, or a body not JSON passes untouched", async () => {
  const rules = { body: { remove: ["absent"], set: { a: 1 } } };
  const unchanged = testContext({ method: "POST", headers: jsonHeaders(json({ a: 1 })) }, json({ a: 1 }));
  await handler({ body: { remove: ["absent"] } }).handle(unchanged);
  expect(unchanged.upstream.body).toBeNull();
  const empty = testContext({ method: "GET" });
  expect(await handler(rules).handle(empty)).toBeUndefined();
  const text = Buffer.from("a=1");
  const form = testContext(
    { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", "content-length": "3" } },
    text,
  );
  expect(await handler(rules).handle(form)).toBeUndefined();
  expect(form.upstream.body).toBeNull();
  const broken = testContext({ method: "POST", headers: jsonHeaders(Buffer.from("{nope")) }, Buffer.from("{nope"));
  expect(await handler(rules).handle(broken)).toBeUndefined();
  expect(broken.upstream.body).toBeNull();
  const gzipped = testContext(
    { method: "POST", headers: { ...jsonHeaders(json({})), "content-encoding": "gzip" } },
    json({}),
  );
  expect(await handler(rules).handle(gzipped)).toBeUndefined();
  expect(gzipped.upstream.body).toBeNull();
});

test("body: a larger body passes untouched, or is refused with 413; a non-JSON one with 400 when refusing", async () => {
  const big = json({ pad: "x".repeat(200) });
  const rules = { body: { set: { a: 1 } }, maxBodyBytes: 100 };
  const passed = testContext(
    { method: "POST", headers: { "content-type": "application/json", "transfer-encoding": "chunked" } },
    big,
  );
  expect(await handler(rules).handle(passed)).toBeUndefined();
  expect(passed.upstream.body).toBeNull();
  const refuse = handler({ ...rules, onLargeBody: "refuse" });
  const declared = testContext({ method: "POST", headers: jsonHeaders(big) }, big);
  expect(await refuse.handle(declared)).toMatchObject({ kind: "reject", code: "payload_too_large" });
  const streamed = testContext(
    { method: "POST", headers: { "content-type": "application/json", "transfer-encoding": "chunked" } },
    big,
  );
  expect(await refuse.handle(streamed)).toMatchObject({ kind: "reject", code: "payload_too_large" });
  const form = testContext(
    { method: "POST", headers: { "content-type": "text/plain", "content-length": "2" } },
    Buffer.from("hi"),
  );
  expect(await refuse.handle(form)).toMatchObject({ kind: "reject", code: "bad_request" });
  const broken = testContext({ method: "POST", headers: jsonHeaders(Buffer.from("{")) }, Buffer.from("{"));
  expect(await refuse.handle(broken)).toMatchObject({ kind: "reject", code: "bad_request" });
});

test("body: no more is read than the request may send (request-size-limit), which the gateway then refuses", async () => {
  const body = json({ pad: "x".repeat(50) });
  const ctx = testContext({ method: "POST", headers: jsonHeaders(body), maxBodyBytes: 10 }, body);
  expect(await handler({ body: { set: { a: 1 } } }).handle(ctx)).toBeUndefined();
  expect(ctx.upstream.body).toBeNull();
});

test("a config without rules leaves the request as it came", () => {
  const ctx = testContext({ path: "/a", query: "x=1" });
  expect(handler({}).handle(ctx)).toBeUndefined();
  expect(ctx.upstream).toEqual({ path: "/a", query: "x=1", host: null, upstreamId: null, body: null });
  expect([ctx.upstreamHeaders, ctx.stripHeaders]).toEqual([{}, []]);
});
