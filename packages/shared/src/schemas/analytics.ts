import { z } from "zod";

/** Steps a time series can be asked for, in seconds. */
export const ANALYTICS_STEPS = {
  "1s": 1,
  "10s": 10,
  "1m": 60,
  "5m": 300,
  "15m": 900,
  "1h": 3600,
  "1d": 86_400,
} as const;
export type AnalyticsStep = keyof typeof ANALYTICS_STEPS;

/** A series never has more points than this; a step that would give more is refused with the smallest that fits. */
export const MAX_SERIES_POINTS = 1500;

/** Ranges the console offers, in seconds. */
export const ANALYTICS_RANGES = { "15m": 900, "1h": 3600, "24h": 86_400, "7d": 604_800, "30d": 2_592_000 } as const;
export type AnalyticsRange = keyof typeof ANALYTICS_RANGES;

const idFilter = (what: string) =>
  z
    .string()
    .trim()
    .min(1)
    .max(64)
    .optional()
    .meta({ description: `Only traffic of this ${what}` });

/** Epoch milliseconds or an ISO 8601 time with its offset, as epoch milliseconds. */
const instant = (what: string) =>
  z
    .string()
    .trim()
    .transform((value, ctx) => {
      const ms = /^\d{1,15}$/.test(value)
        ? Number(value)
        : /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/.test(value)
          ? Date.parse(value)
          : Number.NaN;
      if (Number.isNaN(ms)) {
        ctx.addIssue({ code: "custom", message: `${what} must be epoch milliseconds or an ISO 8601 time` });
        return z.NEVER;
      }
      return ms;
    })
    .optional()
    .meta({ description: `${what}: epoch milliseconds or ISO 8601; default ${what === "from" ? "to − 1 h" : "now"}` });

const rangeShape = {
  from: instant("from"),
  to: instant("to"),
};

export const timeseriesQuerySchema = z.strictObject({
  apiId: idFilter("API"),
  routeId: idFilter("route"),
  consumerId: idFilter("consumer"),
  ...rangeShape,
  step: z
    .enum(Object.keys(ANALYTICS_STEPS) as [AnalyticsStep, ...AnalyticsStep[]], {
      error: `step must be one of ${Object.keys(ANALYTICS_STEPS).join(", ")}`,
    })
    .optional()
    .meta({ description: "Bucket width; by default the smallest that gives at most 1500 points" }),
});
export type TimeseriesQuery = z.infer<typeof timeseriesQuerySchema>;

const latencies = {
  p50: z.number().nullable().meta({ description: "Milliseconds; null without requests" }),
  p95: z.number().nullable(),
  p99: z.number().nullable(),
};

export const timeseriesPointSchema = z.object({
  /** Start of the bucket, epoch milliseconds. */
  t: z.int(),
  requests: z.int(),
  errors4xx: z.int(),
  errors5xx: z.int(),
  ...latencies,
});
export type TimeseriesPoint = z.infer<typeof timeseriesPointSchema>;

export const trafficTotalsSchema = z.object({
  requests: z.int(),
  errors4xx: z.int(),
  errors5xx: z.int(),
  bytesIn: z.int(),
  bytesOut: z.int(),
  ...latencies,
});
export type TrafficTotals = z.infer<typeof trafficTotalsSchema>;

export const timeseriesSchema = z.object({
  from: z.int(),
  to: z.int(),
  step: z.enum(Object.keys(ANALYTICS_STEPS) as [AnalyticsStep, ...AnalyticsStep[]]),
  /** One point per bucket in [from, to), zeros where nothing was counted. */
  points: z.array(timeseriesPointSchema),
  total: trafficTotalsSchema,
});
export type Timeseries = z.infer<typeof timeseriesSchema>;

export const topQuerySchema = z.strictObject({
  by: z.enum(["api", "consumer"], { error: "by must be api or consumer" }),
  apiId: idFilter("API"),
  consumerId: idFilter("consumer"),
  ...rangeShape,
  limit: z.coerce.number().int().min(1).max(100).default(10),
});
export type TopQuery = z.infer<typeof topQuerySchema>;

export const topItemSchema = z.object({
  /** The API or consumer id; "" for requests without a consumer, "~other" past the cardinality cap. */
  id: z.string(),
  name: z.string(),
  requests: z.int(),
  errors4xx: z.int(),
  errors5xx: z.int(),
  p95: z.number().nullable(),
});
export type TopItem = z.infer<typeof topItemSchema>;
export const topSchema = z.object({ from: z.int(), to: z.int(), items: z.array(topItemSchema) });
export type Top = z.infer<typeof topSchema>;

