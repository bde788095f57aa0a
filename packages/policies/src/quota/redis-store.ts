import { CLOCK_SLACK_MS, type ClockOffset, RedisScript } from "../redis/script.ts";
import type { QuotaAdmission } from "../types.ts";

/**
 * One request's check-and-count for every period of its quota, atomic because Redis runs a
 * script to completion before any other command. KEYS: one counter per period. ARGV: per
 * period, the limit and the counter's TTL in ms. Returns admitted (1/0), then each counter's
 * count before this request, as QuotaTable.admit does. A TTL is only ever lengthened: a
 * gateway whose clock runs ahead must not expire a counter that a slower one still counts into.
 */
const ADMIT = `
local used = {}
local admitted = 1
for i = 1, #KEYS do
  used[i] = tonumber(redis.call("GET", KEYS[i]) or "0")
  if used[i] >= tonumber(ARGV[2 * i - 1]) then admitted = 0 end
end
if admitted == 1 then
  for i = 1, #KEYS do
    redis.call("INCR", KEYS[i])
    local ttl = tonumber(ARGV[2 * i])
    if redis.call("PTTL", KEYS[i]) < ttl then redis.call("PEXPIRE", KEYS[i], ttl) end
  end
end
table.insert(used, 1, admitted)
return used
`;

/** One period of a request's quota: the calendar period it falls in and its limit. */
export interface PeriodCheck {
  period: "day" | "month";
  start: number;
  end: number;
  limit: number;
}

/** Quota counts shared by every gateway using the same Redis. */
export class RedisQuotaStore {
  readonly #script: RedisScript;
  readonly #prefix: string;

  constructor(url: string, policyId: string, timeoutMs: number) {
    this.#script = new RedisScript(url, "gatehouseQuota", ADMIT, timeoutMs);
    this.#prefix = `gatehouse:quota:${policyId}:`;
  }

  /** As DurableCounters.admit, across every gateway sharing the Redis; rejects when Redis cannot answer in time. */
  async admit(identity: string, checks: readonly PeriodCheck[], now: number): Promise<QuotaAdmission> {
    // A counter per policy, identity and period start, as in memory: the same config on any
    // gateway counts into the same key. The hash tag keeps one identity's counters in one
    // Redis Cluster slot, as a script needs.
    const base = `${this.#prefix}{${identity}}:`;
    const keys = checks.map((check) => `${base}${check.period}:${check.start}`);
    // A TTL, not PEXPIREAT: the period ends by the gateway's clock (`now`), as it began, whatever Redis's says.
    const args = checks.flatMap((check) => [String(check.limit), String(check.end - now + CLOCK_SLACK_MS)]);
    const reply = (await this.#script.run(keys, args)) as number[];
    return { admitted: reply[0] === 1, used: checks.map((_, i) => Number(reply[i + 1])) };
  }

  /** Redis's clock less this gateway's, for a ClockWatch. */
  clockOffset(): Promise<ClockOffset> {
    return this.#script.clockOffset();
  }

  close(): void {
    this.#script.close();
  }
}
