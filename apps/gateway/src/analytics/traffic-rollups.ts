import { LatencyHistogram } from "@gatehouse/shared";
import type Database from "better-sqlite3";
import type { Batch, BatchSource } from "./analytics-writer.ts";
import type { TrafficSample } from "./traffic-sample.ts";

/** Consumers past this many distinct ones in a second count together as this id. */
export const OTHER_CONSUMER = "~other";

/** One (api, route, consumer, status class) in one second. */
export class RollupCell {
  readonly apiId: string;
  readonly routeId: string;
  readonly consumerId: string;
  readonly statusClass: number;
  requests = 0;
  bytesIn = 0;
  bytesOut = 0;
  latencyMsSum = 0;
  upstreamMsSum = 0;
  upstreamCount = 0;
  readonly histogram = new LatencyHistogram();

  constructor(apiId: string, routeId: string, consumerId: string, statusClass: number) {
    this.apiId = apiId;
    this.routeId = routeId;
    this.consumerId = consumerId;
    this.statusClass = statusClass;
  }

  add(sample: TrafficSample): void {
    this.requests++;
    this.bytesIn += sample.bytesIn;
    this.bytesOut += sample.bytesOut;
    this.latencyMsSum += sample.latencyMs;
    if (sample.upstreamMs >= 0) {
      this.upstreamMsSum += sample.upstreamMs;
      this.upstreamCount++;
    }
    this.histogram.add(sample.latencyMs);
  }
}

/** Everything counted in one second (epoch seconds `t`). */
export class SecondRollup {
  readonly t: number;
  readonly cells: RollupCell[] = [];
  /** api → route → consumer → cells by status class. */
  readonly #index = new Map<string, Map<string, Map<string, RollupCell[]>>>();
  readonly #consumers = new Set<string>();
  readonly #maxConsumers: number;
  #published = false;

  constructor(t: number, maxConsumers: number) {
    this.t = t;
    this.#maxConsumers = maxConsumers;
  }

