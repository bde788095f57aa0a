import type { z } from "zod";
import { type PolicyDefinition, type QuotaCheck, reject } from "../types.ts";
import { quotaSchema } from "./schema.ts";

type QuotaConfig = z.output<typeof quotaSchema.config>;
type Period = "day" | "month";
const PERIODS: readonly Period[] = ["day", "month"];

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
    const { counters } = services;
    return {
      handle(ctx) {
        // A plan with a quota replaces the policy's numbers for its consumers, when the count is theirs alone.
        const planQuota = config.by === "ip" ? undefined : ctx.consumer?.plan?.quota;
        const limits = planQuota && Object.keys(planQuota).length > 0 ? planQuota : config.quota;
        const identity =
          config.by === "ip"
            ? `ip:${ctx.remoteAddress}`
            : config.by === "key" && ctx.key
              ? `key:${ctx.key.id}`
              : ctx.consumer
                ? `consumer:${ctx.consumer.id}`
                : `ip:${ctx.remoteAddress}`;
        const checks: QuotaCheck[] = [];
        const periods: Array<{ period: Period; end: number }> = [];
        for (const period of PERIODS) {
          const limit = limits[period];
          if (limit === undefined) continue;
          const { start, end } = calendarPeriod(period, ctx.now);
          checks.push({ counter: `${policyId}:${identity}:${period}`, periodStart: start, limit });
          periods.push({ period, end });
        }
        const { used, admitted } = counters.admit(checks, ctx.now);
        let refused: { period: Period; retryAfter: number } | null = null;
        for (let i = 0; i < checks.length; i++) {
          const { limit } = checks[i] as QuotaCheck;
          const { period, end } = periods[i] as { period: Period; end: number };
          const before = used[i] as number;
          ctx.responseHeaders[`x-quota-limit-${period}`] = String(limit);
          ctx.responseHeaders[`x-quota-remaining-${period}`] = String(
            Math.max(0, limit - before - (before < limit ? 1 : 0)),
          );
          if (before >= limit && refused === null) refused = { period, retryAfter: Math.ceil((end - ctx.now) / 1000) };
        }
        if (!admitted && refused !== null) {
          return reject("quota_exceeded", `The ${refused.period}ly quota is used up`, {
            "retry-after": String(refused.retryAfter),
          });
        }
        return undefined;
      },
    };
  },
};
