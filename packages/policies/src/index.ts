import { acl } from "./acl/handler.ts";
import { cors } from "./cors/handler.ts";
import { ipRestriction } from "./ip-restriction/handler.ts";
import { jwt } from "./jwt/handler.ts";
import { keyAuth } from "./key-auth/handler.ts";
import { mirror } from "./mirror/handler.ts";
import { MIRROR_REQUESTS } from "./mirror/tally.ts";
import { OTEL_SPANS_DROPPED, OTEL_SPANS_EXPORTED } from "./opentelemetry/exporter.ts";
import { opentelemetry } from "./opentelemetry/handler.ts";
import { proxyCache } from "./proxy-cache/handler.ts";
import { quota } from "./quota/handler.ts";
import { rateLimit } from "./rate-limit/handler.ts";
import { requestSizeLimit } from "./request-size-limit/handler.ts";
import { requestTransformer } from "./request-transformer/handler.ts";
import { requestValidation } from "./request-validation/handler.ts";
import { responseTransformer } from "./response-transformer/handler.ts";
import { trafficSplit } from "./traffic-split/handler.ts";
import type { PolicyDefinition, PolicyMetric } from "./types.ts";

/** The registry: adding a policy is its folder and one line here and in schemas.ts (registry.test.ts keeps them one list). */
export const POLICIES: readonly PolicyDefinition[] = [
  keyAuth,
  jwt,
  acl,
  ipRestriction,
  cors,
  requestSizeLimit,
  quota,
  rateLimit,
  mirror,
  requestValidation,
  trafficSplit,
  proxyCache,
  requestTransformer,
  responseTransformer,
  opentelemetry,
];

/** Every counter family policies count in, for /metrics to declare. */
export const POLICY_METRICS: readonly PolicyMetric[] = [MIRROR_REQUESTS, OTEL_SPANS_EXPORTED, OTEL_SPANS_DROPPED];

export function findPolicy(type: string): PolicyDefinition | undefined {
  return POLICIES.find((policy) => policy.type === type);
}

export { type AttachedPolicy, PolicyChains, type RouteChain, runChain } from "./chain.ts";
export { NOT_A_CLAIMS_SET } from "./jwt/handler.ts";
export { generateApiKey, hashApiKey, isWellFormedApiKey, KEY_PREFIX } from "./key-auth/api-key.ts";
export { DEFAULT_QUOTA_ENTRIES, QuotaTable, type QuotaTableShare } from "./quota/quota-table.ts";
export { DEFAULT_WINDOW_ENTRIES, WindowTable, type WindowTableShare } from "./rate-limit/window-table.ts";
export * from "./types.ts";
export { upstreamQuery } from "./upstream-query.ts";
