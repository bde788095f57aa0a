import {
  CODE_TABLES,
  type CodeTable,
  CODE_COLUMNS as c,
  DEFAULT_TRAFFIC_RETENTION,
  type TrafficRetention,
} from "@gatehouse/db/analytics-tables";
import { UPSERTS } from "@gatehouse/db/analytics-upserts";
import type { Batch, Statement } from "./analytics-writer.ts";
import type { RollupSample } from "./traffic-rollups.ts";

/** Old rows go at most this often, as the traffic tables' do. */
const TRIM_EVERY_SECONDS = 60;

/** One (bucket, api, status, refusal) and its count. */
interface CodeRow {
  t: number;
  apiId: string;
  status: number;
  refusal: string;
  requests: number;
}

/**
 * Requests per status code and refusal code, on the writer's thread beside the rollups: the
 * rollup cells keep only the status class, and keying them by code would multiply their
 * histograms. A flush adds what it counted to the open minute and hour rows (counts only),
 * so there is nothing to hold back until a bucket ends. The keys are few: an API answers a
 * handful of distinct codes in a minute.
 */
export class CodeCounts {
  readonly #retention: Pick<TrafficRetention, "minutes" | "hours">;
  #rows = new Map<string, CodeRow>();
  #trimmedAt = 0;

  constructor(retention: Pick<TrafficRetention, "minutes" | "hours"> = DEFAULT_TRAFFIC_RETENTION) {
    this.#retention = retention;
  }

  record(sample: RollupSample): void {
    const t = Math.floor(sample.endedAt / 60_000) * 60;
    const refusal = sample.refusal ?? "";
    const key = `${t}\n${sample.apiId}\n${sample.status}\n${refusal}`;
    const row = this.#rows.get(key);
    if (row !== undefined) row.requests++;
    else this.#rows.set(key, { t, apiId: sample.apiId, status: sample.status, refusal, requests: 1 });
  }

  /** Everything counted since the last take, as upserts into both tables; put back if the write fails. */
  take(nowMs: number): Batch | null {
    const now = Math.floor(nowMs / 1000);
    const trim = now - this.#trimmedAt >= TRIM_EVERY_SECONDS;
    if (this.#rows.size === 0 && !trim) return null;
    if (trim) this.#trimmedAt = now;
    const taken = this.#rows;
    this.#rows = new Map();
    const rows = [...taken.values()];
    const statements: Statement[] = [];
    if (rows.length > 0) {
      for (const table of CODE_TABLES) statements.push(upsert(table.name, table.width, rows));
    }
    if (trim) {
      for (const table of CODE_TABLES) {
        const kept = this.#retention[table.resolution];
        statements.push({ sql: `DELETE FROM ${table.name} WHERE ${c.t} < ?`, rows: [[now - kept]] });
      }
    }
    return {
      size: 0,
      statements,
      restore: () => {
        for (const [key, row] of taken) {
          const later = this.#rows.get(key);
          if (later === undefined) this.#rows.set(key, row);
          else later.requests += row.requests;
        }
      },
    };
  }
}

function upsert(table: CodeTable["name"], width: number, rows: CodeRow[]): Statement {
  return {
    table,
    sql: UPSERTS[table].sql,
    rows: rows.map((row) => [row.t - (row.t % width), row.apiId, row.status, row.refusal, row.requests]),
  };
}
