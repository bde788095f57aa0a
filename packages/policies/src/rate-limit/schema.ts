import { headerName, type LIMIT_WINDOWS, shownWhen } from "@gatehouse/shared";
import { z } from "zod";
import type { PolicySchema } from "../types.ts";

export const IDENTITIES = ["consumer", "key", "ip", "api", "route", "header"] as const;
export const STORES = ["memory", "redis"] as const;
/** draft: RateLimit-Policy and RateLimit; legacy: RateLimit-Limit, -Remaining, -Reset; kong: X-RateLimit-*-<Window>. */
export const HEADER_SETS = ["draft", "legacy", "kong"] as const;

const headerNameField = headerName({ trim: true, optional: true });

const isRedisUrl = (text: string) => {
  try {
    return ["redis:", "rediss:"].includes(new URL(text).protocol);
  } catch {
    return false;
  }
};

const perWindow = (window: (typeof LIMIT_WINDOWS)[number]) =>
  z
    .int()
    .min(1)
    .max(1_000_000_000)
    .optional()
    .meta({ title: `Per ${window}`, description: `Requests allowed in any ${window}; empty for no limit.` });

export const rateLimitSchema = {
  type: "rate-limit",
  title: "Rate limit",
  description: "Caps requests per second, minute, hour or day for each consumer, key, client IP or header value.",
  phase: "rate-limit",
  scopes: ["global", "api", "route", "consumer"],
  config: z
    .strictObject({
      limits: z
        .strictObject({
          second: perWindow("second"),
          minute: perWindow("minute"),
          hour: perWindow("hour"),
          day: perWindow("day"),
        })
        .refine((limits) => Object.values(limits).some((limit) => limit !== undefined), "Set at least one limit")
        .default({ minute: 60 })
        .meta({
          title: "Limits",
          description: "Requests per window; a request must fit every window. A key's or plan's own limits win.",
        }),
      by: z.enum(IDENTITIES).default("consumer").meta({
        title: "Count per",
        description:
          "Who shares a count: consumer or key (the client IP when there is none), IP, the whole API, the route, or a header's value.",
      }),
      header: headerNameField.default("").meta({
        title: "Header",
        description: "With count per header: the header whose value is counted; a request without it counts by IP.",
      }),
      responseHeaders: z
        .array(z.enum(HEADER_SETS))
        .default([...HEADER_SETS])
        .meta({
          title: "Response headers",
          description:
            "Which counting headers answers carry. draft: RateLimit-Policy and RateLimit (IETF draft-ietf-httpapi-ratelimit-headers); legacy: RateLimit-Limit, -Remaining and -Reset; kong: X-RateLimit-Limit-Minute and the like. A 429 carries Retry-After whatever is chosen.",
        }),
      store: z.enum(STORES).default("memory").meta({
        title: "Store",
        description: "memory counts in each gateway process; redis shares the counts between gateways.",
      }),
      redisUrl: z
        .string()
        .trim()
        .refine((value) => value === "" || isRedisUrl(value), "Use a redis:// or rediss:// URL")
        .default("")
        .meta({
          title: "Redis URL",
          description: "With the redis store: e.g. redis://:password@redis.internal:6379/0 (rediss:// for TLS).",
        }),
      failOpen: z.boolean().default(true).meta({
        title: "Admit when Redis is down",
        description: "On: requests pass uncounted while Redis cannot be reached. Off: they are refused with 503.",
      }),
      timeoutMs: z.int().min(1).max(10_000).default(100).meta({
        title: "Redis timeout (ms)",
        description: "How long a request waits for Redis before it counts as down.",
      }),
    })
    .superRefine((config, ctx) => {
      if (config.by === "header" && config.header === "") {
        ctx.addIssue({ code: "custom", path: ["header"], message: "Name the header to count by" });
      }
      if (config.store === "redis" && config.redisUrl === "") {
        ctx.addIssue({ code: "custom", path: ["redisUrl"], message: "The redis store needs a Redis URL" });
      }
    }),
} as const satisfies PolicySchema;

shownWhen(rateLimitSchema.config, { by: "header" }, ["header"]);
shownWhen(rateLimitSchema.config, { store: "redis" }, ["redisUrl", "failOpen", "timeoutMs"]);
