import { Redis } from "ioredis";

/** Gateways' clocks differ a little: a counter outlives its use by this much. */
export const CLOCK_SLACK_MS = 5_000;

interface SharedClient {
  client: Redis;
  users: number;
  /** Settles when the first connection attempt succeeds or fails, so startup waits at most once. */
  firstAttempt: Promise<void>;
  firstAttemptDone: boolean;
}

/** One connection per Redis URL however many policies, of whatever type, and revisions use it. */
const clients = new Map<string, SharedClient>();

function acquire(url: string): SharedClient {
  let shared = clients.get(url);
  if (shared === undefined) {
    const client = new Redis(url, {
      // While Redis is away a request must learn so at once, not queue and be counted
      // minutes later for a request already answered.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      autoResendUnfulfilledCommands: false,
      connectTimeout: 2_000,
      retryStrategy: (attempt) => Math.min(attempt * 100, 1_000),
    });
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

class RedisUnavailableError extends Error {}

/** Redis's clock less this process's, in ms, and how far that may be off. */
export interface ClockOffset {
  offsetMs: number;
  errorMs: number;
}

type ScriptCommand = (keyCount: number, ...keysAndArgs: string[]) => Promise<unknown>;

/**
 * A Lua script run on the process's connection to one Redis URL, taken in the constructor and
 * released by `close`. ioredis sends it by `EVALSHA`, falling back to `EVAL` on `NOSCRIPT`
 * (after a Redis restart).
 */
export class RedisScript {
  readonly #url: string;
  readonly #shared: SharedClient;
  readonly #name: string;
  readonly #timeoutMs: number;
  #closed = false;

  constructor(url: string, name: string, lua: string, timeoutMs: number) {
    this.#url = url;
    this.#shared = acquire(url);
    this.#name = name;
    this.#timeoutMs = timeoutMs;
    if (!(name in this.#shared.client)) this.#shared.client.defineCommand(name, { lua });
  }

  /** The script's reply; rejects with RedisUnavailableError when Redis cannot answer within the timeout. */
  run(keys: readonly string[], args: readonly string[]): Promise<unknown> {
    const command = (this.#shared.client as unknown as Record<string, ScriptCommand>)[this.#name] as ScriptCommand;
    return this.#withTimeout(() => command.call(this.#shared.client, keys.length, ...keys, ...args));
  }

  /** Off by at most half the round trip, plus a millisecond for `Date.now()`'s rounding. */
  async clockOffset(): Promise<ClockOffset> {
    const sent = Date.now();
    const [seconds, micros] = await this.#withTimeout(() => this.#shared.client.time());
    const received = Date.now();
    const redisMs = Number(seconds) * 1000 + Number(micros) / 1000;
    return { offsetMs: redisMs - (sent + received) / 2, errorMs: (received - sent) / 2 + 1 };
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
