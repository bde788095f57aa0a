import { createServer, type Server } from "node:net";
import { Worker } from "node:worker_threads";
import type { QuotaTableShare, WindowTableShare } from "@gatehouse/policies";
import type { GatewayRequestLogQuery, RequestLogEntry } from "@gatehouse/shared";
import { SampleReader } from "../analytics/sample-columns.ts";
import type { Traffic, TrafficOptions } from "../analytics/traffic.ts";
import type { LiveRevision } from "../config/config-source.ts";
import type { EdgeLimits } from "../edge/limits.ts";
import { OpenConnections } from "../edge/open-connections.ts";
import type { HealthRegistry, TargetState } from "../health/registry.ts";
import type { KeyIndex } from "../policies/key-index.ts";
import type { KeyUsageRecorder } from "../policies/key-usage.ts";
import type { PolicyCounts } from "../policies/policy-counts.ts";
import type { QuotaCounters } from "../policies/quota-counters.ts";
import type {
  HostMessage,
  Outcome,
  ProxyWorkerData,
  RevisionMessage,
  WorkerMessage,
  WorkerReport,
  WorkerTls,
} from "./messages.ts";

export interface ProxyWorkersOptions {
  count: number;
  host: string;
  port: number;
  limits: EdgeLimits;
  /** The host's shared in-flight counts, which its health registry hands out. */
  inflight: SharedArrayBuffer;
  windows: WindowTableShare;
  quotaTable: QuotaTableShare;
  /** The host's key index, which the workers read in shared memory. */
  keys: KeyIndex;
  traffic: TrafficOptions | false;
  accessLog: boolean;
  log: (line: string) => void;
  health: HealthRegistry;
  keyUsage: KeyUsageRecorder;
  quotas: QuotaCounters;
  /** The host's policy counts, which the workers' join. */
  policyCounts: PolicyCounts;
  /** The host's analytics, which the workers' samples join; null when they are off. */
  hostTraffic: Traffic | null;
  /** Told when the revision every running worker serves moves. */
  onServed?: (revision: number) => void;
}

interface Slot {
  readonly index: number;
  worker: Worker | null;
  listening: boolean;
  /** The revision the worker said it serves. */
  served: number | null;
  reader: SampleReader;
  /** performance.now() when a replacement was started; null for a first start. */
  replacing: number | null;
  /** Resolved by the worker's next report. */
  reported: Array<() => void>;
}

/** A worker that exits before it listens is started again after this, not in a tight loop. */
const RESTART_BACKOFF_MS = 1_000;
/** How long the status port waits for a worker's report before answering without it. */
const SYNC_TIMEOUT_MS = 1_000;

/**
 * The host's side of the proxy workers: starts one per GATEHOUSE_WORKERS on a shared port,
 * sends each revision and every target state change to all of them, takes their reports into
 * the host's one breaker per target, analytics, key use and quota counts, and starts a new
 * worker in place of one that exits.
 */
export class ProxyWorkers {
  readonly workers: number;
  restarts = 0;
  readonly #options: ProxyWorkersOptions;
  readonly #slots: Slot[];
  readonly #requests: number[];
  readonly #share: SharedArrayBuffer;
  #port = 0;
  #tls: WorkerTls | null = null;
  /** The TLS port's URL once every worker listens on it; null when it is off. */
  tlsUrl: string | null = null;
  /** The live revision in full, for a worker that starts now. */
  #revision: RevisionMessage | null = null;
  #draining = false;
  #nextQuery = 1;
  readonly #queries = new Map<number, (entries: RequestLogEntry[], sampleRate: number) => void>();

