import { z } from "zod";
import { shownWhen } from "./field-rules.ts";

const DEFAULT_HEALTHY_STATUSES = [200, 201, 202, 203, 204, 301, 302, 303, 304, 307, 308];

export const activeHealthCheckSchema = z.strictObject({
  enabled: z.boolean().default(false).meta({ title: "Active checks", description: "Probe every target on a timer" }),
  path: z
    .string()
    .regex(/^\/[^\s?#]*(\?[^\s#]*)?$/, "A path such as /healthz")
    .max(1024)
    .default("/")
    .meta({ title: "Probe path" }),
  intervalMs: z
    .int("Whole milliseconds")
    .min(100, "At least 100 ms")
    .max(3_600_000, "At most an hour")
    .default(5_000)
    .meta({ title: "Interval (ms)" }),
  timeoutMs: z
    .int("Whole milliseconds")
    .min(1, "At least 1 ms")
    .max(60_000, "At most a minute")
    .default(1_000)
    .meta({ title: "Probe timeout (ms)" }),
  healthyThreshold: z.int("A whole number").min(1, "At least 1").max(100, "At most 100").default(2).meta({
    title: "Healthy after",
    description: "Consecutive passing probes that bring a target back",
  }),
  unhealthyThreshold: z.int("A whole number").min(1, "At least 1").max(100, "At most 100").default(3).meta({
    title: "Unhealthy after",
    description: "Consecutive failing probes that take a target out",
  }),
  expectedStatuses: z
    .array(z.int().min(100).max(599))
    .min(1)
    .max(50)
    .default(DEFAULT_HEALTHY_STATUSES)
    .meta({ title: "Healthy statuses" }),
});

export const passiveHealthCheckSchema = z.strictObject({
  enabled: z.boolean().default(true).meta({
    title: "Passive checks",
    description: "Take a target out after consecutive failed requests (a circuit breaker per target)",
  }),
  failures: z.int("A whole number").min(1, "At least 1").max(1000, "At most 1000").default(5).meta({
    title: "Trip after",
    description: "Consecutive connection failures, timeouts or 5xx answers",
  }),
  cooldownMs: z
    .int("Whole milliseconds")
    .min(100, "At least 100 ms")
    .max(3_600_000, "At most an hour")
    .default(10_000)
    .meta({
      title: "Cool-down (ms)",
      description: "After this, one trial request decides whether the target is back",
    }),
});

// Probe and breaker settings only matter while their checks are on.
shownWhen(activeHealthCheckSchema, { enabled: true }, [
  "path",
  "intervalMs",
  "timeoutMs",
  "healthyThreshold",
  "unhealthyThreshold",
  "expectedStatuses",
]);
shownWhen(passiveHealthCheckSchema, { enabled: true }, ["failures", "cooldownMs"]);

export const healthChecksSchema = z.strictObject({
  active: activeHealthCheckSchema.prefault({}),
  passive: passiveHealthCheckSchema.prefault({}),
});
export type HealthChecks = z.output<typeof healthChecksSchema>;

export const TARGET_HEALTH_STATES = ["healthy", "unhealthy", "half-open", "disabled"] as const;
export type TargetHealthState = (typeof TARGET_HEALTH_STATES)[number];

export const targetHealthSchema = z.object({
  targetId: z.string(),
  url: z.string(),
  state: z.enum(TARGET_HEALTH_STATES),
  since: z.string().meta({ description: "When the target entered this state (ISO 8601)" }),
  consecutiveFailures: z.int(),
  recentFailures: z.int().meta({ description: "Failed requests and probes in the last minute" }),
  recentRequests: z.int().meta({ description: "Requests sent to the target in the last minute" }),
  recentRequestFailures: z.int().meta({
    description: "Of those, the ones that failed (connection failure, timeout, 5xx), whatever the state",
  }),
  lastError: z.string().nullable(),
  latencyMs: z.number().nullable().meta({ description: "Moving average of recent response times" }),
  inflight: z.int(),
});
export type TargetHealth = z.infer<typeof targetHealthSchema>;

export const healthEventSchema = z.object({
  at: z.string(),
  upstreamId: z.string(),
  targetId: z.string(),
  url: z.string(),
  from: z.enum(TARGET_HEALTH_STATES),
  to: z.enum(TARGET_HEALTH_STATES),
  reason: z.string(),
});
export type HealthEvent = z.infer<typeof healthEventSchema>;

export const upstreamHealthSchema = z.object({
  upstreamId: z.string(),
  reachable: z.boolean().meta({ description: "Whether the gateway answered; without it, states are unknown" }),
  targets: z.array(targetHealthSchema),
  events: z
    .array(healthEventSchema)
    .meta({ description: "Newest first; kept in analytics.db across gateway restarts" }),
});
export type UpstreamHealth = z.infer<typeof upstreamHealthSchema>;
