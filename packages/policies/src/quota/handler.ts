import type { z } from "zod";
import { ClockWatch } from "../redis/clock-watch.ts";
import { RedisOutage } from "../redis/outage.ts";
import {
  type PolicyContext,
  type PolicyDefinition,
  type QuotaAdmission,
  type QuotaCheck,
  reject,
  type Verdict,
} from "../types.ts";
import { type PeriodCheck, RedisQuotaStore } from "./redis-store.ts";
import { quotaSchema } from "./schema.ts";

type QuotaConfig = z.output<typeof quotaSchema.config>;
type Period = PeriodCheck["period"];
const PERIODS: readonly Period[] = ["day", "month"];
const ADJECTIVE: Record<Period, string> = { day: "daily", month: "monthly" };

/** The UTC calendar period holding `now`: its start and the start of the next one. */
export function calendarPeriod(period: Period, now: number): { start: number; end: number } {
  const date = new Date(now);
  const y = date.getUTCFullYear();
  const m = date.getUTCMonth();
  if (period === "month") return { start: Date.UTC(y, m, 1), end: Date.UTC(y, m + 1, 1) };
  const d = date.getUTCDate();
  return { start: Date.UTC(y, m, d), end: Date.UTC(y, m, d + 1) };
}

export const quota: PolicyDefinition<typeof quotaSchema.config> = {
  ...quotaSchema,
  create(config: QuotaConfig, services, policyId) {
    if (config.store === "memory") {
      const { counters } = services;
      return {
        handle(ctx) {
          const identity = identityOf(ctx, config);
          const checks = periodChecks(ctx, config);
          const counted = checks.map(
            (check): QuotaCheck => ({
              counter: `${policyId}:${identity}:${check.period}`,
              periodStart: check.start,
              limit: check.limit,
            }),
          );
          return verdict(ctx, checks, counters.admit(counted, ctx.now));
        },
      };
    }

    const store = new RedisQuotaStore(config.redisUrl, policyId, config.timeoutMs);
    const label = `quota ${policyId}`;
    const outage = new RedisOutage({ label, failOpen: config.failOpen, service: "Quota counting", log: services.log });
    const clock = new ClockWatch({ label, offset: () => store.clockOffset(), log: services.log });
    return {
      async handle(ctx) {
        const checks = periodChecks(ctx, config);
        // Nothing capped: no reason to wait for Redis, or to fail when it is down.
        if (checks.length === 0) return undefined;
        clock.check(ctx.now);
        let admission: QuotaAdmission;
        try {
          admission = await store.admit(identityOf(ctx, config), checks, ctx.now);
        } catch (error) {
          return outage.failed(ctx.now, error as Error);
        }
        outage.answered();
        return verdict(ctx, checks, admission);
      },
      close() {
        store.close();
      },
    };
  },
};

/** Whose requests count together; consumer and key fall back to the client IP without auth. */
function identityOf(ctx: PolicyContext, config: QuotaConfig): string {
  if (config.by === "key" && ctx.key) return `key:${ctx.key.id}`;
  if (config.by !== "ip" && ctx.consumer) return `consumer:${ctx.consumer.id}`;
  return `ip:${ctx.remoteAddress}`;
}

/** The calendar periods this request must fit, with their limits. */
function periodChecks(ctx: PolicyContext, config: QuotaConfig): PeriodCheck[] {
  // A plan with a quota replaces the policy's numbers for its consumers, when the count is theirs alone.
  const planQuota = config.by === "ip" ? undefined : ctx.consumer?.plan?.quota;
  const limits = planQuota && Object.keys(planQuota).length > 0 ? planQuota : config.quota;
  const checks: PeriodCheck[] = [];
  for (const period of PERIODS) {
    const limit = limits[period];
    if (limit !== undefined) checks.push({ period, ...calendarPeriod(period, ctx.now), limit });
  }
  return checks;
}

/** The quota headers for every period, and the refusal naming the first one used up. */
function verdict(ctx: PolicyContext, checks: readonly PeriodCheck[], { used, admitted }: QuotaAdmission): Verdict {
  let refused: { period: Period; retryAfter: number } | null = null;
  for (let i = 0; i < checks.length; i++) {
    const { period, end, limit } = checks[i] as PeriodCheck;
    const before = used[i] as number;
    ctx.responseHeaders[`x-quota-limit-${period}`] = String(limit);
    ctx.responseHeaders[`x-quota-remaining-${period}`] = String(Math.max(0, limit - before - (before < limit ? 1 : 0)));
    if (before >= limit && refused === null) refused = { period, retryAfter: Math.ceil((end - ctx.now) / 1000) };
  }
  if (!admitted && refused !== null) {
    return reject("quota_exceeded", `The ${ADJECTIVE[refused.period]} quota is used up`, {
      "retry-after": String(refused.retryAfter),
    });
  }
  return undefined;
}
