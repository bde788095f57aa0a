import { headerName, type LIMIT_WINDOWS, shownWhen } from "@gatehouse/shared";
import { z } from "zod";
import { requireRedisUrl, storeFields } from "../redis/settings.ts";
import type { PolicySchema } from "../types.ts";

export const IDENTITIES = ["consumer", "key", "ip", "api", "route", "header"] as const;
/** draft: RateLimit-Policy and RateLimit; legacy: RateLimit-Limit, -Remaining, -Reset; kong: X-RateLimit-*-<Window>. */
export const HEADER_SETS = ["draft", "legacy", "kong"] as const;

const headerNameField = headerName({ trim: true, optional: true });

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
      ...storeFields,
    })
    .superRefine((config, ctx) => {
      if (config.by === "header" && config.header === "") {
        ctx.addIssue({ code: "custom", path: ["header"], message: "Name the header to count by" });
      }
      requireRedisUrl(config, ctx);
    }),
} as const satisfies PolicySchema;

shownWhen(rateLimitSchema.config, { by: "header" }, ["header"]);
