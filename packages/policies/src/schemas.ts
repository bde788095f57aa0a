/**
 * Every policy's schema and labels, without handlers: safe to import in the browser. The
 * registry (index.ts) lists the same policies with their handlers; registry.test.ts holds
 * the two lists to the same policies, in the same order, with the very same schemas.
 */
import { policyCreateSchema, policySchema } from "@gatehouse/shared";
import { z } from "zod";
import { aclSchema } from "./acl/schema.ts";
import { corsSchema } from "./cors/schema.ts";
import { ipRestrictionSchema } from "./ip-restriction/schema.ts";
import { jwtSchema } from "./jwt/schema.ts";
import { keyAuthSchema } from "./key-auth/schema.ts";
import { mirrorSchema } from "./mirror/schema.ts";
import { opentelemetrySchema } from "./opentelemetry/schema.ts";
import { proxyCacheSchema } from "./proxy-cache/schema.ts";
import { quotaSchema } from "./quota/schema.ts";
import { rateLimitSchema } from "./rate-limit/schema.ts";
import { redactedConfigSchema } from "./redact.ts";
import { requestSizeLimitSchema } from "./request-size-limit/schema.ts";
import { requestTransformerSchema } from "./request-transformer/schema.ts";
import { requestValidationSchema } from "./request-validation/schema.ts";
import { responseTransformerSchema } from "./response-transformer/schema.ts";
import { trafficSplitSchema } from "./traffic-split/schema.ts";
import { PHASES, type PolicySchema, SCOPES } from "./types.ts";

export const POLICY_SCHEMAS: readonly PolicySchema[] = [
  keyAuthSchema,
  jwtSchema,
  aclSchema,
  ipRestrictionSchema,
  corsSchema,
  requestSizeLimitSchema,
  quotaSchema,
  rateLimitSchema,
  mirrorSchema,
  requestValidationSchema,
  trafficSplitSchema,
  proxyCacheSchema,
  requestTransformerSchema,
  responseTransformerSchema,
  opentelemetrySchema,
];

export function findPolicySchema(type: string): PolicySchema | undefined {
  return POLICY_SCHEMAS.find((schema) => schema.type === type);
}

type Branches<T> = [T, T, ...T[]];
const branches = <T>(make: (schema: PolicySchema) => T) => POLICY_SCHEMAS.map(make) as Branches<T>;

/**
 * The create body as a union keyed by `type`, each branch with its policy's config schema:
 * what the OpenAPI document shows a client. The Admin API checks the same schemas in two steps
 * (the envelope, then the config of the type named) so its errors can name an unknown type.
 */
export const policyCreateUnionSchema = z.discriminatedUnion(
  "type",
  branches((schema) =>
    policyCreateSchema.extend({
      type: z.literal(schema.type).meta({ title: schema.title, description: schema.description }),
      config: schema.config.prefault({}).meta({ title: "Config" }),
    }),
  ),
);

/** A policy as the Admin API answers it, keyed by `type`: write-only fields are not in `config`. */
export const policyAnswerSchema = z.discriminatedUnion(
  "type",
  branches((schema) =>
    policySchema.extend({
      type: z.literal(schema.type),
      config: redactedConfigSchema(schema.config).meta({
        description: "The config with defaults filled; secrets are left out and passwords in URLs masked",
      }),
    }),
  ),
);

/** What `/policy-types` says about a policy: its labels and the JSON Schema its form is drawn from. */
export const policyTypeSchema = z.object({
  type: z.string(),
  title: z.string(),
  description: z.string(),
  phase: z.enum(PHASES),
  scopes: z.array(z.enum(SCOPES)),
  configSchema: z
    .record(z.string(), z.unknown())
    .meta({ description: "JSON Schema 2020-12 of the config as a client sends it" }),
});
export type PolicyType = z.infer<typeof policyTypeSchema>;

export { checkPolicyConfig, policySchemaAt } from "./policy-in-file.ts";
export { redactConfig, withoutRedacted, writeOnlyFields } from "./redact.ts";
export { summarizePolicy } from "./summaries.ts";
export { PHASES, type Phase, type PolicySchema, SCOPES, type Scope } from "./types.ts";
