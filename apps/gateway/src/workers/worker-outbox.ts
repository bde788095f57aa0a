import type { SampleColumns } from "../analytics/sample-columns.ts";
import type { PoolState } from "../health/registry.ts";
import type { HealthReports } from "../health/target-health.ts";
import type { Outcome, WorkerReport } from "./messages.ts";

export interface OutboxSources {
  /** Requests this worker took since the last report. */
  takeRequests(): number;
  samples: SampleColumns | null;
  /** The worker's pools, whose retry counts the report takes. */
  pools(): Iterable<PoolState>;
  /** Quota increments since the last report. */
  takeQuotas(): WorkerReport["quotas"];
  /** What policies counted since the last report. */
  takePolicyCounts(): WorkerReport["policyCounts"];
}

/**
 * What a proxy worker owes the host, sent as one report each second, just after the second
 * ends (so the host's analytics flush, 50 ms later, holds it); request outcomes go at once
 * when a request failed or a trial ended. Outcomes keep their order per target, successes in a row summed into one.
 */
export class WorkerOutbox implements HealthReports {
  readonly #send: (report: WorkerReport) => void;
  readonly #sendOutcomes: (outcomes: Outcome[]) => void;
  readonly #sources: OutboxSources;
  #outcomes: Outcome[] = [];
  /** The open run of successes per target key: the last outcome of that target, while it has no failure. */
  #runs = new Map<string, Outcome>();
  #keysUsed = new Map<string, number>();
  #timer: NodeJS.Timeout | null = null;

  constructor(
    sources: OutboxSources,
    send: (report: WorkerReport) => void,
    sendOutcomes: (outcomes: Outcome[]) => void,
  ) {
    this.#sources = sources;
    this.#send = send;
    this.#sendOutcomes = sendOutcomes;
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
    this.#timer = null;
  }

  used(keyId: string, at: number): void {
    this.#keysUsed.set(keyId, at);
  }

  succeeded(key: string, latencyMs: number, trial: boolean): void {
    if (trial) {
      this.#outcomes.push([key, 1, latencyMs, null, true, false]);
      this.#runs.delete(key);
      this.#outcomesNow();
      return;
    }
    const run = this.#runs.get(key);
    if (run !== undefined) {
      run[1]++;
      run[2] += latencyMs;
      return;
    }
    const fresh: Outcome = [key, 1, latencyMs, null, false, false];
    this.#outcomes.push(fresh);
    this.#runs.set(key, fresh);
  }

  failed(key: string, reason: string, trial: boolean, tripped: boolean): void {
    const run = this.#runs.get(key);
    if (run !== undefined && !trial) {
      run[3] = reason;
      run[5] = tripped;
    } else {
      this.#outcomes.push([key, 0, 0, reason, trial, tripped]);
    }
    this.#runs.delete(key);
    this.#outcomesNow();
  }

  /** Sends everything counted so far. */
  flush(): void {
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
      policyCounts: this.#sources.takePolicyCounts(),
    };
    this.#outcomes = [];
    this.#runs = new Map();
    this.#keysUsed = new Map();
    this.#send(report);
  }

  /** The outcomes so far, in order, now: the host's breaker decides for every worker and must hear of a failure before the next request comes. */
  #outcomesNow(): void {
    this.#sendOutcomes(this.#outcomes);
    this.#outcomes = [];
    this.#runs = new Map();
  }
}
