import { LIMIT_WINDOWS } from "@gatehouse/shared";
import { allocateBucketTable, type BucketTableShare, bucketLocks, WAYS } from "../shared-memory/bucket-table.ts";
import { hash64 } from "../shared-memory/hash64.ts";
import { lock, unlock } from "../shared-memory/spin-lock.ts";
import { fits, WINDOW_MS, type Window, type WindowCheck, type WindowCounts, type WindowStore } from "./window.ts";

/**
 * Room for 2^18 identities across all policies: 16 MiB, of which only the pages in use are
 * resident. Buckets fill unevenly, so a full bucket evicts before the table is full; measured
 * (bench/window-store.ts), live identities evicted: none at 30 000, 0.2% at 100 000, 5.5% at 200 000.
 */
export const DEFAULT_WINDOW_ENTRIES = 2 ** 18;
/** Per entry, 32-bit words: hash (2), expiry and last use in epoch seconds, then per window its fixed-window index, previous and current counts. */
const STRIDE = 16;
const HASH_HI = 0;
const HASH_LO = 1;
const EXPIRES = 2;
const TOUCHED = 3;
const WINDOW_OFFSET = Object.fromEntries(LIMIT_WINDOWS.map((window, i) => [window, 4 + 3 * i])) as Record<
  Window,
  number
>;

/** What another thread needs to use the same table: structured-cloneable, the buffer is shared, not copied. */
export type WindowTableShare = BucketTableShare;

/**
 * Rate-limit counters for every policy of a host, in a SharedArrayBuffer that all its threads
 * count into, so a limit holds for the host as a whole however many threads serve it. Entries
 * are keyed by a 64-bit hash of policy id and identity and kept in buckets of 8; a request's
 * check-and-count of all its windows runs under its bucket's lock, so it is atomic across
 * threads. Two identities collide (share a count) only if all 64 bits match: per new identity
 * about 8 × 2^-49 against a full bucket of 2^18 entries, once in ~7 × 10^13 new identities.
 *
 * A new identity takes an empty or expired entry of its bucket, else the least recently seen
 * one (to the second), whose counts start afresh: MemoryStore's bound, per bucket.
 */
export class WindowTable {
  readonly #words: Uint32Array;
  readonly #locks: Int32Array;
  readonly #mask: number;
  readonly #share: WindowTableShare;
  readonly #hash = new Uint32Array(2);

  constructor(share: WindowTableShare = WindowTable.allocate()) {
    this.#words = new Uint32Array(share.buffer, 0, share.entries * STRIDE);
    ({ locks: this.#locks, mask: this.#mask } = bucketLocks(share, STRIDE * 4));
    this.#share = share;
  }

  /** A new zeroed table of `entries` (a power of two, at least 8). */
  static allocate(entries = DEFAULT_WINDOW_ENTRIES): WindowTableShare {
    return allocateBucketTable(entries, STRIDE * 4);
  }

  share(): WindowTableShare {
    return this.#share;
  }

  /** MemoryStore's contract for one policy's identities, counted in this table. */
  store(policyId: string): WindowStore {
    const seed = new Uint32Array(2);
    hash64(policyId, 0x9e3779b9, 0x7f4a7c15, seed);
    const [seedHi, seedLo] = seed as unknown as [number, number];
    return { hit: (identity, checks, now) => this.#hit(seedHi, seedLo, identity, checks, now) };
  }

  /** Identities whose counts still matter at `now`, read without locks: a gauge, not a count to act on. */
  size(now: number): number {
    let live = 0;
    for (let e = 0; e < this.#words.length; e += STRIDE) if ((this.#words[e + EXPIRES] as number) * 1000 > now) live++;
    return live;
  }

  #hit(
    seedHi: number,
    seedLo: number,
    identity: string,
    checks: readonly WindowCheck[],
    now: number,
  ): { admitted: boolean; counts: WindowCounts[] } {
    const hash = this.#hash;
    hash64(identity, seedHi, seedLo, hash);
    const hi = hash[0] as number;
    const lo = hash[1] as number;
    const bucket = lo & this.#mask;
    const words = this.#words;
    const ticket = lock(this.#locks, bucket);
    try {
      const e = this.#entry(bucket, hi, lo, now);
      words[e + TOUCHED] = Math.floor(now / 1000);
      let admitted = true;
      let expires = words[e + EXPIRES] as number;
      const counts: WindowCounts[] = new Array(checks.length);
      for (let i = 0; i < checks.length; i++) {
        const check = checks[i] as WindowCheck;
        const size = WINDOW_MS[check.window];
        const w = e + WINDOW_OFFSET[check.window];
        const index = check.start / size;
        // As MemoryStore's `rolled`: a clock that stepped back keeps counting into the newer window.
        if ((words[w] as number) < index) {
          words[w + 1] = words[w] === index - 1 ? (words[w + 2] as number) : 0;
          words[w + 2] = 0;
          words[w] = index;
        }
        const counted = { previous: words[w + 1] as number, current: words[w + 2] as number };
        counts[i] = counted;
        if (!fits(counted, check)) admitted = false;
        expires = Math.max(expires, (check.start + 2 * size) / 1000);
      }
      words[e + EXPIRES] = expires;
      if (admitted) {
        for (let i = 0; i < checks.length; i++) {
          const w = e + WINDOW_OFFSET[(checks[i] as WindowCheck).window] + 2;
          words[w] = (words[w] as number) + 1;
          (counts[i] as WindowCounts).current++;
        }
      }
      return { admitted, counts };
    } finally {
      unlock(this.#locks, bucket, ticket);
    }
  }

  /** The word offset of the identity's entry in its bucket, claimed and zeroed if it had none. Under the bucket's lock. */
  #entry(bucket: number, hi: number, lo: number, now: number): number {
    const words = this.#words;
    let free = -1;
    let oldest = -1;
    let oldestTouched = Number.POSITIVE_INFINITY;
    for (let e = bucket * WAYS * STRIDE, end = e + WAYS * STRIDE; e < end; e += STRIDE) {
      const expires = words[e + EXPIRES] as number;
      if (expires !== 0 && words[e + HASH_HI] === hi && words[e + HASH_LO] === lo) return e;
      if (expires * 1000 <= now) {
        if (free === -1) free = e;
      } else if ((words[e + TOUCHED] as number) < oldestTouched) {
        oldest = e;
        oldestTouched = words[e + TOUCHED] as number;
      }
    }
    const e = free !== -1 ? free : oldest;
    words.fill(0, e, e + STRIDE);
    words[e + HASH_HI] = hi;
    words[e + HASH_LO] = lo;
    return e;
  }
}
