import { resolveDataDir } from "@gatehouse/db";
import { z } from "zod";

const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);

const envSchema = z.object({
  GATEHOUSE_DATA_DIR: z
    .string()
    .optional()
    .transform((value) => resolveDataDir(value)),
  GATEHOUSE_PROXY_PORT: port(8080),
  GATEHOUSE_PROXY_HOST: z.string().min(1).default("0.0.0.0"),
  GATEHOUSE_STATUS_PORT: port(8081),
  GATEHOUSE_STATUS_HOST: z.string().min(1).default("127.0.0.1"),
  GATEHOUSE_CONFIG_POLL_MS: z.coerce.number().int().min(1).max(60_000).default(10),
});

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
