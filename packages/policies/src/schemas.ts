/** Every policy's schema and labels, without handlers: safe to import in the browser. */
import { aclSchema } from "./acl/schema.ts";
import { corsSchema } from "./cors/schema.ts";
import { ipRestrictionSchema } from "./ip-restriction/schema.ts";
import { jwtSchema } from "./jwt/schema.ts";
import { keyAuthSchema } from "./key-auth/schema.ts";
import { quotaSchema } from "./quota/schema.ts";
import { rateLimitSchema } from "./rate-limit/schema.ts";
import { requestSizeLimitSchema } from "./request-size-limit/schema.ts";
import type { PolicySchema } from "./types.ts";

export const POLICY_SCHEMAS: readonly PolicySchema[] = [
  keyAuthSchema,
  jwtSchema,
  aclSchema,
  ipRestrictionSchema,
  corsSchema,
  requestSizeLimitSchema,
  quotaSchema,
  rateLimitSchema,
];

export function findPolicySchema(type: string): PolicySchema | undefined {
  return POLICY_SCHEMAS.find((schema) => schema.type === type);
}

export { redactConfig, withoutRedacted, writeOnlyFields } from "./redact.ts";
export { summarizePolicy } from "./summaries.ts";
export { PHASES, type Phase, type PolicySchema, SCOPES, type Scope } from "./types.ts";
