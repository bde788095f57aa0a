import {
  DEFAULT_TRAFFIC_RETENTION,
  TRAFFIC_COLUMNS,
  TRAFFIC_TABLES,
  type TrafficRetention,
  type TrafficTable,
} from "@gatehouse/db/analytics-tables";
import { UPSERTS } from "@gatehouse/db/analytics-upserts";
import type { LiveMessage } from "@gatehouse/shared";
import { NO_CONSUMER, OTHER_CONSUMERS } from "@gatehouse/shared/consumer-ids";
import { LatencyHistogram } from "@gatehouse/shared/histogram";
import type { Batch, Statement } from "./analytics-writer.ts";

/** What the rollups read of a finished request. */
export interface RollupSample {
  apiId: string;
  routeId: string;
  consumerId: string | null;
  status: number;
  /** Epoch ms when the response was over. */
  endedAt: number;
  latencyMs: number;
  /** Time to the upstream's response headers, ms; -1 when the request never got one. */
  upstreamMs: number;
  bytesIn: number;
  bytesOut: number;
  /** The gateway's error code when it answered itself, else null. */
  refusal: string | null;
  /** The upstream pool the request went to, null when none. */
  upstreamId: string | null;
  /** X-Cache-Status from the proxy-cache policy, null without one. */
  cacheStatus: string | null;
}

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

  add(sample: RollupSample): void {
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

  merge(other: RollupCell): void {
    this.requests += other.requests;
    this.bytesIn += other.bytesIn;
    this.bytesOut += other.bytesOut;
    this.latencyMsSum += other.latencyMsSum;
    this.upstreamMsSum += other.upstreamMsSum;
    this.upstreamCount += other.upstreamCount;
    this.histogram.merge(other.histogram);
  }
}

/** A cell with the start of its bucket (epoch seconds): one row of a traffic table. */
export interface RollupRow {
  t: number;
  cell: RollupCell;
}

/**
 * Values per (api, route, consumer), each an array by status class, in nested maps: with
 * thousands of routes a second brings thousands of cells, and building and hashing a joined
 * key string for each cost more than the rest of rolling them up. A route's first consumer is
 * held inline and a map is made only for a second one: most routes see one consumer (or none)
 * in a second, and a map per route per second was most of what many routes allocated.
 */
class CellIndex<T> {
  readonly #byApi = new Map<string, Map<string, RouteCells<T>>>();

  /** The values by status class of (api, route, consumer), made empty if new. */
  classes(apiId: string, routeId: string, consumerId: string): T[] {
    let routes = this.#byApi.get(apiId);
    if (routes === undefined) {
      routes = new Map();
      this.#byApi.set(apiId, routes);
    }
    const route = routes.get(routeId);
    if (route === undefined) {
      const byClass: T[] = [];
      routes.set(routeId, { consumerId, byClass, more: null });
      return byClass;
    }
    if (route.consumerId === consumerId) return route.byClass;
    route.more ??= new Map();
    let byClass = route.more.get(consumerId);
    if (byClass === undefined) {
      byClass = [];
      route.more.set(consumerId, byClass);
    }
    return byClass;
  }
}

interface RouteCells<T> {
  /** The route's first consumer and its values. */
  readonly consumerId: string;
  readonly byClass: T[];
  /** Every other consumer's. */
  more: Map<string, T[]> | null;
}

/** Everything counted in one second (epoch seconds `t`). */
export class SecondRollup {
  readonly t: number;
  readonly cells: RollupCell[] = [];
  readonly #index = new CellIndex<RollupCell>();
  readonly #consumers = new Set<string>();
  readonly #maxConsumers: number;

  constructor(t: number, maxConsumers: number) {
    this.t = t;
    this.#maxConsumers = maxConsumers;
  }

