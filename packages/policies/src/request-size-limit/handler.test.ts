import { expect, test } from "vitest";
import { testContext, testServices } from "../test-context.ts";
import { requestSizeLimit } from "./handler.ts";
import { requestSizeLimitSchema } from "./schema.ts";

const handler = (config: Record<string, unknown> = {}) =>
  requestSizeLimit.create(requestSizeLimitSchema.config.parse(config), testServices(), "p1");

test("a declared length over the limit is refused with 413 before the body is read", () => {
  const ctx = testContext({ method: "POST", headers: { "content-length": "1001" } });
  expect(handler({ maxBytes: 1000 }).handle(ctx)).toEqual({
    kind: "reject",
    code: "payload_too_large",
    message: "The request body of 1001 bytes exceeds 1000 bytes",
  });
});

test("otherwise the limit lowers the body limit the gateway streams with, never raises it", () => {
  const declared = testContext({ method: "POST", headers: { "content-length": "1000" } });
  expect(handler({ maxBytes: 1000 }).handle(declared)).toBeUndefined();
  expect(declared.maxBodyBytes).toBe(1000);
  const chunked = testContext({ method: "POST", headers: { "transfer-encoding": "chunked" } });
  expect(handler().handle(chunked)).toBeUndefined();
  expect(chunked.maxBodyBytes).toBe(1024 * 1024);
  const lower = testContext({ maxBodyBytes: 10 });
  handler().handle(lower);
  expect(lower.maxBodyBytes).toBe(10);
  const unlimited = testContext({ maxBodyBytes: 0 });
  handler({ maxBytes: 5 }).handle(unlimited);
  expect(unlimited.maxBodyBytes).toBe(5);
});

test("the schema defaults to 1 MiB and keeps the limit between 1 byte and 1 GiB", () => {
  expect(requestSizeLimitSchema.config.parse({})).toEqual({ maxBytes: 1024 * 1024 });
  for (const maxBytes of [0, 1024 ** 3 + 1, 1.5, "10"]) {
    expect(requestSizeLimitSchema.config.safeParse({ maxBytes }).error?.issues[0]?.path).toEqual(["maxBytes"]);
  }
  expect(requestSizeLimitSchema.config.parse({ maxBytes: 1024 ** 3 })).toEqual({ maxBytes: 1024 ** 3 });
});