export const usageQuerySchema = z.strictObject({
  consumerId: z.string().trim().min(1, "consumerId is required").max(64),
  ...rangeShape,
  format: z.enum(["json", "csv"], { error: "format must be json or csv" }).default("json"),
});
export type UsageQuery = z.infer<typeof usageQuerySchema>;

export const usageRowSchema = z.object({
  /** UTC day, YYYY-MM-DD; only in `byDay`. */
  day: z.string().optional(),
  apiId: z.string(),
  apiName: z.string(),
  requests: z.int(),
  errors4xx: z.int(),
  errors5xx: z.int(),
  bytesIn: z.int(),
  bytesOut: z.int(),
});
export type UsageRow = z.infer<typeof usageRowSchema>;
export const usageSchema = z.object({
  consumerId: z.string(),
  from: z.int(),
  to: z.int(),
  byApi: z.array(usageRowSchema),
  byDay: z.array(usageRowSchema),
});
export type Usage = z.infer<typeof usageSchema>;

/** One entry of the gateway's request log, as its status port `/requests` gives it. */
export const requestLogEntrySchema = z.object({
  /** Epoch milliseconds when the response finished. */
  time: z.int(),
  method: z.string(),
  path: z.string(),
  status: z.int(),
  latencyMs: z.number().meta({ description: "Gateway latency: request in to response out, ms" }),
  upstreamMs: z
    .number()
    .nullable()
    .meta({ description: "Time to the upstream's response headers, ms; null when no upstream answered" }),
  apiId: z.string().nullable().meta({ description: "The matched API; null when no route matched" }),
  routeId: z.string().nullable(),
  consumerId: z.string().nullable(),
  requestId: z.string(),
  refusal: z
    .string()
    .nullable()
    .meta({ description: "The gateway's error code when it answered itself (key_invalid, rate_limited, …)" }),
  target: z.string().nullable().meta({ description: "URL of the target the request went to last" }),
  sampleRate: z.number().meta({
    description: "Fraction of requests of its kind the log kept when this one was kept; refusals are always 1",
  }),
});
export type RequestLogEntry = z.infer<typeof requestLogEntrySchema>;

const requestLogFilters = {
  apiId: idFilter("API"),
  status: z
    .string()
    .regex(/^([1-5]xx|[1-5]\d\d)$/, "status is a code (404) or a class (4xx)")
    .optional()
    .meta({ description: "A status code (404) or class (4xx)" }),
  path: z.string().max(200).optional().meta({ description: "Substring of the path" }),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
};

/** The filter of the gateway's status port `/requests`: ids only, it knows no names. */
export const gatewayRequestLogQuerySchema = z.strictObject({ ...requestLogFilters, consumerId: idFilter("consumer") });
export type GatewayRequestLogQuery = z.infer<typeof gatewayRequestLogQuerySchema>;

/** The request log's filter, one definition for the gateway's log and the nodes' entries the console holds. */
export function matchesRequestLogFilter(
  entry: RequestLogEntry,
  filter: Omit<GatewayRequestLogQuery, "limit">,
): boolean {
  if (filter.apiId !== undefined && entry.apiId !== filter.apiId) return false;
  if (filter.consumerId !== undefined && entry.consumerId !== filter.consumerId) return false;
  if (filter.path !== undefined && !entry.path.includes(filter.path)) return false;
  if (filter.status !== undefined) {
    const status = String(entry.status);
    if (filter.status.endsWith("xx") ? status[0] !== filter.status[0] : status !== filter.status) return false;
  }
  return true;
}

/** The gateway's request log as its status port gives it. */
export const gatewayRequestLogSchema = z.object({
  entries: z.array(requestLogEntrySchema),
  sampleRate: z.number(),
});
export type GatewayRequestLog = z.infer<typeof gatewayRequestLogSchema>;

export const requestLogQuerySchema = z.strictObject({
  ...requestLogFilters,
  consumerId: idFilter("consumer"),
  consumer: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .optional()
    .meta({ description: "Only requests of the consumer with this name" }),
});
export type RequestLogQuery = z.infer<typeof requestLogQuerySchema>;

