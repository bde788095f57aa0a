import { z } from "zod";
import { timestampSchema } from "./common.ts";

/** A policy's own config is validated by the policy's schema in packages/policies; here it is opaque. */
export const policySchema = z.object({
  id: z.string(),
  type: z.string(),
  apiId: z.string().nullable(),
  routeId: z.string().nullable(),
  consumerId: z.string().nullable(),
  enabled: z.boolean(),
  config: z.record(z.string(), z.unknown()),
  createdAt: timestampSchema,
  updatedAt: timestampSchema,
});
export type Policy = z.infer<typeof policySchema>;
