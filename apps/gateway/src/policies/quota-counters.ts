import { QUOTA_USAGE } from "@gatehouse/db/analytics-tables";
import type { DurableCounters } from "@gatehouse/policies";
import type Database from "better-sqlite3";
import type { Batch, BatchSource } from "../analytics/analytics-writer.ts";

interface Count {
  periodStart: number;
  count: number;
}

const { name: TABLE, columns: c } = QUOTA_USAGE;

/**
 * Quota counts: read from analytics.db once at start, counted in memory, and written back as
 * increments once a second and on stop, so a restart loses no counted request.
 */
export class QuotaCounters implements DurableCounters, BatchSource {
  readonly #counts = new Map<string, Count>();
  #pending = new Map<string, Count>();

  /** Loads the counts of current periods; call before serving. */
  load(sqlite: Database.Database, now = Date.now()): void {
    const rows = sqlite
      .prepare(`SELECT ${c.counter}, ${c.periodStart}, ${c.count} FROM ${TABLE} WHERE ${c.periodStart} >= ?`)
      .raw()
      .all(now - QUOTA_USAGE.keepMs) as Array<[string, number, number]>;
    for (const [counter, periodStart, count] of rows) {
      const known = this.#counts.get(counter);
      if (!known || known.periodStart < periodStart) this.#counts.set(counter, { periodStart, count });
    }
  }

  get(counter: string, periodStart: number): number {
    const known = this.#counts.get(counter);
    return known !== undefined && known.periodStart === periodStart ? known.count : 0;
  }

  add(counter: string, periodStart: number, n: number): void {
    const known = this.#counts.get(counter);
    if (known !== undefined && known.periodStart === periodStart) known.count += n;
    else this.#counts.set(counter, { periodStart, count: n });
    const pending = this.#pending.get(counter);
    if (pending !== undefined && pending.periodStart === periodStart) pending.count += n;
    else this.#pending.set(counter, { periodStart, count: n });
  }

  /** Increments a proxy worker counted (and the shared counts hold already): only to be persisted. */
  merge(rows: ReadonlyArray<readonly [counter: string, periodStart: number, n: number]>): void {
    for (const [counter, periodStart, n] of rows) {
      const pending = this.#pending.get(counter);
      if (pending !== undefined && pending.periodStart === periodStart) pending.count += n;
      else this.#pending.set(counter, { periodStart, count: n });
    }
  }

  take(): Batch | null {
    if (this.#pending.size === 0) return null;
    const batch = this.#pending;
    this.#pending = new Map();
    return {
      size: batch.size,
      statements: [
        {
          sql: `INSERT INTO ${TABLE} (${c.counter}, ${c.periodStart}, ${c.count}) VALUES (?, ?, ?)
                ON CONFLICT (${c.counter}, ${c.periodStart}) DO UPDATE SET ${c.count} = ${c.count} + excluded.${c.count}`,
          rows: [...batch].map(([counter, { periodStart, count }]) => [counter, periodStart, count]),
        },
        { sql: `DELETE FROM ${TABLE} WHERE ${c.periodStart} < ?`, rows: [[Date.now() - QUOTA_USAGE.keepMs]] },
      ],
      restore: () => {
        for (const [counter, { periodStart, count }] of batch) {
          const pending = this.#pending.get(counter);
          if (pending === undefined) this.#pending.set(counter, { periodStart, count });
          else if (pending.periodStart === periodStart) pending.count += count;
        }
      },
    };
  }
}
