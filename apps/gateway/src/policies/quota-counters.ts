import { QUOTA_USAGE } from "@gatehouse/db/analytics-tables";
import { UPSERTS } from "@gatehouse/db/analytics-upserts";
import type { DurableCounters, QuotaAdmission, QuotaCheck, QuotaTable } from "@gatehouse/policies";
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
 *
 * Ownership with worker threads: the host creates the QuotaTable, passes it here, and calls
 * `load` before any worker starts, so the table starts from analytics.db. Workers admit into the
 * table (SharedQuotaCounters) and send their increments to the host, which `merge`s them into
 * its pending batch only: they are in the table already. Without a table (one thread) the counts
 * live in a Map here and `admit` counts into it.
 */
export class QuotaCounters implements DurableCounters, BatchSource {
  readonly #counts = new Map<string, Count>();
  readonly #table: QuotaTable | null;
  #pending = new Map<string, Count>();

  constructor(table: QuotaTable | null = null) {
    this.#table = table;
  }

  /** Loads the counts of current periods; call before serving. */
  load(sqlite: Database.Database, now = Date.now()): void {
    const rows = sqlite
      .prepare(`SELECT ${c.counter}, ${c.periodStart}, ${c.count} FROM ${TABLE} WHERE ${c.periodStart} >= ?`)
      .raw()
      .all(now - QUOTA_USAGE.keepMs) as Array<[string, number, number]>;
    for (const [counter, periodStart, count] of rows) {
      if (this.#table !== null) {
        this.#table.load(counter, periodStart, count, now);
        continue;
      }
      const known = this.#counts.get(counter);
      if (!known || known.periodStart < periodStart) this.#counts.set(counter, { periodStart, count });
    }
  }

  admit(checks: readonly QuotaCheck[], now: number): QuotaAdmission {
    const admission = this.#table !== null ? this.#table.admit(checks, now) : this.#admitHere(checks);
    if (admission.admitted) for (const check of checks) this.#addPending(check.counter, check.periodStart, 1);
    return admission;
  }

  /** A worker's increments, already counted in the shared table: only to be written. */
  merge(rows: Iterable<readonly [counter: string, periodStart: number, n: number]>): void {
    for (const [counter, periodStart, n] of rows) this.#addPending(counter, periodStart, n);
  }

  #admitHere(checks: readonly QuotaCheck[]): QuotaAdmission {
    const used: number[] = new Array(checks.length);
    let admitted = true;
    for (let i = 0; i < checks.length; i++) {
      const check = checks[i] as QuotaCheck;
      const known = this.#counts.get(check.counter);
      // As the shared table: a newer period starts afresh, a clock that stepped back counts into the newer one.
      used[i] = known !== undefined && known.periodStart >= check.periodStart ? known.count : 0;
      if ((used[i] as number) >= check.limit) admitted = false;
    }
    if (!admitted) return { used, admitted };
    for (const check of checks) {
      const known = this.#counts.get(check.counter);
      if (known !== undefined && known.periodStart >= check.periodStart) known.count++;
      else this.#counts.set(check.counter, { periodStart: check.periodStart, count: 1 });
    }
    return { used, admitted };
  }

  #addPending(counter: string, periodStart: number, n: number): void {
    const pending = this.#pending.get(counter);
    if (pending !== undefined && pending.periodStart === periodStart) pending.count += n;
    else this.#pending.set(counter, { periodStart, count: n });
  }

  take(): Batch | null {
    if (this.#pending.size === 0) return null;
    const batch = this.#pending;
    this.#pending = new Map();
    return {
      size: batch.size,
      statements: [
        {
          sql: UPSERTS[TABLE].sql,
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
