import { planQuotaSchema } from "@gatehouse/shared";
import { z } from "zod";
import { requireRedisUrl, storeFields } from "../redis/settings.ts";
import type { PolicySchema } from "../types.ts";

export const QUOTA_BY = ["consumer", "key", "ip"] as const;

export const quotaSchema = {
  type: "quota",
  title: "Quota",
  description:
    "Caps requests per calendar day or month (UTC), counted across gateway restarts; a consumer's plan quota replaces these numbers.",
  // After rate-limit, so a request the rate limit refuses does not use up quota.
  phase: "quota",
  scopes: ["global", "api", "route", "consumer"],
  config: z
    .strictObject({
      quota: planQuotaSchema
        .default({})
        .meta({ title: "Quota", description: "Requests per calendar day and/or month; empty periods are not capped." }),
      by: z.enum(QUOTA_BY).default("consumer").meta({
        title: "Count per",
        description: "Whose requests are counted together; consumer and key fall back to the client IP without auth.",
      }),
      ...storeFields,
    })
    .superRefine(requireRedisUrl),
} as const satisfies PolicySchema;
