import { expect, test } from "vitest";
import { testContext } from "../test-context.ts";
import { copyHeaders, copyPath, hasBody } from "./copy-request.ts";

test("a copy carries the client's headers less hop-by-hop ones, the stripped credential, Host and framing", () => {
  const ctx = testContext({
    requestId: "req_1",
    headers: {
      host: "api.example.com",
      connection: "keep-alive, x-hop",
      "x-hop": "named by Connection",
      "keep-alive": "timeout=5",
      "transfer-encoding": "chunked",
      "proxy-authorization": "Basic eA==",
      "content-length": "12",
      expect: "100-continue",
      "x-api-key": "ghk_secret",
      "x-request-id": "the client's",
      "x-consumer-id": "forged",
      accept: "application/json",
      "content-type": "text/plain",
    },
    stripHeaders: ["x-api-key"],
    upstreamHeaders: { "x-consumer-id": "con_1" },
  });
  expect(copyHeaders(ctx)).toEqual({
    accept: "application/json",
    "content-type": "text/plain",
    "x-consumer-id": "con_1",
    "x-request-id": "req_1",
    "x-gatehouse-mirror": "1",
  });
});

test("the copy's path and query are the ones the chain leaves, less stripped query credentials", () => {
  const ctx = testContext({ path: "/v1/orders", query: "apikey=k&page=2" });
  ctx.upstream.path = "/orders";
  ctx.stripQuery.push("apikey");
  expect(copyPath(ctx)).toBe("/orders?page=2");
  ctx.upstream.query = "";
  expect(copyPath(ctx)).toBe("/orders");
});

test("a body is there when declared non-empty or chunked", () => {
  expect(hasBody(testContext())).toBe(false);
  expect(hasBody(testContext({ headers: { "content-length": "0" } }))).toBe(false);
  expect(hasBody(testContext({ headers: { "content-length": "3" } }))).toBe(true);
  expect(hasBody(testContext({ headers: { "transfer-encoding": "chunked" } }))).toBe(true);
});
