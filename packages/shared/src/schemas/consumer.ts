import { z } from "zod";
import { nameSchema, timestampSchema } from "./common.ts";

export const metadataSchema = z.record(z.string().max(100), z.union([z.string().max(1000), z.number(), z.boolean()]));

export const consumerCreateSchema = z.object({
  name: nameSchema,
  metadata: metadataSchema.default({}).meta({ title: "Metadata" }),
  groups: z.array(z.string().trim().min(1).max(50)).max(50).default([]).meta({ title: "Groups" }),
  plan: z.string().trim().max(50).nullable().default(null).meta({ title: "Plan" }),
});
export type ConsumerCreate = z.input<typeof consumerCreateSchema>;

export const consumerSchema = z.object({
  id: z.string(),
  name: z.string(),
  metadata: metadataSchema,
  groups: z.array(z.string()),
  plan: z.string().nullable(),
  createdAt: timestampSchema,
  updatedAt: timestampSchema,
});
export type Consumer = z.infer<typeof consumerSchema>;

export const keyLimitsSchema = z.partialRecord(z.enum(["second", "minute", "hour", "day"]), z.int().min(1));
export type KeyLimits = z.infer<typeof keyLimitsSchema>;

export const apiKeySchema = z.object({
  id: z.string(),
  consumerId: z.string(),
  name: z.string(),
  prefix: z.string().meta({ description: "The first characters of the key, for recognising it" }),
  apiIds: z.array(z.string()).meta({ description: "The APIs this key may call; empty means all" }),
  metadata: metadataSchema,
  limits: keyLimitsSchema,
  expiresAt: timestampSchema.nullable(),
  revokedAt: timestampSchema.nullable(),
  lastUsedAt: timestampSchema.nullable(),
  createdAt: timestampSchema,
});
export type ApiKey = z.infer<typeof apiKeySchema>;
