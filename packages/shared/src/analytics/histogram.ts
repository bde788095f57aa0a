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
 */
export class LatencyHistogram {
  readonly counts = new Map<number, number>();
  count = 0;

  add(ms: number): void {
    const index = bucketOf(ms);
    this.counts.set(index, (this.counts.get(index) ?? 0) + 1);
    this.count++;
  }

  merge(other: LatencyHistogram): this {
    for (const [index, n] of other.counts) this.counts.set(index, (this.counts.get(index) ?? 0) + n);
    this.count += other.count;
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
      this.counts.set(index, (this.counts.get(index) ?? 0) + n);
      this.count += n;
    }
    return this;
  }

  /** The q-quantile (0..1) in milliseconds, or null when empty. The sample at rank ⌊q·(n−1)⌋, within 1%. */
  quantile(q: number): number | null {
    if (this.count === 0) return null;
    const rank = Math.floor(Math.min(1, Math.max(0, q)) * (this.count - 1));
    const indexes = [...this.counts.keys()].sort((a, b) => a - b);
    let seen = 0;
    for (const index of indexes) {
      seen += this.counts.get(index) as number;
      if (seen > rank) return round(bucketValue(index));
    }
    return round(bucketValue(indexes[indexes.length - 1] as number));
  }

  encode(): string {
    // Runs for every rollup cell every second; most cells of a busy many-route gateway hold a bucket or two.
    const indexes = Array.from(this.counts.keys());
    if (indexes.length > 1) indexes.sort((a, b) => a - b);
    let text = "";
    for (const index of indexes) text += `${text === "" ? "" : ","}${index}:${this.counts.get(index)}`;
    return text;
  }

  static decode(text: string | null | undefined): LatencyHistogram {
    return new LatencyHistogram().mergeEncoded(text);
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
