import { LiveFeed } from "./live-feed.ts";
import { RequestLog } from "./request-log.ts";
import { TrafficMetrics } from "./traffic-metrics.ts";
import { DEFAULT_RETENTION, type TrafficRetention, TrafficRollups } from "./traffic-rollups.ts";
import type { SampleSink, TrafficSample } from "./traffic-sample.ts";

export interface TrafficOptions {
  maxConsumersPerSecond?: number;
  retention?: TrafficRetention;
  /** Label Prometheus series by consumer too. */
  metricsConsumerLabels?: boolean;
  requestLogSize?: number;
}

/** Where each finished request goes: the per-second rollups, the Prometheus counters and the request log. */
export class Traffic implements SampleSink {
  readonly feed = new LiveFeed();
  readonly rollups: TrafficRollups;
  readonly metrics: TrafficMetrics;
  readonly requestLog: RequestLog;

  constructor(options: TrafficOptions = {}) {
    this.rollups = new TrafficRollups({
      maxConsumersPerSecond: options.maxConsumersPerSecond,
      retention: options.retention ?? DEFAULT_RETENTION,
      onSeconds: (seconds, upTo) => this.feed.publish(seconds, upTo),
    });
    this.metrics = new TrafficMetrics(options.metricsConsumerLabels ?? false);
    this.requestLog = new RequestLog(options.requestLogSize);
  }

  record(sample: TrafficSample): void {
    this.rollups.record(sample);
    this.metrics.record(sample);
    this.requestLog.record(sample);
  }
}
