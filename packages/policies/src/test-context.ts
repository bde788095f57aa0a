import { QuotaTable } from "./quota/quota-table.ts";
import type { ConsumerIdentity, Credentials, KeyIdentity, PolicyContext, PolicyServices } from "./types.ts";

/** A request context for handler tests: a plain object, as the gateway builds one; `body` is the client's. */
export function testContext(overrides: Partial<PolicyContext> = {}, body: Buffer = Buffer.alloc(0)): PolicyContext {
  return {
    method: "GET",
    path: "/",
    query: "",
    headers: {},
    remoteAddress: "127.0.0.1",
    apiId: "api_1",
    routeId: "route_1",
    now: Date.now(),
    consumer: null,
    key: null,
    claims: null,
    upstreamHeaders: {},
    stripHeaders: [],
    stripQuery: [],
    responseHeaders: {},
    maxBodyBytes: Number.POSITIVE_INFINITY,
    requestId: "req_test",
    params: {},
    upstream: { path: overrides.path ?? "/", query: overrides.query ?? "", host: null, upstreamId: null, body: null },
    responseHooks: [],
    trace: null,
    readBody: (limit) => Promise.resolve(body.length > limit ? null : body),
    ...overrides,
  };
}

/** Credentials over plain maps (keys by their hex hash, as config.db has them), and services whose state lives as long as the object. */
export function testServices(
  keys: Record<string, KeyIdentity> = {},
  consumers: ConsumerIdentity[] = [],
): PolicyServices & { lines: string[] } {
  const state = new Map<string, unknown>();
  const lines: string[] = [];
  const credentials: Credentials = {
    keyByDigest: (digest) => keys[Buffer.from(digest, "latin1").toString("hex")],
    consumer: (id) => consumers.find((c) => c.id === id),
    consumerByName: (name) => consumers.find((c) => c.name === name),
  };
  return {
    credentials,
    counters: new QuotaTable(QuotaTable.allocate(64)),
    state<T>(policyId: string, create: () => T): T {
      if (!state.has(policyId)) state.set(policyId, create());
      return state.get(policyId) as T;
    },
    log: (line) => lines.push(line),
    lines,
  };
}
