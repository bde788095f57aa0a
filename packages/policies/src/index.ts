import { acl } from "./acl/handler.ts";
import { cors } from "./cors/handler.ts";
import { ipRestriction } from "./ip-restriction/handler.ts";
import { jwt } from "./jwt/handler.ts";
import { keyAuth } from "./key-auth/handler.ts";
import { quota } from "./quota/handler.ts";
import { rateLimit } from "./rate-limit/handler.ts";
import { requestSizeLimit } from "./request-size-limit/handler.ts";
import { requestTransformer } from "./request-transformer/handler.ts";
import { responseTransformer } from "./response-transformer/handler.ts";
import type { PolicyDefinition } from "./types.ts";

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
  requestTransformer,
  responseTransformer,
];

export function findPolicy(type: string): PolicyDefinition | undefined {
  return POLICIES.find((policy) => policy.type === type);
}

export { type AttachedPolicy, PolicyChains, type RouteChain, runChain } from "./chain.ts";
export { NOT_A_CLAIMS_SET } from "./jwt/handler.ts";
export { generateApiKey, hashApiKey, isWellFormedApiKey, KEY_PREFIX } from "./key-auth/api-key.ts";
export { DEFAULT_QUOTA_ENTRIES, QuotaTable, type QuotaTableShare } from "./quota/quota-table.ts";
export { DEFAULT_WINDOW_ENTRIES, WindowTable, type WindowTableShare } from "./rate-limit/window-table.ts";
export * from "./types.ts";
