import { z } from "zod";
import { nameSchema, patchOf, timestampSchema } from "./common.ts";

export const metadataSchema = z
  .record(z.string().max(100), z.union([z.string().max(1000), z.number(), z.boolean()]))
  .refine((value) => Object.keys(value).length <= 50, "At most 50 metadata entries");

const groupsSchema = z
  .array(
    z
      .string()
      .trim()
      .min(1)
      .max(50)
      .regex(/^[A-Za-z0-9:._-]+$/, "Groups are single words"),
  )
  .max(50);

const consumerFields = {
  name: nameSchema,
  metadata: metadataSchema
    .default({})
    .meta({ title: "Metadata", description: "Your own key/value data, sent nowhere" }),
  groups: groupsSchema.default([]).meta({ title: "Groups", description: "Names the acl policy allows or denies" }),
  planId: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .nullable()
    .default(null)
    .meta({ title: "Plan", description: "The plan whose limits and quota apply, unless a key has its own" }),
};

export const consumerCreateSchema = z.strictObject(consumerFields);
export type ConsumerCreate = z.input<typeof consumerCreateSchema>;

export const consumerPatchSchema = patchOf(z.object(consumerFields)).refine(
  (value) => Object.keys(value).length > 0,
  "Nothing to change",
);

export const consumerSchema = z.object({
  id: z.string(),
  name: z.string(),
  metadata: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
  groups: z.array(z.string()),
  planId: z.string().nullable(),
  createdAt: timestampSchema,
  updatedAt: timestampSchema,
});
export type Consumer = z.infer<typeof consumerSchema>;

export const LIMIT_WINDOWS = ["second", "minute", "hour", "day"] as const;
const perWindow = z.int().min(1).max(1_000_000_000).optional();
export const keyLimitsSchema = z
  .strictObject({
    second: perWindow.meta({ title: "Per second" }),
    minute: perWindow.meta({ title: "Per minute" }),
    hour: perWindow.meta({ title: "Per hour" }),
    day: perWindow.meta({ title: "Per day" }),
  })
  .meta({ description: "Requests per window; replaces the rate-limit policy's limits" });
export type KeyLimits = z.infer<typeof keyLimitsSchema>;

export const QUOTA_PERIODS = ["day", "month"] as const;
export const planQuotaSchema = z
  .strictObject({
    day: perWindow.meta({ title: "Per calendar day (UTC)" }),
    month: perWindow.meta({ title: "Per calendar month (UTC)" }),
  })
  .meta({ description: "Requests per calendar period; replaces the quota policy's quota" });
export type PlanQuota = z.infer<typeof planQuotaSchema>;

const planFields = {
  name: nameSchema,
  description: z.string().trim().max(500).default("").meta({ title: "Description" }),
  limits: keyLimitsSchema.default({}).meta({ title: "Rate limits" }),
  quota: planQuotaSchema.default({}).meta({ title: "Quota" }),
};

export const planCreateSchema = z.strictObject(planFields);
export type PlanCreate = z.input<typeof planCreateSchema>;

export const planPatchSchema = patchOf(z.object(planFields)).refine(
  (value) => Object.keys(value).length > 0,
  "Nothing to change",
);

export const planSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  limits: keyLimitsSchema,
  quota: planQuotaSchema,
  createdAt: timestampSchema,
  updatedAt: timestampSchema,
});
export type Plan = z.infer<typeof planSchema>;

const futureTimestamp = z.iso
  .datetime({ offset: true, message: "Use an ISO 8601 time, e.g. 2027-01-31T00:00:00Z" })
  .refine((value) => Date.parse(value) > Date.now(), "Must be in the future")
  .transform((value) => new Date(value).toISOString());

export const apiKeyCreateSchema = z.strictObject({
  name: z.string().trim().max(100).default("").meta({ title: "Name", description: "What the key is for" }),
  expiresAt: futureTimestamp
    .nullable()
    .default(null)
    .meta({ title: "Expires at", description: "After this time the key stops working; empty: never" }),
  apiIds: z
    .array(z.string().min(1).max(100))
    .max(1000)
    .default([])
    .meta({ title: "APIs", description: "The APIs this key may call; empty means all" }),
  metadata: metadataSchema.default({}).meta({ title: "Metadata" }),
  limits: keyLimitsSchema.default({}).meta({ title: "Limits" }),
});
export type ApiKeyCreate = z.input<typeof apiKeyCreateSchema>;

export const apiKeyRotateSchema = z.strictObject({
  gracePeriodSeconds: z
    .int()
    .min(0)
    .max(30 * 86_400)
    .default(3600)
    .meta({ title: "Grace period (seconds)", description: "How long the old key keeps working; 0 stops it now" }),
});

export const KEY_STATUSES = ["active", "expired", "revoked"] as const;

export const apiKeySchema = z.object({
  id: z.string(),
  consumerId: z.string(),
  name: z.string(),
  prefix: z.string().meta({ description: "The first characters of the key, for recognising it" }),
  apiIds: z.array(z.string()).meta({ description: "The APIs this key may call; empty means all" }),
  metadata: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
  limits: keyLimitsSchema,
  status: z.enum(KEY_STATUSES),
  expiresAt: timestampSchema.nullable(),
  revokedAt: timestampSchema.nullable(),
  lastUsedAt: timestampSchema.nullable(),
  createdAt: timestampSchema,
});
export type ApiKey = z.infer<typeof apiKeySchema>;

/** The only answer that ever carries the key itself. */
export const apiKeyIssuedSchema = apiKeySchema.extend({
  key: z.string().meta({ description: "The API key. Shown once: it is not stored and cannot be read again" }),
});
export type ApiKeyIssued = z.infer<typeof apiKeyIssuedSchema>;

export const apiKeyRotatedSchema = z.object({
  issued: apiKeyIssuedSchema,
  previous: apiKeySchema.meta({ description: "The old key, now expiring at the end of the grace period" }),
});
