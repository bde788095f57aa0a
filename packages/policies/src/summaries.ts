import type { z } from "zod";
import { aclSchema } from "./acl/schema.ts";
import { summarizeAcl } from "./acl/summary.ts";
import { corsSchema } from "./cors/schema.ts";
import { summarizeCors } from "./cors/summary.ts";
import { ipRestrictionSchema } from "./ip-restriction/schema.ts";
import { summarizeIpRestriction } from "./ip-restriction/summary.ts";
import { jwtSchema } from "./jwt/schema.ts";
import { summarizeJwt } from "./jwt/summary.ts";
import { keyAuthSchema } from "./key-auth/schema.ts";
import { summarizeKeyAuth } from "./key-auth/summary.ts";
import { mirrorSchema } from "./mirror/schema.ts";
import { summarizeMirror } from "./mirror/summary.ts";
import { opentelemetrySchema } from "./opentelemetry/schema.ts";
import { summarizeOpentelemetry } from "./opentelemetry/summary.ts";
import { proxyCacheSchema } from "./proxy-cache/schema.ts";
import { summarizeProxyCache } from "./proxy-cache/summary.ts";
import { quotaSchema } from "./quota/schema.ts";
import { summarizeQuota } from "./quota/summary.ts";
import { rateLimitSchema } from "./rate-limit/schema.ts";
import { summarizeRateLimit } from "./rate-limit/summary.ts";
import { requestSizeLimitSchema } from "./request-size-limit/schema.ts";
import { summarizeRequestSizeLimit } from "./request-size-limit/summary.ts";
import { requestTransformerSchema } from "./request-transformer/schema.ts";
import { summarizeRequestTransformer } from "./request-transformer/summary.ts";
import { requestValidationSchema } from "./request-validation/schema.ts";
import { summarizeRequestValidation } from "./request-validation/summary.ts";
import { responseTransformerSchema } from "./response-transformer/schema.ts";
import { summarizeResponseTransformer } from "./response-transformer/summary.ts";
import { trafficSplitSchema } from "./traffic-split/schema.ts";
import { summarizeTrafficSplit } from "./traffic-split/summary.ts";
import type { PolicySchema } from "./types.ts";

/** A pool's name by its id, where the caller knows the pools; summaries otherwise show the id. */
export type UpstreamName = (upstreamId: string) => string | undefined;

type Summarize = (config: Record<string, unknown>, upstreamName: UpstreamName) => string;

/** Ties a summary to its policy's schema, so it is typed by that schema's output. */
function summary<S extends z.ZodObject>(schema: PolicySchema<S>, summarize: (config: z.output<S>) => string) {
  const fields = schema.upstreamFields ?? [];
  const named: Summarize = (config, upstreamName) => {
    if (fields.length === 0) return summarize(config as z.output<S>);
    const shown = { ...config };
    for (const field of fields) {
      const id = config[field];
      if (typeof id === "string") shown[field] = upstreamName(id) ?? id;
    }
    return summarize(shown as z.output<S>);
  };
  // The Admin API saves and returns the parsed config (less write-only fields, which no summary reads).
  return [schema.type, named] as const;
}

const SUMMARIES = new Map<string, Summarize>([
  summary(keyAuthSchema, summarizeKeyAuth),
  summary(jwtSchema, summarizeJwt),
  summary(aclSchema, summarizeAcl),
  summary(ipRestrictionSchema, summarizeIpRestriction),
  summary(corsSchema, summarizeCors),
  summary(requestSizeLimitSchema, summarizeRequestSizeLimit),
  summary(quotaSchema, summarizeQuota),
  summary(rateLimitSchema, summarizeRateLimit),
  summary(mirrorSchema, summarizeMirror),
  summary(requestValidationSchema, summarizeRequestValidation),
  summary(trafficSplitSchema, summarizeTrafficSplit),
  summary(proxyCacheSchema, summarizeProxyCache),
  summary(requestTransformerSchema, summarizeRequestTransformer),
  summary(responseTransformerSchema, summarizeResponseTransformer),
  summary(opentelemetrySchema, summarizeOpentelemetry),
]);

/** A saved policy's config in words, as lists show it ("60 per minute per consumer, in memory"). */
export function summarizePolicy(
  type: string,
  config: Record<string, unknown>,
  upstreamName: UpstreamName = () => undefined,
): string | undefined {
  return SUMMARIES.get(type)?.(config, upstreamName);
}
