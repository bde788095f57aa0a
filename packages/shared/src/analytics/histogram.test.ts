import { describe, expect, test } from "vitest";
import { HISTOGRAM_RELATIVE_ERROR, LatencyHistogram, mergeEncodedHistograms } from "./histogram.ts";

/** A seeded generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function exactQuantile(sorted: number[], q: number): number {
  return sorted[Math.floor(q * (sorted.length - 1))] as number;
}

const DISTRIBUTIONS: Record<string, (next: () => number) => number> = {
  uniform: (next) => 0.2 + next() * 50,
  "log-normal": (next) =>
    Math.exp(1 + 1.2 * Math.sqrt(-2 * Math.log(next() || 1e-12)) * Math.cos(2 * Math.PI * next())),
  "bimodal (cache hit / miss)": (next) => (next() < 0.9 ? 0.3 + next() * 0.2 : 200 + next() * 800),
  "long tail": (next) => 1 / (next() + 1e-4),
};

describe("latency histogram", () => {
  for (const [name, draw] of Object.entries(DISTRIBUTIONS)) {
    test(`p50/p95/p99/p99.9 within ${HISTOGRAM_RELATIVE_ERROR * 100}% of the exact percentiles: ${name}`, () => {
      const next = random(name.length * 7919);
      const samples = Array.from({ length: 20_000 }, () => draw(next));
      const histogram = new LatencyHistogram();
      for (const ms of samples) histogram.add(ms);
      const sorted = [...samples].sort((a, b) => a - b);
      for (const q of [0, 0.5, 0.95, 0.99, 0.999, 1]) {
        const exact = exactQuantile(sorted, q);
        const estimate = histogram.quantile(q) as number;
        // Rounding to 1 µs adds at most 0.0005 ms on top of the bucket's relative error.
        expect(Math.abs(estimate - exact)).toBeLessThanOrEqual(exact * HISTOGRAM_RELATIVE_ERROR + 0.0005);
      }
    });
  }

  test("merging the histograms of parts answers as one histogram of the whole, also through the encoding", () => {
    const next = random(42);
    const whole = new LatencyHistogram();
    const parts = [new LatencyHistogram(), new LatencyHistogram(), new LatencyHistogram()];
    for (let i = 0; i < 9000; i++) {
      const ms = DISTRIBUTIONS["log-normal"]?.(next) as number;
      whole.add(ms);
      parts[i % 3]?.add(ms);
    }
    const merged = new LatencyHistogram();
    for (const part of parts) merged.merge(part);
    const viaText = LatencyHistogram.decode(
      mergeEncodedHistograms(
        mergeEncodedHistograms(parts[0]?.encode() ?? "", parts[1]?.encode() ?? ""),
        parts[2]?.encode() ?? "",
      ),
    );
    expect(merged.encode()).toBe(whole.encode());
    expect(viaText.encode()).toBe(whole.encode());
    expect(viaText.count).toBe(9000);
    for (const q of [0.5, 0.95, 0.99]) expect(viaText.quantile(q)).toBe(whole.quantile(q));
  });

  test("an empty histogram has no percentiles; zero, negative and huge latencies land in the end buckets", () => {
    const histogram = new LatencyHistogram();
    expect(histogram.quantile(0.5)).toBeNull();
    histogram.add(0);
    histogram.add(-5);
    histogram.add(Number.NaN);
    histogram.add(1e12);
    expect(histogram.count).toBe(4);
    expect(histogram.quantile(0)).toBeLessThanOrEqual(0.001);
    expect(histogram.quantile(1)).toBeGreaterThan(3_000_000);
  });

  test("a histogram of one bucket adds, merges, encodes and answers as one of many does", () => {
    const one = new LatencyHistogram();
    one.add(5);
    one.add(5.01);
    expect(one.encode()).toBe(`${one.indexes()[0]}:2`);
    expect(one.quantile(0.99)).toBe(one.quantile(0));
    // Merging nothing, then the same bucket, then another (the second bucket makes a map).
    one.merge(new LatencyHistogram());
    one.merge(LatencyHistogram.decode(one.encode()));
    expect(one.count).toBe(4);
    const other = new LatencyHistogram();
    other.add(0.5);
    one.merge(other);
    const many = new LatencyHistogram();
    for (const ms of [5, 5.01, 5, 5.01, 0.5]) many.add(ms);
    expect(one.encode()).toBe(many.encode());
    expect(one.count).toBe(5);
    for (const q of [0, 0.2, 0.5, 1]) expect(one.quantile(q)).toBe(many.quantile(q));
    // A histogram of many merged into one of one bucket, and into an empty one.
    const single = new LatencyHistogram();
    single.add(0.5);
    expect(single.merge(many).encode()).toBe(LatencyHistogram.decode(many.encode()).merge(other).encode());
    expect(new LatencyHistogram().merge(many).encode()).toBe(many.encode());
    expect(new LatencyHistogram().encode()).toBe("");
  });

  test("buckets encode in ascending order whatever order they filled in", () => {
    const histogram = new LatencyHistogram();
    for (const ms of [100, 10, 1, 50, 5, 0.5, 1000, 2]) histogram.add(ms);
    const indexes = histogram.indexes();
    expect(indexes).toHaveLength(8);
    for (let i = 1; i < indexes.length; i++) expect(indexes[i]).toBeGreaterThan(indexes[i - 1] as number);
    expect(histogram.encode()).toBe(indexes.map((index) => `${index}:1`).join(","));
  });

  test("malformed encodings are skipped, not trusted", () => {
    const histogram = LatencyHistogram.decode("10:2,x:3,11:-1,12:1.5,,13:1");
    expect(histogram.count).toBe(3);
    expect(histogram.indexes()).toEqual([10, 13]);
    expect(histogram.encode()).toBe("10:2,13:1");
  });
});
