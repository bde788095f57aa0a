import { z } from "zod";
import { timestampSchema } from "./common.ts";

const scopeId = z.string().min(1).max(100).nullable().default(null);

/** `config` is checked against the policy type's own schema (packages/policies) by the Admin API. */
export const policyCreateSchema = z.strictObject({
  type: z.string().min(1).max(50).meta({ title: "Type", description: "e.g. key-auth, rate-limit" }),
  apiId: scopeId.meta({ title: "API", description: "Attach to this API" }),
  routeId: scopeId.meta({ title: "Route", description: "Attach to this route" }),
  consumerId: scopeId.meta({ title: "Consumer", description: "Attach to this consumer" }),
  enabled: z.boolean().default(true).meta({ title: "Enabled" }),
  config: z.record(z.string(), z.unknown()).default({}).meta({ title: "Config" }),
});
export type PolicyCreate = z.input<typeof policyCreateSchema>;

export const policyPatchSchema = z
  .strictObject({
    enabled: z.boolean().optional(),
    config: z
      .record(z.string(), z.unknown())
      .optional()
      .meta({ description: "Merged into the saved config; fields not named keep their values" }),
  })
  .refine((value) => Object.keys(value).length > 0, "Nothing to change");

export const policySchema = z.object({
  id: z.string(),
  type: z.string(),
  apiId: z.string().nullable(),
  routeId: z.string().nullable(),
  consumerId: z.string().nullable(),
  enabled: z.boolean(),
  config: z
    .record(z.string(), z.unknown())
    .meta({ description: "The policy's config with defaults filled; secrets are left out" }),
  createdAt: timestampSchema,
  updatedAt: timestampSchema,
});
export type Policy = z.infer<typeof policySchema>;

export const policyListQuerySchema = z.strictObject({
  apiId: z.string().optional(),
  routeId: z.string().optional(),
  consumerId: z.string().optional(),
  type: z.string().optional(),
});