/** An entry of the Admin API's request log: the gateway's or a node's, with the names of what it matched. */
export const requestLogRowSchema = requestLogEntrySchema.extend({
  node: z
    .string()
    .nullable()
    .meta({ description: "The data-plane node that served the request; null for the console's own gateway" }),
  apiName: z.string().nullable().meta({ description: "null when no route matched" }),
  routeLabel: z.string().nullable().meta({ description: "The route's name, else its methods and paths" }),
  consumerName: z.string().nullable(),
});
export type RequestLogRow = z.infer<typeof requestLogRowSchema>;

export const requestLogSchema = z.object({
  /** Newest first. */
  entries: z.array(requestLogRowSchema),
  sampleRate: z.number().meta({
    description:
      "The smallest fraction of answered requests kept among the rows shown (1 when every one is there); refused requests are never sampled",
  }),
  currentSampleRate: z.number().meta({ description: "Fraction of answered requests the gateway keeps right now" }),
});
export type RequestLog = z.infer<typeof requestLogSchema>;

export const codesQuerySchema = z.strictObject({
  apiId: idFilter("API"),
  ...rangeShape,
});
export type CodesQuery = z.infer<typeof codesQuerySchema>;

export const codeCountSchema = z.object({
  status: z.int(),
  refusal: z.string().nullable().meta({ description: "The gateway's error code when it answered itself" }),
  requests: z.int(),
});
export type CodeCount = z.infer<typeof codeCountSchema>;

/** Requests split by status code and refusal code over a range, and per bucket. */
export const codesSchema = z.object({
  from: z.int(),
  to: z.int(),
  step: z.enum(Object.keys(ANALYTICS_STEPS) as [AnalyticsStep, ...AnalyticsStep[]]),
  /** Most requests first. */
  codes: z.array(codeCountSchema),
  points: z.array(
    z.object({
      t: z.int(),
      requests: z.array(z.int()).meta({ description: "Requests per entry of `codes`, in its order" }),
    }),
  ),
});
export type Codes = z.infer<typeof codesSchema>;

export const poolsQuerySchema = z.strictObject({
  apiId: z.string().trim().min(1).max(64).meta({ description: "The API whose pools are compared" }),
  ...rangeShape,
});
export type PoolsQuery = z.infer<typeof poolsQuerySchema>;

const poolStats = {
  requests: z.int(),
  errorRate: z.number().nullable().meta({ description: "The share of 5xx answers, 0 to 1; null without requests" }),
  p50: z.number().nullable().meta({ description: "Milliseconds; null without requests" }),
  p95: z.number().nullable(),
};

export const poolSeriesSchema = z.object({
  upstreamId: z.string(),
  ...poolStats,
  /** One point per bucket in [from, to), null rates and latencies where nothing was counted. */
  points: z.array(z.object({ t: z.int(), ...poolStats })),
});
export type PoolSeries = z.infer<typeof poolSeriesSchema>;

/** An API's traffic per upstream pool (a canary beside the main pool) and its cache's hit ratio. */
export const poolsSchema = z.object({
  from: z.int(),
  to: z.int(),
  step: z.enum(Object.keys(ANALYTICS_STEPS) as [AnalyticsStep, ...AnalyticsStep[]]),
  /** Most requests first; requests sent to no pool (refused, answered from the cache) are in none. */
  pools: z.array(poolSeriesSchema),
  cache: z.object({
    hits: z.int(),
    misses: z.int().meta({ description: "MISS and EXPIRED answers" }),
    hitRatio: z.number().nullable().meta({ description: "HIT / (HIT + MISS + EXPIRED); null without cached traffic" }),
  }),
});
export type Pools = z.infer<typeof poolsSchema>;

/** `/analytics/stream` sends each second one `TimeseriesPoint` (SSE `data:`) for the filter it was opened with. */
export const streamQuerySchema = z.strictObject({
  apiId: idFilter("API"),
  routeId: idFilter("route"),
  consumerId: idFilter("consumer"),
});
export type StreamQuery = z.infer<typeof streamQuerySchema>;

/** A rollup cell on the gateway's own `/stream`: [apiId, routeId, consumerId, statusClass, requests, bytesIn, bytesOut, latencyMsSum, histogram]. */
export type LiveCell = [string, string, string, number, number, number, number, number, string];

/**
 * What the gateway's status port `/stream` sends per flush: each completed second once, and
 * `upTo` (epoch seconds): every second before it is complete, so idle seconds read as zeros.
 */
export interface LiveMessage {
  upTo: number;
  seconds: { t: number; cells: LiveCell[] }[];
}
