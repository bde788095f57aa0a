import type { z } from "zod";
import { hash64 } from "../shared-memory/hash64.ts";
import { headerValue, type PolicyContext, type PolicyDefinition } from "../types.ts";
import { trafficSplitSchema } from "./schema.ts";

type TrafficSplitConfig = z.output<typeof trafficSplitSchema.config>;

/** A client's place in the split: one of 10,000, so a share with two decimals is a whole number of buckets. */
export const BUCKETS = 10_000;

export const trafficSplit: PolicyDefinition<typeof trafficSplitSchema.config> = {
  ...trafficSplitSchema,
  create(config: TrafficSplitConfig, _services, policyId) {
    const { upstreamId, stickyBy, stickyHeader } = config;
    const threshold = Math.round(config.percent * 100);
    const matches = matcher(config.match);
    // Seeded by the policy so two canaries do not pick the very same clients.
    const seed = new Uint32Array(2);
    hash64(policyId, 0, 0, seed);
    const seedHi = seed[0] as number;
    const seedLo = seed[1] as number;
    const out = new Uint32Array(2);
    const bucketOf = (identity: string) => {
      hash64(identity, seedHi, seedLo, out);
      return (out[0] as number) % BUCKETS;
    };
    const identityOf = (ctx: PolicyContext): string | undefined => {
      if (stickyBy === "consumer") return ctx.consumer?.id;
      if (stickyBy === "header") return headerValue(ctx, stickyHeader) || undefined;
      if (stickyBy === "ip") return ctx.remoteAddress || undefined;
      return undefined;
    };
    return {
      handle(ctx) {
        if (threshold === 0 && matches === null) return undefined;
        let canary = matches?.(ctx) ?? false;
        if (!canary && threshold > 0) {
          const identity = identityOf(ctx);
          const bucket = identity === undefined ? Math.floor(Math.random() * BUCKETS) : bucketOf(identity);
          canary = bucket < threshold;
        }
        if (canary) ctx.upstream.upstreamId = upstreamId;
        return undefined;
      },
    };
  },
};

/** Whether a request matches one of the rules that send it to the canary whatever the share; null when there are none. */
function matcher(match: TrafficSplitConfig["match"]): ((ctx: PolicyContext) => boolean) | null {
  const { header, cookie } = match;
  const groups = new Set(match.groups);
  if (header === undefined && cookie === undefined && groups.size === 0) return null;
  return (ctx) =>
    (header !== undefined && headerValue(ctx, header.name) === header.value) ||
    (cookie !== undefined && cookieValue(ctx, cookie.name) === cookie.value) ||
    (ctx.consumer?.groups.some((group) => groups.has(group)) ?? false);
}

function cookieValue(ctx: PolicyContext, name: string): string | undefined {
  const header = ctx.headers.cookie;
  if (header === undefined) return undefined;
  for (const line of Array.isArray(header) ? header : [header]) {
    for (const pair of line.split(";")) {
      const eq = pair.indexOf("=");
      if (eq !== -1 && pair.slice(0, eq).trim() === name) return pair.slice(eq + 1).trim();
    }
  }
  return undefined;
}
