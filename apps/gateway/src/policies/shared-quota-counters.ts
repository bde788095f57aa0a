import {
  type DurableCounters,
  type QuotaAdmission,
  type QuotaCheck,
  QuotaTable,
  type QuotaTableShare,
} from "@gatehouse/policies";

/** A counter's increments since the last take: [counter, period start, n]. */
export type QuotaIncrement = [counter: string, periodStart: number, n: number];

/**
 * A worker thread's quota counters: admits into the host's shared QuotaTable, exact across
 * threads, and collects what it counted so the worker can send it to the host once a second
 * (`QuotaCounters.merge`), which alone writes analytics.db.
 */
export class SharedQuotaCounters implements DurableCounters {
  readonly #table: QuotaTable;
  #increments = new Map<string, { periodStart: number; n: number }>();

  constructor(share: QuotaTableShare) {
    this.#table = new QuotaTable(share);
  }

  admit(checks: readonly QuotaCheck[], now: number): QuotaAdmission {
    const admission = this.#table.admit(checks, now);
    if (!admission.admitted) return admission;
    for (const { counter, periodStart } of checks) {
      const known = this.#increments.get(counter);
      if (known !== undefined && known.periodStart === periodStart) known.n++;
      else this.#increments.set(counter, { periodStart, n: 1 });
    }
    return admission;
  }

  /** What was counted since the last call, once. */
  takeIncrements(): QuotaIncrement[] {
    const taken = this.#increments;
    this.#increments = new Map();
    return [...taken].map(([counter, { periodStart, n }]) => [counter, periodStart, n]);
  }
}
