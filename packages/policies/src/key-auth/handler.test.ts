import { expect, test } from "vitest";
import { testContext, testServices } from "../test-context.ts";
import type { KeyIdentity } from "../types.ts";
import { generateApiKey, isWellFormedApiKey } from "./api-key.ts";
import { keyAuth } from "./handler.ts";
import { keyAuthSchema } from "./schema.ts";

const now = Date.parse("2026-11-22T12:00:00Z");
const consumer = { id: "consumer_1", name: "acme", groups: [], plan: null };
const good = generateApiKey();
const revoked = generateApiKey();
const expired = generateApiKey();
const scoped = generateApiKey();
const key = (id: string, extra: Partial<KeyIdentity> = {}): KeyIdentity => ({
  id,
  consumerId: consumer.id,
  apiIds: null,
  expiresAt: null,
  revokedAt: null,
  limits: {},
  ...extra,
});
const services = testServices(
  {
    [good.hash]: key("key_good"),
    [revoked.hash]: key("key_revoked", { revokedAt: now - 1 }),
    [expired.hash]: key("key_expired", { expiresAt: now }),
    [scoped.hash]: key("key_scoped", { apiIds: new Set(["api_other"]) }),
  },
  [consumer],
);
const handler = (config = {}) => keyAuth.create(keyAuthSchema.config.parse(config), services, "policy_1");

test("a key is a prefix, ~142 random bits and a checksum that catches typos", () => {
  expect(good.key).toMatch(/^ghk_[0-9A-Za-z]{30}$/);
  expect(good.prefix).toBe(good.key.slice(0, 12));
  expect(good.hash).toMatch(/^[0-9a-f]{64}$/);
  expect(isWellFormedApiKey(good.key)).toBe(true);
  const typo = good.key.slice(0, 10) + (good.key[10] === "a" ? "b" : "a") + good.key.slice(11);
  expect(isWellFormedApiKey(typo)).toBe(false);
  expect(new Set(Array.from({ length: 1000 }, () => generateApiKey().key)).size).toBe(1000);
});

test("a good key names the consumer upstream and is not forwarded", () => {
  const ctx = testContext({ now, headers: { "x-api-key": good.key } });
  expect(handler().handle(ctx)).toBeUndefined();
  expect(ctx.consumer).toEqual(consumer);
  expect(ctx.key?.id).toBe("key_good");
  expect(ctx.upstreamHeaders).toEqual({ "x-consumer-id": "consumer_1", "x-consumer-name": "acme" });
  expect(ctx.stripHeaders).toEqual(["x-api-key"]);
});

test("Bearer, a custom header and (when enabled) a query parameter carry the key", () => {
  const bearer = testContext({ now, headers: { authorization: `Bearer ${good.key}` } });
  expect(handler().handle(bearer)).toBeUndefined();
  expect(bearer.stripHeaders).toEqual(["authorization"]);
  expect(handler({ acceptBearer: false }).handle(testContext({ now, headers: bearer.headers }))).toMatchObject({
    code: "key_missing",
  });
  expect(handler({ header: "X-Key" }).handle(testContext({ now, headers: { "x-key": good.key } }))).toBeUndefined();
  const query = testContext({ now, query: `apikey=${good.key}&a=1` });
  expect(handler().handle(query)).toMatchObject({ code: "key_missing" });
  expect(handler({ queryParam: "apikey" }).handle(query)).toBeUndefined();
  expect(query.stripQuery).toEqual(["apikey"]);
});

test("each bad key gets its own code and a challenge", () => {
  const verdict = (headers: Record<string, string>) => handler().handle(testContext({ now, headers }));
  expect(verdict({})).toMatchObject({
    code: "key_missing",
    headers: { "www-authenticate": 'Bearer realm="gatehouse"' },
  });
  expect(verdict({ "x-api-key": "nope" })).toMatchObject({ code: "key_invalid" });
  expect(verdict({ "x-api-key": generateApiKey().key })).toMatchObject({ code: "key_invalid" });
  expect(verdict({ "x-api-key": revoked.key })).toMatchObject({ code: "key_revoked" });
  expect(verdict({ "x-api-key": expired.key })).toMatchObject({ code: "key_expired" });
  expect(verdict({ "x-api-key": scoped.key })).toMatchObject({ code: "key_not_allowed" });
});

test("the schema fills defaults and names the bad field", () => {
  expect(keyAuthSchema.config.parse({})).toEqual({ header: "x-api-key", acceptBearer: true, queryParam: "" });
  const result = keyAuthSchema.config.safeParse({ header: "bad header" });
  expect(result.success).toBe(false);
  expect(result.error?.issues[0]?.path).toEqual(["header"]);
});
