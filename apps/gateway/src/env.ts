import { resolveDataDir } from "@gatehouse/db";
import { z } from "zod";
import { DEFAULT_LIMITS, type EdgeLimits } from "./edge/limits.ts";

const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);
const count = (min: number, fallback: number) => z.coerce.number().int().min(min).default(fallback);

const envSchema = z
  .object({
    GATEHOUSE_DATA_DIR: z
      .string()
      .optional()
      .transform((value) => resolveDataDir(value)),
    GATEHOUSE_PROXY_PORT: port(8080),
    GATEHOUSE_PROXY_HOST: z.string().min(1).default("0.0.0.0"),
    GATEHOUSE_STATUS_PORT: port(8081),
    GATEHOUSE_STATUS_HOST: z.string().min(1).default("127.0.0.1"),
    GATEHOUSE_CONFIG_POLL_MS: z.coerce.number().int().min(1).max(60_000).default(10),
    GATEHOUSE_MAX_HEADER_BYTES: count(1024, DEFAULT_LIMITS.maxHeaderBytes),
    GATEHOUSE_MAX_BODY_BYTES: count(0, DEFAULT_LIMITS.maxBodyBytes),
    GATEHOUSE_MAX_URL_BYTES: count(16, DEFAULT_LIMITS.maxUrlBytes),
    GATEHOUSE_HEADERS_TIMEOUT_MS: count(100, DEFAULT_LIMITS.headersTimeoutMs),
    GATEHOUSE_REQUEST_TIMEOUT_MS: count(0, DEFAULT_LIMITS.requestTimeoutMs),
    GATEHOUSE_MAX_CONNECTIONS: count(1, DEFAULT_LIMITS.maxConnections),
    GATEHOUSE_DRAIN_TIMEOUT_MS: count(0, DEFAULT_LIMITS.drainTimeoutMs),
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
