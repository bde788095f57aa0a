import { reject, type Verdict } from "../types.ts";

/** Redis trouble is logged at most this often per policy: it would otherwise be a line per request. */
const LOG_EVERY_MS = 10_000;

interface OutageOptions {
  /** Names the policy in log lines: "rate-limit pol_…". */
  label: string;
  failOpen: boolean;
  /** What stops working, for the 503's message: "Rate limiting". */
  service: string;
  log: (line: string) => void;
}

/**
 * What a Redis-backed policy answers while Redis cannot: admit uncounted (`failOpen`) or refuse
 * with 503 and `Retry-After: 1`. Logs the first failure, then at most one line per 10 s with how
 * many went unlogged, and one line when Redis answers again.
 */
export class RedisOutage {
  readonly #options: OutageOptions;
  #lastLog = Number.NEGATIVE_INFINITY;
  #unlogged = 0;
  #failing = false;

  constructor(options: OutageOptions) {
    this.#options = options;
  }

  failed(now: number, error: Error): Verdict {
    const { label, failOpen, service, log } = this.#options;
    this.#failing = true;
    if (now - this.#lastLog >= LOG_EVERY_MS) {
      const more = this.#unlogged > 0 ? ` (${this.#unlogged} more failures since the last line)` : "";
      const action = failOpen ? "admitting requests uncounted" : "refusing requests";
      log(`${label}: Redis unavailable, ${action}: ${error.message}${more}`);
      this.#lastLog = now;
      this.#unlogged = 0;
    } else {
      this.#unlogged++;
    }
    if (failOpen) return undefined;
    // 503, not 429: the client did nothing wrong, and a 429 would tell it so.
    return reject("gateway_unavailable", `${service} is unavailable; try again shortly`, { "retry-after": "1" });
  }

  answered(): void {
    if (!this.#failing) return;
    this.#failing = false;
    this.#options.log(`${this.#options.label}: Redis reachable again`);
    this.#lastLog = Number.NEGATIVE_INFINITY;
  }
}