  constructor(options: ProxyWorkersOptions) {
    this.#options = options;
    this.workers = options.count;
    this.#share = OpenConnections.share(options.count);
    this.#requests = new Array<number>(options.count).fill(0);
    this.#slots = Array.from({ length: options.count }, (_, index) => ({
      index,
      worker: null,
      listening: false,
      served: null,
      reader: new SampleReader(),
      replacing: null,
      reported: [],
    }));
  }

  /** Starts every worker on one port (and the TLS one) and resolves to the proxy URL once all of them listen. */
  async start(tls: WorkerTls | null = null): Promise<string> {
    const { host } = this.#options;
    this.#port = await probePort(this.#options.port, host);
    if (tls !== null) this.#tls = { ...tls, port: await probePort(tls.port, host) };
    await Promise.all(this.#slots.map((slot) => this.#started(slot)));
    const hostPart = host.includes(":") ? `[${host}]` : host;
    if (this.#tls !== null) this.tlsUrl = `https://${hostPart}:${this.#tls.port}`;
    return `http://${hostPart}:${this.#port}`;
  }

  /** A revision went live on the host: every worker serves it next. */
  publish(live: LiveRevision): void {
    const states = this.#options.health.states();
    const keys = this.#options.keys.share();
    const previous = this.#revision;
    if (live.snapshot === null) {
      if (previous === null || previous.snapshot === null) return;
      this.#revision = {
        ...previous,
        revision: live.revision,
        snapshot: { ...previous.snapshot, revision: live.revision },
        keys,
      };
      this.#broadcast({ type: "revision", revision: live.revision, snapshot: null, states, keys });
      return;
    }
    this.#revision = { revision: live.revision, snapshot: live.snapshot, states, keys };
    const snapshot = live.routesChanged ? live.snapshot : { ...live.snapshot, routes: null };
    this.#broadcast({ type: "revision", revision: live.revision, snapshot, states, keys });
  }

  /** A target changed state on the host: every worker follows. */
  healthChanged(state: TargetState): void {
    this.#broadcast({ type: "health", states: [state] });
  }

  /** The revision every running worker serves; null while none serves one. */
  revision(): number | null {
    let min: number | null = null;
    for (const slot of this.#slots) {
      if (!slot.listening || slot.served === null) continue;
      if (min === null || slot.served < min) min = slot.served;
    }
    return min;
  }

  openConnections(): number {
    return new OpenConnections(this.#share).total;
  }

  running(): number {
    return this.#slots.filter((slot) => slot.listening).length;
  }

  requestsByWorker(): readonly number[] {
    return this.#requests;
  }

  /** Asks every worker for its report and waits for them (at most a second). */
  async sync(): Promise<void> {
    const waits = this.#slots
      .filter((slot) => slot.listening && slot.worker !== null)
      .map(
        (slot) =>
          new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, SYNC_TIMEOUT_MS);
            slot.reported.push(() => {
              clearTimeout(timer);
              resolve();
            });
            slot.worker?.postMessage({ type: "report" } satisfies HostMessage);
          }),
      );
    await Promise.all(waits);
  }

  /** The request log of every worker, newest first. */
  async requests(filter: GatewayRequestLogQuery): Promise<{ entries: RequestLogEntry[]; sampleRate: number }> {
    const answers = await Promise.all(
      this.#slots
        .filter((slot) => slot.listening && slot.worker !== null)
        .map(
          (slot) =>
            new Promise<{ entries: RequestLogEntry[]; sampleRate: number }>((resolve) => {
              const id = this.#nextQuery++;
              const timer = setTimeout(() => {
                this.#queries.delete(id);
                resolve({ entries: [], sampleRate: 1 });
              }, SYNC_TIMEOUT_MS);
              this.#queries.set(id, (entries, sampleRate) => {
                clearTimeout(timer);
                resolve({ entries, sampleRate });
              });
              slot.worker?.postMessage({ type: "requests", id, filter } satisfies HostMessage);
            }),
        ),
    );
    const entries = answers
      .flatMap((answer) => answer.entries)
      .sort((a, b) => b.time - a.time)
      .slice(0, filter.limit);
    return { entries, sampleRate: Math.min(1, ...answers.map((answer) => answer.sampleRate)) };
  }

  /** Ends worker `index` as a crash would (the status port's kill endpoint, for failure tests). */
  kill(index: number): boolean {
    const slot = this.#slots[index];
    const worker = slot?.worker;
    // A worker still starting is left alone: the gateway's start waits for it.
    if (worker === null || worker === undefined || !slot?.listening) return false;
    void worker.terminate();
    return true;
  }

  /**
   * Every worker stops accepting, finishes its requests (up to `timeoutMs`), reports and ends;
   * `onClosed` once none accepts connections any more.
   */
  async drain(timeoutMs: number, onClosed?: () => void): Promise<void> {
    this.#draining = true;
    const closed: Promise<void>[] = [];
    const ended: Promise<void>[] = [];
    for (const slot of this.#slots) {
      const worker = slot.worker;
      if (worker === null) continue;
      const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
      closed.push(Promise.race([exited, untilMessage(worker, "closed")]));
      ended.push(Promise.race([exited, untilMessage(worker, "drained")]).then(() => worker.terminate().then(() => {})));
      worker.postMessage({ type: "drain", timeoutMs } satisfies HostMessage);
    }
    await Promise.all(closed);
    onClosed?.();
    await Promise.all(ended);
  }

  #broadcast(message: HostMessage): void {
    for (const slot of this.#slots) slot.worker?.postMessage(message);
  }

  /** Starts the worker of a slot; resolves once it listens, rejects if it exits first. */
  #started(slot: Slot): Promise<void> {
    const worker = this.#spawn(slot);
    return new Promise((resolve, reject) => {
      const onMessage = (message: WorkerMessage) => {
        if (message.type !== "listening") return;
        worker.off("exit", onExit);
        resolve();
      };
      const onExit = (code: number) => {
        worker.off("message", onMessage);
        reject(new Error(`proxy worker ${slot.index} exited with code ${code} before it listened`));
      };
      worker.on("message", onMessage);
      worker.once("exit", onExit);
    });
  }

  #spawn(slot: Slot): Worker {
    const { host, limits, traffic } = this.#options;
    const data: ProxyWorkerData = {
      index: slot.index,
      host,
      port: this.#port,
      limits,
      traffic,
      accessLog: this.#options.accessLog,
      connections: this.#share,
      inflight: this.#options.inflight,
      windows: this.#options.windows,
      quotas: this.#options.quotaTable,
      revision: this.#revision === null ? null : { ...this.#revision, states: this.#options.health.states() },
      keys: this.#options.keys.share(),
      tls: this.#tls,
    };
    const worker = new Worker(new URL("./proxy-worker-entry.ts", import.meta.url), { workerData: data });
    slot.worker = worker;
    slot.listening = false;
    slot.served = null;
    slot.reader = new SampleReader();
    worker.on("message", (message: WorkerMessage) => this.#received(slot, worker, message));
    worker.on("error", (error) => this.#options.log(`gateway: proxy worker ${slot.index} failed: ${error.message}`));
    worker.on("exit", (code) => this.#exited(slot, worker, code));
    return worker;
  }

  #received(slot: Slot, worker: Worker, message: WorkerMessage): void {
    if (slot.worker !== worker) return;
    switch (message.type) {
      case "listening":
        slot.listening = true;
        if (slot.replacing !== null) {
          const ms = Math.round(performance.now() - slot.replacing);
          this.#options.log(`gateway: proxy worker ${slot.index} replaced in ${ms} ms`);
          slot.replacing = null;
        }
        return;
      case "served": {
        const before = this.revision();
        slot.served = message.revision;
        const after = this.revision();
        if (after !== null && after !== before) this.#options.onServed?.(after);
        return;
      }
      case "report":
        this.#take(slot, message.report);
        return;
      case "outcomes":
        this.#outcomes(message.outcomes);
        return;
      case "requests":
        this.#queries.get(message.id)?.(message.entries, message.sampleRate);
        this.#queries.delete(message.id);
        return;
      case "closed":
      case "drained":
        return;
    }
  }

  #take(slot: Slot, report: WorkerReport): void {
    const { health, keyUsage, quotas, hostTraffic } = this.#options;
    this.#requests[slot.index] = (this.#requests[slot.index] as number) + report.requests;
    if (report.samples !== null && hostTraffic !== null) {
      slot.reader.read(report.samples, (sample) => {
        hostTraffic.samples.record(sample);
        hostTraffic.metrics.record(sample);
      });
    }
    this.#outcomes(report.outcomes);
    for (const [poolId, retries, denied] of report.retries) {
      const pool = health.findPool(poolId);
      if (pool === undefined) continue;
      pool.retries += retries;
      pool.retriesDenied += denied;
    }
    for (const [keyId, at] of report.keysUsed) keyUsage.used(keyId, at);
    if (report.quotas.length > 0) quotas.merge(report.quotas);
    this.#options.policyCounts.merge(report.policyCounts);
    const waiting = slot.reported;
    slot.reported = [];
    for (const resolve of waiting) resolve();
  }

  /** Replays a worker's request outcomes, in its order, into the host's breakers. */
  #outcomes(outcomes: readonly Outcome[]): void {
    const { health } = this.#options;
    for (const [key, successes, latencySumMs, failure, trial, tripped] of outcomes) {
      const target = health.find(key);
      if (target === undefined) continue;
      if (successes > 0) target.succeeded(latencySumMs / successes, trial && failure === null, successes);
      if (failure !== null) target.failed(failure, trial);
      if (tripped && failure !== null) target.trip(failure);
    }
  }

  #exited(slot: Slot, worker: Worker, code: number): void {
    if (slot.worker !== worker) return;
    new OpenConnections(this.#share).forget(slot.index);
    const waiting = slot.reported;
    slot.reported = [];
    for (const resolve of waiting) resolve();
    slot.worker = null;
    const wasListening = slot.listening;
    slot.listening = false;
    if (this.#draining) return;
    this.restarts++;
    this.#options.log(`gateway: proxy worker ${slot.index} exited (code ${code}); starting another`);
    slot.replacing = performance.now();
    const restart = () => {
      if (!this.#draining) this.#spawn(slot);
    };
    if (wasListening) restart();
    else setTimeout(restart, RESTART_BACKOFF_MS).unref();
  }
}

function untilMessage(worker: Worker, type: WorkerMessage["type"]): Promise<void> {
  return new Promise((resolve) => {
    const listener = (message: WorkerMessage) => {
      if (message.type !== type) return;
      worker.off("message", listener);
      resolve();
    };
    worker.on("message", listener);
  });
}

/**
 * A plain bind first: reusePort would quietly share a port another gateway already holds.
 * Not held while the workers start: a listening socket no one accepts on would take
 * connections into its queue and reset them when it closed; refused ones are retried.
 */
async function probePort(port: number, host: string): Promise<number> {
  const probe = createServer();
  const bound = await bind(probe, port, host, false);
  await new Promise((resolve) => probe.close(resolve));
  return bound;
}

/** Listens on `port` (0: any free one) and gives the port. */
function bind(server: Server, port: number, host: string, reusePort: boolean): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen({ port, host, reusePort }, () => {
      server.off("error", reject);
      resolve((server.address() as { port: number }).port);
    });
  });
}
