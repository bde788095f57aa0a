import type { RollupSample } from "./traffic-rollups.ts";

/** Upper bounds of the latency histogram buckets, seconds (Prometheus convention). */
export const LATENCY_BUCKETS_SECONDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Counters for one label set: requests by status code, and a cumulative latency histogram. */
export class SeriesCounters {
  readonly apiId: string;
  readonly consumerId: string;
  readonly byStatus = new Map<number, number>();
  /** Non-cumulative counts per bucket; the last slot is +Inf. */
  readonly buckets = new Array<number>(LATENCY_BUCKETS_SECONDS.length + 1).fill(0);
  latencySumSeconds = 0;
  count = 0;

  constructor(apiId: string, consumerId: string) {
    this.apiId = apiId;
    this.consumerId = consumerId;
  }

  add(sample: RollupSample): void {
    this.byStatus.set(sample.status, (this.byStatus.get(sample.status) ?? 0) + 1);
    const seconds = sample.latencyMs / 1000;
    let i = 0;
    while (i < LATENCY_BUCKETS_SECONDS.length && seconds > (LATENCY_BUCKETS_SECONDS[i] as number)) i++;
    this.buckets[i] = (this.buckets[i] as number) + 1;
    this.latencySumSeconds += seconds;
    this.count++;
  }
}

/**
 * Counters since the gateway started, for Prometheus. Labelled by api, and by consumer only
 * when asked (`GATEHOUSE_METRICS_CONSUMER_LABELS`): consumers can be many, and every label
 * value is a series a Prometheus server keeps.
 */
export class TrafficMetrics {
  readonly consumerLabels: boolean;
  readonly #series = new Map<string, Map<string, SeriesCounters>>();

  constructor(consumerLabels = false) {
    this.consumerLabels = consumerLabels;
  }

  record(sample: RollupSample): void {
    let byConsumer = this.#series.get(sample.apiId);
    if (byConsumer === undefined) {
      byConsumer = new Map();
      this.#series.set(sample.apiId, byConsumer);
    }
    const consumerId = this.consumerLabels ? (sample.consumerId ?? "") : "";
    let series = byConsumer.get(consumerId);
    if (series === undefined) {
      series = new SeriesCounters(sample.apiId, consumerId);
      byConsumer.set(consumerId, series);
    }
    series.add(sample);
  }

  *series(): Iterable<SeriesCounters> {
    for (const byConsumer of this.#series.values()) yield* byConsumer.values();
  }
}
