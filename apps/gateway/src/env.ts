import { availableParallelism, hostname } from "node:os";
import { resolveDataDir } from "@gatehouse/db";
import {
  DEFAULT_TRAFFIC_RETENTION,
  MIN_TRAFFIC_RETENTION,
  type TrafficRetention,
} from "@gatehouse/db/analytics-tables";
import { z } from "zod";
import type { TrafficOptions } from "./analytics/traffic.ts";
import { DEFAULT_CONFIG_IDLE_POLL_MS } from "./config/watch.ts";
import { DEFAULT_LIMITS, type EdgeLimits } from "./edge/limits.ts";

const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);
const count = (min: number, fallback: number) => z.coerce.number().int().min(min).default(fallback);

const flag = (fallback: boolean) =>
  z
    .enum(["true", "false", "on", "off", "1", "0"], { error: "must be true or false" })
    .optional()
    .transform((value) => (value === undefined ? fallback : value === "true" || value === "on" || value === "1"));

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** `1s=1h,1m=30d,1h=365d`: how long the second, minute and hour tables keep their rows; any part may be left out. */
const retention = z
  .string()
  .optional()
  .transform((value, ctx): TrafficRetention => {
    const out = { ...DEFAULT_TRAFFIC_RETENTION };
    for (const part of (value ?? "").split(",").filter((p) => p.trim() !== "")) {
      const match = /^\s*(1s|1m|1h)\s*=\s*(\d+)([smhd])\s*$/.exec(part);
      if (match === null) {
        ctx.addIssue({ code: "custom", message: `"${part}" is not like 1s=1h, 1m=30d or 1h=365d` });
        return out;
      }
      const table = match[1] === "1s" ? "seconds" : match[1] === "1m" ? "minutes" : "hours";
      const seconds = Number(match[2]) * (UNITS[match[3] as string] as number);
      if (seconds < MIN_TRAFFIC_RETENTION[table]) {
        ctx.addIssue({
          code: "custom",
          message: `${match[1]} must keep at least ${MIN_TRAFFIC_RETENTION[table]} seconds`,
        });
        return out;
      }
      out[table] = seconds;
    }
    return out;
  });

