import { expect, test } from "vitest";
import { testContext, testServices } from "../test-context.ts";
import type { PolicyContext } from "../types.ts";
import { requestValidation } from "./handler.ts";
import { requestValidationSchema } from "./schema.ts";

const handler = (config: Record<string, unknown>) =>
  requestValidation.create(requestValidationSchema.config.parse(config), testServices(), "p1");

const order = {
  type: "object",
  required: ["items"],
  properties: {
    email: { type: "string", format: "email" },
    items: {
      type: "array",
      items: {
        type: "object",
        required: ["sku", "qty"],
        properties: { sku: { type: "string" }, qty: { type: "integer" } },
      },
    },
  },
  additionalProperties: false,
};

const post = (body: string, headers: Record<string, string> = {}) =>
  testContext({ method: "POST", headers: { "content-type": "application/json", ...headers } }, Buffer.from(body));

/** The verdict of a request, and every body read the policy asked for. */
async function verdictOf(config: Record<string, unknown>, ctx: PolicyContext) {
  const reads: number[] = [];
  const readBody = ctx.readBody;
  const watched = {
    ...ctx,
    readBody(limit: number) {
      reads.push(limit);
      return readBody(limit);
    },
  };
  return { verdict: await handler(config).handle(watched), reads };
}

test("a body that fits its schema passes; one that does not is refused with each failing path", async () => {
  const fits = await verdictOf({ body: order }, post(JSON.stringify({ items: [{ sku: "a", qty: 2 }] })));
  expect(fits).toEqual({ verdict: undefined, reads: [1024 * 1024] });
  const bad = JSON.stringify({ email: "nobody", items: [{ sku: "a", qty: 2 }, { qty: "2" }], gift: true });
  expect((await verdictOf({ body: order }, post(bad))).verdict).toEqual({
    kind: "reject",
    code: "request_invalid",
    message: "The request is invalid: body.gift is not allowed",
    fields: [
      { path: "body.gift", message: "is not allowed" },
      { path: "body.email", message: 'must match format "email"' },
      { path: "body.items[1].sku", message: "is required" },
      { path: "body.items[1].qty", message: "must be integer" },
    ],
  });
});

test("the body is never coerced: a number in a string fails a number schema", async () => {
  const { verdict } = await verdictOf(
    { body: { type: "object", properties: { n: { type: "number" } } } },
    post('{"n":"5"}'),
  );
  expect(verdict).toMatchObject({ code: "request_invalid", fields: [{ path: "body.n", message: "must be number" }] });
});

test("a body that is not JSON, or missing where the schema wants one, is 400; over the limit it is 413", async () => {
  expect((await verdictOf({ body: order }, post("{items:"))).verdict).toMatchObject({
    code: "request_invalid",
    fields: [{ path: "body", message: "is not JSON" }],
  });
  expect((await verdictOf({ body: order }, post(""))).verdict).toMatchObject({
    code: "request_invalid",
    fields: [{ path: "body", message: "is required" }],
  });
  expect((await verdictOf({ body: {} }, post(""))).verdict).toBeUndefined();
  const streamed = await verdictOf({ body: order, maxBodyBytes: 10 }, post('{"items":[]}'));
  expect(streamed.verdict).toMatchObject({ code: "payload_too_large", message: "The request body exceeds 10 bytes" });
  const declared = await verdictOf({ body: order, maxBodyBytes: 10 }, post('{"items":[]}', { "content-length": "12" }));
  expect(declared).toMatchObject({ verdict: { code: "payload_too_large" }, reads: [] });
});

test("a body schema of if/then lists the failures of its then, not the if that chose it", async () => {
  // How an optional body is written: any JSON value must fit, no body at all passes.
  const optional = {
    if: { type: ["null", "boolean", "object", "array", "number", "string"] },
    // biome-ignore lint/suspicious/noThenProperty: JSON Schema's `then` keyword
    then: order,
  };
  expect((await verdictOf({ body: optional }, post(""))).verdict).toBeUndefined();
  expect((await verdictOf({ body: optional }, post("{}"))).verdict).toMatchObject({
    fields: [{ path: "body.items", message: "is required" }],
  });
});

