import {
  DEFAULT_TRAFFIC_RETENTION,
  POOL_TABLES,
  type PoolTable,
  POOL_COLUMNS as p,
  type TrafficRetention,
} from "@gatehouse/db/analytics-tables";
import { UPSERTS } from "@gatehouse/db/analytics-upserts";
import { LatencyHistogram } from "@gatehouse/shared/histogram";
import type { Batch, Statement } from "./analytics-writer.ts";
import type { RollupSample } from "./traffic-rollups.ts";

/** Old rows go at most this often, as the traffic tables' do. */
const TRIM_EVERY_SECONDS = 60;

/** One (second, api, pool, cache status, status class). */
interface PoolCell {
  t: number;
  apiId: string;
  upstreamId: string;
  cacheStatus: string;
  statusClass: number;
  requests: number;
  latencyMsSum: number;
  histogram: LatencyHistogram;
}

/**
 * Requests per upstream pool and cache status, on the writer's thread beside the rollups, so a
 * canary's pool can be compared with the main one: the rollup cells are keyed by route and
 * consumer, and adding the pool to their key would multiply them for every API. The keys here
 * are few (an API has a pool or two and a handful of cache states), so a flush adds its seconds
 * straight to the second and minute rows, whose histograms merge in the upsert, and nothing is
 * held back until a minute ends. Requests of no API (no route matched) are not counted.
 */
export class PoolCounts {
  readonly #retention: Pick<TrafficRetention, "seconds" | "minutes">;
  #cells = new Map<string, PoolCell>();
  #trimmedAt = 0;

  constructor(retention: Pick<TrafficRetention, "seconds" | "minutes"> = DEFAULT_TRAFFIC_RETENTION) {
    this.#retention = retention;
  }

  record(sample: RollupSample): void {
    if (sample.apiId === "") return;
    const t = Math.floor(sample.endedAt / 1000);
    const upstreamId = sample.upstreamId ?? "";
    const cacheStatus = sample.cacheStatus ?? "";
    const statusClass = Math.min(5, Math.max(1, Math.floor(sample.status / 100)));
    const key = `${t}\n${sample.apiId}\n${upstreamId}\n${cacheStatus}\n${statusClass}`;
    let cell = this.#cells.get(key);
    if (cell === undefined) {
      cell = {
        t,
        apiId: sample.apiId,
        upstreamId,
        cacheStatus,
        statusClass,
        requests: 0,
        latencyMsSum: 0,
        histogram: new LatencyHistogram(),
      };
      this.#cells.set(key, cell);
    }
    cell.requests++;
    cell.latencyMsSum += sample.latencyMs;
    cell.histogram.add(sample.latencyMs);
  }

  /** Everything counted since the last take, as upserts into both tables; put back if the write fails. */
  take(nowMs: number): Batch | null {
    const now = Math.floor(nowMs / 1000);
    const trim = now - this.#trimmedAt >= TRIM_EVERY_SECONDS;
    if (this.#cells.size === 0 && !trim) return null;
    if (trim) this.#trimmedAt = now;
    const taken = this.#cells;
    this.#cells = new Map();
    const cells = [...taken.values()];
    const statements: Statement[] = [];
    if (cells.length > 0) {
      for (const table of POOL_TABLES) statements.push(upsert(table, cells));
    }
    if (trim) {
      for (const table of POOL_TABLES) {
        const kept = this.#retention[table.resolution];
        statements.push({ sql: `DELETE FROM ${table.name} WHERE ${p.t} < ?`, rows: [[now - kept]] });
      }
    }
    return {
      size: 0,
      statements,
      restore: () => {
        for (const [key, cell] of taken) {
          const later = this.#cells.get(key);
          if (later === undefined) {
            this.#cells.set(key, cell);
          } else {
            later.requests += cell.requests;
            later.latencyMsSum += cell.latencyMsSum;
            later.histogram.merge(cell.histogram);
          }
        }
      },
    };
  }
}

/** Seconds of one minute meet in the minute row: the upsert adds their counts and merges their histograms. */
function upsert(table: PoolTable, cells: PoolCell[]): Statement {
  return {
    table: table.name,
    sql: UPSERTS[table.name].sql,
    rows: cells.map((cell) => [
      cell.t - (cell.t % table.width),
      cell.apiId,
      cell.upstreamId,
      cell.cacheStatus,
      cell.statusClass,
      cell.requests,
      cell.latencyMsSum,
      cell.histogram.encode(),
    ]),
  };
}
