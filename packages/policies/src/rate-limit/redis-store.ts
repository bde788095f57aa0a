import { Redis } from "ioredis";
import { WINDOW_MS, type WindowCheck, type WindowCounts } from "./window.ts";

/**
 * The whole check-and-count for every window of one request, atomic because Redis runs a
 * script to completion before any other command. KEYS: per window, the current then the
 * previous fixed window's counter. ARGV: per window, the limit, the previous window's
 * weight and the current counter's TTL in ms. Returns admitted (1/0), then per window the
 * current and previous counts, after the increment when admitted. The arithmetic is the
 * one `fits` in window.ts does, so the gateway reads the same answer from the counts.
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
    redis.call("PEXPIRE", KEYS[2 * i - 1], ARGV[3 * i])
  end
end
table.insert(counts, 1, admitted)
return counts
`;

/** Gateways' clocks differ a little: a counter outlives its use by this much. */
const TTL_SLACK_MS = 5_000;

interface ScriptClient extends Redis {
  gatehouseRateLimit(keyCount: number, ...args: string[]): Promise<number[]>;
}

interface SharedClient {
  client: ScriptClient;
  users: number;
  /** Settles when the first connection attempt succeeds or fails, so startup waits at most once. */
  firstAttempt: Promise<void>;
  firstAttemptDone: boolean;
}

/** One connection per Redis URL however many policies and revisions use it. */
const clients = new Map<string, SharedClient>();

function acquire(url: string): SharedClient {
  let shared = clients.get(url);
  if (shared === undefined) {
    const client = new Redis(url, {
      scripts: { gatehouseRateLimit: { lua: CHECK_AND_COUNT } },
      // While Redis is away a request must learn so at once, not queue and be counted
      // minutes later for a request already answered.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      autoResendUnfulfilledCommands: false,
      connectTimeout: 2_000,
      retryStrategy: (attempt) => Math.min(attempt * 100, 1_000),
    }) as ScriptClient;
    // Failures reach each request as a rejected command, logged (throttled) per policy.
    client.on("error", () => {});
    const entry: SharedClient = { client, users: 0, firstAttempt: Promise.resolve(), firstAttemptDone: false };
    entry.firstAttempt = new Promise<void>((resolve) => {
      const done = () => {
        entry.firstAttemptDone = true;
        client.off("ready", done);
        client.off("close", done);
        resolve();
      };
      client.on("ready", done);
      client.on("close", done);
    });
    shared = entry;
    clients.set(url, shared);
  }
  shared.users++;
  return shared;
}

function release(url: string): void {
  const shared = clients.get(url);
  if (shared === undefined) return;
  shared.users--;
  if (shared.users > 0) return;
  clients.delete(url);
  // quit lets replies still on the way reach the requests of a revision being retired.
  shared.client.quit().catch(() => shared.client.disconnect());
}

export class RedisUnavailableError extends Error {}

export class RedisStore {
  readonly #url: string;
  readonly #shared: SharedClient;
  readonly #prefix: string;
  readonly #timeoutMs: number;
  #closed = false;

  constructor(url: string, policyId: string, timeoutMs: number) {
    this.#url = url;
    this.#shared = acquire(url);
    this.#prefix = `gatehouse:rl:${policyId}:`;
    this.#timeoutMs = timeoutMs;
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
      args.push(String(check.limit), String(check.weight), String(check.start + 2 * size - now + TTL_SLACK_MS));
    }
    const reply = await this.#withTimeout(() => this.#shared.client.gatehouseRateLimit(keys.length, ...keys, ...args));
    return {
      admitted: reply[0] === 1,
      counts: checks.map((_, i) => ({ current: Number(reply[2 * i + 1]), previous: Number(reply[2 * i + 2]) })),
    };
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    release(this.#url);
  }

  async #withTimeout<T>(run: () => Promise<T>): Promise<T> {
    const { client } = this.#shared;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new RedisUnavailableError(`no answer within ${this.#timeoutMs} ms`)),
        this.#timeoutMs,
      );
    });
    let timedOut = false;
    const attempt = async () => {
      if (client.status !== "ready" && !this.#shared.firstAttemptDone) await this.#shared.firstAttempt;
      if (timedOut) throw new RedisUnavailableError("timed out");
      if (client.status !== "ready") throw new RedisUnavailableError(`not connected (${client.status})`);
      return run();
    };
    try {
      return await Promise.race([attempt(), timeout]);
    } catch (error) {
      timedOut = true;
      throw error instanceof RedisUnavailableError ? error : new RedisUnavailableError((error as Error).message);
    } finally {
      clearTimeout(timer);
    }
  }
}