  add(sample: RollupSample): void {
    let consumerId = sample.consumerId ?? NO_CONSUMER;
    if (!this.#consumers.has(consumerId)) {
      if (this.#consumers.size >= this.#maxConsumers) consumerId = OTHER_CONSUMERS;
      else this.#consumers.add(consumerId);
    }
    const byClass = this.#index.classes(sample.apiId, sample.routeId, consumerId);
    const statusClass = Math.min(5, Math.max(1, Math.floor(sample.status / 100)));
    let cell = byClass[statusClass];
    if (cell === undefined) {
      cell = new RollupCell(sample.apiId, sample.routeId, consumerId, statusClass);
      byClass[statusClass] = cell;
      this.cells.push(cell);
    }
    cell.add(sample);
  }

  get requests(): number {
    let sum = 0;
    for (const cell of this.cells) sum += cell.requests;
    return sum;
  }
}

const [SECONDS, MINUTES, HOURS] = TRAFFIC_TABLES;

/** Old rows go at most this often; deleting is cheap but need not happen every second. */
const TRIM_EVERY_SECONDS = 60;

/**
 * Cells of the buckets still being counted (a minute, an hour), merged per (bucket, api,
 * route, consumer, status class).
 */
class BucketAccumulator {
  readonly #width: number;
  readonly #maxCells: number;
  readonly #buckets = new Map<number, { rows: RollupRow[]; index: CellIndex<RollupRow> }>();
  #cells = 0;

  constructor(width: number, maxCells: number) {
    this.#width = width;
    this.#maxCells = maxCells;
  }

