import { CLOCK_SLACK_MS, type ClockOffset, RedisScript } from "../redis/script.ts";
import { WINDOW_MS, type WindowCheck, type WindowCounts } from "./window.ts";

/**
 * The whole check-and-count for every window of one request, atomic because Redis runs a
 * script to completion before any other command. KEYS: per window, the current then the
 * previous fixed window's counter. ARGV: per window, the limit, the previous window's
 * weight and the current counter's TTL in ms. Returns admitted (1/0), then per window the
 * current and previous counts, after the increment when admitted. The arithmetic is the
 * one `fits` in window.ts does, so the gateway reads the same answer from the counts.
 * A TTL is only ever lengthened: a gateway whose clock runs ahead must not expire a counter
 * that a slower one still counts into.
 */
const CHECK_AND_COUNT = `
local counts = {}
local admitted = 1
for i = 1, #KEYS / 2 do
  local current = tonumber(redis.call("GET", KEYS[2 * i - 1]) or "0")
  local previous = tonumber(redis.call("GET", KEYS[2 * i]) or "0")
  counts[2 * i - 1] = current
  counts[2 * i] = previous
  if previous * tonumber(ARGV[3 * i - 1]) + current + 1 > tonumber(ARGV[3 * i - 2]) then admitted = 0 end
end
if admitted == 1 then
  for i = 1, #KEYS / 2 do
    counts[2 * i - 1] = redis.call("INCR", KEYS[2 * i - 1])
    local ttl = tonumber(ARGV[3 * i])
    if redis.call("PTTL", KEYS[2 * i - 1]) < ttl then redis.call("PEXPIRE", KEYS[2 * i - 1], ttl) end
  end
end
table.insert(counts, 1, admitted)
return counts
`;

/** Rate-limit counters shared by every gateway using the same Redis. */
export class RedisStore {
  readonly #script: RedisScript;
  readonly #prefix: string;

  constructor(url: string, policyId: string, timeoutMs: number) {
    this.#script = new RedisScript(url, "gatehouseRateLimit", CHECK_AND_COUNT, timeoutMs);
    this.#prefix = `gatehouse:rl:${policyId}:`;
  }

  /** As MemoryStore.hit, across every gateway sharing the Redis; rejects when Redis cannot answer in time. */
  async hit(
    identity: string,
    checks: readonly WindowCheck[],
    now: number,
  ): Promise<{ admitted: boolean; counts: WindowCounts[] }> {
    const keys: string[] = [];
    const args: string[] = [];
    // The hash tag keeps one identity's counters in one Redis Cluster slot, as a script needs.
    const base = `${this.#prefix}{${identity}}:`;
    for (const check of checks) {
      const size = WINDOW_MS[check.window];
      const index = check.start / size;
      keys.push(`${base}${check.window}:${index}`, `${base}${check.window}:${index - 1}`);
      args.push(String(check.limit), String(check.weight), String(check.start + 2 * size - now + CLOCK_SLACK_MS));
    }
    const reply = (await this.#script.run(keys, args)) as number[];
    return {
      admitted: reply[0] === 1,
      counts: checks.map((_, i) => ({ current: Number(reply[2 * i + 1]), previous: Number(reply[2 * i + 2]) })),
    };
  }

  /** Redis's clock less this gateway's, for a ClockWatch. */
  clockOffset(): Promise<ClockOffset> {
    return this.#script.clockOffset();
  }

  close(): void {
    this.#script.close();
  }
}
