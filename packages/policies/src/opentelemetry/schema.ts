import { z } from "zod";
import type { PolicySchema } from "../types.ts";
import { HEADER_LINE } from "./exporter-headers.ts";

export const opentelemetrySchema = {
  type: "opentelemetry",
  title: "OpenTelemetry",
  description:
    "Continues the client's W3C trace (or starts one) and exports a span per request, with spans for the policy phases and the upstream call, over OTLP/HTTP in batches; a slow collector never delays a request.",
  // The first phase: the trace starts before any other policy runs, so their time is in it.
  phase: "cors",
  scopes: ["global", "api"],
  config: z.strictObject({
    endpoint: z.url({ protocol: /^https?$/ }).meta({
      title: "OTLP/HTTP endpoint",
      description: "The collector's base URL; spans are POSTed as JSON to <endpoint>/v1/traces.",
    }),
    samplingRatio: z.number().min(0).max(1).default(1).meta({
      title: "Sampling ratio",
      description:
        "Share of new traces recorded, 0 to 1, decided from the trace id so every gateway agrees; a client's sampled flag is honoured.",
    }),
    serviceName: z.string().trim().min(1).max(200).default("gatehouse").meta({
      title: "Service name",
      description: "The service.name resource attribute of every span.",
    }),
    resourceAttributes: z.record(z.string().min(1).max(200), z.string().max(1000)).default({}).meta({
      title: "Resource attributes",
      description: 'More resource attributes, e.g. {"deployment.environment": "prod"}.',
    }),
    headers: z
      .string()
      .default("")
      .refine(
        (value) => value.split("\n").every((line) => line.trim() === "" || HEADER_LINE.test(line.trim())),
        "Write one `Name: value` header per line",
      )
      .meta({
        title: "Exporter headers",
        description: "Sent with every export (an auth header), one `Name: value` per line; never shown again.",
        writeOnly: true,
      }),
    batchSize: z.int().min(1).max(10_000).default(512).meta({
      title: "Batch size (spans)",
      description: "An export is sent once this many spans wait, or at the flush interval.",
    }),
    flushIntervalMs: z.int().min(10).max(60_000).default(1_000).meta({
      title: "Flush interval (ms)",
      description: "The longest a span waits for its batch to fill.",
    }),
    maxQueueSpans: z.int().min(1).max(1_000_000).default(2_048).meta({
      title: "Queue limit (spans)",
      description:
        "Per gateway thread; when full, new spans are dropped (the queued ones are kept) and counted in /metrics.",
    }),
    timeoutMs: z.int().min(1).max(60_000).default(5_000).meta({
      title: "Export timeout (ms)",
      description: "An export unanswered by then is abandoned and its spans counted as dropped.",
    }),
  }),
} as const satisfies PolicySchema;
