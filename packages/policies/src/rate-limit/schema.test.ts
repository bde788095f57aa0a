import { expect, test } from "vitest";
import { z } from "zod";
import { redactConfig } from "../redact.ts";
import { rateLimitSchema } from "./schema.ts";

/** Each failed field with its first message. */
function errorsOf(config: Record<string, unknown>): Record<string, string> {
  const result = rateLimitSchema.config.safeParse(config);
  const errors: Record<string, string> = {};
  for (const issue of result.error?.issues ?? []) errors[issue.path.join(".")] ??= issue.message;
  return errors;
}

test("the schema fills defaults", () => {
  expect(rateLimitSchema.config.parse({})).toEqual({
    limits: { minute: 60 },
    by: "consumer",
    header: "",
    responseHeaders: ["draft", "legacy", "kong"],
    store: "memory",
    redisUrl: "",
    failOpen: true,
    timeoutMs: 100,
  });
  expect(
    rateLimitSchema.config.parse({ limits: { minute: 100, hour: 1000 }, by: "header", header: "X-Tenant" }),
  ).toMatchObject({ limits: { minute: 100, hour: 1000 }, header: "x-tenant" });
});

test("every field has a title, a description and a default, for the console's form", () => {
  const json = z.toJSONSchema(rateLimitSchema.config, { io: "input" }) as {
    properties: Record<string, { title?: string; description?: string; default?: unknown }>;
  };
  for (const [name, field] of Object.entries(json.properties)) {
    expect(field.title, name).toBeTruthy();
    expect(field.description, name).toBeTruthy();
    expect(field, name).toHaveProperty("default");
  }
});

test("limits need at least one positive whole number, and only known windows", () => {
  expect(errorsOf({ limits: {} })).toEqual({ limits: "Set at least one limit" });
  expect(errorsOf({ limits: { minute: 0 } })).toHaveProperty("limits.minute");
  expect(errorsOf({ limits: { minute: 1.5 } })).toHaveProperty("limits.minute");
  expect(errorsOf({ limits: { week: 10 } })).toHaveProperty("limits");
});

test("counting by header names the header; the redis store needs a redis URL", () => {
  expect(errorsOf({ by: "header" })).toEqual({ header: "Name the header to count by" });
  expect(errorsOf({ by: "header", header: "bad header" })).toEqual({ header: "Not a valid header name" });
  expect(errorsOf({ by: "nobody" })).toHaveProperty("by");
  expect(errorsOf({ store: "redis" })).toEqual({ redisUrl: "The redis store needs a Redis URL" });
  expect(errorsOf({ store: "redis", redisUrl: "http://redis:6379" })).toEqual({
    redisUrl: "Use a redis:// or rediss:// URL",
  });
  expect(errorsOf({ store: "redis", redisUrl: "rediss://:pw@redis.internal:6380/1" })).toEqual({});
  expect(errorsOf({ timeoutMs: 0 })).toHaveProperty("timeoutMs");
});

test("a password in the Redis URL is masked when the config is shown", () => {
  const config = rateLimitSchema.config.parse({ store: "redis", redisUrl: "redis://:hunter2@redis.internal:6379" });
  expect(redactConfig(rateLimitSchema.config, config).redisUrl).toBe("redis://:****@redis.internal:6379");
});
