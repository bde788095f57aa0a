import { z } from "zod";
import type { PolicySchema } from "../types.ts";

// An HTTP field name (RFC 9110 token).
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

export const httpLogSchema = {
  type: "http-log",
  title: "HTTP log",
  description:
    "Sends each request's log entry (no query string, headers or bodies) to a URL in batches of JSON lines; a slow or dead sink never delays a request.",
  phase: "log",
  scopes: ["global", "api"],
  config: z.strictObject({
    url: z
      .url({ protocol: /^https?$/, error: "must be an http(s) URL" })
      .meta({ title: "URL", description: "Where batches are sent, as application/x-ndjson: one JSON entry a line." }),
    method: z
      .enum(["POST", "PUT", "PATCH"])
      .default("POST")
      .meta({ title: "Method", description: "The HTTP method batches are sent with." }),
    headers: z.record(z.string().regex(HEADER_NAME, "must be an HTTP header name"), z.string()).default({}).meta({
      title: "Headers",
      description: "Sent with every batch (an Authorization header for the sink); never shown again once saved.",
      writeOnly: true,
    }),
    batchSize: z
      .int()
      .min(1)
      .max(10_000)
      .default(100)
      .meta({ title: "Batch size", description: "Entries per request to the sink; a full batch is sent at once." }),
    flushIntervalMs: z.int().min(10).max(60_000).default(1_000).meta({
      title: "Flush interval (ms)",
      description: "A batch that is not full is sent after this long.",
    }),
    bufferLimit: z.int().min(1).max(1_000_000).default(10_000).meta({
      title: "Buffer limit",
      description:
        "Entries held per gateway thread while the sink is slow or down; past it entries are dropped and counted.",
    }),
    timeoutMs: z
      .int()
      .min(1)
      .max(60_000)
      .default(10_000)
      .meta({ title: "Timeout (ms)", description: "A batch the sink has not answered by then has failed." }),
    retries: z.int().min(0).max(10).default(3).meta({
      title: "Retries",
      description: "Times a failed batch (a refusal, an error status or a timeout) is sent again before it is dropped.",
    }),
    retryBackoffMs: z.int().min(1).max(60_000).default(500).meta({
      title: "Retry backoff (ms)",
      description: "The wait before the first retry; it doubles for each next one.",
    }),
  }),
} as const satisfies PolicySchema;
