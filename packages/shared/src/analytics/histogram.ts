/**
 * Relative accuracy of every percentile a histogram answers: the value returned is within 1%
 * of a sample that sits at the asked rank (DDSketch's guarantee, with fixed log buckets).
 */
export const HISTOGRAM_RELATIVE_ERROR = 0.01;

const GAMMA = (1 + HISTOGRAM_RELATIVE_ERROR) / (1 - HISTOGRAM_RELATIVE_ERROR);
const LN_GAMMA = Math.log(GAMMA);
/** Latencies below 1 µs count as 1 µs; above 1 hour as 1 hour. Milliseconds. */
const MIN_MS = 0.001;
const MAX_MS = 3_600_000;
const MIN_INDEX = Math.ceil(Math.log(MIN_MS) / LN_GAMMA);
const MAX_INDEX = Math.ceil(Math.log(MAX_MS) / LN_GAMMA);

/** The bucket a latency (ms) falls in: bucket i holds (γ^(i-1), γ^i]. */
export function bucketOf(ms: number): number {
  if (!(ms > MIN_MS)) return MIN_INDEX;
  if (ms >= MAX_MS) return MAX_INDEX;
  return Math.ceil(Math.log(ms) / LN_GAMMA);
}

/** The value reported for bucket i: within HISTOGRAM_RELATIVE_ERROR of anything in it. */
export function bucketValue(index: number): number {
  return (2 * GAMMA ** index) / (GAMMA + 1);
}

/**
 * A mergeable latency histogram over fixed log buckets: counts per bucket, sparse. Two
 * histograms merge by adding counts, so percentiles hold for any range of seconds and across
 * gateways. Encoded as `index:count` pairs sorted by index, joined by commas.
 *
 * The first bucket is held in two fields and a Map is made only for a second one: a gateway
 * with traffic over thousands of routes opens a histogram per route per second, and most of
 * those see one request.
 */
export class LatencyHistogram {
  count = 0;
  /** The only bucket while `#more` is null (meaningless while `count` is 0). */
  #first = 0;
  #more: Map<number, number> | null = null;

  add(ms: number): void {
    this.#addCount(bucketOf(ms), 1);
  }

  merge(other: LatencyHistogram): this {
    if (other.#more === null) {
      if (other.count > 0) this.#addCount(other.#first, other.count);
    } else {
      for (const [index, n] of other.#more) this.#addCount(index, n);
    }
    return this;
  }

  /** Adds an encoded histogram, skipping anything malformed. */
  mergeEncoded(text: string | null | undefined): this {
    if (!text) return this;
    for (const pair of text.split(",")) {
      const colon = pair.indexOf(":");
      const index = Number(pair.slice(0, colon));
      const n = Number(pair.slice(colon + 1));
      if (!Number.isInteger(index) || !Number.isInteger(n) || n <= 0) continue;
      this.#addCount(index, n);
    }
    return this;
  }

  /** The bucket indexes that hold samples, ascending. */
  indexes(): number[] {
    if (this.#more === null) return this.count === 0 ? [] : [this.#first];
    const indexes = Array.from(this.#more.keys());
    if (indexes.length > 64) return indexes.sort((a, b) => a - b);
    // Insertion sort in place: a cell holds a few dozen buckets at most, and Array#sort copied
    // each array it sorted, a copy per rollup row written.
    for (let i = 1; i < indexes.length; i++) {
      const index = indexes[i] as number;
      let j = i - 1;
      for (; j >= 0 && (indexes[j] as number) > index; j--) indexes[j + 1] = indexes[j] as number;
      indexes[j + 1] = index;
    }
    return indexes;
  }

  /** The q-quantile (0..1) in milliseconds, or null when empty. The sample at rank ⌊q·(n−1)⌋, within 1%. */
  quantile(q: number): number | null {
    if (this.count === 0) return null;
    if (this.#more === null) return round(bucketValue(this.#first));
    const rank = Math.floor(Math.min(1, Math.max(0, q)) * (this.count - 1));
    const indexes = this.indexes();
    let seen = 0;
    for (const index of indexes) {
      seen += this.#more.get(index) as number;
      if (seen > rank) return round(bucketValue(index));
    }
    return round(bucketValue(indexes[indexes.length - 1] as number));
  }

  encode(): string {
    // Runs for every rollup cell every second; most cells of a busy many-route gateway hold one bucket.
    if (this.#more === null) return this.count === 0 ? "" : `${this.#first}:${this.count}`;
    let text = "";
    for (const index of this.indexes()) text += `${text === "" ? "" : ","}${index}:${this.#more.get(index)}`;
    return text;
  }

  static decode(text: string | null | undefined): LatencyHistogram {
    return new LatencyHistogram().mergeEncoded(text);
  }

  #addCount(index: number, n: number): void {
    if (this.#more !== null) {
      this.#more.set(index, (this.#more.get(index) ?? 0) + n);
    } else if (this.count === 0 || index === this.#first) {
      this.#first = index;
    } else {
      this.#more = new Map([
        [this.#first, this.count],
        [index, n],
      ]);
    }
    this.count += n;
  }
}

/** Three significant decimals of a millisecond are plenty for a chart and keep JSON short. */
function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

/** Merges two encoded histograms (an SQLite function: `ON CONFLICT ... hist = hist_merge(hist, excluded.hist)`). */
export function mergeEncodedHistograms(a: string | null, b: string | null): string {
  return LatencyHistogram.decode(a).mergeEncoded(b).encode();
}