  add(rows: Iterable<RollupRow>): void {
    for (const { t, cell } of rows) {
      const bucket = t - (t % this.#width);
      let cells = this.#buckets.get(bucket);
      if (cells === undefined) {
        cells = { rows: [], index: new CellIndex() };
        this.#buckets.set(bucket, cells);
      }
      const byClass = cells.index.classes(cell.apiId, cell.routeId, cell.consumerId);
      let row = byClass[cell.statusClass];
      if (row === undefined) {
        row = { t: bucket, cell: new RollupCell(cell.apiId, cell.routeId, cell.consumerId, cell.statusClass) };
        byClass[cell.statusClass] = row;
        cells.rows.push(row);
        this.#cells++;
      }
      row.cell.merge(cell);
    }
  }

  /** The rows of every bucket that has ended by `now`; all of them with `all` or past the cap. */
  take(now: number, all: boolean): RollupRow[] {
    const everything = all || this.#cells > this.#maxCells;
    let out: RollupRow[] = [];
    for (const [bucket, cells] of this.#buckets) {
      if (!everything && bucket + this.#width > now) continue;
      out = out.length === 0 ? cells.rows : out.concat(cells.rows);
      this.#cells -= cells.rows.length;
      this.#buckets.delete(bucket);
    }
    return out;
  }
}

export interface TrafficRollupsOptions {
  maxConsumersPerSecond?: number;
  retention?: TrafficRetention;
  /**
   * Told at each take of the seconds completed since the last one (each second once, before it
   * is stored) and of `upTo`: every second before it is complete, with or without traffic.
   */
  onSeconds?: (seconds: SecondRollup[], upTo: number) => void;
  /** Past this many cells in memory a minute or hour is written early, in parts that add up. */
  maxAccumulatedCells?: number;
}

/**
 * Per-second traffic rollups, kept on the analytics writer's thread: each flush brings the
 * samples since the last one to add to their second in memory, then takes every completed
 * second into the second table. The seconds also add up in memory into their minute, written
 * once the minute is over, and the minutes into their hour, written once the hour is over
 * (each second once into each table). Until then a query reads the open minute and hour from
 * the finer table. The same transaction trims what retention no longer keeps.
 */
export class TrafficRollups {
  readonly #maxConsumers: number;
  readonly #retention: TrafficRetention;
  readonly #onSeconds: TrafficRollupsOptions["onSeconds"];
  #current: SecondRollup | null = null;
  #completed: SecondRollup[] = [];
  readonly #minutes: BucketAccumulator;
  readonly #hours: BucketAccumulator;
  /** Rows taken but not yet written (a failed write puts them back here, never into the accumulators). */
  #unwritten = { seconds: [] as RollupRow[], minutes: [] as RollupRow[], hours: [] as RollupRow[], requests: 0 };
  #trimmedAt = 0;

  constructor(options: TrafficRollupsOptions = {}) {
    this.#maxConsumers = options.maxConsumersPerSecond ?? 1000;
    this.#retention = options.retention ?? DEFAULT_TRAFFIC_RETENTION;
    this.#onSeconds = options.onSeconds;
    this.#minutes = new BucketAccumulator(MINUTES.width, options.maxAccumulatedCells ?? 100_000);
    this.#hours = new BucketAccumulator(HOURS.width, options.maxAccumulatedCells ?? 100_000);
  }

  record(sample: RollupSample): void {
    const t = Math.floor(sample.endedAt / 1000);
    let current = this.#current;
    if (current === null || current.t !== t) {
      current = this.#rollTo(t);
    }
    current.add(sample);
  }

  /**
   * Every second completed by `nowMs` (and ended minute and hour); with `all`, what is still
   * open too (a stopping gateway keeps nothing back).
   */
  take(nowMs: number, all = false): Batch | null {
    const now = Math.floor(nowMs / 1000);
    const current = this.#current;
    if (current !== null && (all || current.t < now)) {
      this.#completed.push(current);
      this.#current = null;
    }
    const seconds = this.#completed;
    this.#completed = [];
    this.#onSeconds?.(seconds, all ? now + 1 : now);
    const secondRows = seconds.flatMap((second) => second.cells.map((cell) => ({ t: second.t, cell })));
    this.#minutes.add(secondRows);
    const minuteRows = this.#minutes.take(now, all);
    this.#hours.add(minuteRows);
    const pending = this.#unwritten;
    this.#unwritten = { seconds: [], minutes: [], hours: [], requests: 0 };
    const batch = {
      seconds: pending.seconds.concat(secondRows),
      minutes: pending.minutes.concat(minuteRows),
      hours: pending.hours.concat(this.#hours.take(now, all)),
      requests: pending.requests + seconds.reduce((sum, second) => sum + second.requests, 0),
    };
    const trim = now - this.#trimmedAt >= TRIM_EVERY_SECONDS;
    if (batch.seconds.length + batch.minutes.length + batch.hours.length === 0 && !trim) return null;
    if (trim) this.#trimmedAt = now;
    return {
      size: batch.requests,
      statements: [
        ...upserts(SECONDS.name, batch.seconds),
        ...upserts(MINUTES.name, batch.minutes),
        ...upserts(HOURS.name, batch.hours),
        ...(trim ? trims(this.#retention, now) : []),
      ],
      restore: () => {
        const later = this.#unwritten;
        this.#unwritten = {
          seconds: batch.seconds.concat(later.seconds),
          minutes: batch.minutes.concat(later.minutes),
          hours: batch.hours.concat(later.hours),
          requests: batch.requests + later.requests,
        };
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

/** What the live stream sends of the seconds a take completed. */
export function liveMessage(seconds: SecondRollup[], upTo: number): LiveMessage {
  return {
    upTo,
    seconds: seconds.map((second) => ({
      t: second.t,
      cells: second.cells.map((cell) => [
        cell.apiId,
        cell.routeId,
        cell.consumerId,
        cell.statusClass,
        cell.requests,
        cell.bytesIn,
        cell.bytesOut,
        cell.latencyMsSum,
        cell.histogram.encode(),
      ]),
    })),
  };
}

/** Adds rows to a table. */
function upserts(table: TrafficTable["name"], rows: RollupRow[]): Statement[] {
  if (rows.length === 0) return [];
  return [
    {
      table,
      sql: UPSERTS[table].sql,
      rows: rows.map(({ t, cell }) => [
        t,
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
        cell.histogram.encode(),
      ]),
    },
  ];
}

/** Deletes the rows each table no longer keeps. */
function trims(retention: TrafficRetention, now: number): Statement[] {
  return TRAFFIC_TABLES.map((table) => ({
    sql: `DELETE FROM ${table.name} WHERE ${TRAFFIC_COLUMNS.t} < ?`,
    rows: [[now - retention[table.resolution]]],
  }));
}