test("a failed upload is a bad request, not a policy failure", async () => {
  const ctx = testContext({ method: "POST", readBody: () => Promise.reject(new Error("aborted")) });
  expect(await handler({ body: {} }).handle(ctx)).toMatchObject({ code: "bad_request" });
});

test("query values are coerced to the schema's types; a repeated parameter is an array where the schema says so", async () => {
  const query = {
    type: "object",
    required: ["limit"],
    properties: {
      limit: { type: "integer", maximum: 100 },
      tag: { type: "array", items: { type: "string" } },
      since: { type: "string", format: "date-time" },
    },
  };
  const pass = (q: string) => verdictOf({ query }, testContext({ query: q }));
  expect((await pass("limit=10&tag=a&tag=b")).verdict).toBeUndefined();
  expect((await pass("limit=10&tag=a&since=2026-12-06T10:00:00Z")).verdict).toBeUndefined();
  expect((await pass("limit=ten&since=yesterday")).verdict).toMatchObject({
    message: "The request is invalid: query.limit must be integer",
    fields: [
      { path: "query.limit", message: "must be integer" },
      { path: "query.since", message: 'must match format "date-time"' },
    ],
  });
  expect((await pass("limit=1&limit=2")).verdict).toMatchObject({ fields: [{ path: "query.limit" }] });
  expect((await pass("tag=a")).verdict).toMatchObject({ fields: [{ path: "query.limit", message: "is required" }] });
  expect((await pass("limit=101&__proto__=x")).verdict).toMatchObject({ fields: [{ path: "query.limit" }] });
});

test("path parameters are coerced and checked, and a failing part stops the body from being read", async () => {
  const params = { type: "object", properties: { id: { type: "string", format: "uuid" }, n: { type: "integer" } } };
  const ok = testContext({ params: { id: "8c7b0a8e-6f43-4c8e-9d1e-2f0b5a8e1c11", n: "3" } });
  expect((await verdictOf({ params }, ok)).verdict).toBeUndefined();
  const bad = { ...post('{"items":[]}'), params: { id: "42", n: "x" } };
  expect(await verdictOf({ params, body: order }, bad)).toEqual({
    verdict: expect.objectContaining({
      fields: [
        { path: "params.id", message: 'must match format "uuid"' },
        { path: "params.n", message: "must be integer" },
      ],
    }),
    reads: [],
  });
});

test("header names in the schema match whatever their case; a header's value is checked as text", async () => {
  const headers = {
    type: "object",
    required: ["X-Tenant"],
    properties: { "X-Tenant": { type: "string", pattern: "^[a-z]+$" }, "x-retries": { type: "integer" } },
  };
  const call = (sent: Record<string, string>) => verdictOf({ headers }, testContext({ headers: sent }));
  expect((await call({ "x-tenant": "acme", "x-retries": "2" })).verdict).toBeUndefined();
  expect((await call({ "x-tenant": "ACME" })).verdict).toMatchObject({
    fields: [{ path: "headers.x-tenant", message: 'must match pattern "^[a-z]+$"' }],
  });
  expect((await call({})).verdict).toMatchObject({ fields: [{ path: "headers.x-tenant", message: "is required" }] });
});

test("however many failures a request has, at most 20 are listed", async () => {
  const body = { type: "array", items: { type: "integer" } };
  const many = JSON.stringify(Array.from({ length: 1000 }, (_, i) => `n${i}`));
  const { verdict } = await verdictOf({ body }, post(many));
  expect(verdict).toMatchObject({
    code: "request_invalid",
    message: "The request is invalid: body[0] must be integer",
  });
  const fields = (verdict as { fields: Array<{ path: string }> }).fields;
  expect(fields.map((field) => field.path)).toEqual(Array.from({ length: 20 }, (_, i) => `body[${i}]`));
});

test("a path is cut at 200 characters, so a long property name is not echoed back in full", async () => {
  const long = "k".repeat(10_000);
  const { verdict } = await verdictOf({ body: { additionalProperties: { type: "integer" } } }, post(`{"${long}":"x"}`));
  expect((verdict as { fields: Array<{ path: string }> }).fields).toEqual([
    { path: `body.${"k".repeat(195)}…`, message: "must be integer" },
  ]);
});
