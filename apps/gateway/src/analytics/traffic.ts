import { DEFAULT_TRAFFIC_RETENTION, type TrafficRetention } from "@gatehouse/db/analytics-tables";
import { LiveFeed } from "./live-feed.ts";
import { RequestLog } from "./request-log.ts";
import { SampleColumns } from "./sample-columns.ts";
import { TrafficMetrics } from "./traffic-metrics.ts";
import type { TrafficRollupsOptions } from "./traffic-rollups.ts";
import type { SampleSink, TrafficSample } from "./traffic-sample.ts";

export interface TrafficOptions {
  maxConsumersPerSecond?: number;
  retention?: TrafficRetention;
  /** Label Prometheus series by consumer too. */
  metricsConsumerLabels?: boolean;
  requestLogSize?: number;
  /** Answered requests the log keeps per second before it samples them. */
  requestLogPerSecond?: number;
}

/**
 * Where each finished request goes: the samples for the rollups (made on the analytics
 * writer's thread, which sends the live stream back to `feed`), the Prometheus counters and
 * the request log.
 */
export class Traffic implements SampleSink {
  readonly feed = new LiveFeed();
  readonly samples = new SampleColumns();
  readonly rollupOptions: Omit<TrafficRollupsOptions, "onSeconds">;
  readonly metrics: TrafficMetrics;
  readonly requestLog: RequestLog;

  constructor(options: TrafficOptions = {}) {
    this.rollupOptions = {
      maxConsumersPerSecond: options.maxConsumersPerSecond,
      retention: options.retention ?? DEFAULT_TRAFFIC_RETENTION,
    };
    this.metrics = new TrafficMetrics(options.metricsConsumerLabels ?? false);
    this.requestLog = new RequestLog(options.requestLogSize, options.requestLogPerSecond);
  }

  record(sample: TrafficSample): void {
    this.samples.record(sample);
    this.metrics.record(sample);
    this.requestLog.record(sample);
  }
}
