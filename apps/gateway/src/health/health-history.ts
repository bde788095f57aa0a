import { HEALTH_EVENTS } from "@gatehouse/db/analytics-tables";
import type { HealthEvent } from "@gatehouse/shared";
import type { Batch, BatchSource } from "../analytics/analytics-writer.ts";

/** Events held while analytics.db cannot be written; past this the oldest go. */
const MAX_PENDING = 10_000;

const { name: TABLE, columns: h } = HEALTH_EVENTS;
const INSERT = `INSERT INTO ${TABLE} (${h.at}, ${h.upstreamId}, ${h.targetId}, ${h.url}, ${h.from}, ${h.to}, ${h.reason})
  VALUES (?, ?, ?, ?, ?, ?, ?)`;
/** Keeps the newest HEALTH_EVENTS.perUpstream of one pool. */
const TRIM_POOL = `DELETE FROM ${TABLE} WHERE ${h.upstreamId} = ? AND ${h.id} <= (
  SELECT ${h.id} FROM ${TABLE} WHERE ${h.upstreamId} = ? ORDER BY ${h.id} DESC LIMIT 1 OFFSET ?)`;
const TRIM_OLD = `DELETE FROM ${TABLE} WHERE ${h.at} < ?`;

/**
 * Health changes on their way to analytics.db, written by the analytics writer with its other
 * batches, so a pool's history outlives a gateway restart. The table stays small: each write
 * trims the pools it touched to their newest events, and anything older than 30 days.
 */
export class HealthHistory implements BatchSource {
  #pending: HealthEvent[] = [];

  push(event: HealthEvent): void {
    this.#pending.push(event);
    if (this.#pending.length > MAX_PENDING) this.#pending.shift();
  }

  take(): Batch | null {
    if (this.#pending.length === 0) return null;
    const events = this.#pending;
    this.#pending = [];
    const pools = [...new Set(events.map((event) => event.upstreamId))];
    const newest = Math.max(...events.map((event) => Date.parse(event.at)));
    return {
      size: events.length,
      statements: [
        {
          sql: INSERT,
          rows: events.map((e) => [Date.parse(e.at), e.upstreamId, e.targetId, e.url, e.from, e.to, e.reason]),
        },
        { sql: TRIM_POOL, rows: pools.map((id) => [id, id, HEALTH_EVENTS.perUpstream]) },
        { sql: TRIM_OLD, rows: [[newest - HEALTH_EVENTS.keepMs]] },
      ],
      restore: () => {
        this.#pending = events.concat(this.#pending).slice(-MAX_PENDING);
      },
    };
  }
}
