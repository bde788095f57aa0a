import { once } from "node:events";
import { Worker } from "node:worker_threads";
import { openAnalyticsDbForWriting, type ShippedTable } from "@gatehouse/db";
import type Database from "better-sqlite3";
import type { WorkerMessage, WriteRequest, WriteResult, WriterThreadData } from "./analytics-worker.ts";
import type { LiveFeed } from "./live-feed.ts";
import type { SampleColumns } from "./sample-columns.ts";
import type { TrafficRollupsOptions } from "./traffic-rollups.ts";
import type { ShipOptions } from "./traffic-shipper.ts";

/** One SQL statement run once per row of parameters. */
export interface Statement {
  sql: string;
  rows: unknown[][];
  /** Set on the upserts a data-plane node sends the console too, which runs `UPSERTS[table]` for the same rows. */
  table?: ShippedTable;
}

/** What one source has to write: taken out of memory before the write, put back if it fails. */
export interface Batch {
  size: number;
  statements: Statement[];
  restore(): void;
}

export interface BatchSource {
  /** Hands over everything pending, or null when nothing is; `all` when the gateway stops. */
  take(all?: boolean): Batch | null;
}

/** The traffic the writer's thread rolls up: where requests are recorded, where the live stream goes, the rollups' settings. */
export interface TrafficSource {
  samples: SampleColumns;
  feed: LiveFeed;
  rollupOptions: Omit<TrafficRollupsOptions, "onSeconds">;
}

export interface AnalyticsWriterOptions {
  flushMs?: number;
  /** How long after each second a flush runs (1 s flushes only): late enough for what proxy workers send at its end. */
  flushOffsetMs?: number;
  /** The clock a flush reads to tell which seconds are over (tests move it by hand). */
  now?: () => number;
  /** On a data-plane node: the console that gets what each write adds to the shipped tables. */
  ship?: ShipOptions;
}

interface InFlight {
  batches: Batch[];
  done: (written: number) => void;
}

/**
 * The gateway's one writer to analytics.db: once a second every source's batch goes, as plain
 * statements, to a worker thread that runs them in one transaction. SQLite's inserts, commits
 * and checkpoints never block the request path; with 10,000 routes under load a second held
 * thousands of rows, tens of milliseconds of event loop each second. The traffic rollups live
 * on that thread too: a flush hands over the second's samples as one array of numbers, and
 * the thread adds them into seconds, minutes and hours, writes them and sends the live stream
 * back, so the work that grows with the routes and consumers a second touches stays off the
 * request path. When the file cannot be written (deleted, disk full, locked) the batches go
 * back to their sources (the rollups keep theirs on the thread), one line is logged per
 * episode, and the next flush tries again; a file deleted under the open handle is created
 * afresh instead of swallowing writes. A thread that dies takes the traffic it held with it
 * (at most the open minute and hour); the other sources' batches go back. On a data-plane node
 * (`ship`) the thread also sends the console what each committed write added (TrafficShipper).
 */
export class AnalyticsWriter {
  readonly #dataDir: string;
  readonly #log: (line: string) => void;
  readonly #flushMs: number;
  readonly #flushOffsetMs: number;
  readonly #now: () => number;
  readonly #ship: ShipOptions | null;
  readonly #sources: BatchSource[] = [];
  #traffic: TrafficSource | null = null;
  readonly #inFlight = new Map<number, InFlight>();
  #worker: Worker | null = null;
  #nextId = 1;
  #timer: NodeJS.Timeout | null = null;
  #failing: string | null = null;

  constructor(dataDir: string, log: (line: string) => void, options: AnalyticsWriterOptions = {}) {
    this.#dataDir = dataDir;
    this.#log = log;
    this.#flushMs = options.flushMs ?? 1000;
    this.#flushOffsetMs = options.flushOffsetMs ?? 5;
    this.#now = options.now ?? Date.now;
    this.#ship = options.ship ?? null;
  }

  add(source: BatchSource): void {
    this.#sources.push(source);
  }