const envSchema = z
  .object({
    GATEHOUSE_DATA_DIR: z
      .string()
      .optional()
      .transform((value) => resolveDataDir(value)),
    GATEHOUSE_PROXY_PORT: port(8080),
    GATEHOUSE_PROXY_HOST: z.string().min(1).default("0.0.0.0"),
    /** HTTPS (HTTP/2 and HTTP/1.1) on the proxy host; 0 turns it off. */
    GATEHOUSE_PROXY_TLS_PORT: port(8443),
    /** Proxy threads sharing the proxy port; 1 proxies on the main thread. */
    GATEHOUSE_WORKERS: z.coerce.number().int().min(1).max(256).default(availableParallelism()),
    GATEHOUSE_STATUS_PORT: port(8081),
    GATEHOUSE_STATUS_HOST: z.string().min(1).default("127.0.0.1"),
    GATEHOUSE_CONFIG_POLL_MS: z.coerce.number().int().min(1).max(60_000).default(10),
    GATEHOUSE_CONFIG_IDLE_POLL_MS: z.coerce.number().int().min(1).max(60_000).default(DEFAULT_CONFIG_IDLE_POLL_MS),
    GATEHOUSE_MAX_HEADER_BYTES: count(1024, DEFAULT_LIMITS.maxHeaderBytes),
    GATEHOUSE_MAX_BODY_BYTES: count(0, DEFAULT_LIMITS.maxBodyBytes),
    GATEHOUSE_MAX_URL_BYTES: count(16, DEFAULT_LIMITS.maxUrlBytes),
    GATEHOUSE_HEADERS_TIMEOUT_MS: count(100, DEFAULT_LIMITS.headersTimeoutMs),
    GATEHOUSE_REQUEST_TIMEOUT_MS: count(0, DEFAULT_LIMITS.requestTimeoutMs),
    GATEHOUSE_MAX_CONNECTIONS: count(1, DEFAULT_LIMITS.maxConnections),
    GATEHOUSE_DRAIN_TIMEOUT_MS: count(0, DEFAULT_LIMITS.drainTimeoutMs),
    GATEHOUSE_ANALYTICS: flag(true),
    GATEHOUSE_ANALYTICS_RETENTION: retention,
    GATEHOUSE_ANALYTICS_MAX_CONSUMERS: count(1, 1000),
    /** Answered requests the request log keeps per second before it samples them; refusals are all kept. */
    GATEHOUSE_REQUEST_LOG_PER_SECOND: count(1, 100),
    GATEHOUSE_METRICS_CONSUMER_LABELS: flag(false),
    /** `json`: one JSON line per request on stdout, in the shape the log policies send. */
    GATEHOUSE_ACCESS_LOG: z.enum(["off", "json"], { error: "must be off or json" }).default("off"),
    /** With GATEHOUSE_NODE_TOKEN: follow this console as a data-plane node instead of reading config.db. */
    GATEHOUSE_CONTROL_PLANE_URL: z.url({ protocol: /^https?$/, error: "must be the console's http(s) URL" }).optional(),
    GATEHOUSE_NODE_TOKEN: z.string().min(1).optional(),
    // Sent in HTTP headers: printable ASCII only.
    GATEHOUSE_NODE_NAME: z
      .string()
      .regex(/^[\x20-\x7e]+$/, "must be printable ASCII")
      .default(() => hostname()),
    /** Where clients reach this node, as the console lists it; by default the proxy's URL. */
    GATEHOUSE_NODE_ADDRESS: z
      .string()
      .regex(/^[\x21-\x7e]+$/, "must be printable ASCII without spaces")
      .optional(),
  })
  .refine((env) => (env.GATEHOUSE_CONTROL_PLANE_URL === undefined) === (env.GATEHOUSE_NODE_TOKEN === undefined), {
    path: ["GATEHOUSE_CONTROL_PLANE_URL"],
    message:
      "set both GATEHOUSE_CONTROL_PLANE_URL and GATEHOUSE_NODE_TOKEN to follow a console, or neither to read config.db",
  })
  .refine(
    (env) =>
      env.GATEHOUSE_REQUEST_TIMEOUT_MS === 0 || env.GATEHOUSE_REQUEST_TIMEOUT_MS >= env.GATEHOUSE_HEADERS_TIMEOUT_MS,
    {
      path: ["GATEHOUSE_REQUEST_TIMEOUT_MS"],
      message: "must be 0 (no limit) or at least GATEHOUSE_HEADERS_TIMEOUT_MS",
    },
  );

export type GatewayEnv = z.infer<typeof envSchema>;

/** Parses the gateway's environment once; an invalid value stops the process with the field named. */
export function parseEnv(source: NodeJS.ProcessEnv = process.env): GatewayEnv {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    const detail = result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ");
    throw new Error(`Invalid gateway environment: ${detail}`);
  }
  return result.data;
}

export function edgeLimits(env: GatewayEnv): EdgeLimits {
  return {
    maxHeaderBytes: env.GATEHOUSE_MAX_HEADER_BYTES,
    maxBodyBytes: env.GATEHOUSE_MAX_BODY_BYTES,
    maxUrlBytes: env.GATEHOUSE_MAX_URL_BYTES,
    headersTimeoutMs: env.GATEHOUSE_HEADERS_TIMEOUT_MS,
    requestTimeoutMs: env.GATEHOUSE_REQUEST_TIMEOUT_MS,
    maxConnections: env.GATEHOUSE_MAX_CONNECTIONS,
    drainTimeoutMs: env.GATEHOUSE_DRAIN_TIMEOUT_MS,
  };
}

/** Traffic analytics as the environment sets them, or false when GATEHOUSE_ANALYTICS is off. */
export function trafficOptions(env: GatewayEnv): TrafficOptions | false {
  if (!env.GATEHOUSE_ANALYTICS) return false;
  return {
    retention: env.GATEHOUSE_ANALYTICS_RETENTION,
    maxConsumersPerSecond: env.GATEHOUSE_ANALYTICS_MAX_CONSUMERS,
    metricsConsumerLabels: env.GATEHOUSE_METRICS_CONSUMER_LABELS,
    requestLogPerSecond: env.GATEHOUSE_REQUEST_LOG_PER_SECOND,
  };
}
