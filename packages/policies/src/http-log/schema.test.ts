import { expect, test } from "vitest";
import { writeOnlyFields } from "../redact.ts";
import { httpLogSchema } from "./schema.ts";

const parse = (input: Record<string, unknown>) => httpLogSchema.config.safeParse(input);

test("http-log needs an http(s) url and fills Kong-like defaults", () => {
  expect(parse({ url: "https://logs.example.com/ingest" }).data).toEqual({
    url: "https://logs.example.com/ingest",
    method: "POST",
    headers: {},
    batchSize: 100,
    flushIntervalMs: 1_000,
    bufferLimit: 10_000,
    timeoutMs: 10_000,
    retries: 3,
    retryBackoffMs: 500,
  });
  expect(parse({}).error?.issues[0]?.path).toEqual(["url"]);
  expect(parse({ url: "file:///etc/passwd" }).error?.issues[0]?.path).toEqual(["url"]);
  expect(parse({ url: "https://l.example.com", method: "GET" }).error?.issues[0]?.path).toEqual(["method"]);
  expect(parse({ url: "https://l.example.com", extra: 1 }).success).toBe(false);
});

test("http-log's headers are write-only: a sink's credential is never shown again", () => {
  expect(writeOnlyFields(httpLogSchema.config)).toEqual(["headers"]);
  expect(parse({ url: "https://l.example.com", headers: { "x y": "1" } }).error?.issues[0]?.path).toEqual([
    "headers",
    "x y",
  ]);
});
