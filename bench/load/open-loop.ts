import { type Dispatcher, Pool } from "undici";
import { percentile, spreadPaths } from "./result.ts";

export interface OpenLoopResult {
  /** The rate asked for and the rate actually sent. */
  targetRps: number;
  sentRps: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  /** How late the client sent its requests against the schedule (p99): its own limit showing. */
  lagP99Ms: number;
}

/** Records one request's latency and status; undici's lowest-level API, so the client costs little. */
class Sample implements Dispatcher.DispatchHandler {
  readonly #run: Run;
  readonly #index: number;
  readonly #start: number;
  #status = 0;

  constructor(run: Run, index: number) {
    this.#run = run;
    this.#index = index;
    this.#start = performance.now();
  }
  // Its presence tells undici this is a handler of the current API, not the legacy one.
  onRequestStart(): void {}
  onResponseStart(_c: Dispatcher.DispatchController, status: number): void {
    this.#status = status;
  }
  onResponseData(): void {}
  onResponseEnd(): void {
    this.#run.finish(this.#index, performance.now() - this.#start, this.#status >= 400);
  }
  onResponseError(): void {
    this.#run.finish(this.#index, performance.now() - this.#start, true);
  }
}

class Run {
  readonly latencies: Float64Array;
  done = 0;
  errors = 0;
  constructor(total: number) {
    this.latencies = new Float64Array(total);
  }
  finish(index: number, ms: number, failed: boolean): void {
    this.latencies[index] = ms;
    this.done++;
    if (failed) this.errors++;
  }
}

/**
 * A fixed-rate (open-loop) client, since wrk2 is not in Debian: every millisecond it sends the
 * requests the schedule says are due, whether or not earlier ones answered, over a pool of
 * `connections` keep-alive connections. Latency is taken from the send to the end of the body;
 * the schedule lag is reported beside it so a client that could not keep up is visible.
 */
export async function runOpenLoop(options: {
  url: string;
  rps: number;
  seconds: number;
  connections: number;
  routes: number;
  headers?: Record<string, string>;
}): Promise<OpenLoopResult> {
  const pool = new Pool(options.url, { connections: options.connections, pipelining: 1 });
  const requests = spreadPaths(options.routes).map((path) => ({
    path,
    method: "GET" as const,
    headers: options.headers,
  }));
  const total = Math.round(options.rps * options.seconds);
  const run = new Run(total);
  const lags = new Float64Array(total);
  const interval = 1000 / options.rps;
  let sent = 0;

  const t0 = performance.now();
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      const due = Math.min(total, Math.floor((now - t0) / interval) + 1);
      for (; sent < due; sent++) {
        lags[sent] = now - (t0 + sent * interval);
        pool.dispatch(requests[sent % requests.length] as Dispatcher.DispatchOptions, new Sample(run, sent));
      }
      if (sent < total) setTimeout(tick, 1);
      else resolve();
    };
    tick();
  });
  const sendSeconds = (performance.now() - t0) / 1000;
  // Answers still out after 30 s are counted as errors rather than waited for.
  const deadline = performance.now() + 30_000;
  while (run.done < total && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
  const failed = run.errors + (total - run.done);
  await pool.destroy();
  run.latencies.sort();
  lags.sort();
  return {
    targetRps: options.rps,
    sentRps: total / sendSeconds,
    p50Ms: percentile(run.latencies, 50),
    p99Ms: percentile(run.latencies, 99),
    errors: failed,
    lagP99Ms: percentile(lags, 99),
  };
}