  add(sample: TrafficSample): void {
    let routes = this.#index.get(sample.apiId);
    if (routes === undefined) {
      routes = new Map();
      this.#index.set(sample.apiId, routes);
    }
    let consumers = routes.get(sample.routeId);
    if (consumers === undefined) {
      consumers = new Map();
      routes.set(sample.routeId, consumers);
    }
    let consumerId = sample.consumerId ?? "";
    let byClass = consumers.get(consumerId);
    if (byClass === undefined) {
      if (!this.#consumers.has(consumerId)) {
        if (this.#consumers.size >= this.#maxConsumers) consumerId = OTHER_CONSUMER;
        else this.#consumers.add(consumerId);
      }
      byClass = consumers.get(consumerId);
      if (byClass === undefined) {
        byClass = [];
        consumers.set(consumerId, byClass);
      }
    }
    const statusClass = Math.min(5, Math.max(1, Math.floor(sample.status / 100)));
    let cell = byClass[statusClass];
    if (cell === undefined) {
      cell = new RollupCell(sample.apiId, sample.routeId, consumerId, statusClass);
      byClass[statusClass] = cell;
      this.cells.push(cell);
    }
    cell.add(sample);
  }

  /** True the first time only: each second goes out on the live stream once, even if its write is retried. */
  publish(): boolean {
    if (this.#published) return false;
    this.#published = true;
    return true;
  }

  get requests(): number {
    let sum = 0;
    for (const cell of this.cells) sum += cell.requests;
    return sum;
  }
}

export interface TrafficRetention {
  /** How long each table keeps its rows, in seconds. */
  seconds: number;
  minutes: number;
  hours: number;
}

export const DEFAULT_RETENTION: TrafficRetention = { seconds: 3600, minutes: 30 * 86_400, hours: 365 * 86_400 };

const TABLES = [
  { name: "traffic_1s", width: 1, keep: "seconds" },
  { name: "traffic_1m", width: 60, keep: "minutes" },
  { name: "traffic_1h", width: 3600, keep: "hours" },
] as const;

/** Old rows go at most this often; deleting is cheap but need not happen every second. */
const TRIM_EVERY_SECONDS = 60;

export interface TrafficRollupsOptions {
  maxConsumersPerSecond?: number;
  retention?: TrafficRetention;
  /**
   * Told at each take of the seconds completed since the last one (each second once, before it
   * is stored) and of `upTo`: every second before it is complete, with or without traffic.
   */
  onSeconds?: (seconds: SecondRollup[], upTo: number) => void;
  now?: () => number;
}

/**
 * Per-second traffic rollups. The request path adds a sample to the current second in memory;
 * the analytics writer takes every completed second once a second and adds it to the second,
 * minute and hour tables in its one transaction, trimming what retention no longer keeps.
 */
export class TrafficRollups implements BatchSource {
  readonly #maxConsumers: number;
  readonly #retention: TrafficRetention;
  readonly #onSeconds: TrafficRollupsOptions["onSeconds"];
  readonly #now: () => number;
  #current: SecondRollup | null = null;
  #completed: SecondRollup[] = [];
  #trimmedAt = 0;

  constructor(options: TrafficRollupsOptions = {}) {
    this.#maxConsumers = options.maxConsumersPerSecond ?? 1000;
    this.#retention = options.retention ?? DEFAULT_RETENTION;
    this.#onSeconds = options.onSeconds;
    this.#now = options.now ?? Date.now;
  }

  record(sample: TrafficSample): void {
    const t = Math.floor(sample.endedAt / 1000);
    let current = this.#current;
    if (current === null || current.t !== t) {
      current = this.#rollTo(t);
    }
    current.add(sample);
  }

  /** Every completed second; with `all`, the current one too (a stopping gateway keeps nothing back). */
  take(all = false): Batch | null {
    const now = Math.floor(this.#now() / 1000);
    const current = this.#current;
    if (current !== null && (all || current.t < now)) {
      this.#completed.push(current);
      this.#current = null;
    }
    const seconds = this.#completed;
    this.#completed = [];
    this.#onSeconds?.(
      seconds.filter((second) => second.publish()),
      all ? now + 1 : now,
    );
    const trim = now - this.#trimmedAt >= TRIM_EVERY_SECONDS;
    if (seconds.length === 0 && !trim) return null;
    return {
      size: seconds.reduce((sum, second) => sum + second.requests, 0),
      write: (sqlite) => {
        writeSeconds(sqlite, seconds);
        if (trim) {
          trimTraffic(sqlite, this.#retention, now);
          this.#trimmedAt = now;
        }
      },
      restore: () => {
        this.#completed = seconds.concat(this.#completed);
      },
    };
  }

  #rollTo(t: number): SecondRollup {
    const previous = this.#current;
    // Samples end in time order, except a response can close just after the flush took its second.
    if (previous !== null && previous.t > t) return previous;
    if (previous !== null) this.#completed.push(previous);
    const next = new SecondRollup(t, this.#maxConsumers);
    this.#current = next;
    return next;
  }
}

/** Adds each second's cells to its second, minute and hour rows. */
export function writeSeconds(sqlite: Database.Database, seconds: SecondRollup[]): void {
  const upserts = TABLES.map((table) => ({
    width: table.width,
    statement: sqlite.prepare(
      `INSERT INTO ${table.name} (t, api_id, route_id, consumer_id, status_class, requests, bytes_in, bytes_out,
         latency_ms_sum, upstream_ms_sum, upstream_count, histogram)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (t, api_id, route_id, consumer_id, status_class) DO UPDATE SET
         requests = requests + excluded.requests,
         bytes_in = bytes_in + excluded.bytes_in,
         bytes_out = bytes_out + excluded.bytes_out,
         latency_ms_sum = latency_ms_sum + excluded.latency_ms_sum,
         upstream_ms_sum = upstream_ms_sum + excluded.upstream_ms_sum,
         upstream_count = upstream_count + excluded.upstream_count,
         histogram = hist_merge(histogram, excluded.histogram)`,
    ),
  }));
  for (const second of seconds) {
    for (const cell of second.cells) {
      const histogram = cell.histogram.encode();
      for (const { width, statement } of upserts) {
        statement.run(
          second.t - (second.t % width),
          cell.apiId,
          cell.routeId,
          cell.consumerId,
          cell.statusClass,
          cell.requests,
          cell.bytesIn,
          cell.bytesOut,
          cell.latencyMsSum,
          cell.upstreamMsSum,
          cell.upstreamCount,
          histogram,
        );
      }
    }
  }
}

/** Deletes the rows each table no longer keeps. */
export function trimTraffic(sqlite: Database.Database, retention: TrafficRetention, now: number): void {
  for (const table of TABLES) {
    sqlite.prepare(`DELETE FROM ${table.name} WHERE t < ?`).run(now - retention[table.keep]);
  }
}
