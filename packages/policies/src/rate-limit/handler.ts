import { createHash } from "node:crypto";
import type { KeyLimits } from "@gatehouse/shared";
import type { z } from "zod";
import { ClockWatch } from "../redis/clock-watch.ts";
import { RedisOutage } from "../redis/outage.ts";
import {
  headerValue,
  type PolicyContext,
  type PolicyDefinition,
  type PolicyServices,
  reject,
  type Verdict,
} from "../types.ts";
import { type HeaderSet, writeHeaders } from "./headers.ts";
import { MemoryStore } from "./memory-store.ts";
import { RedisStore } from "./redis-store.ts";
import { rateLimitSchema } from "./schema.ts";
import {
  seconds,
  type WindowCheck,
  type WindowCounts,
  type WindowResult,
  type WindowStore,
  windowChecks,
  windowResult,
} from "./window.ts";

type RateLimitConfig = z.output<typeof rateLimitSchema.config>;

export const rateLimit: PolicyDefinition<typeof rateLimitSchema.config> = {
  ...rateLimitSchema,
  create(config: RateLimitConfig, services: PolicyServices, policyId: string) {
    // A key's own limits win over its consumer's plan's, which win over the policy's.
    // A key's or plan's own limits only make sense for a count that is that consumer's alone:
    // applied to an API-wide or per-IP count they would raise or lower everyone's cap.
    const personal = config.by === "consumer" || config.by === "key";
    const limitsFor = (ctx: PolicyContext): KeyLimits => {
      if (!personal) return config.limits;
      const own = ctx.key?.limits;
      if (hasLimits(own)) return own;
      const plan = ctx.consumer?.plan?.limits;
      return hasLimits(plan) ? plan : config.limits;
    };

    const sets = new Set(config.responseHeaders);

    if (config.store === "memory") {
      // Kept by the gateway across revisions, so a reload does not hand everyone a fresh allowance.
      // With a host's shared table every thread counts into the same entries.
      const store = services.state(policyId, (): WindowStore => services.windows?.store(policyId) ?? new MemoryStore());
      return {
        handle(ctx) {
          const limits = limitsFor(ctx);
          const checks = windowChecks(limits, ctx.now);
          const { admitted, counts } = store.hit(identityOf(ctx, config), checks, ctx.now);
          return verdict(ctx, sets, limits, checks, counts, admitted);
        },
      };
    }

    const store = new RedisStore(config.redisUrl, policyId, config.timeoutMs);
    const label = `rate-limit ${policyId}`;
    const outage = new RedisOutage({ label, failOpen: config.failOpen, service: "Rate limiting", log: services.log });
    const clock = new ClockWatch({ label, offset: () => store.clockOffset(), log: services.log });
    return {
      async handle(ctx) {
        clock.check(ctx.now);
        const limits = limitsFor(ctx);
        const checks = windowChecks(limits, ctx.now);
        let hit: { admitted: boolean; counts: WindowCounts[] };
        try {
          hit = await store.hit(identityOf(ctx, config), checks, ctx.now);
        } catch (error) {
          return outage.failed(ctx.now, error as Error);
        }
        outage.answered();
        return verdict(ctx, sets, limits, checks, hit.counts, hit.admitted);
      },
      close() {
        store.close();
      },
    };
  },
};

const hasLimits = (limits: KeyLimits | undefined): limits is KeyLimits =>
  limits !== undefined && Object.values(limits).some((limit) => limit !== undefined);

/** Who shares a count. Values a client chooses (a header) are hashed when long, so they cannot bloat the store. */
export function identityOf(ctx: PolicyContext, config: Pick<RateLimitConfig, "by" | "header">): string {
  switch (config.by) {
    case "consumer":
      return ctx.consumer ? consumerIdentity(ctx.consumer) : ipOf(ctx);
    case "key":
      return ctx.key ? `key:${ctx.key.id}` : ipOf(ctx);
    case "ip":
      return ipOf(ctx);
    case "api":
      return `api:${ctx.apiId}`;
    case "route":
      return `route:${ctx.routeId}`;
    case "header": {
      const value = headerValue(ctx, config.header);
      if (value === undefined || value === "") return ipOf(ctx);
      return value.length > 64 ? `header#${createHash("sha256").update(value).digest("base64url")}` : `header:${value}`;
    }
  }
}

/**
 * A consumer object lives as long as its config revision and counts on every request: its
 * identity is built once, not joined and hashed again per request.
 */
const consumerIdentities = new WeakMap<object, string>();

function consumerIdentity(consumer: NonNullable<PolicyContext["consumer"]>): string {
  let identity = consumerIdentities.get(consumer);
  if (identity === undefined) {
    identity = `consumer:${consumer.id}`;
    consumerIdentities.set(consumer, identity);
  }
  return identity;
}

/** Built only when a request counts by address: the common by-consumer count never needs it. */
function ipOf(ctx: PolicyContext): string {
  return `ip:${ctx.remoteAddress}`;
}

/** The counting headers for every window and the tightest one, and the refusal naming the window to wait for. */
function verdict(
  ctx: PolicyContext,
  sets: ReadonlySet<HeaderSet>,
  limits: KeyLimits,
  checks: WindowCheck[],
  counts: WindowCounts[],
  admitted: boolean,
): Verdict {
  const results: WindowResult[] = new Array(checks.length);
  let tightest: WindowResult | undefined;
  let waitFor: WindowResult | undefined;
  for (let i = 0; i < checks.length; i++) {
    const result = windowResult(checks[i] as WindowCheck, counts[i] as WindowCounts, ctx.now);
    results[i] = result;
    // On a tie the later reset is the one the client must wait out.
    if (
      tightest === undefined ||
      result.remaining < tightest.remaining ||
      (result.remaining === tightest.remaining && result.reset > tightest.reset)
    ) {
      tightest = result;
    }
    if (waitFor === undefined || result.retryMs > waitFor.retryMs) waitFor = result;
  }
  if (tightest === undefined || waitFor === undefined) return undefined;
  writeHeaders(ctx.responseHeaders, sets, limits, results, tightest);
  if (admitted) return undefined;
  return reject(
    "rate_limited",
    `Rate limit exceeded: ${waitFor.limit} requests per ${waitFor.window}; retry in ${seconds(waitFor.retryMs)} s`,
    { "retry-after": String(seconds(waitFor.retryMs)) },
  );
}
