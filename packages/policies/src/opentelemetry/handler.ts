import type { z } from "zod";
import { epochNow, headerValue, type PolicyDefinition } from "../types.ts";
import { type ExporterSettings, SpanExporter } from "./exporter.ts";
import { exporterHeaders } from "./exporter-headers.ts";
import { resourceJson } from "./otlp-json.ts";
import { opentelemetrySchema } from "./schema.ts";
import { newSpanId, newTraceId, parseTraceparent, sampledByRatio, traceparent } from "./trace-context.ts";
import { TracedRequest } from "./traced-request.ts";

type OpentelemetryConfig = z.output<typeof opentelemetrySchema.config>;

function settingsOf(config: OpentelemetryConfig): ExporterSettings {
  return {
    url: `${config.endpoint.replace(/\/+$/, "")}/v1/traces`,
    headers: exporterHeaders(config.headers),
    resource: resourceJson({ ...config.resourceAttributes, "service.name": config.serviceName }),
    batchSize: config.batchSize,
    flushIntervalMs: config.flushIntervalMs,
    maxQueueSpans: config.maxQueueSpans,
    timeoutMs: config.timeoutMs,
  };
}

export const opentelemetry: PolicyDefinition<typeof opentelemetrySchema.config> = {
  ...opentelemetrySchema,
  create(config: OpentelemetryConfig, services, policyId) {
    const settings = settingsOf(config);
    const exporter = services.state(policyId, () => new SpanExporter(policyId, settings, services));
    // Spans already queued go out under the new settings: the queue outlives a reload.
    exporter.settings = settings;
    const { samplingRatio } = config;

    return {
      handle(ctx) {
        const start = epochNow();
        const parent = parseTraceparent(headerValue(ctx, "traceparent"));
        const traceId = parent?.traceId ?? newTraceId();
        const sampled = parent === null ? sampledByRatio(traceId, samplingRatio) : parent.sampled;
        // tracestate belongs to the traceparent it came with: none without a valid one.
        if (parent === null) ctx.stripHeaders.push("tracestate");
        if (!sampled) {
          // An unrecorded client trace passes through as the client sent it.
          if (parent === null) ctx.upstreamHeaders.traceparent = traceparent(traceId, newSpanId(), false);
          return undefined;
        }
        const traceState = parent === null ? "" : (headerValue(ctx, "tracestate") ?? "");
        const traced = new TracedRequest(
          ctx,
          exporter,
          { traceId, parentSpanId: parent?.spanId ?? "", traceState },
          start,
        );
        ctx.trace = traced;
        ctx.responseHooks.push(traced);
        ctx.upstreamHeaders.traceparent = traceparent(traceId, traced.clientSpanId, true);
        return undefined;
      },
    };
  },
};