  /** Rolls up this traffic on the writer's thread; before the thread starts, which takes the settings with it. */
  addTraffic(traffic: TrafficSource): void {
    if (this.#worker !== null) throw new Error("addTraffic: the writer thread has started");
    this.#traffic = traffic;
  }

  /** Runs `read` on a handle of its own (the schema migrated first); for sources that read at start. */
  read<T>(read: (sqlite: Database.Database) => T): T {
    const db = openAnalyticsDbForWriting(this.#dataDir);
    try {
      return read(db.$client);
    } finally {
      db.$client.close();
    }
  }

  /** Flushes just after each second ends, so a second reaches the live stream and the file within ~1 s. */
  start(): void {
    // The thread starts with the gateway, not at the first flush: its memory is part of the baseline.
    this.#spawned();
    const delay = this.#flushMs === 1000 ? 1000 + this.#flushOffsetMs - (Date.now() % 1000) : this.#flushMs;
    this.#timer = setTimeout(() => {
      void this.flush();
      this.#timer = setInterval(() => void this.flush(), this.#flushMs);
      this.#timer.unref();
    }, delay);
    this.#timer.unref();
  }

  /**
   * Hands every pending batch (with `all`, also what is still being counted) to the worker;
   * resolves to how many items were written, 0 when the write failed and they went back.
   */
  flush(all = false): Promise<number> {
    const batches = this.#sources.map((source) => source.take(all)).filter((batch) => batch !== null);
    // With traffic on, every flush goes: the thread learns from it which seconds are over.
    if (batches.length === 0 && this.#traffic === null) return Promise.resolve(0);
    const samples = this.#traffic?.samples.take() ?? null;
    const id = this.#nextId++;
    const request: WriteRequest = {
      id,
      now: this.#now(),
      all,
      live: this.#traffic?.feed.wanted ?? false,
      // One JSON string crosses to the worker cheaper than structured clone of thousands of row arrays.
      statements: JSON.stringify(batches.flatMap((batch) => batch.statements)),
      samples,
    };
    return new Promise((done) => {
      this.#inFlight.set(id, { batches, done });
      const worker = this.#spawned();
      // Held open while a write is unanswered, so a stopping process waits for it.
      worker.ref();
      worker.postMessage(request, samples === null ? [] : [samples.numbers.buffer]);
    });
  }

  /** Stops the timer, writes what is left and ends the worker, so a clean stop loses nothing counted. */
  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.flush(true);
    const worker = this.#worker;
    if (worker === null) return;
    this.#worker = null;
    worker.ref();
    const exited = once(worker, "exit");
    worker.postMessage({ close: true } satisfies WriteRequest);
    await exited;
  }

  #spawned(): Worker {
    if (this.#worker !== null) return this.#worker;
    const worker = new Worker(new URL("./analytics-worker.ts", import.meta.url), {
      workerData: {
        dataDir: this.#dataDir,
        traffic: this.#traffic?.rollupOptions ?? null,
        ship: this.#ship,
      } satisfies WriterThreadData,
    });
    worker.unref();
    worker.on("message", (message: WorkerMessage) => {
      if ("live" in message) this.#traffic?.feed.publish(message.live);
      else if ("log" in message) this.#log(message.log);
      else this.#settle(message);
    });
    worker.on("error", (error) => this.#lost(worker, error.message));
    worker.on("exit", (code) => this.#lost(worker, `the writer thread exited (${code})`));
    this.#worker = worker;
    return worker;
  }

  #settle(result: WriteResult): void {
    const flight = this.#inFlight.get(result.id);
    if (flight === undefined) return;
    this.#inFlight.delete(result.id);
    if (this.#inFlight.size === 0) this.#worker?.unref();
    if (result.error === null) {
      if (this.#failing !== null) this.#log("analytics: analytics.db written again");
      this.#failing = null;
      flight.done(flight.batches.reduce((sum, batch) => sum + batch.size, result.requests));
      return;
    }
    this.#failed(flight, result.error);
  }

  /** A worker that died took its unanswered writes with it: they go back, and the next flush starts another. */
  #lost(worker: Worker, why: string): void {
    if (this.#worker !== worker) return;
    this.#worker = null;
    this.#traffic?.samples.resendNames();
    const flights = [...this.#inFlight.values()];
    this.#inFlight.clear();
    for (const flight of flights) this.#failed(flight, why);
  }

  #failed(flight: InFlight, why: string): void {
    for (const batch of flight.batches) batch.restore();
    if (this.#failing !== why) this.#log(`analytics: cannot write analytics.db (${why}); keeping counts in memory`);
    this.#failing = why;
    flight.done(0);
  }
}
