import { TRAFFIC_COLUMNS as c, TRAFFIC_TABLES, type TrafficTable } from "@gatehouse/db";
import { LatencyHistogram, type TimeseriesPoint, type TrafficTotals } from "@gatehouse/shared";
import type Database from "better-sqlite3";
import type { TimeRange } from "./range.ts";

export interface TrafficFilter {
  apiId?: string | undefined;
  routeId?: string | undefined;
  consumerId?: string | undefined;
}

export interface TrafficRow {
  key: string | number;
  statusClass: number;
  requests: number;
  bytesIn: number;
  bytesOut: number;
  histogram: string;
}

/**
 * The gateway writes a minute once it is over and an hour once it is over; until then they
 * are in the finer table. So a range read from the minute table takes its last two minutes
 * from the second table, and one read from the hour table its last two hours from the
 * minute table (and so on down): every part of the range comes from exactly one table.
 */
export function tiers(table: TrafficTable, range: TimeRange, now: number): { table: TrafficTable; range: TimeRange }[] {
  const index = TRAFFIC_TABLES.indexOf(table);
  if (index === 0) return [{ table, range }];
  const finer = TRAFFIC_TABLES[index - 1] as TrafficTable;
  const nowSeconds = Math.floor(now / 1000);
  const open = nowSeconds - (nowSeconds % table.width) - table.width;
  if (range.to <= open) return [{ table, range }];
  if (range.from >= open) return tiers(finer, range, now);
  return [{ table, range: { from: range.from, to: open } }, ...tiers(finer, { from: open, to: range.to }, now)];
}

/**
 * Sums a rollup table (with the finer tables for what it does not hold yet) over a range,
 * grouped by `groupBy` (an SQL expression over the columns, never user input) and status
 * class; the latency histograms are merged inside SQLite. Rows of one key from two tables
 * come back apart; `sumByKey` adds them up.
 */
export function sumTraffic(
  sqlite: Database.Database,
  table: TrafficTable,
  range: TimeRange,
  filter: TrafficFilter,
  groupBy: string,
  now = Date.now(),
): TrafficRow[] {
  return tiers(table, range, now).flatMap((tier) => sumTable(sqlite, tier.table, tier.range, filter, groupBy));
}

function sumTable(
  sqlite: Database.Database,
  table: TrafficTable,
  range: TimeRange,
  filter: TrafficFilter,
  groupBy: string,
): TrafficRow[] {
  const where = [`${c.t} >= ?`, `${c.t} < ?`];
  const params: (string | number)[] = [range.from, range.to];
  for (const [column, value] of [
    [c.apiId, filter.apiId],
    [c.routeId, filter.routeId],
    [c.consumerId, filter.consumerId],
  ] as const) {
    if (value === undefined) continue;
    where.push(`${column} = ?`);
    params.push(value);
  }
  return sqlite
    .prepare(
      `SELECT ${groupBy} AS key, ${c.statusClass} AS statusClass, sum(${c.requests}) AS requests,
         sum(${c.bytesIn}) AS bytesIn, sum(${c.bytesOut}) AS bytesOut, hist_sum(${c.histogram}) AS histogram
       FROM ${table.name} WHERE ${where.join(" AND ")} GROUP BY 1, 2`,
    )
    .all(...params) as TrafficRow[];
}

/** Adds rows up into one set of totals, percentiles from the merged histogram. */
export class TrafficSum {
  requests = 0;
  errors4xx = 0;
  errors5xx = 0;
  bytesIn = 0;
  bytesOut = 0;
  readonly histogram = new LatencyHistogram();

  add(row: TrafficRow): this {
    this.requests += row.requests;
    if (row.statusClass === 4) this.errors4xx += row.requests;
    if (row.statusClass === 5) this.errors5xx += row.requests;
    this.bytesIn += row.bytesIn;
    this.bytesOut += row.bytesOut;
    this.histogram.mergeEncoded(row.histogram);
    return this;
  }

  merge(other: TrafficSum): this {
    this.requests += other.requests;
    this.errors4xx += other.errors4xx;
    this.errors5xx += other.errors5xx;
    this.bytesIn += other.bytesIn;
    this.bytesOut += other.bytesOut;
    this.histogram.merge(other.histogram);
    return this;
  }

  /** The sum as the point of a series starting at `t` (epoch seconds). */
  point(t: number): TimeseriesPoint {
    const { requests, errors4xx, errors5xx, p50, p95, p99 } = this.totals();
    return { t: t * 1000, requests, errors4xx, errors5xx, p50, p95, p99 };
  }

  totals(): TrafficTotals {
    return {
      requests: this.requests,
      errors4xx: this.errors4xx,
      errors5xx: this.errors5xx,
      bytesIn: this.bytesIn,
      bytesOut: this.bytesOut,
      p50: this.histogram.quantile(0.5),
      p95: this.histogram.quantile(0.95),
      p99: this.histogram.quantile(0.99),
    };
  }
}

/** Sums rows per key, keeping the keys' order of first appearance. */
export function sumByKey(rows: TrafficRow[]): Map<string | number, TrafficSum> {
  const out = new Map<string | number, TrafficSum>();
  for (const row of rows) {
    let sum = out.get(row.key);
    if (sum === undefined) {
      sum = new TrafficSum();
      out.set(row.key, sum);
    }
    sum.add(row);
  }
  return out;
}
