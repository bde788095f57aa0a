import type { SampleColumns } from "../analytics/sample-columns.ts";
import type { PoolState } from "../health/registry.ts";
import type { HealthReports } from "../health/target-health.ts";
import type { Outcome, WorkerReport } from "./messages.ts";

/** A failed request or a half-open trial reaches the host's breaker within this. */
const SOON_MS = 5;

export interface OutboxSources {
  /** Requests this worker took since the last report. */
  takeRequests(): number;
  samples: SampleColumns | null;
  /** The worker's pools, whose retry counts the report takes. */
  pools(): Iterable<PoolState>;
  /** Quota increments since the last report. */
  takeQuotas(): WorkerReport["quotas"];
}

/**
 * What a proxy worker owes the host, sent as one report each second, just after the second
 * ends (so the host's analytics flush, 50 ms later, holds it), and within 5 ms when a request
 * failed or a trial ended: the host's breaker decides for every worker and should hear of
 * failures at once. Outcomes keep their order per target, successes in a row summed into one.
 */
export class WorkerOutbox implements HealthReports {
  readonly #send: (report: WorkerReport) => void;
  readonly #sources: OutboxSources;
  #outcomes: Outcome[] = [];
  /** The open run of successes per target key: the last outcome of that target, while it has no failure. */
  #runs = new Map<string, Outcome>();
  #keysUsed = new Map<string, number>();
  #soon: NodeJS.Timeout | null = null;
  #timer: NodeJS.Timeout | null = null;

  constructor(sources: OutboxSources, send: (report: WorkerReport) => void) {
    this.#sources = sources;
    this.#send = send;
  }

  start(): void {
    const tick = () => {
      this.flush();
      this.#timer = setTimeout(tick, 1001 - (Date.now() % 1000));
      this.#timer.unref();
    };
    this.#timer = setTimeout(tick, 1001 - (Date.now() % 1000));
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    if (this.#soon !== null) clearTimeout(this.#soon);
    this.#timer = null;
    this.#soon = null;
  }

  used(keyId: string, at: number): void {
    this.#keysUsed.set(keyId, at);
  }

  succeeded(key: string, latencyMs: number, trial: boolean): void {
    if (trial) {
      this.#outcomes.push([key, 1, latencyMs, null, true]);
      this.#runs.delete(key);
      this.#flushSoon();
      return;
    }
    const run = this.#runs.get(key);
    if (run !== undefined) {
      run[1]++;
      run[2] += latencyMs;
      return;
    }
    const fresh: Outcome = [key, 1, latencyMs, null, false];
    this.#outcomes.push(fresh);
    this.#runs.set(key, fresh);
  }

  failed(key: string, reason: string, trial: boolean): void {
    const run = this.#runs.get(key);
    if (run !== undefined && !trial) {
      run[3] = reason;
    } else {
      this.#outcomes.push([key, 0, 0, reason, trial]);
    }
    this.#runs.delete(key);
    this.#flushSoon();
  }

  /** Sends everything counted so far. */
  flush(): void {
    if (this.#soon !== null) clearTimeout(this.#soon);
    this.#soon = null;
    const retries: WorkerReport["retries"] = [];
    for (const pool of this.#sources.pools()) {
      if (pool.retries === 0 && pool.retriesDenied === 0) continue;
      retries.push([pool.id, pool.retries, pool.retriesDenied]);
      pool.retries = 0;
      pool.retriesDenied = 0;
    }
    const report: WorkerReport = {
      requests: this.#sources.takeRequests(),
      samples: this.#sources.samples?.take() ?? null,
      outcomes: this.#outcomes,
      retries,
      keysUsed: [...this.#keysUsed],
      quotas: this.#sources.takeQuotas(),
    };
    this.#outcomes = [];
    this.#runs = new Map();
    this.#keysUsed = new Map();
    this.#send(report);
  }

  #flushSoon(): void {
    if (this.#soon !== null) return;
    this.#soon = setTimeout(() => this.flush(), SOON_MS);
    this.#soon.unref();
  }
}
