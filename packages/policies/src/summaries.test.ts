import { describe, expect, it } from "vitest";
import { findPolicySchema, POLICY_SCHEMAS, summarizePolicy } from "./schemas.ts";

/** What the Admin API would return for this input: the parsed config. */
function saved(type: string, input: Record<string, unknown>) {
  const schema = findPolicySchema(type);
  if (!schema) throw new Error(`no policy ${type}`);
  return schema.config.parse(input) as Record<string, unknown>;
}

const say = (type: string, input: Record<string, unknown>) => summarizePolicy(type, saved(type, input));

describe("policy summaries", () => {
  it("reads a rate limit as a sentence", () => {
    expect(say("rate-limit", {})).toBe("60 per minute per consumer, in memory");
    expect(say("rate-limit", { limits: { second: 5, day: 10_000 }, by: "header", header: "x-tenant" })).toBe(
      "5 per second and 10,000 per day per value of the x-tenant header, in memory",
    );
    expect(say("rate-limit", { store: "redis", redisUrl: "redis://r:6379", failOpen: false, by: "ip" })).toBe(
      "60 per minute per client IP, in Redis, refusing while Redis is down",
    );
  });

  it("names the pool a canary or a mirror sends to where the caller knows it, else shows its id", () => {
    const names: Record<string, string> = { ups_next: "orders-next" };
    const named = (type: string, input: Record<string, unknown>) =>
      summarizePolicy(type, saved(type, input), (id) => names[id]);
    expect(named("traffic-split", { upstreamId: "ups_next", percent: 5 })).toBe("5% to orders-next");
    expect(named("mirror", { upstreamId: "ups_next", percent: 10 })).toBe("copies 10% of requests to orders-next");
    expect(named("mirror", { upstreamId: "ups_gone", percent: 10 })).toBe("copies 10% of requests to ups_gone");
  });

  it("reads the other policies in words", () => {
    expect(say("key-auth", {})).toBe("key in the x-api-key header or a Bearer token");
    expect(say("key-auth", { acceptBearer: false, queryParam: "key" })).toBe(
      "key in the x-api-key header or the key query parameter",
    );
    expect(say("quota", { quota: { day: 1000 } })).toBe("1,000 per day per consumer, in memory");
    expect(say("quota", { quota: { month: 50_000 }, by: "key", store: "redis", redisUrl: "redis://r:6379" })).toBe(
      "50,000 per month per key, in Redis",
    );
    expect(say("quota", { store: "redis", redisUrl: "redis://r:6379", failOpen: false })).toBe(
      "no cap of its own, counted per consumer, in Redis, refusing while Redis is down",
    );
    expect(say("acl", { allow: ["partners", "internal"] })).toBe("only groups partners and internal");
    expect(say("ip-restriction", { deny: ["10.0.0.7"] })).toBe("never 10.0.0.7");
    expect(say("cors", {})).toBe("pages on any origin");
    expect(say("request-size-limit", { maxBytes: 2 * 1024 * 1024 })).toBe("bodies up to 2 MiB");
    expect(say("mirror", { upstreamId: "ups_shadow", percent: 12.5 })).toBe("copies 12.5% of requests to ups_shadow");
    expect(say("request-transformer", {})).toBe("no changes");
    expect(
      say("request-transformer", {
        headers: { set: { "x-a": "1", "x-b": "2" }, remove: ["cookie"] },
        path: "/v2/$(params.id)",
      }),
    ).toBe("headers: set 2, remove 1; path /v2/$(params.id)");
    expect(say("response-transformer", { body: { rename: { a: "b" } } })).toBe("body: rename 1");
    expect(say("jwt", { jwksUrl: "https://id.example.com/jwks" })).toBe(
      "RS256 tokens checked with the keys at https://id.example.com/jwks, consumer from sub",
    );
  });

  it("reads an HS token policy whose secret the API does not return", () => {
    const { secret: _hidden, ...shown } = saved("jwt", { algorithms: ["HS256"], secret: "s".repeat(32) });
    expect(summarizePolicy("jwt", shown)).toBe("HS256 tokens checked with a shared secret, consumer from sub");
  });

  it("has a summary for every policy in the registry", () => {
    const samples: Record<string, Record<string, unknown>> = {
      acl: { deny: ["blocked"] },
      "ip-restriction": { allow: ["10.0.0.0/8"] },
      jwt: { jwksUrl: "https://id.example.com/jwks" },
      mirror: { upstreamId: "ups_shadow" },
      opentelemetry: { endpoint: "http://collector:4318" },
      "traffic-split": { upstreamId: "ups_canary" },
    };
    const unsaid = POLICY_SCHEMAS.filter((schema) => !say(schema.type, samples[schema.type] ?? {}));
    expect(unsaid.map((schema) => schema.type)).toEqual([]);
  });
});
