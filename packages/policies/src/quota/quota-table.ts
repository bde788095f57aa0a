import { allocateBucketTable, type BucketTableShare, bucketLocks, WAYS } from "../shared-memory/bucket-table.ts";
import { hash64 } from "../shared-memory/hash64.ts";
import { lock, unlock } from "../shared-memory/spin-lock.ts";
import type { QuotaAdmission, QuotaCheck } from "../types.ts";

/**
 * Room for 2^19 counters (an identity has one per quota period): 20 MiB, of which only the pages
 * in use are resident. As in WindowTable, buckets of 8 overflow before the table is full: none
 * expected up to ~60 000 live counters (README.md of rate-limit, "Memory store", has the figures).
 */
export const DEFAULT_QUOTA_ENTRIES = 2 ** 19;
/** Per entry, float64 slots: hash (2), period start (epoch ms, 0 for an empty entry), count, last use (epoch ms). */
const STRIDE = 5;
const HASH_HI = 0;
const HASH_LO = 1;
const PERIOD = 2;
const COUNT = 3;
const TOUCHED = 4;

/** What another thread needs to use the same table: structured-cloneable, the buffer is shared, not copied. */
export type QuotaTableShare = BucketTableShare;

/**
 * Quota counts shared by every thread of a host, keyed by a 64-bit hash of the counter's name
 * (collision odds as WindowTable's). `admit` locks the buckets of all a request's counters, in
 * ascending order so two requests cannot wait on each other, and counts the request in all of
 * them only when all are below their limit: exact across threads.
 *
 * A counter holds one period, the newest it has seen. A new counter takes an empty entry of its
 * bucket, else the least recently admitted one; that counter's count is lost until the host
 * loads it again from analytics.db at its next start, so the table is sized to keep every
 * counter of the current periods.
 */
export class QuotaTable {
  readonly #slots: Float64Array;
  readonly #locks: Int32Array;
  readonly #mask: number;
  readonly #share: QuotaTableShare;
  readonly #hash = new Uint32Array(2);

  constructor(share: QuotaTableShare = QuotaTable.allocate()) {
    this.#slots = new Float64Array(share.buffer, 0, share.entries * STRIDE);
    ({ locks: this.#locks, mask: this.#mask } = bucketLocks(share, STRIDE * 8));
    this.#share = share;
  }

  /** A new zeroed table of `entries` (a power of two, at least 8). */
  static allocate(entries = DEFAULT_QUOTA_ENTRIES): QuotaTableShare {
    return allocateBucketTable(entries, STRIDE * 8);
  }

  share(): QuotaTableShare {
    return this.#share;
  }

  /** Counts one request in every counter when each is below its limit; `used` is each count before it. */
  admit(checks: readonly QuotaCheck[], now: number): QuotaAdmission {
    const n = checks.length;
    const his: number[] = new Array(n);
    const los: number[] = new Array(n);
    for (let i = 0; i < n; i++) {
      hash64((checks[i] as QuotaCheck).counter, 0x243f6a88, 0x85a308d3, this.#hash);
      his[i] = this.#hash[0] as number;
      los[i] = this.#hash[1] as number;
    }
    const buckets = [...new Set(los.map((lo) => lo & this.#mask))].sort((a, b) => a - b);
    const tickets = buckets.map((bucket) => lock(this.#locks, bucket));
    try {
      const slots = this.#slots;
      const entries: number[] = new Array(n);
      const used: number[] = new Array(n);
      let admitted = true;
      for (let i = 0; i < n; i++) {
        const check = checks[i] as QuotaCheck;
        const e = this.#entry(his[i] as number, los[i] as number, entries);
        entries[i] = e;
        slots[e + TOUCHED] = now;
        // A newer period starts afresh; a clock that stepped back keeps counting into the newer one.
        if ((slots[e + PERIOD] as number) < check.periodStart) {
          slots[e + PERIOD] = check.periodStart;
          slots[e + COUNT] = 0;
        }
        used[i] = slots[e + COUNT] as number;
        if ((used[i] as number) >= check.limit) admitted = false;
      }
      if (admitted) for (const e of entries) slots[e + COUNT] = (slots[e + COUNT] as number) + 1;
      return { used, admitted };
    } finally {
      for (let i = buckets.length - 1; i >= 0; i--) unlock(this.#locks, buckets[i] as number, tickets[i] as number);
    }
  }

  /** Sets a counter from analytics.db at start, unless the table already holds a newer period of it. */
  load(counter: string, periodStart: number, count: number, now: number): void {
    hash64(counter, 0x243f6a88, 0x85a308d3, this.#hash);
    const hi = this.#hash[0] as number;
    const lo = this.#hash[1] as number;
    const bucket = lo & this.#mask;
    const ticket = lock(this.#locks, bucket);
    try {
      const e = this.#entry(hi, lo, []);
      if ((this.#slots[e + PERIOD] as number) > periodStart) return;
      this.#slots[e + PERIOD] = periodStart;
      this.#slots[e + COUNT] = count;
      this.#slots[e + TOUCHED] = now;
    } finally {
      unlock(this.#locks, bucket, ticket);
    }
  }

  /**
   * The slot offset of the counter's entry, claimed and zeroed if it had none, never taking one
   * this request already holds. Under the bucket's lock.
   */
  #entry(hi: number, lo: number, held: readonly number[]): number {
    const slots = this.#slots;
    let free = -1;
    let oldest = -1;
    let oldestTouched = Number.POSITIVE_INFINITY;
    const from = (lo & this.#mask) * WAYS * STRIDE;
    for (let e = from, end = from + WAYS * STRIDE; e < end; e += STRIDE) {
      const period = slots[e + PERIOD] as number;
      if (period !== 0 && slots[e + HASH_HI] === hi && slots[e + HASH_LO] === lo) return e;
      if (period === 0) {
        if (free === -1) free = e;
      } else if ((slots[e + TOUCHED] as number) < oldestTouched && !held.includes(e)) {
        oldest = e;
        oldestTouched = slots[e + TOUCHED] as number;
      }
    }
    const e = free !== -1 ? free : oldest;
    slots.fill(0, e, e + STRIDE);
    slots[e + HASH_HI] = hi;
    slots[e + HASH_LO] = lo;
    return e;
  }
}
