/** Counts of the last minute, in 12 buckets of 5 s. */
const BUCKET_MS = 5_000;
const BUCKETS = 12;

/**
 * A count over the last minute: a fixed ring of buckets, so counting a request is two array
 * writes and no allocation.
 */
export class MinuteCounts {
  readonly #ids = new Array<number>(BUCKETS).fill(-1);
  readonly #counts = new Array<number>(BUCKETS).fill(0);

  add(nowMs: number, n = 1): void {
    const bucket = Math.floor(nowMs / BUCKET_MS);
    const slot = bucket % BUCKETS;
    if (this.#ids[slot] !== bucket) {
      this.#ids[slot] = bucket;
      this.#counts[slot] = 0;
    }
    this.#counts[slot] = (this.#counts[slot] as number) + n;
  }

  total(nowMs: number): number {
    const current = Math.floor(nowMs / BUCKET_MS);
    let sum = 0;
    for (let i = 0; i < BUCKETS; i++) {
      if ((this.#ids[i] as number) > current - BUCKETS) sum += this.#counts[i] as number;
    }
    return sum;
  }
}
